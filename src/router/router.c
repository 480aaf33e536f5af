/*
 * router: lookup and the checks every route shares (see router.h). The order is fixed:
 * path -> method -> body size -> credential -> quota -> handler. h2o reads bodies up to
 * HTTP_MAX_UPLOAD; each route then holds them to its own max_body (HTTP_MAX_BODY unless it
 * says otherwise), and a body to no route to HTTP_MAX_BODY.
 */
#include "router.h"
#include "../http/http.h"
#include "../api/api.h"
#include "../core/accounts.h"
#include "../core/clock.h"
#include "../core/component.h"
#include "../core/quota.h"
#include "../core/sessions.h"
#include "../core/tokens.h"
#include "../crypto/crypto.h"
#include "../util/err.h"
#include "../util/hash.h"
#include "../util/parse.h"
#include "../util/url.h"
#include "../util/xalloc.h"

#include <string.h>

#define SLOTS 1024

static const struct route *slots[SLOTS]; /* first route of each distinct path */
static int64_t quotas[SLOTS];
static struct router_options options;

static int enabled(const struct route *rt)
{
    if ((rt->flags & R_TEST_CLOCK) && !options.test_clock)
        return 0;
    if ((rt->flags & R_DEMO) && !options.demo)
        return 0;
    return 1;
}

void router_init(const struct router_options *opt)
{
    options = *opt;
    for (size_t i = 0; i < route_count; i++) {
        const struct route *rt = &routes[i];
        if (!enabled(rt))
            continue;
        size_t n = strlen(rt->path);
        for (uint32_t s = hash_fnv1a(rt->path, n) % SLOTS;; s = (s + 1) % SLOTS) {
            if (!slots[s]) {
                slots[s] = rt;
                break;
            }
            if (strcmp(slots[s]->path, rt->path) == 0)
                break;
        }
    }
}

const struct route *router_find(const char *path, size_t len)
{
    for (uint32_t s = hash_fnv1a(path, len) % SLOTS; slots[s]; s = (s + 1) % SLOTS)
        if (strncmp(slots[s]->path, path, len) == 0 && slots[s]->path[len] == 0)
            return slots[s];
    return NULL;
}

size_t router_index(const struct route *rt)
{
    return (size_t)(rt - routes);
}

int64_t router_quota(const struct route *rt)
{
    size_t i = router_index(rt);
    if (i < SLOTS && quotas[i] == 0)
        quotas[i] = quota_limit(rt->path) ? quota_limit(rt->path) : -1;
    return i < SLOTS && quotas[i] > 0 ? quotas[i] : 0;
}

/* the entry for this method among the routes sharing the first one's path */
static const struct route *match_method(const struct route *first, int method)
{
    for (const struct route *rt = first; rt < routes + route_count; rt++) {
        if (strcmp(rt->path, first->path) != 0)
            break;
        if (enabled(rt) && (rt->methods & method))
            return rt;
    }
    return NULL;
}

static int bearer(struct req *r, char *out, size_t cap)
{
    size_t n;
    const char *v = req_header(r, "authorization", &n);
    if (v && n > 7 && strncasecmp(v, "Bearer ", 7) == 0 && n - 7 < cap) {
        memcpy(out, v + 7, n - 7);
        out[n - 7] = 0;
        return 0;
    }
    return -1;
}

static int auth_operator(struct req *r)
{
    char key[128];
    size_t n;
    const char *v = req_header(r, "x-operator-key", &n);
    if (v && n < sizeof(key)) {
        memcpy(key, v, n);
        key[n] = 0;
    } else if (bearer(r, key, sizeof(key)) != 0) {
        return ERR_UNAUTHENTICATED;
    }
    const char *want = accounts_operator_key();
    return crypto_eq(key, strlen(key), want, strlen(want)) ? 0 : ERR_UNAUTHENTICATED;
}

/* a component token where an account token was expected: the component's own appid on the
 * routes that allow it (R_COMPONENT), 48001 elsewhere; ERR_INVALID_CREDENTIAL when it is none */
