/*
 * db_pg: the PostgreSQL driver (libpq). A store's location is a postgres:// URL.
 *
 * The shared SQL is SQLite's and PostgreSQL's common ground; what differs is translated
 * here, once, when a statement is prepared:
 *   - BEGIN IMMEDIATE (SQLite: take the write lock now) is BEGIN plus a transaction-scoped
 *     advisory lock, so writers on every node take turns exactly as SQLite's one writer
 *     does, and a read-then-write inside a transaction stays correct across nodes;
 *   - a one-row INSERT ... VALUES without ON CONFLICT gets ON CONFLICT DO NOTHING, and no
 *     row inserted means the unique key was taken (ERR_CONFLICT): a failed statement would
 *     abort the whole PostgreSQL transaction, where SQLite goes on;
 *   - an insert whose generated id is wanted runs a second form, with RETURNING id;
 *   - the schema: INTEGER is BIGINT (SQLite's integers are 64-bit), INTEGER PRIMARY KEY is
 *     BIGSERIAL, TEXT sorts bytewise (COLLATE "C", as SQLite's BINARY does).
 * Values go in and come out as text; booleans come out as 1 and 0.
 *
 * Every transaction (BEGIN IMMEDIATE) commits to disk before it answers. A statement outside
 * one (only daily quota counts, from the event loops: quota.c) commits without waiting for
 * the disk, so that a metered call does not wait for an fsync: it is safe from a killed node,
 * and a crash of PostgreSQL itself may forget the last fraction of a second of counts.
 *
 * A lost connection is opened again on the next statement outside a transaction (and its
 * statements prepared again); inside one, the statement fails and the transaction with it.
 */
#define _GNU_SOURCE /* pipe2 */
#include "db_drv.h"
#include "store.h"
#include "../util/buf.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONN(s) ((PGconn *)(s)->conn)
#define TEXTOID 25
/* the advisory lock keys: schema migrations, and the writers' turn */
#define ADVISORY_SCHEMA 0x6c6a0001
#define ADVISORY_WRITE  0x6c6a0002

struct pg_conn {
    unsigned gen; /* bumped on every reconnect: statements are prepared again */
    int64_t changes, total_changes;
    int pending;         /* deferred statements whose results were not read yet */
    int deferred_failed; /* one of them failed: the transaction is lost */
};

/* deferred statements sent before their results are read, at the most */
#define PIPELINE_MAX 256

enum pg_kind { PG_PREPARED, PG_BEGIN };

struct pg_stmt {
    enum pg_kind kind;
    char *sql, *sql_id; /* translated SQL, and its RETURNING id form */
    int conflict_if_none;
    unsigned gen, gen_id; /* connection generation each form was prepared in (0: not yet) */
    char name[16], name_id[16];
    Oid types[MAX_PARAMS];
    PGresult *res;
    int row, nrows;
    char ibuf[MAX_PARAMS][24];
    char *scrubbed[MAX_PARAMS]; /* text values that were not UTF-8, made so (INSERT only) */
};

#define PGS(st) ((struct pg_stmt *)(st)->h)
#define PGC(s)  ((struct pg_conn *)(s)->drv)

static void no_notices(void *arg, const char *msg)
{
}

static int connect_now(struct store *s)
{
    const char *keys[] = {"dbname",
                          "connect_timeout",
                          "application_name",
                          "keepalives_idle",
                          "keepalives_interval",
                          "keepalives_count",
                          "options",
                          NULL};
    const char *vals[] = {s->where, "3", "lianjie", "5", "2", "2", "-c synchronous_commit=off",
                          NULL};
    PGconn *c = PQconnectdbParams(keys, vals, 1);
    if (PQstatus(c) != CONNECTION_OK) {
        log_error("store", "cannot connect to PostgreSQL: %s", PQerrorMessage(c));
        PQfinish(c);
        return ERR_SYSTEM;
    }
    PQsetNoticeProcessor(c, no_notices, NULL);
    if (s->conn)
        PQfinish(CONN(s));
    s->conn = c;
    PGC(s)->gen++;
    return 0;
}

static int pg_open(struct store *s, const char *url)
{
    s->drv = xcalloc(1, sizeof(struct pg_conn));
    return connect_now(s);
}

