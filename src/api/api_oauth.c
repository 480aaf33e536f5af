/*
 * api_oauth: the sns/... wire APIs of web authorization (spec/oauth.md §3-6). GET with query
 * parameters, or POST with the same as a form.
 */
#include "api.h"
#include "../core/accounts.h"
#include "../core/component.h"
#include "../core/oauth.h"
#include "../store/store.h"
#include "../store/store_component.h"
#include "../util/err.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

/* a required parameter: 0, `missing` when absent or empty, 40097 when malformed or too long */
static int param(struct req *r, const char *name, char *out, size_t cap, int missing)
{
    long n = req_param(r, name, out, cap);
    if (n == -1 || n == 0) {
        out[0] = 0;
        return missing;
    }
    return n < 0 ? ERR_INVALID_PARAM : 0;
}

static void render_grant(struct buf *b, const struct oauth_grant_result *g, int64_t now)
{
    buf_puts(b, "{\"access_token\":");
    buf_json_cstr(b, g->t.token);
    buf_printf(b, ",\"expires_in\":%lld,\"refresh_token\":", (long long)(g->t.expires_at - now));
    buf_json_cstr(b, g->t.refresh_token);
    buf_printf(b, ",\"openid\":\"%s\",\"scope\":", g->openid);
    buf_json_cstr(b, g->t.scope);
    if (g->unionid[0])
        buf_printf(b, ",\"unionid\":\"%s\"", g->unionid);
    buf_putc(b, '}');
}

static int exchange_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    render_grant(&b, &((struct oauth_exchange *)arg)->out, api_now());
    http_send_buf(r, &b);
    return 0;
}

static int refresh_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    render_grant(&b, &((struct oauth_refresh *)arg)->out, api_now());
    http_send_buf(r, &b);
    return 0;
}

/* the parameters of a code exchange; with_secret: an account's (a third party has none) */
static int read_exchange(struct req *r, struct oauth_exchange *x, int with_secret)
{
    char grant[64];
    int rc = param(r, "appid", x->appid, sizeof(x->appid), ERR_MISSING_APPID);
    if (rc == ERR_INVALID_PARAM)
        rc = ERR_INVALID_APPID;
    if (rc == 0 && with_secret)
        rc = param(r, "secret", x->secret, sizeof(x->secret), ERR_MISSING_SECRET);
    if (rc == 0)
        rc = param(r, "code", x->code, sizeof(x->code), ERR_MISSING_CODE);
    if (rc == ERR_INVALID_PARAM && x->appid[0] && (!with_secret || x->secret[0]))
        rc = ERR_INVALID_CODE;
    if (rc == 0 && (param(r, "grant_type", grant, sizeof(grant), 1) != 0 ||
                    strcmp(grant, "authorization_code") != 0))
        rc = ERR_INVALID_GRANT_TYPE;
    snprintf(x->ip, sizeof(x->ip), "%s", r->ip);
    return rc;
}

/* the parameters of a refresh */
static int read_refresh(struct req *r, struct oauth_refresh *f)
{
    char grant[64];
    int rc = param(r, "appid", f->appid, sizeof(f->appid), ERR_MISSING_APPID);
    if (rc == ERR_INVALID_PARAM)
        rc = ERR_INVALID_APPID;
    if (rc == 0)
        rc = param(r, "refresh_token", f->refresh, sizeof(f->refresh), ERR_MISSING_REFRESH_TOKEN);
    if (rc == ERR_INVALID_PARAM)
        rc = ERR_INVALID_REFRESH_TOKEN;
    if (rc == 0 && (param(r, "grant_type", grant, sizeof(grant), 1) != 0 ||
                    strcmp(grant, "refresh_token") != 0))
        rc = ERR_INVALID_GRANT_TYPE;
    return rc;
}

int api_sns_access_token(struct req *r)
{
    struct oauth_exchange *x = xcalloc(1, sizeof(*x));
    int rc = read_exchange(r, x, 1);
    if (rc != 0) {
        free(x);
        return rc;
    }
    return http_write(r, oauth_exchange_run, NULL, x, exchange_done);
}