static int component_as_account(struct req *r, const char *tok, size_t n)
{
    char component[19];
    if (component_token_check(r->rd, tok, n, component) != 0)
        return ERR_INVALID_CREDENTIAL;
    if (!(r->route->flags & R_COMPONENT))
        return ERR_API_UNAUTHORIZED;
    memcpy(r->appid, component, sizeof(component));
    return 0;
}

static int auth_token(struct req *r)
{
    char tok[160];
    long n = req_query(r, "access_token", tok, sizeof(tok));
    if ((n == -1 || n == 0) && (r->route->flags & R_COMPONENT))
        n = req_query(r, "component_access_token", tok, sizeof(tok));
    if (n == -1 || n == 0)
        return ERR_MISSING_ACCESS_TOKEN;
    if (n < 0)
        return ERR_INVALID_CREDENTIAL;
    /* an account's own tokens carry AT_ or ST_ (tokens.c); anything else is a third party's */
    int own = n > 3 && (memcmp(tok, "AT_", 3) == 0 || memcmp(tok, "ST_", 3) == 0);
    int rc = own ? tokens_check(r->rd, tok, (size_t)n, r->appid)
                 : component_authorizer_check(r->rd, tok, &r->route->sets, clock_now(), r->appid,
                                              &r->granted);
    if (own)
        r->granted = (struct permset){{~0ull, ~0ull}};
    if (rc == ERR_INVALID_CREDENTIAL && !own)
        rc = component_as_account(r, tok, (size_t)n);
    if (rc != 0)
        return rc;
    if (router_quota(r->route) > 0)
        return quota_take(r->rd, r->appid, r->route->path);
    return 0;
}

/* a component token: component_access_token, or access_token as current docs name it */
static int auth_component(struct req *r)
{
    char tok[160];
    long n = req_query(r, "component_access_token", tok, sizeof(tok));
    if (n == -1 || n == 0)
        n = req_query(r, "access_token", tok, sizeof(tok));
    if (n == -1 || n == 0)
        return ERR_MISSING_ACCESS_TOKEN;
    if (n < 0)
        return ERR_INVALID_CREDENTIAL;
    return component_token_check(r->rd, tok, (size_t)n, r->appid);
}

/*
 * The web client's cookie session (api_cookie_user). A POST with it must come from a page
 * of this server: it carries X-Requested-With, which a foreign page can only send after a
 * CORS preflight that lianjie never grants, and an Origin, when the browser sends one, that
 * names this host (pages on another port of the same host are same-site, so SameSite=Lax
 * alone would let them post). Bearer callers never meet this rule.
 */
static int cross_site(struct req *r)
{
    size_t n;
    char host[256];
    const char *v = req_header(r, "x-requested-with", &n);
    if (!v || n == 0)
        return 1;
    const char *origin = req_header(r, "origin", &n);
    req_host(r, host, sizeof(host));
    return origin && !url_origin_is_host(origin, n, host, strlen(host));
}

/*
 * A form POST of one of this server's pages acts as the user whose cookie the browser holds
 * (signs them in, allows a login or an authorization): it must name this server as its Origin,
 * which every current browser sends with a POST. Without an Origin, only Sec-Fetch-Site
 * "same-origin" will do. A page on another port or subdomain is same-site, so SameSite=Lax
 * cookies alone would not stop it.
 */
static int form_from_here(struct req *r)
{
    size_t n;
    char host[256];
    req_host(r, host, sizeof(host));
    const char *origin = req_header(r, "origin", &n);
    if (origin)
        return url_origin_is_host(origin, n, host, strlen(host));
    const char *site = req_header(r, "sec-fetch-site", &n);
    return site && n == 11 && memcmp(site, "same-origin", 11) == 0;
}

static int auth_cookie(struct req *r)
{
    int rc = api_cookie_user(r, &r->user_id);
    if (rc != 0 || r->method != M_POST || !cross_site(r))
        return rc;
    http_send_err_status(r, 403, ERR_FORBIDDEN,
                         "cross-site request refused: a cookie-authenticated POST needs "
                         "X-Requested-With and a same-origin Origin");
    return REQ_ASYNC;
}