static void pg_close(struct store *s)
{
    if (s->conn)
        PQfinish(CONN(s));
    free(s->drv);
}

/* a lost connection is opened again, between transactions only */
static int ensure_conn(struct store *s)
{
    if (s->conn && PQstatus(CONN(s)) == CONNECTION_OK)
        return 0;
    return connect_now(s);
}

static int result_ok(PGresult *r)
{
    ExecStatusType t = PQresultStatus(r);
    return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

static int pipeline_flush(struct store *s);

static int pg_exec_script(struct store *s, const char *sql)
{
    if (pipeline_flush(s) != 0 || ensure_conn(s) != 0)
        return ERR_SYSTEM;
    PGresult *r = PQexec(CONN(s), sql);
    int ok = result_ok(r);
    if (!ok)
        log_error("store", "exec failed: %s", PQresultErrorMessage(r));
    PQclear(r);
    return ok ? 0 : ERR_SYSTEM;
}

static int pg_lock_schema(struct store *s, int lock)
{
    char q[80];
    snprintf(q, sizeof(q), "SELECT pg_advisory_%s(%d)", lock ? "lock" : "unlock", ADVISORY_SCHEMA);
    return pg_exec_script(s, q);
}

/* ------------------------------------------------------------------ dialect */

static int word_at(const char *p, const char *w)
{
    size_t n = strlen(w);
    return strncmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]) && p[n] != '_';
}

/* a migration's schema text in PostgreSQL's dialect, then every generated id's sequence
 * moved past the ids the migration wrote itself */
static char *pg_ddl(const char *sql)
{
    struct buf b;
    buf_init(&b, 0);
    int quoted = 0;
    for (const char *p = sql; *p;) {
        int boundary = p == sql || (!isalnum((unsigned char)p[-1]) && p[-1] != '_');
        if (*p == '\'')
            quoted = !quoted;
        if (!quoted && boundary && word_at(p, "INTEGER PRIMARY KEY")) {
            buf_puts(&b, "BIGSERIAL PRIMARY KEY");
            p += strlen("INTEGER PRIMARY KEY");
        } else if (!quoted && boundary && word_at(p, "INTEGER")) {
            buf_puts(&b, "BIGINT");
            p += strlen("INTEGER");
        } else if (!quoted && boundary && word_at(p, "TEXT")) {
            buf_puts(&b, "TEXT COLLATE \"C\"");
            p += strlen("TEXT");
        } else {
            buf_append(&b, p++, 1);
        }
    }
    buf_puts(&b, ";DO $$ DECLARE r record; BEGIN FOR r IN SELECT c.table_name t, c.column_name k,"
                 " pg_get_serial_sequence(c.table_name, c.column_name) q"
                 " FROM information_schema.columns c WHERE c.table_schema = current_schema()"
                 " AND c.column_default LIKE 'nextval(%' LOOP EXECUTE format('SELECT setval(%L,"
                 " (SELECT COALESCE(MAX(%I), 0) + 1 FROM %I), false)', r.q, r.k, r.t);"
                 " END LOOP; END $$");
    buf_putc(&b, '\0');
    return buf_detach(&b, NULL);
}

static int starts_with_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static int contains_ci(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; *s; s++)
        if (strncasecmp(s, w, n) == 0)
            return 1;
    return 0;
}

/* a one-row INSERT ... VALUES that SQLite would fail on a taken unique key */
static int plain_insert(const char *sql)
{
    return starts_with_ci(sql, "INSERT INTO") && contains_ci(sql, " VALUES") &&
           !contains_ci(sql, "ON CONFLICT") && !contains_ci(sql, "RETURNING") &&
           !contains_ci(sql, "SELECT");
}

static char *concat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *out = xmalloc(na + nb + 1);
    memcpy(out, a, na);
    memcpy(out + na, b, nb + 1);
    return out;
}

/* ------------------------------------------------------------------ statements */

