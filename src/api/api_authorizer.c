/*
 * api_authorizer: a component's calls about its authorizers (spec/component.md §5-6):
 * api_authorizer_token, api_get_authorizer_info, api_get_authorizer_list, the authorizer
 * options and the component's clear_quota; and the administrator's side in the client API:
 * listing and cancelling the authorizations of an account.
 */
#include "api.h"
#include "component_io.h"
#include "../core/component.h"
#include "../core/quota.h"
#include "../util/err.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* one parsed body: the component (checked against the token) and authorizer_appid */
struct az_body {
    cJSON *o;
    char component_appid[19];
    char authorizer_appid[19];
};

static int read_body(struct req *r, struct az_body *b, int need_authorizer)
{
    memset(b, 0, sizeof(*b));
    int rc = json_parse_object(r->body, r->body_len, &b->o);
    if (rc != 0)
        return rc;
    rc = own_component(r, b->o, b->component_appid);
    if (rc == 0 && need_authorizer &&
        wire_str(b->o, "authorizer_appid", b->authorizer_appid, sizeof(b->authorizer_appid),
                 ERR_INVALID_APPID) != 0)
        rc = ERR_INVALID_APPID;
    if (rc != 0)
        cJSON_Delete(b->o);
    return rc;
}

/* ------------------------------------------------------------------ api_authorizer_token */

static int refresh_done(struct req *r, void *arg, int rc)
{
    struct component_refresh *f = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"authorizer_access_token\":");
    buf_json_cstr(&b, f->access_token);
    buf_puts(&b, ",\"expires_in\":7200,\"authorizer_refresh_token\":");
    buf_json_cstr(&b, f->refresh_token);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_authorizer_token(struct req *r)
{
    struct az_body b;
    int rc = read_body(r, &b, 1);
    if (rc != 0)
        return rc;
    struct component_refresh *f = xcalloc(1, sizeof(*f));
    memcpy(f->component_appid, b.component_appid, sizeof(f->component_appid));
    memcpy(f->authorizer_appid, b.authorizer_appid, sizeof(f->authorizer_appid));
    if (wire_str(b.o, "authorizer_refresh_token", f->refresh_token, sizeof(f->refresh_token),
                 ERR_COMPONENT_REFRESH_INVALID) != 0)
        rc = ERR_COMPONENT_REFRESH_INVALID;
    cJSON_Delete(b.o);
    if (rc != 0) {
        free(f);
        return rc;
    }
    return http_write(r, component_refresh_run, component_auth_changed, f, refresh_done);
}

/* ------------------------------------------------------------------ api_get_authorizer_info */

static void authorizer_info(struct buf *b, const struct account *a)
{
    buf_puts(b, "\"authorizer_info\":{\"nick_name\":");
    buf_json_cstr(b, a->name);
    buf_puts(b, ",\"head_img\":");
    buf_json_cstr(b, a->avatar);
    buf_printf(b, ",\"service_type_info\":{\"id\":%d},\"verify_type_info\":{\"id\":%d}",
               strcmp(a->type, "service") == 0 ? 2 : 0, a->verified ? 0 : -1);
    buf_puts(b, ",\"user_name\":");
    buf_json_cstr(b, a->original_id);
    buf_puts(b, ",\"alias\":\"\",\"principal_name\":");
    buf_json_cstr(b, a->name);
    buf_puts(b, ",\"qrcode_url\":\"\",\"signature\":\"\",\"business_info\":{\"open_store\":0,"
                "\"open_scan\":0,\"open_pay\":0,\"open_card\":0,\"open_shake\":0},"
                "\"account_status\":1}");
}

int api_get_authorizer_info(struct req *r)
{
    struct az_body in;
    struct component_auth au;
    struct account a;
    int rc = read_body(r, &in, 1);
    if (rc != 0)
        return rc;
    cJSON_Delete(in.o);
    if ((rc = component_auth_get(r->rd, in.component_appid, in.authorizer_appid, &au)) != 0 ||
        (rc = store_account_get(r->rd, in.authorizer_appid, &a)) != 0)
        return rc == ERR_NOT_FOUND ? ERR_COMPONENT_NOT_AUTHORIZED : rc;
    struct buf b = BUF_INIT;
    buf_putc(&b, '{');
    authorizer_info(&b, &a);
    buf_puts(&b, ",\"authorization_info\":{\"authorizer_appid\":");
    buf_json_cstr(&b, au.authorizer_appid);
    buf_puts(&b, ",\"authorizer_refresh_token\":");
    buf_json_cstr(&b, au.refresh_token);
    buf_putc(&b, ',');
    func_info(&b, au.func_sets);
    buf_puts(&b, "}}");
    http_send_buf(r, &b);
    return 0;
}

