/*
 * store_chat: followers, chat messages and the push outbox (store_chat.h).
 */
#include "store_chat.h"
#include "store_mass.h"
#include "db.h"
#include "../util/err.h"
#include "../util/xalloc.h"

#include <string.h>

/* ------------------------------------------------------------------ followers */

#define FOLLOWER_COLS                                                                         \
    "appid, openid, user_id, subscribed, subscribe_time, unsubscribe_time, subscribe_scene, " \
    "qr_scene, qr_scene_str, remark, blacklisted, blacklisted_at, cs_at, cs_ttl, cs_quota, "  \
    "cs_used, typing_until, follow_mark"

static void fill_follower(struct dbst *st, void *out)
{
    struct follower *f = out;
    db_col_text(st, 0, f->appid, sizeof(f->appid));
    db_col_text(st, 1, f->openid, sizeof(f->openid));
    f->user_id = db_int64(st, 2);
    f->subscribed = db_int(st, 3);
    f->subscribe_time = db_int64(st, 4);
    f->unsubscribe_time = db_int64(st, 5);
    db_col_text(st, 6, f->subscribe_scene, sizeof(f->subscribe_scene));
    f->qr_scene = db_int64(st, 7);
    db_col_text(st, 8, f->qr_scene_str, sizeof(f->qr_scene_str));
    db_col_text(st, 9, f->remark, sizeof(f->remark));
    f->blacklisted = db_int(st, 10);
    f->blacklisted_at = db_int64(st, 11);
    f->cs_at = db_int64(st, 12);
    f->cs_ttl = db_int64(st, 13);
    f->cs_quota = db_int64(st, 14);
    f->cs_used = db_int64(st, 15);
    f->typing_until = db_int64(st, 16);
    f->follow_mark = db_int64(st, 17);
}

int store_follower_get(struct store *s, const char *appid, const char *openid, struct follower *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT " FOLLOWER_COLS " FROM followers WHERE appid = $1 AND openid = $2",
                 "tt", appid, openid),
        fill_follower, out);
}

int store_follower_by_user(struct store *s, const char *appid, int64_t user_id,
                           struct follower *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT " FOLLOWER_COLS " FROM followers WHERE user_id = $1 AND appid = $2",
                 "it", user_id, appid),
        fill_follower, out);
}

int store_follower_put(struct store *s, const struct follower *f)
{
    return EXEC(s,
                "INSERT INTO followers(" FOLLOWER_COLS
                ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
                " $16, $17, $18) ON CONFLICT(appid, openid) DO UPDATE SET"
                " subscribed = $4, subscribe_time = $5, unsubscribe_time = $6,"
                " subscribe_scene = $7, qr_scene = $8, qr_scene_str = $9, remark = $10,"
                " blacklisted = $11, blacklisted_at = $12, cs_at = $13, cs_ttl = $14,"
                " cs_quota = $15, cs_used = $16, typing_until = $17, follow_mark = $18",
                "ttiiiitittiiiiiiii", f->appid, f->openid, f->user_id, (int64_t)f->subscribed,
                f->subscribe_time, f->unsubscribe_time, f->subscribe_scene, f->qr_scene,
                f->qr_scene_str, f->remark, (int64_t)f->blacklisted, f->blacklisted_at, f->cs_at,
                f->cs_ttl, f->cs_quota, f->cs_used, f->typing_until, f->follow_mark);
}

int store_follower_list_user(struct store *s, int64_t user_id, store_follower_cb cb, void *arg)
{
    return DB_ROWS(s,
                   db_query(s,
                            "SELECT " FOLLOWER_COLS
                            " FROM followers WHERE user_id = $1 AND subscribed = 1"
                            " ORDER BY subscribe_time DESC",
                            "i", user_id),
                   struct follower, fill_follower, cb, arg);
}

/* ------------------------------------------------------------------ chat messages */

