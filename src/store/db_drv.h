/*
 * db_drv: what db.c shares with its two drivers, db_sqlite.c and db_pg.c. db.c keeps the
 * statement cache, binds values, times every call and runs the migrations; a driver
 * prepares, executes and reads rows on its engine.
 */
#ifndef LJ_DB_DRV_H
#define LJ_DB_DRV_H

#include "db.h"

#include <stddef.h>
#include <stdint.h>

#define STMT_SLOTS 512
#define MAX_PARAMS 24

/* one bound value: text (s, NULL for NULL) or an integer */
struct db_val {
    int is_text;
    const char *s;
    int64_t i;
};

struct dbst {
    struct store *s;
    const char *sql;                /* the shared SQL text: the cache key */
    void *h;                        /* the driver's statement */
    int nparams;                    /* the highest $N the SQL names */
    unsigned char used[MAX_PARAMS]; /* $N+1 appears in the SQL */
    struct db_val vals[MAX_PARAMS];
    int slot;
};

enum { DRV_ROW = 1, DRV_DONE = 0, DRV_ERROR = -1, DRV_CONFLICT = -2 };

struct db_ops {
    enum db_engine engine;
    int (*open)(struct store *s, const char *where);
    void (*close)(struct store *s);
    int (*exec_script)(struct store *s, const char *sql); /* several statements, no rows */
    /* the schema text of a migration in this engine's dialect (malloc'd) */
    char *(*ddl)(const char *sql);
    int (*lock_schema)(struct store *s, int lock); /* across processes (PostgreSQL) */
    int (*prepare)(struct store *s, struct dbst *st);
    int (*bind)(struct store *s, struct dbst *st); /* st->vals[0..nparams) */
    void (*finalize)(struct store *s, struct dbst *st);
    /* DRV_ROW, DRV_DONE, DRV_CONFLICT or DRV_ERROR; `want_id`: an insert whose id is read */
    int (*step)(struct store *s, struct dbst *st, int want_id);
    void (*reset)(struct store *s, struct dbst *st);
    /* runs st without waiting for its result where it can (DRV_DONE, DRV_ERROR), else -2 */
    int (*defer)(struct store *s, struct dbst *st);
    int64_t (*col_int64)(struct dbst *st, int i);
    const char *(*col_text)(struct dbst *st, int i);
    size_t (*col_bytes)(struct dbst *st, int i);
    int64_t (*insert_id)(struct store *s, struct dbst *st);
    int64_t (*changes)(struct store *s);
    int64_t (*total_changes)(struct store *s);
    int (*data_version)(struct store *s, int64_t v[2]);
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

struct store {
    const struct db_ops *ops;
    void *conn; /* sqlite3 *, PGconn * */
    void *drv;  /* the driver's own state */
    const char *keys[STMT_SLOTS];
    struct dbst *stmts[STMT_SLOTS];
    int64_t busy_ns;
    uint64_t tx_seq; /* transactions begun on this connection */
    int in_tx;       /* inside store_begin .. store_commit/store_rollback */
    int wal_pages;   /* SQLite: pages in the WAL after the last commit (store_wal_manual) */
    char where[512];
};

#endif
