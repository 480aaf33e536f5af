/*
 * db: opening a store on either engine, the schema migrations, transactions, the statement
 * cache and the row helpers every store file uses (db.h). The engine's own calls are in
 * db_sqlite.c and db_pg.c.
 */
#include "db_drv.h"
#include "store.h"
#include "migrations.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/xalloc.h"
#include "../core/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum db_engine db_engine(struct store *s)
{
    return s->ops->engine;
}

int store_is_url(const char *where)
{
    return strncmp(where, "postgres://", 11) == 0 || strncmp(where, "postgresql://", 13) == 0;
}

/* ------------------------------------------------------------------ open, migrate */

int store_schema_version(struct store *s)
{
    struct dbst *st = db_stmt(s, "SELECT version FROM schema_version");
    int v = -1;
    if (st && db_step(s, st) == 1) {
        v = db_int(st, 0);
        db_done(st);
    }
    return v;
}

static int apply_migration(struct store *s, int v)
{
    char bump[80];
    snprintf(bump, sizeof(bump), "UPDATE schema_version SET version = %d", v + 1);
    char *ddl = s->ops->ddl(store_migrations[v]);
    int rc = store_begin(s);
    if (rc == 0 && (s->ops->exec_script(s, ddl) != 0 || s->ops->exec_script(s, bump) != 0))
        rc = ERR_SYSTEM;
    free(ddl);
    if (rc == 0)
        rc = store_commit(s);
    if (rc != 0) {
        store_rollback(s);
        return ERR_SYSTEM;
    }
    log_info("store", "schema migrated to version %d", v + 1);
    return 0;
}

/* brings the schema up to date, once however many processes start together */
static int migrate(struct store *s)
{
    if (s->ops->lock_schema(s, 1) != 0)
        return ERR_SYSTEM;
    int rc = s->ops->exec_script(s, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER"
                                    " NOT NULL); INSERT INTO schema_version SELECT 0 WHERE NOT"
                                    " EXISTS (SELECT 1 FROM schema_version)");
    int v = rc == 0 ? store_schema_version(s) : -1;
    if (v < 0) {
        rc = ERR_SYSTEM;
    } else if (v > store_migration_count) {
        log_error("store",
                  "the database's schema is version %d, newer than this build knows (%d):"
                  " run a newer lianjie",
                  v, store_migration_count);
        rc = ERR_SYSTEM;
    }
    for (; rc == 0 && v < store_migration_count; v++)
        rc = apply_migration(s, v);
    s->ops->lock_schema(s, 0);
    return rc;
}

int store_open(const char *where, struct store **out)
{
    *out = NULL;
    struct store *s = xcalloc(1, sizeof(*s));
    s->ops = store_is_url(where) ? &db_pg_ops : &db_sqlite_ops;
    snprintf(s->where, sizeof(s->where), "%s", where);
    if (s->ops->open(s, where) != 0 || migrate(s) != 0) {
        store_close(s);
        return ERR_SYSTEM;
    }
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    for (int i = 0; i < STMT_SLOTS; i++)
        if (s->stmts[i]) {
            s->ops->finalize(s, s->stmts[i]);
            free(s->stmts[i]);
        }
    s->ops->close(s);
    free(s);
}

int64_t store_busy_ns(struct store *s)
{
    return s->busy_ns;
}

int64_t store_total_changes(struct store *s)
{
    return s->ops->total_changes(s);
}

/* ------------------------------------------------------------------ transactions */

#define TX(name, sql)                          \
    int name(struct store *s)                  \
    {                                          \
        static const char q[] = sql;           \
        return db_exec_stmt(s, db_stmt(s, q)); \
    }
int store_begin(struct store *s)
{
    static const char q[] = "BEGIN IMMEDIATE";
    s->tx_seq++;
    int rc = db_exec_stmt(s, db_stmt(s, q));
    s->in_tx = rc == 0;
    return rc;
}

uint64_t store_tx_seq(struct store *s)
{
    return s->tx_seq;
}

int store_in_tx(struct store *s)
{
    return s->in_tx;
}

/* the transaction is over, committed or not */
#define TX_END(name, sql)                      \
    int name(struct store *s)                  \
    {                                          \
        static const char q[] = sql;           \
        s->in_tx = 0;                          \
        return db_exec_stmt(s, db_stmt(s, q)); \
    }
TX_END(store_commit, "COMMIT")
TX_END(store_rollback, "ROLLBACK")
TX(store_savepoint, "SAVEPOINT job")
TX(store_savepoint_release, "RELEASE job")
TX(store_savepoint_rollback, "ROLLBACK TO job")

/* ------------------------------------------------------------------ nodes */

int store_is_shared(struct store *s)
{
    return s->ops->engine == DB_PG;
}

int store_notify(struct store *s, const char *msg)
{
    if (s->ops->engine != DB_PG)
        return 0;
    struct dbst *st = db_query(s, "SELECT pg_notify('lianjie', $1)", "t", msg);
    return db_exec_stmt(s, st);
}

/* ------------------------------------------------------------------ statements */