/* ------------------------------------------------------------------ api_get_authorizer_list */

static void list_item(void *arg, const struct component_auth *a)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    buf_puts(b, "{\"authorizer_appid\":");
    buf_json_cstr(b, a->authorizer_appid);
    buf_puts(b, ",\"refresh_token\":");
    buf_json_cstr(b, a->refresh_token);
    buf_printf(b, ",\"auth_time\":%lld}", (long long)a->auth_time);
}

int api_get_authorizer_list(struct req *r)
{
    struct az_body in;
    int64_t offset = 0, count = 0, total = 0;
    int rc = read_body(r, &in, 0);
    if (rc != 0)
        return rc;
    int jo = json_get_i64(in.o, "offset", &offset), jc = json_get_i64(in.o, "count", &count);
    cJSON_Delete(in.o);
    if (jo == JSON_WRONG_TYPE || jc != JSON_OK || offset < 0 || count <= 0 || count > 500)
        return ERR_INVALID_PARAM;
    struct buf items = BUF_INIT, out = BUF_INIT;
    buf_putc(&items, '[');
    rc = store_auth_list(r->rd, in.component_appid, offset, count, &total, list_item, &items);
    if (rc != 0) {
        buf_release(&items);
        return rc;
    }
    buf_printf(&out, "{\"total_count\":%lld,\"list\":", (long long)total);
    buf_append(&out, items.ptr, items.len);
    buf_puts(&out, "]}");
    buf_release(&items);
    http_send_buf(r, &out);
    return 0;
}

/* ------------------------------------------------------------------ options */

static int read_option(struct req *r, struct component_option *o, int with_value)
{
    struct az_body in;
    int rc = read_body(r, &in, 1);
    if (rc != 0)
        return rc;
    memcpy(o->component_appid, in.component_appid, sizeof(o->component_appid));
    memcpy(o->authorizer_appid, in.authorizer_appid, sizeof(o->authorizer_appid));
    if (wire_str(in.o, "option_name", o->name, sizeof(o->name), ERR_INVALID_OPTION_NAME) != 0)
        rc = ERR_INVALID_OPTION_NAME;
    else if (with_value && wire_str(in.o, "option_value", o->value, sizeof(o->value), 1) != 0)
        rc = component_option_check(o->name, NULL) ? ERR_INVALID_OPTION_NAME
                                                   : ERR_INVALID_OPTION_VALUE;
    cJSON_Delete(in.o);
    if (rc == 0)
        rc = component_option_check(o->name, with_value ? o->value : NULL);
    return rc;
}

int api_get_authorizer_option(struct req *r)
{
    struct component_option o = {0};
    struct component_auth au;
    char value[8];
    int rc = read_option(r, &o, 0);
    if (rc == 0)
        rc = component_auth_get(r->rd, o.component_appid, o.authorizer_appid, &au);
    if (rc == 0)
        rc = component_option_get(r->rd, o.authorizer_appid, o.name, value);
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"authorizer_appid\":");
    buf_json_cstr(&b, o.authorizer_appid);
    buf_puts(&b, ",\"option_name\":");
    buf_json_cstr(&b, o.name);
    buf_puts(&b, ",\"option_value\":");
    buf_json_cstr(&b, value);
    buf_puts(&b, ",\"errcode\":0,\"errmsg\":\"ok\"}");
    http_send_buf(r, &b);
    return 0;
}

static int ok_done(struct req *r, void *arg, int rc)
{
    (void)arg;
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

int api_set_authorizer_option(struct req *r)
{
    struct component_option *o = xcalloc(1, sizeof(*o));
    int rc = read_option(r, o, 1);
    if (rc != 0) {
        free(o);
        return rc;
    }
    return http_write(r, component_option_set_run, NULL, o, ok_done);
}

/* ------------------------------------------------------------------ clear_quota */

int api_component_clear_quota(struct req *r)
{
    struct az_body in;
    int rc = read_body(r, &in, 0);
    if (rc != 0)
        return rc;
    cJSON_Delete(in.o);
    return http_write(r, quota_clear_run, quota_clear_publish, xstrdup(in.component_appid),
                      ok_done);
}

/* ------------------------------------------------------------------ the administrator's side */

static void client_item(void *arg, const struct component_auth *a)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    buf_puts(b, "{\"component_appid\":");
    buf_json_cstr(b, a->component_appid);
    buf_puts(b, ",\"func_sets\":[");
    buf_puts(b, a->func_sets);
    buf_printf(b, "],\"auth_time\":%lld}", (long long)a->auth_time);
}

