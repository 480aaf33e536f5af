/*
 * store_mass: mass-send jobs (store_mass.h).
 */
#include "store_mass.h"
#include "db.h"
#include "../util/err.h"

#define MASS_COLS                                                                          \
    "msg_id, appid, msg_data_id, kind, tag_id, msgtype, clientmsgid, status, total, sent," \
    " errors, message_id, created_at, month"

static void fill_mass(struct dbst *st, void *out)
{
    struct mass_job *j = out;
    j->msg_id = db_int64(st, 0);
    db_col_text(st, 1, j->appid, sizeof(j->appid));
    j->msg_data_id = db_int64(st, 2);
    db_col_text(st, 3, j->kind, sizeof(j->kind));
    j->tag_id = db_int64(st, 4);
    db_col_text(st, 5, j->msgtype, sizeof(j->msgtype));
    db_col_text(st, 6, j->clientmsgid, sizeof(j->clientmsgid));
    db_col_text(st, 7, j->status, sizeof(j->status));
    j->total = db_int64(st, 8);
    j->sent = db_int64(st, 9);
    j->errors = db_int64(st, 10);
    j->message_id = db_int64(st, 11);
    j->created_at = db_int64(st, 12);
    j->month = db_int64(st, 13);
}

int store_mass_insert(struct store *s, struct mass_job *j)
{
    struct dbst *st = db_query(s,
                               "INSERT INTO mass_jobs(appid, msg_data_id, kind, tag_id, msgtype,"
                               " clientmsgid, status, total, sent, errors, message_id,"
                               " created_at, month) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                               " $10, $11, $12, $13) RETURNING msg_id",
                               "tititttiiiiii", j->appid, j->msg_data_id, j->kind, j->tag_id,
                               j->msgtype, j->clientmsgid, j->status, j->total, j->sent, j->errors,
                               j->message_id, j->created_at, j->month);
    if (!st || db_step(s, st) != 1)
        return ERR_SYSTEM;
    j->msg_id = db_int64(st, 0);
    db_done(st);
    return 0;
}

int store_mass_get(struct store *s, const char *appid, int64_t msg_id, struct mass_job *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT " MASS_COLS " FROM mass_jobs WHERE msg_id = $1 AND appid = $2", "it",
                 msg_id, appid),
        fill_mass, out);
}

int store_mass_by_client(struct store *s, const char *appid, const char *clientmsgid, int64_t since,
                         struct mass_job *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT " MASS_COLS " FROM mass_jobs WHERE appid = $1 AND"
                               " clientmsgid = $2 AND created_at >= $3 ORDER BY msg_id DESC"
                               " LIMIT 1",
                               "tti", appid, clientmsgid, since),
                      fill_mass, out);
}

int store_mass_set_status(struct store *s, int64_t msg_id, const char *status)
{
    return EXEC(s, "UPDATE mass_jobs SET status = $2 WHERE msg_id = $1", "it", msg_id, status);
}

int store_chat_delete(struct store *s, int64_t message_id)
{
    return EXEC(s, "DELETE FROM messages WHERE id = $1", "i", message_id);
}

static void fill_count(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_follower_count(struct store *s, const char *appid, int64_t *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT COUNT(*) FROM followers WHERE appid = $1 AND"
                               " subscribed = 1",
                               "t", appid),
                      fill_count, out);
}

int store_tag_member_count(struct store *s, const char *appid, int64_t tag_id, int64_t *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT COUNT(*) FROM follower_tags t JOIN followers f ON"
                               " f.appid = t.appid AND f.openid = t.openid WHERE t.appid = $1"
                               " AND t.tag_id = $2 AND f.subscribed = 1",
                               "ti", appid, tag_id),
                      fill_count, out);
}

/* ------------------------------------------------------------------ caps */

struct two {
    int64_t *a, *b;
};

static void fill_two(struct dbst *st, void *out)
{
    struct two *t = out;
    *t->a = db_int64(st, 0);
    *t->b = db_int64(st, 1);
}

int store_mass_month_jobs(struct store *s, const char *appid, int64_t month, int64_t *jobs,
                          int64_t *not_all)
{
    struct two t = {jobs, not_all};
    return db_one_row(s,
                      db_query(s,
                               "SELECT COUNT(*), COUNT(CASE WHEN kind <> 'all' THEN 1 END)"
                               " FROM mass_jobs WHERE appid = $1 AND month = $2",
                               "ti", appid, month),
                      fill_two, &t);
}

