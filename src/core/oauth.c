/* oauth: see oauth.h */
#include "oauth.h"
#include "../store/store_component.h"
#include "users.h"
#include "accounts.h"
#include "clock.h"
#include "ratelimit.h"
#include "../crypto/crypto.h"
#include "../util/err.h"
#include "../util/url.h"

#include <stdio.h>
#include <string.h>

#define BAD_CODES_PER_MINUTE 60

int oauth_scope_has(const char *scope, const char *want)
{
    size_t n = strlen(want);
    for (const char *p = scope; (p = strstr(p, want)) != NULL; p += n)
        if ((p == scope || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
            return 1;
    return 0;
}

int oauth_redirect_allowed(const char *domain, const char *uri)
{
    char auth[300];
    if (!domain[0] || url_redirect_authority(uri, auth, sizeof(auth)) != 0)
        return 0;
    if (strchr(domain, ':'))
        return strcasecmp(auth, domain) == 0;
    char *colon = strchr(auth, ':');
    if (colon)
        *colon = 0;
    return strcasecmp(auth, domain) == 0;
}

/* 1 if every item of a comma-separated list is one of the in-app scopes */
static int inapp_scopes_only(const char *scope)
{
    for (const char *p = scope; *p;) {
        size_t n = strcspn(p, ",");
        if (!((n == 11 && memcmp(p, "snsapi_base", 11) == 0) ||
              (n == 15 && memcmp(p, "snsapi_userinfo", 15) == 0)))
            return 0;
        p += n + (p[n] == ',');
    }
    return 1;
}

/* a third party authorizing for the account: the account authorized it, and redirect_uri is
 * on one of its web domains */
static int check_component(struct store *rd, const struct oauth_request *q)
{
    struct component c;
    struct component_auth auth;
    if (store_component_get(rd, q->component_appid, &c) != 0)
        return OAUTH_PAGE_APPID;
    if (store_auth_get(rd, q->component_appid, q->appid, &auth) != 0)
        return OAUTH_PAGE_NOT_AUTHORIZED;
    char domains[sizeof(c.domains)];
    snprintf(domains, sizeof(domains), "%s", c.domains);
    for (char *save = NULL, *d = strtok_r(domains, ",", &save); d; d = strtok_r(NULL, ",", &save))
        if (oauth_redirect_allowed(d, q->redirect_uri))
            return 0;
    return OAUTH_PAGE_DOMAIN;
}

int oauth_check_request(struct store *rd, const struct oauth_request *q, struct account *a)
{
    if (!q->appid[0])
        return OAUTH_PAGE_APPID;
    if (!q->redirect_uri[0])
        return OAUTH_PAGE_REDIRECT;
    if (!q->scope[0] || strcmp(q->response_type, "code") != 0)
        return OAUTH_PAGE_SCOPE;
    if (store_account_get(rd, q->appid, a) != 0)
        return OAUTH_PAGE_APPID;
    int website = strcmp(a->type, "website") == 0;
    if (website != q->qr)
        return OAUTH_PAGE_WRONG_APP;
    if (q->qr ? strcmp(q->scope, "snsapi_login") != 0 : !inapp_scopes_only(q->scope))
        return OAUTH_PAGE_SCOPE;
    if (!q->qr && (strcmp(a->type, "service") != 0 || !a->verified))
        return OAUTH_PAGE_SCOPE_DENIED;
    if (q->component_appid[0])
        return check_component(rd, q);
    if (!oauth_redirect_allowed(a->oauth_domain, q->redirect_uri))
        return OAUTH_PAGE_DOMAIN;
    return 0;
}

int oauth_granted(struct store *rd, const char *appid, int64_t user_id, const char *scope)
{
    char granted[64];
    return store_oauth_grant_get(rd, appid, user_id, granted, sizeof(granted)) == 0 &&
           oauth_scope_has(granted, scope);
}

void oauth_redirect_target(const char *uri, const char *code, const char *state, const char *appid,
                           char *out, size_t cap)
{
    const char *hash = strchr(uri, '#');
    size_t base = hash ? (size_t)(hash - uri) : strlen(uri);
    struct buf b = BUF_INIT;
    buf_append(&b, uri, base);
    buf_putc(&b, memchr(uri, '?', base) ? '&' : '?');
    if (code)
        buf_printf(&b, "code=%s&", code);
    buf_puts(&b, "state=");
    url_encode(&b, state);
    if (appid)
        buf_printf(&b, "&appid=%s", appid);
    buf_puts(&b, hash ? hash : "");
    snprintf(out, cap, "%s", b.ptr);
    buf_release(&b);
}

static void hash_code(const char *code, char out[65])
{
    unsigned char md[32];
    crypto_hmac_sha256("oauth-code", 10, code, strlen(code), md);
    crypto_hex(md, 32, out);
}

static int issue_code(struct store *s, const char *appid, int64_t user_id, const char *scope,
                      char code[64])
{
    struct oauth_code c = {.user_id = user_id, .expires_at = clock_now() + OAUTH_CODE_TTL};
    crypto_token(code, 64, "", 24); /* 192 bits, 32 characters */
    hash_code(code, c.code_hash);
    snprintf(c.appid, sizeof(c.appid), "%s", appid);
    snprintf(c.scope, sizeof(c.scope), "%s", scope);
    return store_oauth_code_insert(s, &c) == 0 ? 0 : ERR_SYSTEM;
}

int oauth_approve_run(struct store *s, void *arg)
{
    struct oauth_approve *a = arg;
    int rc = issue_code(s, a->appid, a->user_id, a->scope, a->code);
    if (rc == 0 && oauth_scope_has(a->scope, "snsapi_userinfo"))
        rc = store_oauth_grant_put(s, a->appid, a->user_id, a->scope, clock_now());
    return rc;
}

void oauth_unionid_for(struct store *rd, const struct oauth_token *t, char out[29])
{
    struct account a;
    out[0] = 0;
    if (store_account_get(rd, t->appid, &a) != 0 || !a.open_appid[0])
        return;
    if (oauth_scope_has(t->scope, "snsapi_userinfo") || oauth_scope_has(t->scope, "snsapi_login"))
        accounts_unionid(a.open_appid, t->user_id, out);
}

static void fill_result(struct store *s, struct oauth_grant_result *out)
{
    accounts_openid(out->t.appid, out->t.user_id, out->openid);
    oauth_unionid_for(s, &out->t, out->unionid);
}

static int check_secret(struct store *s, const char *appid, const char *secret)
{
    struct account a;
    int rc = store_account_get(s, appid, &a);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_INVALID_APPID : rc;
    return crypto_eq(a.secret, strlen(a.secret), secret, strlen(secret)) ? 0
                                                                         : ERR_INVALID_APPSECRET;
}

static int redeem(struct store *s, struct oauth_exchange *x, struct oauth_code *c)
{
    char h[65];
    hash_code(x->code, h);
    int rc = store_oauth_code_take(s, h, c);
    if (rc == ERR_NOT_FOUND || (rc == 0 && strcmp(c->appid, x->appid) != 0))
        return ERR_INVALID_CODE;
    if (rc != 0)
        return rc;
    if (c->used)
        return ERR_CODE_USED;
    return c->expires_at <= clock_now() ? ERR_CODE_EXPIRED : 0;
}

int oauth_exchange_run(struct store *s, void *arg)
{
    struct oauth_exchange *x = arg;
    if (ratelimit_over("oauth-code", x->ip, BAD_CODES_PER_MINUTE))
        return ERR_MINUTE_QUOTA;
    int rc = x->by_component ? 0 : check_secret(s, x->appid, x->secret);
    struct oauth_code c;
    if (rc == 0 && (rc = redeem(s, x, &c)) != 0 && rc != ERR_SYSTEM) {
        ratelimit_count("oauth-code", x->ip);
        return rc;
    }
    if (rc != 0)
        return rc;
    struct oauth_token *t = &x->out.t;
    int64_t now = clock_now();
    memset(t, 0, sizeof(*t));
    crypto_token(t->token, sizeof(t->token), "UT_", 48);
    crypto_token(t->refresh_token, sizeof(t->refresh_token), "UR_", 48);
    memcpy(t->appid, c.appid, sizeof(t->appid));
    t->user_id = c.user_id;
    memcpy(t->scope, c.scope, sizeof(t->scope));
    t->expires_at = now + OAUTH_TOKEN_TTL;
    t->refresh_expires_at = now + OAUTH_REFRESH_TTL;
    if (store_oauth_token_insert(s, t) != 0 || users_note(s, t->appid, t->user_id) != 0)
        return ERR_SYSTEM;
    fill_result(s, &x->out);
    return 0;
}

int oauth_refresh_run(struct store *s, void *arg)
{
    struct oauth_refresh *r = arg;
    struct oauth_token *t = &r->out.t;
    int64_t now = clock_now();
    int rc = store_oauth_token_by_refresh(s, r->refresh, t);
    if (rc == ERR_NOT_FOUND || (rc == 0 && strcmp(t->appid, r->appid) != 0))
        return ERR_INVALID_REFRESH_TOKEN;
    if (rc != 0)
        return rc;
    if (t->refresh_expires_at <= now)
        return ERR_REFRESH_TOKEN_EXPIRED;
    if (t->expires_at <= now)
        crypto_token(t->token, sizeof(t->token), "UT_", 48);
    t->expires_at = now + OAUTH_TOKEN_TTL;
    if (store_oauth_token_renew(s, t->refresh_token, t->token, t->expires_at) != 0)
        return ERR_SYSTEM;
    fill_result(s, &r->out);
    return 0;
}

int oauth_token_check(struct store *rd, const char *token, const char *openid,
                      struct oauth_token *out)
{
    if (strlen(token) >= sizeof(out->token) || store_oauth_token_get(rd, token, out) != 0)
        return ERR_INVALID_CREDENTIAL;
    if (out->expires_at <= clock_now())
        return ERR_ACCESS_TOKEN_EXPIRED;
    if (openid) {
        char mine[29];
        accounts_openid(out->appid, out->user_id, mine);
        if (strcmp(mine, openid) != 0)
            return ERR_INVALID_OPENID;
    }
    return 0;
}

int oauth_qr_create_run(struct store *s, void *arg)
{
    struct qr_new *n = arg;
    struct qr_login q = {.expires_at = clock_now() + QR_LOGIN_TTL};
    crypto_token(n->uuid, sizeof(n->uuid), "", 16);
    memcpy(q.uuid, n->uuid, sizeof(q.uuid));
    memcpy(q.appid, n->req.appid, sizeof(q.appid));
    memcpy(q.redirect_uri, n->req.redirect_uri, sizeof(q.redirect_uri));
    memcpy(q.state, n->req.state, sizeof(q.state));
    return store_qr_login_insert(s, &q) == 0 ? 0 : ERR_SYSTEM;
}

int oauth_qr_decide_run(struct store *s, void *arg)
{
    struct qr_decide *d = arg;
    struct qr_login q;
    int rc = store_qr_login_get(s, d->uuid, &q);
    if (rc != 0)
        return rc;
    if (q.expires_at <= clock_now() || q.status >= 2)
        return ERR_INVALID_CODE;
    q.user_id = d->user_id;
    q.status = d->allow ? 2 : 3;
    if (d->allow && (rc = issue_code(s, q.appid, d->user_id, "snsapi_login", d->code)) != 0)
        return rc;
    snprintf(q.code, sizeof(q.code), "%s", d->allow ? d->code : "");
    return store_qr_login_update(s, &q);
}

int oauth_qr_scan_run(struct store *s, void *arg)
{
    struct qr_login q;
    int rc = store_qr_login_get(s, arg, &q);
    if (rc != 0 || q.status != 0)
        return rc;
    q.status = 1;
    return store_qr_login_update(s, &q);
}