/* which $N the SQL names (outside quotes) */
static void scan_params(struct dbst *st)
{
    int quoted = 0;
    for (const char *p = st->sql; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (quoted || *p != '$' || p[1] < '1' || p[1] > '9')
            continue;
        int n = (int)strtol(p + 1, NULL, 10);
        if (n >= 1 && n <= MAX_PARAMS) {
            st->used[n - 1] = 1;
            if (n > st->nparams)
                st->nparams = n;
        }
    }
}

static struct dbst *prepare(struct store *s, const char *sql, int slot)
{
    struct dbst *st = xcalloc(1, sizeof(*st));
    st->s = s;
    st->sql = sql;
    st->slot = slot;
    scan_params(st);
    if (s->ops->prepare(s, st) != 0) {
        free(st);
        return NULL;
    }
    s->keys[slot] = sql;
    s->stmts[slot] = st;
    return st;
}

struct dbst *db_stmt(struct store *s, const char *sql)
{
    size_t h = ((size_t)sql >> 4) % STMT_SLOTS;
    for (size_t i = 0; i < STMT_SLOTS; i++, h = (h + 1) % STMT_SLOTS) {
        if (s->keys[h] == sql)
            return s->stmts[h];
        if (s->keys[h] == NULL)
            return prepare(s, sql, (int)h);
    }
    log_error("store", "statement cache full");
    return NULL;
}

struct dbst *db_query(struct store *s, const char *sql, const char *types, ...)
{
    struct dbst *st = db_stmt(s, sql);
    if (!st)
        return NULL;
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        struct db_val v = {.is_text = types[i] == 't'};
        if (v.is_text)
            v.s = va_arg(ap, const char *);
        else
            v.i = va_arg(ap, int64_t);
        if (i < MAX_PARAMS)
            st->vals[i] = v;
    }
    va_end(ap);
    if (s->ops->bind(s, st) != 0) {
        s->ops->reset(s, st);
        return NULL;
    }
    return st;
}

void db_done(struct dbst *st)
{
    st->s->ops->reset(st->s, st);
}

/* one driver step, timed; DRV_* */
static int step(struct store *s, struct dbst *st, int want_id)
{
    int64_t t0 = clock_mono_ns();
    int rc = s->ops->step(s, st, want_id);
    s->busy_ns += clock_mono_ns() - t0;
    return rc;
}

static int run_to_end(struct store *s, struct dbst *st, int want_id, int64_t *id)
{
    if (!st)
        return ERR_SYSTEM;
    int rc = step(s, st, want_id);
    if (rc >= 0 && id)
        *id = s->ops->insert_id(s, st);
    db_done(st);
    return rc >= 0 ? 0 : rc == DRV_CONFLICT ? ERR_CONFLICT : ERR_SYSTEM;
}

int db_exec_stmt(struct store *s, struct dbst *st)
{
    return run_to_end(s, st, 0, NULL);
}

int db_exec_deferred(struct store *s, struct dbst *st)
{
    if (!st)
        return ERR_SYSTEM;
    int64_t t0 = clock_mono_ns();
    int rc = s->ops->defer(s, st);
    s->busy_ns += clock_mono_ns() - t0;
    if (rc == -2)
        return db_exec_stmt(s, st);
    db_done(st);
    return rc == DRV_DONE ? 0 : ERR_SYSTEM;
}

int db_insert_id(struct store *s, struct dbst *st, int64_t *id)
{
    return run_to_end(s, st, 1, id);
}

int db_step(struct store *s, struct dbst *st)
{
    int rc = step(s, st, 0);
    if (rc == DRV_ROW)
        return 1;
    db_done(st);
    return rc == DRV_DONE ? 0 : -1;
}

int64_t db_int64(struct dbst *st, int i)
{
    return st->s->ops->col_int64(st, i);
}

int db_int(struct dbst *st, int i)
{
    return (int)st->s->ops->col_int64(st, i);
}

const char *db_text(struct dbst *st, int i)
{
    return st->s->ops->col_text(st, i);
}

size_t db_bytes(struct dbst *st, int i)
{
    return st->s->ops->col_bytes(st, i);
}

void db_col_text(struct dbst *st, int i, char *dst, size_t cap)
{
    const char *v = db_text(st, i);
    snprintf(dst, cap, "%s", v ? v : "");
}

int db_one_row(struct store *s, struct dbst *st, void (*fill)(struct dbst *, void *), void *out)
{
    return db_each(s, st, 1, fill, out);
}

int db_each(struct store *s, struct dbst *st, int one, void (*row)(struct dbst *, void *),
            void *ctx)
{
    if (!st)
        return ERR_SYSTEM;
    int r, rows = 0;
    while ((r = db_step(s, st)) == 1) {
        rows++;
        row(st, ctx);
        if (one) {
            db_done(st);
            break;
        }
    }
    if (r < 0)
        return ERR_SYSTEM;
    return one && rows == 0 ? ERR_NOT_FOUND : 0;
}

int64_t db_changes(struct store *s)
{
    return s->ops->changes(s);
}

int db_data_version(struct store *s, int64_t v[2])
{
    return s->ops->data_version(s, v);
}