int store_mass_month_nth(struct store *s, const char *appid, int64_t month, int64_t n,
                         int64_t *message_id)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT message_id FROM mass_jobs WHERE appid = $1 AND month = $2"
                               " ORDER BY msg_id DESC LIMIT 1 OFFSET $3",
                               "tii", appid, month, n),
                      fill_count, message_id);
}

int store_mass_followers_before(struct store *s, const char *appid, int64_t tag_id, int64_t mark,
                                int64_t *out)
{
    struct dbst *st;
    if (tag_id < 0)
        st = db_query(s,
                      "SELECT COUNT(*) FROM followers WHERE appid = $1 AND subscribed = 1"
                      " AND follow_mark < $2",
                      "ti", appid, mark);
    else
        st = db_query(s,
                      "SELECT COUNT(*) FROM follower_tags g JOIN followers f ON"
                      " f.appid = g.appid AND f.openid = g.openid WHERE g.appid = $1"
                      " AND g.tag_id = $3 AND f.subscribed = 1 AND f.follow_mark < $2",
                      "tii", appid, mark, tag_id);
    return db_one_row(s, st, fill_count, out);
}

/* the capped jobs of month $2 reaching the follower f (as in store_chat_list) */
#define REACHING_F                                                                    \
    "(SELECT COUNT(*) FROM mass_jobs e WHERE e.appid = $1 AND e.month = $2"           \
    " AND e.message_id > f.follow_mark AND (e.kind = 'all'"                           \
    " OR (e.kind = 'tag' AND EXISTS(SELECT 1 FROM follower_tags t WHERE t.appid = $1" \
    "  AND t.openid = f.openid AND t.tag_id = e.tag_id))"                             \
    " OR (e.kind = 'list' AND EXISTS(SELECT 1 FROM mass_targets x"                    \
    "  WHERE x.message_id = e.message_id AND x.user_id = f.user_id))))"

int store_mass_capped_followers(struct store *s, const char *appid, int64_t month, int64_t tag_id,
                                int64_t cap, int64_t *out)
{
    struct dbst *st;
    if (tag_id < 0)
        st = db_query(s,
                      "SELECT COUNT(*) FROM followers f WHERE f.appid = $1 AND f.subscribed = 1"
                      " AND " REACHING_F " >= $3",
                      "tii", appid, month, cap);
    else
        st = db_query(s,
                      "SELECT COUNT(*) FROM follower_tags g JOIN followers f ON"
                      " f.appid = g.appid AND f.openid = g.openid WHERE g.appid = $1"
                      " AND g.tag_id = $4 AND f.subscribed = 1 AND " REACHING_F " >= $3",
                      "tiii", appid, month, cap, tag_id);
    return db_one_row(s, st, fill_count, out);
}

int store_mass_reaching(struct store *s, const char *appid, int64_t month, const char *openid,
                        int64_t user_id, int64_t follow_mark, int64_t *out)
{
    return db_one_row(
        s,
        db_query(s,
                 "SELECT COUNT(*) FROM mass_jobs e WHERE e.appid = $1 AND e.month = $2"
                 " AND e.message_id > $5 AND (e.kind = 'all'"
                 " OR (e.kind = 'tag' AND EXISTS(SELECT 1 FROM follower_tags t"
                 "  WHERE t.appid = $1 AND t.openid = $3 AND t.tag_id = e.tag_id))"
                 " OR (e.kind = 'list' AND EXISTS(SELECT 1 FROM mass_targets x"
                 "  WHERE x.message_id = e.message_id AND x.user_id = $4)))",
                 "titii", appid, month, openid, user_id, follow_mark),
        fill_count, out);
}

int store_mass_sends_since(struct store *s, const char *appid, int64_t since, int64_t *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT COUNT(*) FROM mass_jobs WHERE appid = $1 AND"
                               " kind IN ('all', 'tag', 'list') AND created_at >= $2",
                               "ti", appid, since),
                      fill_count, out);
}

int store_mass_speed_get(struct store *s, const char *appid, int64_t *speed)
{
    int rc = db_one_row(s, db_query(s, "SELECT speed FROM mass_speed WHERE appid = $1", "t", appid),
                        fill_count, speed);
    if (rc == ERR_NOT_FOUND) {
        *speed = 0;
        return 0;
    }
    return rc;
}

int store_mass_speed_set(struct store *s, const char *appid, int64_t speed)
{
    return EXEC(s,
                "INSERT INTO mass_speed(appid, speed) VALUES($1, $2)"
                " ON CONFLICT(appid) DO UPDATE SET speed = $2",
                "ti", appid, speed);
}
