/*
 * router: THE route table (routes.c) and the one place that checks, before any handler
 * runs, the method, the body size, the caller's credential and the daily quota. Handlers
 * never check those again. Wire routes (R_WIRE) answer every error as HTTP 200 with
 * {"errcode","errmsg"} (spec/README.md §3); console, client and operator routes use HTTP
 * status codes with the same envelope.
 */
#ifndef LJ_ROUTER_H
#define LJ_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "../util/permset.h"

struct req;

enum { M_GET = 1, M_POST = 2, M_OTHER = 4 };

enum auth_kind {
    AUTH_NONE,      /* public */
    AUTH_TOKEN,     /* access_token (account or authorizer) in the query */
    AUTH_COMPONENT, /* component_access_token */
    AUTH_CLIENT,    /* end-user session: Authorization: Bearer */
    AUTH_CONSOLE,   /* merchant / third-party console session */
    AUTH_OPERATOR,  /* operator key: Authorization: Bearer, or X-Operator-Key */
};

enum {
    R_WIRE = 1,       /* WeChat wire path: errors are HTTP 200 + errcode */
    R_TEST_CLOCK = 2, /* exists only with --test-clock */
    R_DEMO = 4,       /* exists only with --demo */
    R_UPLOAD = 8,     /* multipart upload: a body over max_body answers 45001 (HTTP 200) */
    R_FILE = 16,      /* answers files: JSON errors carry exactly "application/json" */
    R_COMPONENT = 32, /* AUTH_TOKEN that a component token may also call, as access_token or
                         component_access_token, for the component's own appid (quota APIs) */
    R_FORM = 64,      /* a page's form POST that acts as the browser's user: only from a page
                         of this server (a same-origin Origin) */
};

struct route {
    unsigned methods;
    const char *path;
    int (*handler)(struct req *r);
    enum auth_kind auth;
    struct permset sets; /* third-party permission sets granting it (spec/component.md §7) */
    unsigned flags;
    size_t max_body; /* 0 = HTTP_MAX_BODY; at most HTTP_MAX_UPLOAD */
};

extern const struct route routes[];
extern const size_t route_count;

struct router_options {
    int test_clock;
    int demo;
};

struct store;

void router_init(const struct router_options *opt);
/* checks and dispatches one request; always answers (now or after a write) */
void router_dispatch(struct req *r);
/* index of a route in routes[], for metrics; route_count for "no route" */
size_t router_index(const struct route *rt);
/* the route serving a path, whatever the method; NULL if none (for openapi/quota/get) */
const struct route *router_find(const char *path, size_t len);
/* the daily quota of a route (0 = not metered) */
int64_t router_quota(const struct route *rt);
/*
 * How large a body a request to path (normalised) with query may send, decided before it is
 * read: the route's max_body, or HTTP_MAX_BODY for no route. Past HTTP_MAX_BODY only with a
 * valid access_token in the query (*why is ERR_INVALID_CREDENTIAL when it is not, and the
 * answer HTTP_MAX_BODY); the token's quota and permissions are for the router to check later.
 * rd: the loop's connection.
 */
size_t router_body_limit(struct store *rd, const char *path, size_t plen, const char *query,
                         size_t qlen, int *why);

#endif