/* GET /client/v1/authorizations?appid=: the components an account the user administers has
 * authorized */
int api_client_authorizations(struct req *r)
{
    char appid[19];
    int64_t admin = 0;
    if (req_query(r, "appid", appid, sizeof(appid)) <= 0)
        return ERR_MISSING_APPID;
    int rc = store_account_admin_get(r->rd, appid, &admin);
    if (rc == ERR_NOT_FOUND || (rc == 0 && (admin == 0 || admin != r->user_id)))
        return ERR_FORBIDDEN;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"authorizations\":[");
    if (rc == 0)
        rc = store_auth_list_authorizer(r->rd, appid, client_item, &b);
    if (rc != 0) {
        buf_release(&b);
        return rc;
    }
    buf_puts(&b, "]}");
    http_send_buf(r, &b);
    return 0;
}

static int cancel_run(struct store *s, void *arg)
{
    return component_cancel_run(s, arg);
}

/* POST /client/v1/authorizations/cancel {appid, component_appid} */
int api_client_authorization_cancel(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct component_cancel *c = xcalloc(1, sizeof(*c));
    if (json_copy_str(o, "appid", c->authorizer_appid, sizeof(c->authorizer_appid)) != JSON_OK ||
        json_copy_str(o, "component_appid", c->component_appid, sizeof(c->component_appid)) !=
            JSON_OK)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(c);
        return rc;
    }
    c->user_id = r->user_id;
    return http_write(r, cancel_run, component_push_after, c, ok_done);
}

/* the sets of a JSON array of ids as "1,2,15"; -1 when it is not a non-empty array of ids */
static int sets_of(const cJSON *arr, char *out, size_t cap)
{
    struct buf b = BUF_INIT;
    const cJSON *v;
    int n = 0, bad = !cJSON_IsArray(arr);
    const cJSON *list = bad ? NULL : arr;
    cJSON_ArrayForEach(v, list)
    {
        if (!cJSON_IsNumber(v) || v->valuedouble < 1 || v->valuedouble > 1000)
            bad = 1;
        else
            buf_printf(&b, "%s%d", n++ ? "," : "", (int)v->valuedouble);
    }
    int rc = bad || n == 0 || b.len >= cap ? -1 : 0;
    if (rc == 0)
        snprintf(out, cap, "%s", b.ptr);
    buf_release(&b);
    return rc;
}

/* POST /client/v1/authorizations/update {appid, component_appid, func_sets:[ids]}: the
 * administrator keeps fewer of the sets granted */
int api_client_authorization_update(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct component_narrow *c = xcalloc(1, sizeof(*c));
    if (json_copy_str(o, "appid", c->authorizer_appid, sizeof(c->authorizer_appid)) != JSON_OK ||
        json_copy_str(o, "component_appid", c->component_appid, sizeof(c->component_appid)) !=
            JSON_OK ||
        sets_of(cJSON_GetObjectItemCaseSensitive(o, "func_sets"), c->func_sets,
                sizeof(c->func_sets)) != 0)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(c);
        return rc;
    }
    c->user_id = r->user_id;
    return http_write(r, component_narrow_run, component_push_after, c, ok_done);
}

struct administered {
    struct req *r;
    struct buf *b;
    int n;
};

static void named_item(void *arg, const struct component_auth *a)
{
    struct administered *x = arg;
    struct component c;
    client_item(x->b, a);
    if (store_component_get(x->r->rd, a->component_appid, &c) == 0) {
        x->b->len--; /* reopen the object for the name */
        buf_puts(x->b, ",\"component_name\":");
        buf_json_cstr(x->b, c.name);
        buf_putc(x->b, '}');
    }
}

static void on_admin_account(void *arg, const char *appid, const char *name)
{
    struct administered *x = arg;
    if (x->n++ > 0)
        buf_putc(x->b, ',');
    buf_puts(x->b, "{\"appid\":");
    buf_json_cstr(x->b, appid);
    buf_puts(x->b, ",\"name\":");
    buf_json_cstr(x->b, name);
    buf_puts(x->b, ",\"authorizations\":[");
    store_auth_list_authorizer(x->r->rd, appid, named_item, x);
    buf_puts(x->b, "]}");
}

/* GET /client/v1/administered: the accounts the user administers, with their third parties */
int api_client_administered(struct req *r)
{
    struct buf b = BUF_INIT;
    struct administered x = {r, &b, 0};
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"accounts\":[");
    int rc = store_admin_accounts(r->rd, r->user_id, on_admin_account, &x);
    if (rc != 0) {
        buf_release(&b);
        return rc;
    }
    buf_puts(&b, "]}");
    http_send_buf(r, &b);
    return 0;
}