static int pg_prepare(struct store *s, struct dbst *st)
{
    struct pg_stmt *p = xcalloc(1, sizeof(*p));
    st->h = p;
    if (strcmp(st->sql, "BEGIN IMMEDIATE") == 0) {
        p->kind = PG_BEGIN;
        return 0;
    }
    p->conflict_if_none = plain_insert(st->sql);
    p->sql = p->conflict_if_none ? concat(st->sql, " ON CONFLICT DO NOTHING") : xstrdup(st->sql);
    p->sql_id = concat(p->sql, " RETURNING id");
    snprintf(p->name, sizeof(p->name), "s%d", st->slot);
    snprintf(p->name_id, sizeof(p->name_id), "r%d", st->slot);
    /* a $N the SQL skips has no type to infer: call it text */
    for (int i = 0; i < st->nparams; i++)
        p->types[i] = st->used[i] ? 0 : TEXTOID;
    return 0;
}

static void pg_reset(struct store *s, struct dbst *st)
{
    struct pg_stmt *p = PGS(st);
    PQclear(p->res);
    p->res = NULL;
    p->row = p->nrows = 0;
    for (int i = 0; i < MAX_PARAMS; i++) {
        free(p->scrubbed[i]);
        p->scrubbed[i] = NULL;
    }
}

static void pg_finalize(struct store *s, struct dbst *st)
{
    struct pg_stmt *p = PGS(st);
    pg_reset(s, st);
    free(p->sql);
    free(p->sql_id);
    free(p);
}

/* values go in with db_query; they are turned into text when the statement runs */
static int pg_bind(struct store *s, struct dbst *st)
{
    return 0;
}

/* prepares the form of st that runs now in this connection, once per connection */
static int prepared(struct store *s, struct dbst *st, int want_id)
{
    struct pg_stmt *p = PGS(st);
    unsigned *gen = want_id ? &p->gen_id : &p->gen;
    if (*gen == PGC(s)->gen)
        return 0;
    PGresult *r = PQprepare(CONN(s), want_id ? p->name_id : p->name, want_id ? p->sql_id : p->sql,
                            st->nparams, p->types);
    int ok = result_ok(r);
    if (!ok)
        log_error("store", "prepare failed: %s in: %s", PQresultErrorMessage(r), st->sql);
    PQclear(r);
    if (ok)
        *gen = PGC(s)->gen;
    return ok ? 0 : -1;
}

/*
 * PostgreSQL refuses text that is not UTF-8, where SQLite keeps the bytes. No stored text can
 * equal such a value, so a statement that looks rows up by it finds none (1); an INSERT
 * stores it with each bad byte replaced by U+FFFD.
 */
static int bad_text(struct dbst *st)
{
    struct pg_stmt *p = PGS(st);
    int insert = starts_with_ci(st->sql, "INSERT");
    for (int i = 0; i < st->nparams; i++) {
        const struct db_val *v = &st->vals[i];
        if (!v->is_text || !v->s || utf8_valid(v->s, strlen(v->s)))
            continue;
        if (!insert)
            return 1;
        free(p->scrubbed[i]);
        p->scrubbed[i] = utf8_scrub(v->s);
    }
    return 0;
}

/* the bound values as text, for libpq */
static void param_values(struct dbst *st, const char **vals)
{
    struct pg_stmt *p = PGS(st);
    for (int i = 0; i < st->nparams; i++) {
        const struct db_val *v = &st->vals[i];
        if (p->scrubbed[i]) {
            vals[i] = p->scrubbed[i];
        } else if (v->is_text) {
            vals[i] = v->s;
        } else {
            snprintf(p->ibuf[i], sizeof(p->ibuf[i]), "%lld", (long long)v->i);
            vals[i] = p->ibuf[i];
        }
    }
}

/*
 * Reads the results of the deferred statements (pg_defer) and leaves pipeline mode: 0, or -1
 * when one failed, and with it the transaction (PostgreSQL refuses the rest of it).
 */
static int pipeline_flush(struct store *s)
{
    struct pg_conn *pc = PGC(s);
    PGconn *c = CONN(s);
    if (!c || PQpipelineStatus(c) == PQ_PIPELINE_OFF)
        return 0;
    int failed = !PQpipelineSync(c);
    for (int done = failed; !done;) {
        PGresult *r = PQgetResult(c);
        if (!r) { /* the end of one statement's results, or a lost connection */
            failed |= done = PQstatus(c) != CONNECTION_OK;
            continue;
        }
        ExecStatusType t = PQresultStatus(r);
        if (t == PGRES_PIPELINE_SYNC) {
            done = 1;
        } else if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
            if (!failed && t != PGRES_PIPELINE_ABORTED)
                log_error("store", "a deferred statement failed: %s", PQresultErrorMessage(r));
            failed = 1;
        }
        PQclear(r);
    }
    pc->pending = 0;
    PQexitPipelineMode(c);
    if (failed)
        pc->deferred_failed = 1;
    return failed ? -1 : 0;
}

