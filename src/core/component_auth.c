/*
 * component_auth: a merchant's administrator authorizes a component (spec/component.md §4-5):
 * the pre-auth code, the approval with the permission sets left ticked, the auth code pushed
 * in `authorized` and traded in api_query_auth for an authorizer token.
 */
#include "component.h"
#include "cluster.h"
#include "clock.h"
#include "tokens.h"
#include "../crypto/crypto.h"
#include "../push/outbox.h"
#include "../push/worker.h"
#include "../push/xml.h"
#include "../util/err.h"
#include "../util/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int component_preauth_check(struct store *rd, const char *appid, const char *code)
{
    int64_t expires_at;
    int rc = store_preauth_get(rd, appid, code, &expires_at);
    if (rc == ERR_NOT_FOUND)
        return ERR_COMPONENT_CODE_INVALID;
    if (rc != 0)
        return rc;
    return expires_at <= clock_now() ? ERR_COMPONENT_CODE_EXPIRED : 0;
}

/* 1 if host (length n) is domain or a subdomain of it */
static int host_under(const char *host, size_t n, const char *domain, size_t dn)
{
    if (dn == 0 || n < dn || strncasecmp(host + n - dn, domain, dn) != 0)
        return 0;
    return n == dn || host[n - dn - 1] == '.';
}

/* the same URL check as web authorization's (url_redirect_authority); a platform with no
 * web domains has no page to send a code to */
int component_redirect_allowed(const struct component *c, const char *uri)
{
    char h[300];
    if (!c->domains[0] || url_redirect_authority(uri, h, sizeof(h)) != 0)
        return 0;
    size_t n = strcspn(h, ":");
    if (n == 0)
        return 0;
    for (const char *d = c->domains; *d;) {
        size_t dn = strcspn(d, ",");
        if (host_under(h, n, d, dn))
            return 1;
        d += dn + (d[dn] == ',');
    }
    return 0;
}

int component_sets_has(const char *sets, int id)
{
    for (const char *p = sets; *p;) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p)
            return 0;
        if (v == id)
            return 1;
        p = *end == ',' ? end + 1 : end;
    }
    return 0;
}

/* every id of sub is in sets, and sub is not empty */
static int sets_subset(const char *sub, const char *sets)
{
    if (!sub[0])
        return 0;
    for (const char *p = sub; *p;) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v <= 0 || v > 999 || !component_sets_has(sets, (int)v))
            return 0;
        p = *end == ',' ? end + 1 : end;
    }
    return 1;
}

static int push_event(struct store *s, const struct component *c, const char *type,
                      const struct component_approve *a, int64_t now)
{
    struct buf b = BUF_INIT;
    xml_begin(&b);
    xml_cdata(&b, "AppId", c->appid);
    xml_num(&b, "CreateTime", now);
    xml_cdata(&b, "InfoType", type);
    xml_cdata(&b, "AuthorizerAppid", a->authorizer_appid);
    xml_cdata(&b, "AuthorizationCode", a->auth_code);
    xml_num(&b, "AuthorizationCodeExpiredTime", now + COMPONENT_AUTH_CODE_TTL);
    xml_cdata(&b, "PreAuthCode", a->preauth);
    xml_end(&b);
    int rc = push_enqueue_component(s, c, type, b.ptr);
    buf_release(&b);
    return rc != 0 ? rc : cluster_authorizers_changed(s);
}

static int check_approval(struct store *s, const struct component_approve *a, struct component *c)
{
    int64_t admin = 0;
    int rc = store_component_get(s, a->component_appid, c);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_INVALID_COMPONENT : rc;
    if ((rc = component_preauth_check(s, a->component_appid, a->preauth)) != 0)
        return rc;
    rc = store_account_admin_get(s, a->authorizer_appid, &admin);
    if (rc != 0 && rc != ERR_NOT_FOUND)
        return rc;
    if (rc == ERR_NOT_FOUND || admin == 0 || admin != a->user_id)
        return ERR_FORBIDDEN;
    return sets_subset(a->func_sets, c->func_sets) ? 0 : ERR_ARGUMENT_INVALID;
}

