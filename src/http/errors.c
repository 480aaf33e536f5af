/*
 * errors: h2o answers some requests itself, before any handler (a body over the limit: 413;
 * a malformed request: 400) or from its file handler (static.c: 404, 403, 405, 416), with a
 * plain-text body. This output filter turns those bodies into the JSON envelope
 * {"errcode":STATUS,"errmsg":"..."} so every client sees one format; a body too large for an
 * upload route becomes HTTP 200 {"errcode":45001,...} as on WeChat.
 * Our own answers never carry text/plain error bodies, so only h2o's are rewritten.
 */
#include "http_int.h"
#include "intake.h"
#include "../router/router.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

struct json_ostream {
    h2o_ostream_t super;
    h2o_iovec_t body;
    int sent;
};

static void json_do_send(h2o_ostream_t *self, h2o_req_t *req, h2o_iovec_t *bufs, size_t bufcnt,
                         h2o_send_state_t state)
{
    struct json_ostream *o = (struct json_ostream *)self;
    h2o_iovec_t out = o->sent ? h2o_iovec_init(NULL, 0) : o->body;
    o->sent = 1;
    h2o_ostream_send_next(&o->super, req, &out, out.len ? 1 : 0, state);
}

static const char *message(int status)
{
    switch (status) {
    case 413:
        return "request entity too large";
    case 404:
        return "not found";
    case 403:
        return "forbidden";
    case 405:
        return "method not allowed";
    case 416:
        return "range not satisfiable";
    default:
        return status >= 500 ? "system error" : "bad request";
    }
}

static int is_h2o_error(h2o_req_t *req, ssize_t *ct)
{
    if (req->res.status < 400)
        return 0;
    *ct = h2o_find_header(&req->res.headers, H2O_TOKEN_CONTENT_TYPE, -1);
    if (*ct < 0)
        return 0;
    h2o_iovec_t v = req->res.headers.entries[*ct].value;
    return v.len >= 10 && memcmp(v.base, "text/plain", 10) == 0;
}

/* the route of h2o's request, by its normalised path; NULL for none */
static const struct route *route_of(h2o_req_t *req)
{
    char path[1024];
    size_t n = req->query_at == SIZE_MAX ? req->path.len : req->query_at;
    if (n >= sizeof(path))
        return NULL;
    return router_find(path, http_normalise_path(req->path.base, n, path));
}

static int wire_route(h2o_req_t *req)
{
    const struct route *rt = route_of(req);
    return rt && (rt->flags & R_WIRE);
}

/* 1 for a body over the global limit sent to an upload route: WeChat answers 45001 there */
static int upload_too_large(h2o_req_t *req)
{
    const struct route *rt = req->res.status == 413 ? route_of(req) : NULL;
    return rt && (rt->flags & R_UPLOAD);
}

static void on_setup_ostream(h2o_filter_t *self, h2o_req_t *req, h2o_ostream_t **slot)
{
    ssize_t ct;
    if (is_h2o_error(req, &ct)) {
        char msg[200];
        int n;
        int refusal = req->res.status == 413 ? intake_refusal() : 0;
        if (refusal == ERR_BUSY) {
            int wire = wire_route(req);
            req->res.status = wire ? 200 : 503;
            req->res.reason = wire ? "OK" : "Service Unavailable";
            n = snprintf(msg, sizeof(msg), "{\"errcode\":%d,\"errmsg\":\"%s\"}",
                         wire ? ERR_SYSTEM : ERR_BUSY, err_msg(ERR_BUSY));
        } else if (refusal == ERR_INVALID_CREDENTIAL) {
            req->res.status = 200;
            req->res.reason = "OK";
            n = snprintf(msg, sizeof(msg), "{\"errcode\":%d,\"errmsg\":\"%s\"}",
                         ERR_INVALID_CREDENTIAL, err_msg(ERR_INVALID_CREDENTIAL));
        } else if (upload_too_large(req)) {
            req->res.status = 200;
            req->res.reason = "OK";
            n = snprintf(msg, sizeof(msg), "{\"errcode\":%d,\"errmsg\":\"%s\"}",
                         ERR_MEDIA_SIZE_LIMIT, err_msg(ERR_MEDIA_SIZE_LIMIT));
        } else {
            n = snprintf(msg, sizeof(msg), "{\"errcode\":%d,\"errmsg\":\"%s\"}", req->res.status,
                         message(req->res.status));
        }
        struct json_ostream *o = (void *)h2o_add_ostream(req, sizeof(*o), slot);
        o->super.do_send = json_do_send;
        o->body = h2o_strdup(&req->pool, msg, (size_t)n);
        o->sent = 0;
        req->res.headers.entries[ct].value =
            h2o_iovec_init(H2O_STRLIT("application/json; encoding=utf-8"));
        req->res.content_length = (size_t)n;
        slot = &o->super.next;
        http_count_early(req);
    }
    h2o_setup_next_ostream(req, slot);
}

void http_errors_register(h2o_pathconf_t *pc)
{
    h2o_filter_t *f = h2o_create_filter(pc, sizeof(*f));
    f->on_setup_ostream = on_setup_ostream;
}