/*
 * Inside a transaction, sends st without waiting for its result (libpq's pipeline mode): the
 * results are read before the next statement that is not deferred (COMMIT at the latest), and
 * a failure fails the transaction. Outside one, st runs at once.
 */
static int pg_defer(struct store *s, struct dbst *st)
{
    struct pg_stmt *p = PGS(st);
    struct pg_conn *pc = PGC(s);
    PGconn *c = CONN(s);
    int in_tx = pc->pending > 0 || (c && PQtransactionStatus(c) == PQTRANS_INTRANS);
    if (!in_tx || p->kind != PG_PREPARED || bad_text(st) || p->conflict_if_none)
        return -2; /* not deferred: run it as usual */
    if (p->gen != pc->gen && (pipeline_flush(s) != 0 || prepared(s, st, 0) != 0))
        return DRV_ERROR;
    if (PQpipelineStatus(c) == PQ_PIPELINE_OFF && !PQenterPipelineMode(c))
        return DRV_ERROR;
    const char *vals[MAX_PARAMS];
    param_values(st, vals);
    if (!PQsendQueryPrepared(c, p->name, st->nparams, vals, NULL, NULL, 0)) {
        log_error("store", "cannot send a deferred statement: %s", PQerrorMessage(c));
        pc->deferred_failed = 1;
        return DRV_ERROR;
    }
    if (++pc->pending >= PIPELINE_MAX && pipeline_flush(s) != 0)
        return DRV_ERROR;
    return DRV_DONE;
}

static PGresult *run(struct store *s, struct dbst *st, int want_id)
{
    struct pg_stmt *p = PGS(st);
    if (p->kind == PG_BEGIN) {
        PGC(s)->deferred_failed = 0;
        char q[128];
        snprintf(q, sizeof(q),
                 "BEGIN; SET LOCAL synchronous_commit = on; SELECT pg_advisory_xact_lock(%d)",
                 ADVISORY_WRITE);
        return PQexec(CONN(s), q);
    }
    if (prepared(s, st, want_id) != 0)
        return NULL;
    const char *vals[MAX_PARAMS];
    param_values(st, vals);
    return PQexecPrepared(CONN(s), want_id ? p->name_id : p->name, st->nparams, vals, NULL, NULL,
                          0);
}

/* what a failed statement means: DRV_CONFLICT for a taken unique key, else DRV_ERROR */
static int failure(struct store *s, struct dbst *st, PGresult *r)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    int conflict = state && strcmp(state, "23505") == 0;
    if (!conflict)
        log_error("store", "query failed: %s in: %.200s",
                  r ? PQresultErrorMessage(r) : PQerrorMessage(CONN(s)), st->sql);
    PQclear(r);
    return conflict ? DRV_CONFLICT : DRV_ERROR;
}