/* sets only one third party may hold for an account (spec/component.md §7) */
static const int exclusive_sets[] = {4, 24, 34, 54};

struct exclusive_check {
    const char *component;
    const char *sets;
    int taken;
};

static void on_other_auth(void *arg, const struct component_auth *a)
{
    struct exclusive_check *x = arg;
    if (strcmp(a->component_appid, x->component) == 0)
        return;
    for (size_t i = 0; i < sizeof(exclusive_sets) / sizeof(exclusive_sets[0]); i++)
        if (component_sets_has(x->sets, exclusive_sets[i]) &&
            component_sets_has(a->func_sets, exclusive_sets[i]))
            x->taken = exclusive_sets[i];
}

/* the first exclusive set of `sets` another component holds for the account; 0 = none */
static int exclusive_taken(struct store *s, const char *component, const char *authorizer,
                           const char *sets, int *taken)
{
    struct exclusive_check x = {component, sets, 0};
    int rc = store_auth_list_authorizer(s, authorizer, on_other_auth, &x);
    *taken = x.taken;
    return rc;
}

int component_approve_run(struct store *s, void *arg)
{
    struct component_approve *a = arg;
    struct component c;
    struct component_auth old, au = {0};
    int64_t now = clock_now();
    int taken = 0;
    int rc = check_approval(s, a, &c);
    if (rc == 0)
        rc = exclusive_taken(s, c.appid, a->authorizer_appid, a->func_sets, &taken);
    if (rc == 0 && taken) {
        a->exclusive_set = taken;
        return ERR_CONFLICT;
    }
    if (rc == 0)
        rc = store_preauth_use(s, a->component_appid, a->preauth);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_COMPONENT_CODE_INVALID : rc;
    int had = store_auth_get(s, c.appid, a->authorizer_appid, &old) == 0;
    snprintf(au.component_appid, sizeof(au.component_appid), "%s", c.appid);
    snprintf(au.authorizer_appid, sizeof(au.authorizer_appid), "%s", a->authorizer_appid);
    snprintf(au.func_sets, sizeof(au.func_sets), "%s", a->func_sets);
    crypto_token(au.refresh_token, sizeof(au.refresh_token), "refreshtoken@@@", 48);
    au.auth_time = now;
    crypto_token(a->auth_code, sizeof(a->auth_code), "queryauthcode@@@", 48);
    if ((rc = store_auth_put(s, &au)) != 0 ||
        (rc = store_auth_code_insert(s, a->auth_code, c.appid, a->authorizer_appid,
                                     now + COMPONENT_AUTH_CODE_TTL)) != 0)
        return rc;
    if (!had)
        return push_event(s, &c, "authorized", a, now);
    if (strcmp(old.func_sets, au.func_sets) != 0)
        return push_event(s, &c, "updateauthorized", a, now);
    return 0;
}

void component_push_after(void *unused)
{
    component_auth_changed(unused);
    push_worker_kick();
}

int component_query_auth_run(struct store *s, void *arg)
{
    struct component_query *q = arg;
    char authorizer[19];
    int64_t expires_at, now = clock_now();
    int rc = store_auth_code_take(s, q->code, q->component_appid, authorizer, &expires_at);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_COMPONENT_CODE_INVALID : rc;
    if (expires_at <= now)
        return ERR_COMPONENT_CODE_EXPIRED;
    rc = store_auth_get(s, q->component_appid, authorizer, &q->auth);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_COMPONENT_CODE_INVALID : rc;
    rc = store_authorizer_token_supersede(s, q->component_appid, authorizer, now,
                                          now + TOKEN_OVERLAP);
    if (rc != 0)
        return rc;
    crypto_token(q->access_token, sizeof(q->access_token), "", 96);
    return store_authorizer_token_insert(s, q->access_token, q->component_appid, authorizer, now,
                                         now + TOKEN_TTL);
}
