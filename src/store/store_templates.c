/*
 * store_templates: the SQL of store_templates.h. Templates are listed
 * by the index templates_account(appid, id), so in the order they were added.
 */
#include "store_templates.h"
#include "db.h"
#include "../util/err.h"

#include <string.h>

/* ------------------------------------------------------------------ industries */

static void fill_industry(struct dbst *st, void *out)
{
    struct industry_row *r = out;
    db_col_text(st, 0, r->appid, sizeof(r->appid));
    r->id1 = db_int64(st, 1);
    r->id2 = db_int64(st, 2);
    r->set_at = db_int64(st, 3);
}

int store_industry_get(struct store *s, const char *appid, struct industry_row *out)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT appid, industry_id1, industry_id2, set_at"
                               " FROM template_industries WHERE appid = $1",
                               "t", appid),
                      fill_industry, out);
}

int store_industry_put(struct store *s, const struct industry_row *r)
{
    return EXEC(s,
                "INSERT INTO template_industries(appid, industry_id1, industry_id2, set_at)"
                " VALUES($1, $2, $3, $4) ON CONFLICT(appid) DO UPDATE SET"
                " industry_id1 = excluded.industry_id1, industry_id2 = excluded.industry_id2,"
                " set_at = excluded.set_at",
                "tiii", r->appid, r->id1, r->id2, r->set_at);
}

/* ------------------------------------------------------------------ templates */

#define TPL_COLS \
    "template_id, appid, short_id, keywords, industry_id, title, content, example, created_at"

static const char *col_str(struct dbst *st, int i)
{
    const char *v = db_text(st, i);
    return v ? (const char *)v : "";
}

static void fill_template(struct dbst *st, struct template_row *t)
{
    db_col_text(st, 0, t->template_id, sizeof(t->template_id));
    db_col_text(st, 1, t->appid, sizeof(t->appid));
    db_col_text(st, 2, t->short_id, sizeof(t->short_id));
    t->keywords = col_str(st, 3);
    t->industry_id = db_int64(st, 4);
    db_col_text(st, 5, t->title, sizeof(t->title));
    t->content = col_str(st, 6);
    t->example = col_str(st, 7);
    t->created_at = db_int64(st, 8);
}

struct each_template_ctx {
    store_template_cb cb;
    void *arg;
};

static void each_template_row(struct dbst *st, void *ctx)
{
    struct each_template_ctx *c = ctx;
    struct template_row v;
    fill_template(st, &v);
    if (c->cb)
        c->cb(c->arg, &v);
}

/* steps st to its end, handing each row to cb; `one`: ERR_NOT_FOUND when there is no row */
static int each_template(struct store *s, struct dbst *st, int one, store_template_cb cb, void *arg)
{
    struct each_template_ctx c = {cb, arg};
    return db_each(s, st, one, each_template_row, &c);
}

int store_template_insert(struct store *s, const struct template_row *t)
{
    return EXEC(s, "INSERT INTO templates(" TPL_COLS ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                "ttttittti", t->template_id, t->appid, t->short_id, t->keywords, t->industry_id,
                t->title, t->content, t->example, t->created_at);
}

int store_template_get(struct store *s, const char *appid, const char *template_id,
                       store_template_cb cb, void *arg)
{
    return each_template(s,
                         db_query(s,
                                  "SELECT " TPL_COLS " FROM templates"
                                  " WHERE template_id = $2 AND appid = $1",
                                  "tt", appid, template_id),
                         1, cb, arg);
}

int store_template_find(struct store *s, const char *appid, const char *short_id,
                        const char *keywords, store_template_cb cb, void *arg)
{
    return each_template(s,
                         db_query(s,
                                  "SELECT " TPL_COLS " FROM templates WHERE appid = $1"
                                  " AND short_id = $2 AND keywords = $3 ORDER BY id LIMIT 1",
                                  "ttt", appid, short_id, keywords),
                         1, cb, arg);
}

int store_template_list(struct store *s, const char *appid, store_template_cb cb, void *arg)
{
    return each_template(
        s,
        db_query(s, "SELECT " TPL_COLS " FROM templates WHERE appid = $1 ORDER BY id", "t", appid),
        0, cb, arg);
}

static void fill_i64(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_template_count(struct store *s, const char *appid, int64_t *out)
{
    *out = 0;
    return db_one_row(s, db_query(s, "SELECT COUNT(*) FROM templates WHERE appid = $1", "t", appid),
                      fill_i64, out);
}

int store_template_delete(struct store *s, const char *appid, const char *template_id)
{
    int rc = EXEC(s, "DELETE FROM templates WHERE template_id = $2 AND appid = $1", "tt", appid,
                  template_id);
    if (rc == 0 && db_changes(s) == 0)
        return ERR_NOT_FOUND;
    return rc;
}

int store_template_delete_other_industries(struct store *s, const char *appid, int64_t keep1,
                                           int64_t keep2)
{
    return EXEC(s,
                "DELETE FROM templates WHERE appid = $1 AND industry_id > 0"
                " AND industry_id <> $2 AND industry_id <> $3",
                "tii", appid, keep1, keep2);
}

/* ------------------------------------------------------------------ client_msg_id */

int store_template_sent(struct store *s, const char *appid, const char *openid,
                        const char *client_msg_id, int64_t since, int64_t *msgid)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT msgid FROM template_sends WHERE appid = $1"
                               " AND openid = $2 AND client_msg_id = $3 AND created_at >= $4",
                               "ttti", appid, openid, client_msg_id, since),
                      fill_i64, msgid);
}

int store_template_sent_put(struct store *s, const char *appid, const char *openid,
                            const char *client_msg_id, int64_t msgid, int64_t now,
                            int64_t forget_before)
{
    int rc = EXEC(s, "DELETE FROM template_sends WHERE appid = $1 AND created_at < $2", "ti", appid,
                  forget_before);
    if (rc != 0)
        return rc;
    return EXEC(s,
                "INSERT INTO template_sends(appid, openid, client_msg_id, msgid, created_at)"
                " VALUES($1, $2, $3, $4, $5) ON CONFLICT(appid, openid, client_msg_id)"
                " DO UPDATE SET msgid = excluded.msgid, created_at = excluded.created_at",
                "tttii", appid, openid, client_msg_id, msgid, now);
}