int store_chat_insert(struct store *s, struct chat_msg *m)
{
    struct dbst *st =
        db_query(s,
                 "INSERT INTO messages(appid, user_id, dir, source, msgtype,"
                 " body, msgid, audience, created_at)"
                 " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                 "tiitttiii", m->appid, m->user_id, (int64_t)m->dir, m->source, m->msgtype,
                 m->body ? m->body : "{}", m->msgid, m->audience, m->created_at);
    return st ? db_insert_id(s, st, &m->id) : ERR_SYSTEM;
}

int store_mass_target_insert(struct store *s, int64_t message_id, int64_t user_id)
{
    return EXEC(s,
                "INSERT INTO mass_targets(message_id, user_id) VALUES($1, $2)"
                " ON CONFLICT DO NOTHING",
                "ii", message_id, user_id);
}

static void fill_max(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_chat_max_id(struct store *s, int64_t *out)
{
    return db_one_row(s, db_query(s, "SELECT COALESCE(MAX(id), 0) FROM messages", ""), fill_max,
                      out);
}

static void fill_chat(struct dbst *st, struct chat_msg *m)
{
    m->id = db_int64(st, 0);
    db_col_text(st, 1, m->appid, sizeof(m->appid));
    m->user_id = db_int64(st, 2);
    m->dir = db_int(st, 3);
    db_col_text(st, 4, m->source, sizeof(m->source));
    db_col_text(st, 5, m->msgtype, sizeof(m->msgtype));
    m->body = (char *)db_text(st, 6);
    m->msgid = db_int64(st, 7);
    m->audience = db_int64(st, 8);
    m->created_at = db_int64(st, 9);
}

/*
 * The messages of one user's chat with appid, as a subquery named chat: $1 appid, $2 user_id,
 * $3 openid, $4 since (broadcasts before it are not the user's: followed later), $5 after.
 * Broadcasts reach the user by audience; a capped send is not shown past the 4th of its month
 * that reached the user.
 */
#define CHAT_SQL                                                                            \
    "(SELECT id, appid, user_id, dir, source, msgtype, body, msgid, audience,"              \
    " created_at FROM messages WHERE appid = $1 AND user_id = $2 AND id > $5"               \
    " UNION ALL SELECT id, appid, user_id, dir, source, msgtype, body, msgid, audience,"    \
    " created_at FROM messages m WHERE appid = $1 AND user_id = 0 AND id > $5"              \
    " AND id > $4 AND (audience = -1"                                                       \
    " OR (audience > 0 AND EXISTS(SELECT 1 FROM follower_tags t WHERE t.appid = $1"         \
    " AND t.openid = $3 AND t.tag_id = m.audience))"                                        \
    " OR (audience = -2 AND EXISTS(SELECT 1 FROM mass_targets x"                            \
    " WHERE x.message_id = m.id AND x.user_id = $2)))"                                      \
    " AND NOT EXISTS(SELECT 1 FROM mass_jobs j WHERE j.message_id = m.id AND j.month > 0"   \
    " AND (SELECT COUNT(*) FROM mass_jobs e WHERE e.appid = $1 AND e.month = j.month"       \
    " AND e.msg_id < j.msg_id AND e.message_id > $4 AND (e.kind = 'all'"                    \
    " OR (e.kind = 'tag' AND EXISTS(SELECT 1 FROM follower_tags t WHERE t.appid = $1"       \
    " AND t.openid = $3 AND t.tag_id = e.tag_id))"                                          \
    " OR (e.kind = 'list' AND EXISTS(SELECT 1 FROM mass_targets x"                          \
    " WHERE x.message_id = e.message_id AND x.user_id = $2)))) >= " MASS_MONTH_CAP_SQL "))" \
    " AS chat"

int store_chat_list(struct store *s, const char *appid, int64_t user_id, const char *openid,
                    int64_t since, int64_t after, int limit, store_chat_cb cb, void *arg)
{
    return DB_ROWS(s,
                   db_query(s, "SELECT * FROM " CHAT_SQL " ORDER BY id LIMIT $6", "titiii", appid,
                            user_id, openid, since, after, (int64_t)limit),
                   struct chat_msg, fill_chat, cb, arg);
}

int store_chat_last(struct store *s, const char *appid, int64_t user_id, const char *openid,
                    int64_t since, store_chat_cb cb, void *arg)
{
    return DB_ROWS(s,
                   db_query(s, "SELECT * FROM " CHAT_SQL " ORDER BY id DESC LIMIT 1", "titii",
                            appid, user_id, openid, since, (int64_t)0),
                   struct chat_msg, fill_chat, cb, arg);
}

int store_chat_unread(struct store *s, const char *appid, int64_t user_id, const char *openid,
                      int64_t since, int64_t read, int64_t *out)
{
    *out = 0;
    int rc = db_one_row(s,
                        db_query(s, "SELECT COUNT(*) FROM " CHAT_SQL " WHERE dir = 1", "titii",
                                 appid, user_id, openid, since, read),
                        fill_max, out);
    return rc == ERR_NOT_FOUND ? 0 : rc;
}

static void fill_read(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_chat_read_get(struct store *s, int64_t user_id, const char *appid, int64_t *out)
{
    *out = 0;
    int rc =
        db_one_row(s,
                   db_query(s, "SELECT last_read FROM chat_reads WHERE user_id = $1 AND appid = $2",
                            "it", user_id, appid),
                   fill_read, out);
    return rc == ERR_NOT_FOUND ? 0 : rc;
}

int store_chat_read_put(struct store *s, int64_t user_id, const char *appid, int64_t id)
{
    return EXEC(s,
                "INSERT INTO chat_reads(user_id, appid, last_read) VALUES($1, $2, $3)"
                " ON CONFLICT(user_id, appid) DO UPDATE SET last_read = $3"
                " WHERE chat_reads.last_read < $3",
                "iti", user_id, appid, id);
}

/* ------------------------------------------------------------------ push outbox */

#define PUSH_COLS                                                                         \
    "id, appid, target, user_id, openid, kind, xml, reply_ok, state, attempts, next_at, " \
    "outcome, created_at, created_ns, via"

int store_push_insert(struct store *s, struct push_rec *p)
{
    struct dbst *st = db_query(s,
                               "INSERT INTO pushes(appid, target, user_id, openid, kind, xml,"
                               " reply_ok, state, attempts, next_at, lease_until, outcome,"
                               " created_at, created_ns, done_at, via) VALUES($1, $2, $3, $4,"
                               " $5, $6, $7, $8, 0, $9, 0, $10, $11, $12, 0, $13)",
                               "ttitttiiitiit", p->appid, p->target, p->user_id, p->openid, p->kind,
                               p->xml, (int64_t)p->reply_ok, (int64_t)p->state, p->next_at,
                               p->outcome, p->created_at, p->created_ns, p->via);
    return st ? db_insert_id(s, st, &p->id) : ERR_SYSTEM;
}

static void fill_push(struct dbst *st, struct push_rec *p)
{
    p->id = db_int64(st, 0);
    db_col_text(st, 1, p->appid, sizeof(p->appid));
    db_col_text(st, 2, p->target, sizeof(p->target));
    p->user_id = db_int64(st, 3);
    db_col_text(st, 4, p->openid, sizeof(p->openid));
    db_col_text(st, 5, p->kind, sizeof(p->kind));
    p->xml = (char *)db_text(st, 6);
    p->reply_ok = db_int(st, 7);
    p->state = db_int(st, 8);
    p->attempts = db_int(st, 9);
    p->next_at = db_int64(st, 10);
    db_col_text(st, 11, p->outcome, sizeof(p->outcome));
    p->created_at = db_int64(st, 12);
    p->created_ns = db_int64(st, 13);
    db_col_text(st, 14, p->via, sizeof(p->via));
}

static int each_push(struct store *s, struct dbst *st, store_push_cb cb, void *arg)
{
    if (!st)
        return ERR_SYSTEM;
    int r;
    while ((r = db_step(s, st)) == 1) {
        struct push_rec p;
        fill_push(st, &p);
        cb(arg, &p);
    }
    return r < 0 ? ERR_SYSTEM : 0;
}

int store_push_pending(struct store *s, int64_t after, int limit, store_push_cb cb, void *arg)
{
    return each_push(s,
                     db_query(s,
                              "SELECT " PUSH_COLS " FROM pushes WHERE state = 0 AND id > $1"
                              " ORDER BY id LIMIT $2",
                              "ii", after, (int64_t)limit),
                     cb, arg);
}

int store_push_claim(struct store *s, int64_t after, int limit, int64_t now, int64_t until,
                     store_push_cb cb, void *arg)
{
    return each_push(
        s,
        db_query(s,
                 "UPDATE pushes SET lease_until = $4 WHERE id IN (SELECT id FROM pushes"
                 " WHERE state = 0 AND id > $1 AND lease_until < $3 ORDER BY id"
                 " LIMIT $2) RETURNING " PUSH_COLS,
                 "iiii", after, (int64_t)limit, now, until),
        cb, arg);
}

int store_push_lease(struct store *s, int64_t id, int64_t until)
{
    return EXEC(s, "UPDATE pushes SET lease_until = $2 WHERE id = $1 AND state = 0", "ii", id,
                until);
}

int store_push_release(struct store *s, int64_t id)
{
    return EXEC(s,
                "UPDATE pushes SET lease_until = 0 WHERE state = 0 AND lease_until > 0"
                " AND (id = $1 OR $1 = 0)",
                "i", id);
}

int store_push_update(struct store *s, int64_t id, int state, int attempts, int64_t next_at,
                      const char *outcome, int64_t done_at)
{
    return EXEC(s,
                "UPDATE pushes SET state = $2, attempts = $3, next_at = $4, outcome = $5,"
                " done_at = $6 WHERE id = $1",
                "iiiiti", id, (int64_t)state, (int64_t)attempts, next_at, outcome, done_at);
}

struct push_copy {
    struct push_rec *out;
    int found;
};

static void copy_push(void *arg, const struct push_rec *p)
{
    struct push_copy *c = arg;
    *c->out = *p;
    c->out->xml = xstrdup(p->xml ? p->xml : "");
    c->found = 1;
}

int store_push_get(struct store *s, int64_t id, struct push_rec *out)
{
    struct push_copy c = {out, 0};
    int rc = each_push(s, db_query(s, "SELECT " PUSH_COLS " FROM pushes WHERE id = $1", "i", id),
                       copy_push, &c);
    if (rc != 0)
        return rc;
    return c.found ? 0 : ERR_NOT_FOUND;
}

int store_push_list(struct store *s, const char *appid, int64_t before, int limit, store_push_cb cb,
                    void *arg)
{
    return each_push(s,
                     db_query(s,
                              "SELECT " PUSH_COLS " FROM pushes WHERE appid = $1 AND id < $2"
                              " ORDER BY id DESC LIMIT $3",
                              "tii", appid, before > 0 ? before : INT64_MAX, (int64_t)limit),
                     cb, arg);
}

int store_attempt_insert(struct store *s, const struct push_attempt *a)
{
    return EXEC(s,
                "INSERT INTO push_attempts(push_id, appid, attempt, started_at, duration_ms,"
                " url, request, http_status, response, outcome, detail)"
                " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                "itiiittittt", a->push_id, a->appid, (int64_t)a->attempt, a->started_at,
                a->duration_ms, a->url, a->request, (int64_t)a->http_status, a->response,
                a->outcome, a->detail);
}

int store_attempt_list(struct store *s, int64_t push_id, store_attempt_cb cb, void *arg)
{
    struct dbst *st = db_query(s,
                               "SELECT id, push_id, appid, attempt, started_at, duration_ms,"
                               " url, request, http_status, response, outcome, detail"
                               " FROM push_attempts WHERE push_id = $1 ORDER BY id",
                               "i", push_id);
    if (!st)
        return ERR_SYSTEM;
    int r;
    while ((r = db_step(s, st)) == 1) {
        struct push_attempt a;
        char appid[19];
        db_col_text(st, 2, appid, sizeof(appid));
        a.push_id = db_int64(st, 1);
        memcpy(a.appid, appid, sizeof(appid));
        a.attempt = db_int(st, 3);
        a.started_at = db_int64(st, 4);
        a.duration_ms = db_int64(st, 5);
        a.url = db_text(st, 6);
        a.request = db_text(st, 7);
        a.http_status = db_int(st, 8);
        a.response = db_text(st, 9);
        a.outcome = db_text(st, 10);
        a.detail = db_text(st, 11);
        cb(arg, &a, db_int64(st, 0));
    }
    return r < 0 ? ERR_SYSTEM : 0;
}

/* ------------------------------------------------------------------ bulk follows */

int store_follower_subscribe(struct store *s, const struct follower *f, int *written)
{
    *written = 0;
    int rc = EXEC(s,
                  "INSERT INTO followers(" FOLLOWER_COLS
                  ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
                  " $16, $17, $18) ON CONFLICT(appid, openid) DO UPDATE SET subscribed = 1,"
                  " subscribe_time = $5, subscribe_scene = $7, qr_scene = $8,"
                  " qr_scene_str = $9, follow_mark = $18 WHERE followers.subscribed = 0",
                  "ttiiiitittiiiiiiii", f->appid, f->openid, f->user_id, (int64_t)1,
                  f->subscribe_time, f->unsubscribe_time, f->subscribe_scene, f->qr_scene,
                  f->qr_scene_str, f->remark, (int64_t)f->blacklisted, f->blacklisted_at, f->cs_at,
                  f->cs_ttl, f->cs_quota, f->cs_used, f->typing_until, f->follow_mark);
    if (rc == 0)
        *written = db_changes(s) > 0;
    return rc;
}

/* ------------------------------------------------------------------ push log retention */

struct id_at {
    int64_t id, created_at;
};

static void fill_id_at(struct dbst *st, void *arg)
{
    struct id_at *x = arg;
    x->id = db_int64(st, 0);
    x->created_at = db_int64(st, 1);
}

/* the first push at or after id; 1, 0 when there is none, or -1 */
static int push_at(struct store *s, int64_t id, struct id_at *out)
{
    out->id = 0;
    int rc = db_one_row(s,
                        db_query(s,
                                 "SELECT id, created_at FROM pushes WHERE id >= $1"
                                 " ORDER BY id LIMIT 1",
                                 "i", id),
                        fill_id_at, out);
    return rc == 0 ? out->id != 0 : rc == ERR_NOT_FOUND ? 0 : -1;
}

/* the id of the first push created at or after `before` in [lo, hi): ids grow with time, so
 * a binary search over the rowid finds it without an index on created_at */
static int64_t first_since(struct store *s, int64_t lo, int64_t hi, int64_t before)
{
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        struct id_at x;
        int r = push_at(s, mid, &x);
        if (r < 0)
            return lo;
        if (r == 0 || x.created_at >= before)
            hi = mid;
        else
            lo = x.id + 1;
    }
    return lo;
}

int store_push_prune(struct store *s, int64_t before, int limit, int *removed)
{
    struct id_at first = {0}, last;
    *removed = 0;
    /* the oldest push done with (pending ones stay until delivered) */
    int rc = db_one_row(s,
                        db_query(s,
                                 "SELECT id, created_at FROM pushes WHERE state <> 0"
                                 " ORDER BY id LIMIT 1",
                                 ""),
                        fill_id_at, &first);
    if (rc != 0 || first.created_at >= before)
        return rc == ERR_NOT_FOUND ? 0 : rc;
    if (db_one_row(s, db_query(s, "SELECT id, created_at FROM pushes ORDER BY id DESC LIMIT 1", ""),
                   fill_id_at, &last) != 0)
        return ERR_SYSTEM;
    int64_t end = first_since(s, first.id, last.id + 1, before);
    if (end > first.id + limit)
        end = first.id + limit;
    rc = EXEC(s,
              "DELETE FROM push_attempts WHERE push_id >= $1 AND push_id < $2 AND push_id"
              " NOT IN (SELECT id FROM pushes WHERE state = 0 AND id >= $1 AND id < $2)",
              "ii", first.id, end);
    if (rc == 0)
        rc = EXEC(s, "DELETE FROM pushes WHERE id >= $1 AND id < $2 AND state <> 0", "ii", first.id,
                  end);
    if (rc == 0)
        *removed = db_changes(s);
    return rc;
}