int api_sns_refresh_token(struct req *r)
{
    struct oauth_refresh *f = xcalloc(1, sizeof(*f));
    int rc = read_refresh(r, f);
    if (rc != 0) {
        free(f);
        return rc;
    }
    return http_write(r, oauth_refresh_run, NULL, f, refresh_done);
}

/* reads access_token and openid and checks them: 0 or the errcode */
static int user_token(struct req *r, struct oauth_token *t, char openid[40])
{
    char tok[160];
    int rc = param(r, "access_token", tok, sizeof(tok), ERR_MISSING_ACCESS_TOKEN);
    if (rc == ERR_INVALID_PARAM)
        return ERR_INVALID_CREDENTIAL;
    if (rc == 0)
        rc = param(r, "openid", openid, 40, ERR_MISSING_OPENID);
    if (rc == ERR_INVALID_PARAM)
        return ERR_INVALID_OPENID;
    return rc != 0 ? rc : oauth_token_check(r->rd, tok, openid, t);
}

int api_sns_userinfo(struct req *r)
{
    struct oauth_token t;
    struct user u;
    char openid[40], unionid[29];
    int rc = user_token(r, &t, openid);
    if (rc != 0)
        return rc;
    if (!oauth_scope_has(t.scope, "snsapi_userinfo") && !oauth_scope_has(t.scope, "snsapi_login"))
        return ERR_API_UNAUTHORIZED;
    if (store_user_get(r->rd, t.user_id, &u) != 0)
        return ERR_INVALID_OPENID;
    oauth_unionid_for(r->rd, &t, unionid);
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"openid\":\"%s\",\"nickname\":", openid);
    buf_json_cstr(&b, u.nickname);
    buf_puts(&b, ",\"sex\":0,\"province\":\"\",\"city\":\"\",\"country\":\"\",\"headimgurl\":");
    buf_json_cstr(&b, u.avatar);
    buf_puts(&b, ",\"privilege\":[]");
    if (unionid[0])
        buf_printf(&b, ",\"unionid\":\"%s\"", unionid);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_sns_auth(struct req *r)
{
    struct oauth_token t;
    char openid[40];
    int rc = user_token(r, &t, openid);
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

/* ------------------------------------------------------------------ for a third party */

/* the third party asking for appid's users: its component token, naming component_appid,
 * and appid's authorization of it (component.md §10). 0 or the errcode */
static int component_caller(struct req *r, const char *appid)
{
    char component[19], tok[160], owner[19];
    int rc = param(r, "component_appid", component, sizeof(component), ERR_INVALID_COMPONENT);
    if (rc != 0)
        return ERR_INVALID_COMPONENT;
    long n = req_query(r, "component_access_token", tok, sizeof(tok));
    if (n <= 0)
        n = req_query(r, "access_token", tok, sizeof(tok));
    if (n == -1 || n == 0)
        return ERR_MISSING_ACCESS_TOKEN;
    if (n < 0 || (rc = component_token_check(r->rd, tok, (size_t)n, owner)) != 0)
        return n < 0 ? ERR_INVALID_CREDENTIAL : rc;
    if (strcmp(owner, component) != 0)
        return ERR_INVALID_COMPONENT;
    struct component_auth a;
    return store_auth_get(r->rd, component, appid, &a) == 0 ? 0 : ERR_COMPONENT_NOT_AUTHORIZED;
}

int api_sns_component_access_token(struct req *r)
{
    struct oauth_exchange *x = xcalloc(1, sizeof(*x));
    int rc = read_exchange(r, x, 0);
    if (rc == 0)
        rc = component_caller(r, x->appid);
    if (rc != 0) {
        free(x);
        return rc;
    }
    x->by_component = 1;
    return http_write(r, oauth_exchange_run, NULL, x, exchange_done);
}

int api_sns_component_refresh_token(struct req *r)
{
    struct oauth_refresh *f = xcalloc(1, sizeof(*f));
    int rc = read_refresh(r, f);
    if (rc == 0)
        rc = component_caller(r, f->appid);
    if (rc != 0) {
        free(f);
        return rc;
    }
    return http_write(r, oauth_refresh_run, NULL, f, refresh_done);
}
