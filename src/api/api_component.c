/*
 * api_component: third-party platforms (spec/component.md): the operator's registration of
 * components (/admin/v1/components) and the component wire APIs (§3, §4).
 */
#include "api.h"
#include "component_io.h"
#include "render.h"
#include "../core/component.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ operator API */

static void list_cb(void *arg, const struct component *c)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    render_component(b, c);
}

int api_admin_components_list(struct req *r)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"components\":[");
    int rc = store_component_list(r->rd, list_cb, &b);
    if (rc != 0) {
        buf_release(&b);
        return rc;
    }
    buf_puts(&b, "]}");
    http_send_buf(r, &b);
    return 0;
}

static int send_component(struct req *r, const struct component *c)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"component\":");
    render_component(&b, c);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_admin_components_get(struct req *r)
{
    char appid[64];
    struct component c;
    if (req_query(r, "appid", appid, sizeof(appid)) <= 0)
        return ERR_MISSING_APPID;
    int rc = store_component_get(r->rd, appid, &c);
    return rc != 0 ? rc : send_component(r, &c);
}

static int str_field(const cJSON *o, const char *key, char *out, size_t cap)
{
    int jr = json_copy_str(o, key, out, cap);
    return jr == JSON_OK || jr == JSON_MISSING ? 0 : ERR_ARGUMENT_INVALID;
}

/* a list field: a JSON array of numbers/strings, or one comma-separated string */
static int list_field(const cJSON *o, const char *key, char *out, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v))
        return 0;
    if (cJSON_IsString(v))
        return str_field(o, key, out, cap);
    if (!cJSON_IsArray(v))
        return ERR_ARGUMENT_INVALID;
    size_t len = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        char item[512];
        if (cJSON_IsNumber(e) && e->valuedouble >= 0 && e->valuedouble < 1e9)
            snprintf(item, sizeof(item), "%lld", (long long)e->valuedouble);
        else if (cJSON_IsString(e) && strlen(e->valuestring) < sizeof(item))
            snprintf(item, sizeof(item), "%s", e->valuestring);
        else
            return ERR_ARGUMENT_INVALID;
        int n = snprintf(out + len, cap - len, "%s%s", len ? "," : "", item);
        if (n < 0 || (size_t)n >= cap - len)
            return ERR_ARGUMENT_INVALID;
        len += (size_t)n;
    }
    return 0;
}

static int component_fields(const cJSON *o, struct component *c)
{
    int rc;
    if ((rc = str_field(o, "component_appid", c->appid, sizeof(c->appid))) != 0 ||
        (rc = str_field(o, "name", c->name, sizeof(c->name))) != 0 ||
        (rc = str_field(o, "token", c->token, sizeof(c->token))) != 0 ||
        (rc = str_field(o, "encoding_aes_key", c->aes_key, sizeof(c->aes_key))) != 0 ||
        (rc = str_field(o, "auth_event_url", c->auth_url, sizeof(c->auth_url))) != 0 ||
        (rc = str_field(o, "message_url", c->msg_url, sizeof(c->msg_url))) != 0 ||
        (rc = list_field(o, "func_sets", c->func_sets, sizeof(c->func_sets))) != 0 ||
        (rc = list_field(o, "domains", c->domains, sizeof(c->domains))) != 0)
        return rc;
    return component_validate(c);
}

static int create_run(struct store *s, void *arg)
{
    return component_create(s, arg);
}

static int create_done(struct req *r, void *arg, int rc)
{
    return rc != 0 ? rc : send_component(r, arg);
}

int api_admin_components_create(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct component *c = xcalloc(1, sizeof(*c));
    rc = component_fields(o, c);
    cJSON_Delete(o);
    if (rc != 0) {
        free(c);
        return rc;
    }
    return http_write(r, create_run, NULL, c, create_done);
}

/* ------------------------------------------------------------------ component token (§3) */

int wire_str(const cJSON *o, const char *key, char *out, size_t cap, int missing)
{
    int jr = json_copy_str(o, key, out, cap);
    if (jr == JSON_WRONG_TYPE || jr == JSON_TOO_LONG)
        return ERR_INVALID_PARAM;
    return jr == JSON_MISSING || !out[0] ? missing : 0;
}

static int token_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"component_access_token\":");
    buf_json_cstr(&b, ((struct component_token_issue *)arg)->token);
    buf_printf(&b, ",\"expires_in\":%d}", COMPONENT_TOKEN_TTL);
    http_send_buf(r, &b);
    return 0;
}

