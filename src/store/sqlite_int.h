/*
 * sqlite_int: what the SQLite backend's files share: the connection and the statement
 * helpers. Each API family keeps its SQL in its own store/sqlite_<family>.c behind these.
 * Statements are cached by the address of their SQL text, so SQL is always a string
 * literal or a static const array.
 */
#ifndef LJ_SQLITE_INT_H
#define LJ_SQLITE_INT_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define STMT_SLOTS 512
#define MAX_PARAMS 24

struct store {
    sqlite3 *db;
    const char *keys[STMT_SLOTS];
    sqlite3_stmt *stmts[STMT_SLOTS];
    /* bind index of $1..$N for each cached statement (0 = not used by it) */
    unsigned char params[STMT_SLOTS][MAX_PARAMS];
    int64_t busy_ns;
    int wal_pages; /* pages in the WAL after the last commit (store_wal_manual) */
};

/* process-wide SQLite settings; store_open() calls it once, before the first connection */
void sq_global_init(void);

/* the cached statement for sql (prepared on first use); *slot gets its cache slot */
sqlite3_stmt *sq_stmt_slot(struct store *s, const char *sql, size_t *slot);
sqlite3_stmt *sq_stmt(struct store *s, const char *sql);
/* binds the variadic arguments described by types ('t' text, 'i' int64) to $1..$N */
int sq_vbind(sqlite3_stmt *st, const unsigned char *params, const char *types, va_list ap);
/* the cached statement for sql with its parameters bound; NULL on error */
sqlite3_stmt *sq_query(struct store *s, const char *sql, const char *types, ...);
/* resets a statement after use */
void sq_done(sqlite3_stmt *st);
/* steps a statement to its end: 0, ERR_CONFLICT (unique key) or ERR_SYSTEM */
int sq_exec_stmt(struct store *s, sqlite3_stmt *st);
/*
 * steps an INSERT into a rowid table to its end and sets *id to the new row's id; 0,
 * ERR_CONFLICT or ERR_SYSTEM. Cheaper than RETURNING id, which collects the returned rows in
 * a temporary b-tree on every execution.
 */
int sq_insert_id(struct store *s, sqlite3_stmt *st, int64_t *id);
/* steps a query; 1 = row, 0 = no more rows, -1 = error (statement already reset) */
int sq_step(struct store *s, sqlite3_stmt *st);
void sq_col_text(sqlite3_stmt *st, int i, char *dst, size_t cap);
/* runs a single-row query and hands the row to fill(); 0, ERR_NOT_FOUND or ERR_SYSTEM */
int sq_one_row(struct store *s, sqlite3_stmt *st, void (*fill)(sqlite3_stmt *, void *), void *out);

/*
 * steps st to its end, calling row(st, ctx) for each row; with `one`, stops after the first
 * and answers ERR_NOT_FOUND when there is none. 0 or ERR_SYSTEM otherwise.
 */
int sq_each(struct store *s, sqlite3_stmt *st, int one, void (*row)(sqlite3_stmt *, void *),
            void *ctx);

#define EXEC(s, sql, types, ...) sq_exec_stmt((s), sq_query((s), (sql), (types), __VA_ARGS__))

#endif