static int execute(struct store *s, struct dbst *st, int want_id)
{
    struct pg_stmt *p = PGS(st);
    if (pipeline_flush(s) != 0)
        return DRV_ERROR;
    int idle = !s->conn || PQtransactionStatus(CONN(s)) == PQTRANS_IDLE ||
               PQtransactionStatus(CONN(s)) == PQTRANS_UNKNOWN;
    if (idle && ensure_conn(s) != 0)
        return DRV_ERROR;
    if (bad_text(st)) {
        PGC(s)->changes = 0;
        p->res = PQmakeEmptyPGresult(CONN(s), PGRES_COMMAND_OK);
        p->row = p->nrows = 0;
        return DRV_DONE;
    }
    PGresult *r = run(s, st, want_id);
    /* the connection went away between transactions: once more on a new one */
    if ((!r || !result_ok(r)) && idle && PQstatus(CONN(s)) != CONNECTION_OK) {
        PQclear(r);
        r = connect_now(s) == 0 ? run(s, st, want_id) : NULL;
    }
    if (!r || !result_ok(r))
        return failure(s, st, r);
    const char *n = PQcmdTuples(r), *cmd = PQcmdStatus(r);
    int writes = starts_with_ci(cmd, "INSERT") || starts_with_ci(cmd, "UPDATE") ||
                 starts_with_ci(cmd, "DELETE");
    PGC(s)->changes = writes && *n ? strtoll(n, NULL, 10) : 0;
    PGC(s)->total_changes += PGC(s)->changes;
    if (p->conflict_if_none && PGC(s)->changes == 0) {
        PQclear(r);
        return DRV_CONFLICT;
    }
    /* COMMIT of a transaction that a failed statement had lost answers ROLLBACK, not an error */
    if (strcmp(st->sql, "COMMIT") == 0 && strcmp(cmd, "ROLLBACK") == 0) {
        log_error("store", "the transaction was lost: COMMIT rolled back");
        PQclear(r);
        return DRV_ERROR;
    }
    p->res = r;
    p->row = 0;
    p->nrows = PQresultStatus(r) == PGRES_TUPLES_OK && p->kind != PG_BEGIN ? PQntuples(r) : 0;
    return DRV_DONE;
}

static int pg_step(struct store *s, struct dbst *st, int want_id)
{
    struct pg_stmt *p = PGS(st);
    if (!p->res) {
        int rc = execute(s, st, want_id);
        if (rc < 0)
            return rc;
    }
    if (p->row >= p->nrows)
        return DRV_DONE;
    p->row++;
    return DRV_ROW;
}

