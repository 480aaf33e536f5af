/*
 * api_menus: the custom-menu wire APIs (spec/accounts.md §2): menu/create, menu/get,
 * menu/delete, menu/addconditional, menu/delconditional, menu/trymatch and
 * get_current_selfmenu_info. Validation and matching live in core/menus.c.
 */
#include "api.h"
#include "../core/menus.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <string.h>

static int ok_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

static int added_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"menuid\":\"%lld\"}", (long long)((struct menu_job *)arg)->menuid);
    http_send_buf(r, &b);
    return 0;
}

/* validates the body as a menu and hands it to the writer */
static int submit(struct req *r, int conditional)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct menu_job *j;
    rc = menus_parse(o, conditional, &j);
    cJSON_Delete(o);
    if (rc != 0)
        return rc;
    memcpy(j->appid, r->appid, sizeof(j->appid));
    if (conditional)
        return http_write(r, menus_add_run, NULL, j, added_done);
    return http_write_atomic(r, menus_create_run, NULL, j, ok_done);
}

int api_menu_create(struct req *r)
{
    return submit(r, 0);
}

int api_menu_addconditional(struct req *r)
{
    return submit(r, 1);
}

/* sends the JSON a read built, or drops it and returns the error */
static int send_read(struct req *r, int rc, struct buf *b)
{
    if (rc != 0) {
        buf_release(b);
        return rc;
    }
    http_send_buf(r, b);
    return 0;
}

int api_menu_get(struct req *r)
{
    struct buf b = BUF_INIT;
    return send_read(r, menus_get(r->rd, r->appid, &b), &b);
}

int api_menu_selfmenu(struct req *r)
{
    struct buf b = BUF_INIT;
    return send_read(r, menus_selfmenu(r->rd, r->appid, &b), &b);
}

int api_menu_delete(struct req *r)
{
    return http_write(r, menus_delete_run, NULL, xstrdup(r->appid), ok_done);
}

int api_menu_delconditional(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    int64_t menuid = 0;
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, "menuid");
    int jr = json_get_i64(o, "menuid", &menuid);
    int wrong_kind = it && (cJSON_IsObject(it) || cJSON_IsArray(it) || cJSON_IsBool(it));
    cJSON_Delete(o);
    if (wrong_kind)
        return ERR_DATA_FORMAT;
    if (jr != JSON_OK || menuid <= 0)
        return ERR_MENU_NOT_CONDITIONAL; /* no such conditional menu */
    struct menu_del *d = xcalloc(1, sizeof(*d));
    memcpy(d->appid, r->appid, sizeof(d->appid));
    d->menuid = menuid;
    return http_write(r, menus_del_run, NULL, d, ok_done);
}

int api_menu_trymatch(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    char user_id[128];
    int jr = json_copy_str(o, "user_id", user_id, sizeof(user_id));
    cJSON_Delete(o);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jr != JSON_OK || !user_id[0])
        return ERR_MENU_NO_SUCH_USER;
    struct buf b = BUF_INIT;
    return send_read(r, menus_trymatch(r->rd, r->appid, user_id, &b), &b);
}
