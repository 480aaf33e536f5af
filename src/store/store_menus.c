/*
 * store_menus: the SQL of store_menus.h. An account's default menu is its row of
 * menu_defaults; its conditional menus are rows of menus, found by the index
 * menus_account(appid, conditional, menuid), read backwards for newest first.
 */
#include "store_menus.h"
#include "db.h"
#include "../util/err.h"

#include <string.h>

#define MENU_COLS "menuid, appid, conditional, tag_id, platform, buttons, domains, created_at"
/* the same columns from menu_defaults, which has no match rule */
#define DEFAULT_COLS "menuid, appid, 0, -1, 0, buttons, domains, created_at"

static const char *col_str(struct dbst *st, int i)
{
    const char *v = db_text(st, i);
    return v ? (const char *)v : "";
}

static void fill_menu(struct dbst *st, struct menu_row *m)
{
    m->menuid = db_int64(st, 0);
    db_col_text(st, 1, m->appid, sizeof(m->appid));
    m->conditional = db_int(st, 2);
    m->tag_id = db_int64(st, 3);
    m->platform = db_int(st, 4);
    m->buttons = col_str(st, 5);
    m->domains = col_str(st, 6);
    m->created_at = db_int64(st, 7);
}

struct each_menu_ctx {
    store_menu_cb cb;
    void *arg;
};

static void each_menu_row(struct dbst *st, void *ctx)
{
    struct each_menu_ctx *c = ctx;
    struct menu_row v;
    fill_menu(st, &v);
    if (c->cb)
        c->cb(c->arg, &v);
}

/* steps st to its end, handing each row to cb; `one`: ERR_NOT_FOUND when there is no row */
static int each_menu(struct store *s, struct dbst *st, int one, store_menu_cb cb, void *arg)
{
    struct each_menu_ctx c = {cb, arg};
    return db_each(s, st, one, each_menu_row, &c);
}

int store_menu_insert(struct store *s, const struct menu_row *m)
{
    if (!m->conditional) /* an upsert: nothing but a system error can make it fail */
        return EXEC_DEFERRED(
            s,
            "INSERT INTO menu_defaults(menuid, appid, buttons, domains, created_at)"
            " VALUES($1, $2, $3, $4, $5) ON CONFLICT(appid) DO UPDATE SET"
            " menuid = excluded.menuid, buttons = excluded.buttons,"
            " domains = excluded.domains, created_at = excluded.created_at",
            "ittti", m->menuid, m->appid, m->buttons, m->domains, m->created_at);
    return EXEC(s, "INSERT INTO menus(" MENU_COLS ") VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
                "itiiitti", m->menuid, m->appid, (int64_t)m->conditional, m->tag_id,
                (int64_t)m->platform, m->buttons, m->domains, m->created_at);
}

int store_menu_default(struct store *s, const char *appid, store_menu_cb cb, void *arg)
{
    return each_menu(
        s, db_query(s, "SELECT " DEFAULT_COLS " FROM menu_defaults WHERE appid = $1", "t", appid),
        1, cb, arg);
}

int store_menu_conditionals(struct store *s, const char *appid, store_menu_cb cb, void *arg)
{
    return each_menu(s,
                     db_query(s,
                              "SELECT " MENU_COLS " FROM menus WHERE appid = $1"
                              " AND conditional = 1 ORDER BY menuid DESC",
                              "t", appid),
                     0, cb, arg);
}

int store_menu_match(struct store *s, const char *appid, int64_t tag_id, int platform,
                     store_menu_cb cb, void *arg)
{
    return each_menu(s,
                     db_query(s,
                              "SELECT " MENU_COLS " FROM menus WHERE appid = $1"
                              " AND conditional = 1 AND (tag_id = -1 OR tag_id = $2)"
                              " AND (platform = 0 OR $3 = 0 OR platform = $3)"
                              " ORDER BY menuid DESC LIMIT 1",
                              "tii", appid, tag_id, (int64_t)platform),
                     1, cb, arg);
}

int store_menu_delete_all(struct store *s, const char *appid)
{
    int rc = EXEC(s, "DELETE FROM menu_defaults WHERE appid = $1", "t", appid);
    return rc != 0 ? rc : EXEC(s, "DELETE FROM menus WHERE appid = $1", "t", appid);
}

int store_menu_delete_conditional(struct store *s, const char *appid, int64_t menuid)
{
    int rc = EXEC(s, "DELETE FROM menus WHERE menuid = $2 AND appid = $1 AND conditional = 1", "ti",
                  appid, menuid);
    if (rc == 0 && db_changes(s) == 0)
        return ERR_NOT_FOUND;
    return rc;
}

static void fill_none(struct dbst *st, void *out)
{
    (void)st;
    (void)out;
}

static void fill_i64(struct dbst *st, void *out)
{
    *(int64_t *)out = db_int64(st, 0);
}

int store_menu_tag_exists(struct store *s, const char *appid, int64_t tag_id)
{
    return db_one_row(
        s, db_query(s, "SELECT 1 FROM tags WHERE appid = $1 AND id = $2", "ti", appid, tag_id),
        fill_none, NULL);
}

int store_menu_last_tag(struct store *s, const char *appid, const char *openid, int64_t *tag_id)
{
    return db_one_row(s,
                      db_query(s,
                               "SELECT tag_id FROM follower_tags WHERE appid = $1 AND openid = $2"
                               " ORDER BY tagged_at DESC, tag_id DESC LIMIT 1",
                               "tt", appid, openid),
                      fill_i64, tag_id);
}

int store_menu_max_id(struct store *s, int64_t *out)
{
    *out = 0;
    return db_one_row(s,
                      db_query(s,
                               "SELECT COALESCE(MAX(menuid), 0) FROM (SELECT menuid FROM menus"
                               " UNION ALL SELECT menuid FROM menu_defaults) AS ids",
                               ""),
                      fill_i64, out);
}
