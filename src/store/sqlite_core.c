/*
 * sqlite_core: the statement cache and step helpers every SQLite store file uses.
 */
#include "sqlite_int.h"
#include "store.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../core/clock.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* the cached statement for sql (prepared on first use); *slot gets its cache slot */
sqlite3_stmt *sq_stmt_slot(struct store *s, const char *sql, size_t *slot)
{
    size_t h = ((size_t)sql >> 4) % STMT_SLOTS;
    for (size_t i = 0; i < STMT_SLOTS; i++, h = (h + 1) % STMT_SLOTS) {
        *slot = h;
        if (s->keys[h] == sql)
            return s->stmts[h];
        if (s->keys[h] == NULL) {
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
                SQLITE_OK) {
                log_error("store", "prepare failed: %s", sqlite3_errmsg(s->db));
                return NULL;
            }
            s->keys[h] = sql;
            s->stmts[h] = st;
            for (int k = 0; k < MAX_PARAMS; k++) {
                char name[16];
                snprintf(name, sizeof(name), "$%d", k + 1);
                s->params[h][k] = (unsigned char)sqlite3_bind_parameter_index(st, name);
            }
            return st;
        }
    }
    log_error("store", "statement cache full");
    return NULL;
}

sqlite3_stmt *sq_stmt(struct store *s, const char *sql)
{
    size_t slot;
    return sq_stmt_slot(s, sql, &slot);
}

/* binds the variadic arguments described by types ('t' text, 'i' int64) to $1..$N */
int sq_vbind(sqlite3_stmt *st, const unsigned char *params, const char *types, va_list ap)
{
    for (int i = 0; types[i]; i++) {
        int idx = i < MAX_PARAMS ? params[i] : 0;
        int rc;
        if (types[i] == 't') {
            const char *v = va_arg(ap, const char *);
            rc = idx ? sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT) : SQLITE_OK;
        } else {
            int64_t v = va_arg(ap, int64_t);
            rc = idx ? sqlite3_bind_int64(st, idx, v) : SQLITE_OK;
        }
        if (rc != SQLITE_OK)
            return -1;
    }
    return 0;
}

sqlite3_stmt *sq_query(struct store *s, const char *sql, const char *types, ...)
{
    size_t slot;
    sqlite3_stmt *st = sq_stmt_slot(s, sql, &slot);
    if (!st)
        return NULL;
    va_list ap;
    va_start(ap, types);
    int rc = sq_vbind(st, s->params[slot], types, ap);
    va_end(ap);
    if (rc != 0) {
        sqlite3_reset(st);
        return NULL;
    }
    return st;
}

void sq_done(sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

int sq_exec_stmt(struct store *s, sqlite3_stmt *st)
{
    if (!st)
        return ERR_SYSTEM;
    int64_t t0 = clock_mono_ns();
    int rc = sqlite3_step(st);
    s->busy_ns += clock_mono_ns() - t0;
    int ext = sqlite3_extended_errcode(s->db);
    sq_done(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return ERR_CONFLICT;
    log_error("store", "step failed: %s", sqlite3_errmsg(s->db));
    return ERR_SYSTEM;
}

int sq_insert_id(struct store *s, sqlite3_stmt *st, int64_t *id)
{
    int rc = sq_exec_stmt(s, st);
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* steps a query; 1 = row, 0 = no more rows, -1 = error (statement already reset) */
int sq_step(struct store *s, sqlite3_stmt *st)
{
    int64_t t0 = clock_mono_ns();
    int rc = sqlite3_step(st);
    s->busy_ns += clock_mono_ns() - t0;
    if (rc == SQLITE_ROW)
        return 1;
    if (rc != SQLITE_DONE && (sqlite3_extended_errcode(s->db) & 0xff) != SQLITE_CONSTRAINT)
        log_error("store", "query failed: %s", sqlite3_errmsg(s->db));
    sq_done(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

void sq_col_text(sqlite3_stmt *st, int i, char *dst, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

/* runs a single-row query and hands the row to fill(); 0, ERR_NOT_FOUND or ERR_SYSTEM */
int sq_one_row(struct store *s, sqlite3_stmt *st, void (*fill)(sqlite3_stmt *, void *), void *out)
{
    if (!st)
        return ERR_SYSTEM;
    int r = sq_step(s, st);
    if (r < 0)
        return ERR_SYSTEM;
    if (r == 0)
        return ERR_NOT_FOUND;
    fill(st, out);
    sq_done(st);
    return 0;
}

int sq_each(struct store *s, sqlite3_stmt *st, int one, void (*row)(sqlite3_stmt *, void *),
            void *ctx)
{
    if (!st)
        return ERR_SYSTEM;
    int r, rows = 0;
    while ((r = sq_step(s, st)) == 1) {
        rows++;
        row(st, ctx);
        if (one) {
            sq_done(st);
            break;
        }
    }
    if (r < 0)
        return ERR_SYSTEM;
    return one && rows == 0 ? ERR_NOT_FOUND : 0;
}

/* ------------------------------------------------------------------ process and WAL */

static void global_init_once(void)
{
    /* without it every allocation inside SQLite takes one process-wide mutex */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void sq_global_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, global_init_once);
}

static int on_wal_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
    ((struct store *)arg)->wal_pages = pages;
    return SQLITE_OK;
}

void store_wal_manual(struct store *s)
{
    sqlite3_wal_hook(s->db, on_wal_commit, s); /* replaces the automatic checkpoint */
}

int store_wal_pages(struct store *s)
{
    return s->wal_pages;
}

int64_t store_total_changes(struct store *s)
{
    return sqlite3_total_changes64(s->db);
}

int store_checkpoint(struct store *s)
{
    int64_t t0 = clock_mono_ns();
    int log_pages = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log_pages, &copied);
    s->busy_ns += clock_mono_ns() - t0;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        log_error("store", "checkpoint failed: %s", sqlite3_errmsg(s->db));
        return ERR_SYSTEM;
    }
    log_at(LOG_DEBUG, "store", NULL, "checkpoint: %d of %d pages in %lld us", copied, log_pages,
           (long long)(clock_mono_ns() - t0) / 1000);
    return 0;
}