int api_component_token(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct component_token_issue *t = xcalloc(1, sizeof(*t));
    if ((rc = wire_str(o, "component_appid", t->appid, sizeof(t->appid), ERR_INVALID_COMPONENT)) ==
        ERR_INVALID_PARAM)
        rc = ERR_INVALID_COMPONENT;
    if (rc == 0)
        rc =
            wire_str(o, "component_appsecret", t->secret, sizeof(t->secret), ERR_INVALID_APPSECRET);
    if (rc == 0)
        rc = wire_str(o, "component_verify_ticket", t->ticket, sizeof(t->ticket),
                      ERR_COMPONENT_TICKET_INVALID);
    cJSON_Delete(o);
    if (rc == ERR_INVALID_PARAM)
        rc = t->secret[0] ? ERR_COMPONENT_TICKET_INVALID : ERR_INVALID_APPSECRET;
    if (rc != 0) {
        free(t);
        return rc;
    }
    return http_write(r, component_token_run, NULL, t, token_done);
}

static int ok_empty_done(struct req *r, void *arg, int rc)
{
    (void)arg;
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

int api_start_push_ticket(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct component_secret *k = xcalloc(1, sizeof(*k));
    if (wire_str(o, "component_appid", k->appid, sizeof(k->appid), ERR_INVALID_COMPONENT) != 0)
        rc = ERR_INVALID_COMPONENT;
    else if (wire_str(o, "component_secret", k->secret, sizeof(k->secret), ERR_INVALID_APPSECRET) !=
             0)
        rc = ERR_INVALID_APPSECRET;
    cJSON_Delete(o);
    if (rc != 0) {
        free(k);
        return rc;
    }
    return http_write(r, component_ticket_now_run, NULL, k, ok_empty_done);
}

/* ------------------------------------------------------------------ pre-auth code (§4) */

static int preauth_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"pre_auth_code\":");
    buf_json_cstr(&b, ((struct component_preauth *)arg)->code);
    buf_printf(&b, ",\"expires_in\":%d}", COMPONENT_PREAUTH_TTL);
    http_send_buf(r, &b);
    return 0;
}

int own_component(struct req *r, const cJSON *o, char appid[19])
{
    int rc = wire_str(o, "component_appid", appid, 19, ERR_INVALID_COMPONENT);
    if (rc == ERR_INVALID_PARAM || (rc == 0 && strcmp(appid, r->appid) != 0))
        return ERR_INVALID_COMPONENT;
    return rc;
}

int api_create_preauthcode(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct component_preauth *p = xcalloc(1, sizeof(*p));
    rc = own_component(r, o, p->appid);
    cJSON_Delete(o);
    if (rc != 0) {
        free(p);
        return rc;
    }
    return http_write(r, component_preauth_run, NULL, p, preauth_done);
}

/* ------------------------------------------------------------------ accounts' admins */

struct admin_set {
    char appid[19];
    int64_t user_id;
};

static int admin_set_run(struct store *s, void *arg)
{
    struct admin_set *a = arg;
    struct user u;
    int rc = a->user_id == 0 ? 0 : store_user_get(s, a->user_id, &u);
    return rc != 0 ? rc : store_account_admin_set(s, a->appid, a->user_id);
}

int api_admin_accounts_admin(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct admin_set *a = xcalloc(1, sizeof(*a));
    if (json_copy_str(o, "appid", a->appid, sizeof(a->appid)) != JSON_OK ||
        json_get_i64(o, "user_id", &a->user_id) != JSON_OK || a->user_id < 0)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(a);
        return rc;
    }
    return http_write(r, admin_set_run, NULL, a, ok_empty_done);
}

/* ------------------------------------------------------------------ api_query_auth (§5) */

void func_info(struct buf *b, const char *sets)
{
    buf_puts(b, "\"func_info\":[");
    for (const char *s = sets; *s;) {
        int id = 0;
        while (*s >= '0' && *s <= '9')
            id = id * 10 + (*s++ - '0');
        buf_printf(b, "{\"funcscope_category\":{\"id\":%d}}", id);
        if (*s == ',') {
            s++;
            buf_putc(b, ',');
        }
    }
    buf_putc(b, ']');
}

static int query_auth_done(struct req *r, void *arg, int rc)
{
    struct component_query *q = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"authorization_info\":{\"authorizer_appid\":");
    buf_json_cstr(&b, q->auth.authorizer_appid);
    buf_puts(&b, ",\"authorizer_access_token\":");
    buf_json_cstr(&b, q->access_token);
    buf_printf(&b, ",\"expires_in\":%d,\"authorizer_refresh_token\":", 7200);
    buf_json_cstr(&b, q->auth.refresh_token);
    buf_putc(&b, ',');
    func_info(&b, q->auth.func_sets);
    buf_puts(&b, "}}");
    http_send_buf(r, &b);
    return 0;
}

int api_query_auth(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct component_query *q = xcalloc(1, sizeof(*q));
    rc = own_component(r, o, q->component_appid);
    if (rc == 0 && (rc = wire_str(o, "authorization_code", q->code, sizeof(q->code),
                                  ERR_COMPONENT_CODE_INVALID)) == ERR_INVALID_PARAM)
        rc = ERR_COMPONENT_CODE_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(q);
        return rc;
    }
    return http_write(r, component_query_auth_run, component_auth_changed, q, query_auth_done);
}
