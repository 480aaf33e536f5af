/*
 * store_users: follower and blacklist pages, tags and tag membership (store_users.h).
 */
#include "store_users.h"
#include "db.h"
#include "../util/err.h"

#include <string.h>

static void fill_i64(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

/* steps a query of one text column and hands each value to cb */
static int each_openid(struct store *s, struct dbst *st, store_openid_cb cb, void *arg)
{
    if (!st)
        return ERR_SYSTEM;
    int r;
    while ((r = db_step(s, st)) == 1) {
        const char *v = db_text(st, 0);
        cb(arg, v ? (const char *)v : "");
    }
    return r < 0 ? ERR_SYSTEM : 0;
}

/* ------------------------------------------------------------------ followers, blacklist */

/*
 * Counting a million followers takes tens of milliseconds, and every page of user/get
 * carries the total. The last count per thread is kept while the database is unchanged
 * (db_data_version(): on SQLite it moves with every commit of another connection and every
 * change of this one; PostgreSQL has no such number, so there every count is fresh).
 */
struct count_memo {
    struct store *s;
    const char *sql;
    int64_t version[2];
    char appid[19];
    int64_t value;
};
static _Thread_local struct count_memo memo;

/* runs a COUNT(*) query of one appid parameter, or answers the memo of an unchanged database */
static int memo_count(struct store *s, const char *sql, const char *appid, int64_t *out)
{
    int64_t version[2];
    int known = db_data_version(s, version) == 0;
    if (known && memo.s == s && memo.sql == sql && memo.version[0] == version[0] &&
        memo.version[1] == version[1] && strcmp(memo.appid, appid) == 0) {
        *out = memo.value;
        return 0;
    }
    int rc = db_one_row(s, db_query(s, sql, "t", appid), fill_i64, out);
    size_t n = strlen(appid);
    if (rc == 0 && known && n < sizeof(memo.appid)) {
        memo = (struct count_memo){s, sql, {version[0], version[1]}, "", *out};
        memcpy(memo.appid, appid, n + 1);
    }
    return rc;
}

static const char count_fans[] =
    "SELECT COUNT(*) FROM followers WHERE appid = $1 AND subscribed = 1";
static const char count_black[] =
    "SELECT COUNT(*) FROM followers WHERE appid = $1 AND blacklisted = 1";

int store_fan_count(struct store *s, const char *appid, int64_t *out)
{
    return memo_count(s, count_fans, appid, out);
}

int store_fan_page(struct store *s, const char *appid, const char *after, int limit,
                   store_openid_cb cb, void *arg)
{
    return each_openid(s,
                       db_query(s,
                                "SELECT openid FROM followers WHERE appid = $1 AND subscribed = 1"
                                " AND openid > $2 ORDER BY openid LIMIT $3",
                                "tti", appid, after, (int64_t)limit),
                       cb, arg);
}

int store_black_count(struct store *s, const char *appid, int64_t *out)
{
    return memo_count(s, count_black, appid, out);
}

int store_black_page(struct store *s, const char *appid, const char *after, int limit,
                     store_openid_cb cb, void *arg)
{
    return each_openid(s,
                       db_query(s,
                                "SELECT openid FROM followers WHERE appid = $1 AND blacklisted = 1"
                                " AND openid > $2 ORDER BY openid LIMIT $3",
                                "tti", appid, after, (int64_t)limit),
                       cb, arg);
}

int store_fan_note(struct store *s, const char *appid, const char *openid, int64_t user_id)
{
    return EXEC(s,
                "INSERT INTO followers(appid, openid, user_id, subscribed, subscribe_time,"
                " unsubscribe_time, subscribe_scene, qr_scene, qr_scene_str, remark, blacklisted,"
                " blacklisted_at, cs_at, cs_ttl, cs_quota, cs_used, typing_until, follow_mark)"
                " VALUES($1, $2, $3, 0, 0, 0, '', 0, '', '', 0, 0, 0, 0, 0, 0, 0, 0)"
                " ON CONFLICT DO NOTHING",
                "tti", appid, openid, user_id);
}

/* ------------------------------------------------------------------ tags */

static void fill_utag(struct dbst *st, void *out)
{
    struct utag *t = out;
    t->id = db_int64(st, 0);
    db_col_text(st, 1, t->name, sizeof(t->name));
    t->count = db_int64(st, 2);
}

int store_utag_list(struct store *s, const char *appid, store_utag_cb cb, void *arg)
{
    return DB_ROWS(s,
                   db_query(s,
                            "SELECT t.id, t.name, (SELECT COUNT(*) FROM follower_tags f"
                            " WHERE f.appid = t.appid AND f.tag_id = t.id)"
                            " FROM tags t WHERE t.appid = $1 ORDER BY t.id",
                            "t", appid),
                   struct utag, fill_utag, cb, arg);
}

int store_utag_get(struct store *s, const char *appid, int64_t id, struct utag *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT id, name, 0 FROM tags WHERE appid = $1 AND id = $2", "ti", appid, id),
        fill_utag, out);
}

