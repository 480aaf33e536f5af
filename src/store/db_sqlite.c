/*
 * db_sqlite: the SQLite driver (WAL; synchronous=FULL by default, so a commit survives a power
 * cut, and group commit pays one fsync of the log per batch; NORMAL: a killed process only).
 * A store's location is a data directory holding lianjie.db, or ":memory:".
 * Parameters are written $1..$N and bound by name, the PostgreSQL way.
 */
#include "db_drv.h"
#include "store.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/xalloc.h"
#include "../core/clock.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define DB(s)  ((sqlite3 *)(s)->conn)
#define ST(st) ((sqlite3_stmt *)(st)->h)

static int exec_script(struct store *s, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(DB(s), sql, NULL, NULL, &err) != SQLITE_OK) {
        log_error("store", "exec failed: %s", err ? err : "?");
        sqlite3_free(err);
        return ERR_SYSTEM;
    }
    return 0;
}

static int sync_full = 1;

void store_set_sync_full(int full)
{
    sync_full = full != 0;
}

int store_sync_full(void)
{
    return sync_full;
}

static void global_init_once(void)
{
    /* without it every allocation inside SQLite takes one process-wide mutex */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(struct store *s, const char *dir)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    char path[4096];
    if (strcmp(dir, ":memory:") == 0) {
        snprintf(path, sizeof(path), ":memory:");
    } else {
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            log_error("store", "cannot create data directory '%s'", dir);
            return ERR_SYSTEM;
        }
        snprintf(path, sizeof(path), "%s/lianjie.db", dir);
    }
    pthread_once(&once, global_init_once);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(
        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    s->conn = db;
    if (rc != SQLITE_OK) {
        log_error("store", "cannot open '%s': %s", path, sqlite3_errmsg(db));
        return ERR_SYSTEM;
    }
    sqlite3_busy_timeout(db, 10000);
    /* mmap for reads: pages come from the OS page cache without a read() per page */
    if (exec_script(s, sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL") != 0)
        return ERR_SYSTEM;
    return exec_script(s, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                          " PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;");
}

static void sq_close(struct store *s)
{
    sqlite3_close(DB(s));
}

static char *sq_ddl(const char *sql)
{
    return xstrdup(sql);
}

/* one connection writes at a time anyway (BEGIN IMMEDIATE) */
static int sq_lock_schema(struct store *s, int lock)
{
    return 0;
}

static int sq_prepare(struct store *s, struct dbst *st)
{
    sqlite3_stmt *h = NULL;
    if (sqlite3_prepare_v3(DB(s), st->sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL) != SQLITE_OK) {
        log_error("store", "prepare failed: %s", sqlite3_errmsg(DB(s)));
        return ERR_SYSTEM;
    }
    st->h = h;
    /* the bind index of each $N */
    for (int k = 0; k < st->nparams; k++) {
        char name[16];
        snprintf(name, sizeof(name), "$%d", k + 1);
        st->used[k] = (unsigned char)sqlite3_bind_parameter_index(h, name);
    }
    return 0;
}

static void sq_finalize(struct store *s, struct dbst *st)
{
    sqlite3_finalize(ST(st));
}

static int sq_bind(struct store *s, struct dbst *st)
{
    for (int i = 0; i < st->nparams; i++) {
        int idx = st->used[i], rc = SQLITE_OK;
        const struct db_val *v = &st->vals[i];
        if (!idx)
            continue;
        if (v->is_text)
            rc = sqlite3_bind_text(ST(st), idx, v->s, -1, SQLITE_TRANSIENT);
        else
            rc = sqlite3_bind_int64(ST(st), idx, v->i);
        if (rc != SQLITE_OK)
            return ERR_SYSTEM;
    }
    return 0;
}

static int sq_step(struct store *s, struct dbst *st, int want_id)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW)
        return DRV_ROW;
    if (rc == SQLITE_DONE)
        return DRV_DONE;
    int ext = sqlite3_extended_errcode(DB(s));
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return DRV_CONFLICT;
    log_error("store", "step failed: %s", sqlite3_errmsg(DB(s)));
    return DRV_ERROR;
}

/* SQLite answers at once anyway */
static int sq_defer(struct store *s, struct dbst *st)
{
    return -2;
}

static void sq_reset(struct store *s, struct dbst *st)
{
    sqlite3_reset(ST(st));
    sqlite3_clear_bindings(ST(st));
}

static int64_t sq_col_int64(struct dbst *st, int i)
{
    return sqlite3_column_int64(ST(st), i);
}

static const char *sq_col_text(struct dbst *st, int i)
{
    return (const char *)sqlite3_column_text(ST(st), i);
}

static size_t sq_col_bytes(struct dbst *st, int i)
{
    return (size_t)sqlite3_column_bytes(ST(st), i);
}

static int64_t sq_insert_id(struct store *s, struct dbst *st)
{
    /* cheaper than RETURNING id, which collects the returned rows in a temporary b-tree */
    return sqlite3_last_insert_rowid(DB(s));
}

static int64_t sq_changes(struct store *s)
{
    return sqlite3_changes64(DB(s));
}

static int64_t sq_total_changes(struct store *s)
{
    return sqlite3_total_changes64(DB(s));
}

/* PRAGMA data_version moves with every commit of another connection, total changes with
 * every change made on this one */
static int sq_data_version(struct store *s, int64_t v[2])
{
    static const char q[] = "PRAGMA data_version";
    struct dbst *st = db_stmt(s, q);
    if (!st || db_step(s, st) != 1)
        return -1;
    v[0] = db_int64(st, 0);
    db_done(st);
    v[1] = sq_total_changes(s);
    return 0;
}

const struct db_ops db_sqlite_ops = {
    .engine = DB_SQLITE,
    .open = sq_open,
    .close = sq_close,
    .exec_script = exec_script,
    .ddl = sq_ddl,
    .lock_schema = sq_lock_schema,
    .prepare = sq_prepare,
    .bind = sq_bind,
    .finalize = sq_finalize,
    .step = sq_step,
    .defer = sq_defer,
    .reset = sq_reset,
    .col_int64 = sq_col_int64,
    .col_text = sq_col_text,
    .col_bytes = sq_col_bytes,
    .insert_id = sq_insert_id,
    .changes = sq_changes,
    .total_changes = sq_total_changes,
    .data_version = sq_data_version,
};

/* ------------------------------------------------------------------ WAL (SQLite only) */

static int on_wal_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
    ((struct store *)arg)->wal_pages = pages;
    return SQLITE_OK;
}

void store_wal_manual(struct store *s)
{
    if (s->ops == &db_sqlite_ops)
        sqlite3_wal_hook(DB(s), on_wal_commit, s); /* replaces the automatic checkpoint */
}

int store_wal_pages(struct store *s)
{
    return s->wal_pages;
}

int store_checkpoint(struct store *s)
{
    if (s->ops != &db_sqlite_ops)
        return 0;
    int64_t t0 = clock_mono_ns();
    int log_pages = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(DB(s), NULL, SQLITE_CHECKPOINT_PASSIVE, &log_pages, &copied);
    s->busy_ns += clock_mono_ns() - t0;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        log_error("store", "checkpoint failed: %s", sqlite3_errmsg(DB(s)));
        return ERR_SYSTEM;
    }
    log_at(LOG_DEBUG, "store", NULL, "checkpoint: %d of %d pages in %lld us", copied, log_pages,
           (long long)(clock_mono_ns() - t0) / 1000);
    return 0;
}