static int64_t pg_col_int64(struct dbst *st, int i)
{
    struct pg_stmt *p = PGS(st);
    if (!p->res || p->row < 1 || PQgetisnull(p->res, p->row - 1, i))
        return 0;
    const char *v = PQgetvalue(p->res, p->row - 1, i);
    if (v[0] == 't' && !v[1])
        return 1;
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(struct dbst *st, int i)
{
    struct pg_stmt *p = PGS(st);
    if (!p->res || p->row < 1 || PQgetisnull(p->res, p->row - 1, i))
        return NULL;
    return PQgetvalue(p->res, p->row - 1, i);
}

static size_t pg_col_bytes(struct dbst *st, int i)
{
    struct pg_stmt *p = PGS(st);
    if (!p->res || p->row < 1)
        return 0;
    return (size_t)PQgetlength(p->res, p->row - 1, i);
}

static int64_t pg_insert_id(struct store *s, struct dbst *st)
{
    struct pg_stmt *p = PGS(st);
    if (!p->res || PQntuples(p->res) < 1 || PQnfields(p->res) < 1)
        return 0;
    return strtoll(PQgetvalue(p->res, 0, 0), NULL, 10);
}

static int64_t pg_changes(struct store *s)
{
    return PGC(s)->changes;
}

static int64_t pg_total_changes(struct store *s)
{
    return PGC(s)->total_changes;
}

static int pg_data_version(struct store *s, int64_t v[2])
{
    return -1;
}

int store_tx_failed(struct store *s)
{
    return s->ops == &db_pg_ops &&
           (PGC(s)->deferred_failed || PQtransactionStatus(CONN(s)) == PQTRANS_INERROR);
}

const struct db_ops db_pg_ops = {
    .engine = DB_PG,
    .open = pg_open,
    .close = pg_close,
    .exec_script = pg_exec_script,
    .ddl = pg_ddl,
    .lock_schema = pg_lock_schema,
    .prepare = pg_prepare,
    .bind = pg_bind,
    .finalize = pg_finalize,
    .step = pg_step,
    .defer = pg_defer,
    .reset = pg_reset,
    .col_int64 = pg_col_int64,
    .col_text = pg_col_text,
    .col_bytes = pg_col_bytes,
    .insert_id = pg_insert_id,
    .changes = pg_changes,
    .total_changes = pg_total_changes,
    .data_version = pg_data_version,
};

/* ------------------------------------------------------------------ the listener */

#define OUTBOX_MAX 1024

static struct {
    pthread_t thread;
    atomic_int stopping;
    void (*fn)(const char *msg);
    struct store s; /* a connection of its own: LISTEN, and the broadcasts */
    atomic_int running;
    int wake[2]; /* a pipe: store_broadcast() wakes the listener */
    pthread_mutex_t mu;
    char *out[OUTBOX_MAX]; /* broadcasts not sent yet */
    int nout;
} L = {.wake = {-1, -1}, .mu = PTHREAD_MUTEX_INITIALIZER};

void store_broadcast(const char *msg)
{
    if (!atomic_load(&L.running))
        return;
    pthread_mutex_lock(&L.mu);
    int first = L.nout == 0;
    if (L.nout < OUTBOX_MAX)
        L.out[L.nout++] = xstrdup(msg);
    pthread_mutex_unlock(&L.mu);
    if (first && write(L.wake[1], "", 1) < 0)
        log_warn("store", "cannot wake the listener");
}

/* sends what store_broadcast() queued */
static void send_broadcasts(void)
{
    char drain[64];
    while (read(L.wake[0], drain, sizeof(drain)) > 0)
        ;
    pthread_mutex_lock(&L.mu);
    int n = L.nout;
    char *out[OUTBOX_MAX];
    memcpy(out, L.out, (size_t)n * sizeof(*out));
    L.nout = 0;
    pthread_mutex_unlock(&L.mu);
    for (int i = 0; i < n; i++) {
        const char *v[1] = {out[i]};
        PQclear(
            PQexecParams(CONN(&L.s), "SELECT pg_notify('lianjie', $1)", 1, NULL, v, NULL, NULL, 0));
        free(out[i]);
    }
}

static int listen_connect(void)
{
    if (connect_now(&L.s) != 0)
        return -1;
    if (pg_exec_script(&L.s, "LISTEN lianjie") != 0) {
        PQfinish(CONN(&L.s));
        L.s.conn = NULL;
        return -1;
    }
    return 0;
}

/* hands over every notification that arrived; -1 when the connection is gone */
static int listen_drain(void)
{
    if (!PQconsumeInput(CONN(&L.s)))
        return -1;
    PGnotify *n;
    while ((n = PQnotifies(CONN(&L.s))) != NULL) {
        L.fn(n->extra);
        PQfreemem(n);
    }
    return PQstatus(CONN(&L.s)) == CONNECTION_OK ? 0 : -1;
}

static void *listen_main(void *unused)
{
    int up = 1;
    while (!atomic_load(&L.stopping)) {
        if (!up) {
            usleep(200 * 1000);
            if (listen_connect() != 0)
                continue;
            up = 1;
            log_info("store", "listening for other nodes again");
            L.fn(NULL); /* what was sent meanwhile is lost */
        }
        struct pollfd p[2] = {{.fd = PQsocket(CONN(&L.s)), .events = POLLIN},
                              {.fd = L.wake[0], .events = POLLIN}};
        int n = poll(p, 2, 250);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || (p[0].revents && listen_drain() != 0)) {
            log_warn("store", "lost the connection that listens for other nodes");
            up = 0;
            continue;
        }
        if (p[1].revents)
            send_broadcasts();
    }
    return NULL;
}

int store_listen_start(const char *where, void (*fn)(const char *msg))
{
    if (!store_is_url(where))
        return 0;
    L.fn = fn;
    L.s.ops = &db_pg_ops;
    L.s.drv = xcalloc(1, sizeof(struct pg_conn));
    snprintf(L.s.where, sizeof(L.s.where), "%s", where);
    if (pipe2(L.wake, O_NONBLOCK | O_CLOEXEC) != 0 || listen_connect() != 0)
        return ERR_SYSTEM;
    L.running = 1;
    if (pthread_create(&L.thread, NULL, listen_main, NULL) != 0) {
        L.running = 0;
        return ERR_SYSTEM;
    }
    return 0;
}

void store_listen_stop(void)
{
    if (!L.running)
        return;
    atomic_store(&L.stopping, 1);
    L.running = 0;
    pthread_join(L.thread, NULL);
    pg_close(&L.s);
    L.s.conn = NULL;
    for (int i = 0; i < L.nout; i++)
        free(L.out[i]);
    L.nout = 0;
    close(L.wake[0]);
    close(L.wake[1]);
}