int store_utag_count(struct store *s, const char *appid, int64_t *out)
{
    return db_one_row(s, db_query(s, "SELECT COUNT(*) FROM tags WHERE appid = $1", "t", appid),
                      fill_i64, out);
}

int store_utag_max_id(struct store *s, const char *appid, int64_t *out)
{
    return db_one_row(
        s, db_query(s, "SELECT COALESCE(MAX(id), 0) FROM tags WHERE appid = $1", "t", appid),
        fill_i64, out);
}

int store_utag_insert(struct store *s, const char *appid, int64_t id, const char *name, int64_t now)
{
    return EXEC(s, "INSERT INTO tags(appid, id, name, created_at) VALUES($1, $2, $3, $4)", "titi",
                appid, id, name, now);
}

int store_utag_rename(struct store *s, const char *appid, int64_t id, const char *name)
{
    return EXEC(s, "UPDATE tags SET name = $3 WHERE appid = $1 AND id = $2", "tit", appid, id,
                name);
}

int store_utag_delete(struct store *s, const char *appid, int64_t id)
{
    int rc = EXEC(s, "DELETE FROM follower_tags WHERE appid = $1 AND tag_id = $2", "ti", appid, id);
    if (rc == 0)
        rc = EXEC(s, "DELETE FROM tags WHERE appid = $1 AND id = $2", "ti", appid, id);
    return rc;
}

int store_utag_members(struct store *s, const char *appid, int64_t tag_id, int64_t cap,
                       int64_t *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT COUNT(*) FROM (SELECT 1 FROM follower_tags"
                               " WHERE appid = $1 AND tag_id = $2 LIMIT $3) AS capped",
                               "tii", appid, tag_id, cap),
                      fill_i64, out);
}

int store_utag_member_page(struct store *s, const char *appid, int64_t tag_id, const char *after,
                           int limit, store_openid_cb cb, void *arg)
{
    return each_openid(s,
                       db_query(s,
                                "SELECT openid FROM follower_tags WHERE appid = $1 AND tag_id = $2"
                                " AND openid > $3 ORDER BY openid LIMIT $4",
                                "titi", appid, tag_id, after, (int64_t)limit),
                       cb, arg);
}

/* ------------------------------------------------------------------ tag membership */

int store_fan_tag_ids(struct store *s, const char *appid, const char *openid, int64_t *ids, int cap,
                      int *n)
{
    struct dbst *st = db_query(s,
                               "SELECT tag_id FROM follower_tags WHERE appid = $1 AND openid = $2"
                               " ORDER BY tag_id DESC",
                               "tt", appid, openid);
    *n = 0;
    if (!st)
        return ERR_SYSTEM;
    int r;
    while ((r = db_step(s, st)) == 1)
        if (*n < cap)
            ids[(*n)++] = db_int64(st, 0);
    return r < 0 ? ERR_SYSTEM : 0;
}

int store_fan_tag_count(struct store *s, const char *appid, const char *openid, int64_t *out)
{
    return db_one_row(
        s,
        db_query(s, "SELECT COUNT(*) FROM follower_tags WHERE appid = $1 AND openid = $2", "tt",
                 appid, openid),
        fill_i64, out);
}

int store_fan_tag_add(struct store *s, const char *appid, const char *openid, int64_t tag_id,
                      int64_t now)
{
    return EXEC(s,
                "INSERT INTO follower_tags(appid, openid, tag_id, tagged_at) VALUES($1, $2, $3, $4)"
                " ON CONFLICT DO NOTHING",
                "ttii", appid, openid, tag_id, now);
}

int store_fan_tag_remove(struct store *s, const char *appid, const char *openid, int64_t tag_id)
{
    return EXEC(s, "DELETE FROM follower_tags WHERE appid = $1 AND openid = $2 AND tag_id = $3",
                "tti", appid, openid, tag_id);
}

int store_fan_tag_has(struct store *s, const char *appid, const char *openid, int64_t tag_id,
                      int *out)
{
    int64_t n = 0;
    int rc = db_one_row(s,
                        db_query(s,
                                 "SELECT COUNT(*) FROM follower_tags"
                                 " WHERE appid = $1 AND openid = $2 AND tag_id = $3",
                                 "tti", appid, openid, tag_id),
                        fill_i64, &n);
    *out = n > 0;
    return rc;
}
