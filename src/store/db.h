/*
 * db: the driver interface every store file is written against. One SQL text serves both
 * engines: parameters are $1..$N, values go in as text ('t') or 64-bit integers ('i'), and
 * columns come out as integers or text whichever engine answers. Where the dialects differ
 * (BEGIN IMMEDIATE, type names in the schema, generated ids, a unique key already taken)
 * the driver translates; a store function is never written twice.
 *
 * Statements are prepared once per connection and cached by the address of their SQL text,
 * so SQL is always a string literal or a static const array. Text parameters are read when
 * the statement first steps: they must live until then (within the store function).
 */
#ifndef LJ_DB_H
#define LJ_DB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct dbst;

enum db_engine { DB_SQLITE = 0, DB_PG = 1 };
enum db_engine db_engine(struct store *s);

/* the cached statement for sql (prepared on first use), unbound; NULL on error */
struct dbst *db_stmt(struct store *s, const char *sql);
/* the cached statement for sql with types ('t' text, 'i' int64) bound to $1..$N */
struct dbst *db_query(struct store *s, const char *sql, const char *types, ...);
/* resets a statement after use (its rows and text columns are gone) */
void db_done(struct dbst *st);
/* runs a statement to its end: 0, ERR_CONFLICT (a unique key taken) or ERR_SYSTEM */
int db_exec_stmt(struct store *s, struct dbst *st);
/*
 * like db_exec_stmt for a statement whose only failure would be a system error (no unique
 * key it could find taken, no count of rows wanted): inside a PostgreSQL transaction it is
 * sent without waiting for its answer, and if it fails the transaction does (its COMMIT
 * fails). Saves a round trip a statement on the hot write paths.
 */
int db_exec_deferred(struct store *s, struct dbst *st);
/* runs an INSERT into a table with a generated `id` and sets *id; like db_exec_stmt */
int db_insert_id(struct store *s, struct dbst *st, int64_t *id);
/* steps a query; 1 = row, 0 = no more rows, -1 = error (statement already reset) */
int db_step(struct store *s, struct dbst *st);

int64_t db_int64(struct dbst *st, int i);
int db_int(struct dbst *st, int i);
/* a text column, valid until the statement steps again or is reset; NULL for NULL */
const char *db_text(struct dbst *st, int i);
size_t db_bytes(struct dbst *st, int i);
void db_col_text(struct dbst *st, int i, char *dst, size_t cap);

/* runs a single-row query and hands the row to fill(); 0, ERR_NOT_FOUND or ERR_SYSTEM */
int db_one_row(struct store *s, struct dbst *st, void (*fill)(struct dbst *, void *), void *out);
/*
 * steps st to its end, calling row(st, ctx) for each row; with `one`, stops after the first
 * and answers ERR_NOT_FOUND when there is none. 0 or ERR_SYSTEM otherwise.
 */
int db_each(struct store *s, struct dbst *st, int one, void (*row)(struct dbst *, void *),
            void *ctx);

/*
 * steps st to its end; for each row, fill(st, &row) into a `type` and cb(arg, &row). 0, or
 * ERR_SYSTEM (also when st is NULL: the query could not be prepared or bound).
 */
#define DB_ROWS(s, st, type, fill, cb, arg)                     \
    ({                                                          \
        struct dbst *db_st_ = (st);                             \
        int db_r_ = db_st_ ? 0 : -1;                            \
        while (db_st_ && (db_r_ = db_step((s), db_st_)) == 1) { \
            type db_row_;                                       \
            fill(db_st_, &db_row_);                             \
            cb(arg, &db_row_);                                  \
        }                                                       \
        db_r_ < 0 ? ERR_SYSTEM : 0;                             \
    })

/* rows changed by the last INSERT, UPDATE or DELETE of this connection */
int64_t db_changes(struct store *s);
/*
 * a version of what this connection sees: it stays the same while no connection changed the
 * database. 0 and v set, or -1 where the engine cannot tell cheaply (PostgreSQL).
 */
int db_data_version(struct store *s, int64_t v[2]);

#define EXEC(s, sql, types, ...) db_exec_stmt((s), db_query((s), (sql), (types), __VA_ARGS__))
#define EXEC_DEFERRED(s, sql, types, ...) \
    db_exec_deferred((s), db_query((s), (sql), (types), __VA_ARGS__))

#endif