static int authenticate(struct req *r)
{
    char sess[128];
    switch (r->route->auth) {
    case AUTH_NONE:
        return 0;
    case AUTH_TOKEN:
        return auth_token(r);
    case AUTH_OPERATOR:
        return auth_operator(r);
    case AUTH_CLIENT:
        if (req_header(r, "authorization", &(size_t){0}))
            return bearer(r, sess, sizeof(sess)) != 0 ? ERR_UNAUTHENTICATED
                                                      : sessions_check(r->rd, sess, &r->user_id);
        return auth_cookie(r);
    case AUTH_COMPONENT:
        return auth_component(r);
    case AUTH_CONSOLE:
        break;
    }
    return ERR_UNAUTHENTICATED;
}

static int check_method(struct req *r, const struct route *first)
{
    const struct route *rt = match_method(first, r->method);
    if (rt) {
        r->route = rt;
        return 0;
    }
    r->route = first;
    if (!(first->flags & R_WIRE)) {
        http_send_err_status(r, 405, 405, "method not allowed");
        return REQ_ASYNC;
    }
    return (first->methods & M_GET) ? ERR_REQUIRE_GET : ERR_REQUIRE_POST;
}

size_t router_body_limit(struct store *rd, const char *path, size_t plen, const char *query,
                         size_t qlen, int *why)
{
    const struct route *rt = router_find(path, plen);
    size_t max = rt && rt->max_body ? rt->max_body : HTTP_MAX_BODY;
    *why = 0;
    if (max <= HTTP_MAX_BODY)
        return max;
    char tok[160], appid[19];
    long n = parse_form_param(query, qlen, "access_token", tok, sizeof(tok));
    if (n <= 0 && (rt->flags & R_COMPONENT))
        n = parse_form_param(query, qlen, "component_access_token", tok, sizeof(tok));
    int own = n > 3 && (memcmp(tok, "AT_", 3) == 0 || memcmp(tok, "ST_", 3) == 0);
    struct permset granted;
    int rc = n <= 0 ? ERR_INVALID_CREDENTIAL
             : own  ? tokens_check(rd, tok, (size_t)n, appid)
                    : component_authorizer_check(rd, tok, &rt->sets, clock_now(), appid, &granted);
    if (rc == 0)
        return max;
    *why = ERR_INVALID_CREDENTIAL;
    return HTTP_MAX_BODY;
}

/* the call was counted by the writer (QUOTA_WRITE): on to the handler */
static int counted(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    if (!quota_job_taken(arg))
        return ERR_DAILY_QUOTA;
    return r->route->handler(r);
}

void router_dispatch(struct req *r)
{
    const struct route *first = router_find(r->path, r->path_len);
    if (!first) {
        if (r->body_len > HTTP_MAX_BODY)
            http_send_err(r, ERR_BODY_TOO_LARGE);
        else if (api_not_found(r) != 0)
            http_send_err_status(r, 404, ERR_NOT_FOUND, "not found");
        return;
    }
    int rc = check_method(r, first);
    if (rc == REQ_ASYNC)
        return;
    if (rc == 0) {
        size_t max = r->route->max_body ? r->route->max_body : HTTP_MAX_BODY;
        if (r->body_len > max)
            rc = (r->route->flags & R_UPLOAD) ? ERR_MEDIA_SIZE_LIMIT : ERR_BODY_TOO_LARGE;
    }
    if (rc == 0 && (r->route->flags & R_FORM) && r->method == M_POST && !form_from_here(r)) {
        http_send_err_status(r, 403, ERR_FORBIDDEN,
                             "cross-site form refused: a form of this server's pages only");
        return;
    }
    if (rc == 0)
        rc = authenticate(r);
    if (rc == QUOTA_WRITE)
        rc = http_write_atomic(r, quota_job_run, quota_job_commit,
                               quota_job_new(r->appid, r->route->path), counted);
    else if (rc == 0)
        rc = r->route->handler(r);
    if (rc != 0 && rc != REQ_ASYNC)
        http_send_err(r, rc);
}
