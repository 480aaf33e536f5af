/*
 * server: h2o event loops, listeners, request intake and answers (see http.h).
 * Limits: bodies over the route's limit get 413, or 45001 on upload routes (h2o refuses
 * anything over the global limit, HTTP_MAX_UPLOAD, before reading it); request heads and bodies
 * must arrive within 10 s (h2o's req_timeout, which also stops slow clients); idle keep-alive
 * connections close after 10 s.
 */
#include "http_int.h"
#include "intake.h"
#include "../router/router.h"
#include "../store/store.h"
#include "../core/clock.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/workers.h"
#include "../util/parse.h"
#include "../util/xalloc.h"
#include "../crypto/crypto.h"
#include "../util/thread.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

const int metric_status_codes[METRIC_STATUSES] = {200, 302, 400, 401, 403, 404,
                                                  405, 409, 413, 500, 503, 0};
const double lat_bucket_le[LAT_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                           0.025,  0.05,    0.1,    0.25,  0.5,    1,     5};

static h2o_globalconf_t globalconf;
static struct thread_ctx *threads;
static int nthreads;
static uint32_t rid_prefix;

int http_thread_count(void)
{
    return nthreads;
}

struct thread_ctx *http_thread(int i)
{
    return &threads[i];
}

/* ------------------------------------------------------------------ request helpers */

long req_query(struct req *r, const char *name, char *out, size_t cap)
{
    if (!r->query)
        return -1;
    return parse_form_param(r->query, r->query_len, name, out, cap);
}

const char *req_header(struct req *r, const char *name, size_t *len)
{
    h2o_req_t *h = r->h;
    ssize_t i = h2o_find_header_by_str(&h->headers, name, strlen(name), -1);
    if (i < 0)
        return NULL;
    *len = h->headers.entries[i].value.len;
    return h->headers.entries[i].value.base;
}

long req_param(struct req *r, const char *name, char *out, size_t cap)
{
    long n = req_query(r, name, out, cap);
    if (n != -1 || r->body_len == 0)
        return n;
    size_t ctl;
    const char *ct = req_header(r, "content-type", &ctl);
    if (!ct || ctl < 33 || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
        return -1;
    return parse_form_param(r->body, r->body_len, name, out, cap);
}

long req_cookie(struct req *r, const char *name, char *out, size_t cap)
{
    size_t len, nlen = strlen(name);
    const char *v = req_header(r, "cookie", &len);
    for (const char *p = v, *end = v ? v + len : NULL; p && p < end;) {
        while (p < end && (*p == ' ' || *p == ';'))
            p++;
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *stop = semi ? semi : end;
        if ((size_t)(stop - p) > nlen && memcmp(p, name, nlen) == 0 && p[nlen] == '=') {
            size_t vl = (size_t)(stop - p) - nlen - 1;
            if (vl >= cap)
                return -1;
            memcpy(out, p + nlen + 1, vl);
            out[vl] = 0;
            return (long)vl;
        }
        p = stop;
    }
    return -1;
}

void req_host(struct req *r, char *out, size_t cap)
{
    h2o_req_t *h = r->h;
    if (h->authority.len && h->authority.len < cap &&
        !memchr(h->authority.base, '"', h->authority.len) &&
        !memchr(h->authority.base, '<', h->authority.len))
        snprintf(out, cap, "%.*s", (int)h->authority.len, h->authority.base);
    else
        snprintf(out, cap, "127.0.0.1");
}

void http_add_header(struct req *r, const char *name, const char *value)
{
    h2o_req_t *h = r->h;
    h2o_add_header_by_str(&h->pool, &h->res.headers, name, strlen(name), 0, NULL,
                          h2o_strdup(&h->pool, value, SIZE_MAX).base, strlen(value));
}

void http_send_html(struct req *r, int status, struct buf *b)
{
    http_add_header(r, "cache-control", "no-store");
    http_add_header(r, "x-frame-options", "DENY");
    http_send(r, status, "text/html; charset=utf-8", b->ptr, b->len);
    buf_release(b);
}

/* ------------------------------------------------------------------ answers */

static void count_status(struct thread_metrics *m, size_t ri, int status)
{
    int si = METRIC_STATUSES - 1;
    for (int i = 0; i < METRIC_STATUSES - 1; i++)
        if (metric_status_codes[i] == status)
            si = i;
    atomic_fetch_add_explicit(&m->req[ri][si], 1, memory_order_relaxed);
}

void http_count_early(h2o_req_t *h)
{
    struct thread_ctx *t = H2O_STRUCT_FROM_MEMBER(struct thread_ctx, ctx, h->conn->ctx);
    count_status(&t->metrics, METRIC_ROUTES, h->res.status);
}

static void record(struct req *r)
{
    struct thread_metrics *m = &r->thr->metrics;
    size_t ri = r->route ? router_index(r->route) : METRIC_ROUTES;
    if (ri > METRIC_ROUTES)
        ri = METRIC_ROUTES;
    count_status(m, ri, r->status);
    int64_t us = (clock_mono_ns() - r->t0) / 1000;
    int b = 0;
    while (b < LAT_BUCKETS && (double)us / 1e6 > lat_bucket_le[b])
        b++;
    atomic_fetch_add_explicit(&m->lat[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->lat_sum_us, (unsigned long long)us, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->count, 1, memory_order_relaxed);
    if (log_threshold > LOG_INFO)
        return;
    h2o_req_t *h = r->h;
    struct buf line = BUF_INIT;
    buf_printf(&line,
               "{\"ts\":%lld,\"level\":\"info\",\"module\":\"access\",\"rid\":\"%s\",\"ip\":",
               (long long)clock_now_ms(), r->rid);
    buf_json_cstr(&line, r->ip);
    buf_puts(&line, ",\"method\":");
    buf_json_str(&line, h->method.base, h->method.len);
    buf_puts(&line, ",\"path\":");
    buf_json_str(&line, r->path, r->path_len); /* never the query: it carries tokens */
    buf_printf(&line, ",\"status\":%d,\"errcode\":%d,\"us\":%lld}", r->status, r->errcode,
               (long long)us);
    log_raw(line.ptr, line.len);
    buf_release(&line);
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "Error";
    }
}

/* answers with a body that already lives in the request's pool */
static void send_pooled(struct req *r, int status, const char *ctype, const char *body, size_t len)
{
    h2o_req_t *h = r->h;
    h->res.status = status;
    h->res.reason = reason(status);
    h->res.content_length = len;
    h2o_add_header(&h->pool, &h->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, ctype, strlen(ctype));
    h2o_add_header_by_str(&h->pool, &h->res.headers, H2O_STRLIT("x-request-id"), 0, NULL, r->rid,
                          strlen(r->rid));
    r->status = status;
    record(r);
    h2o_send_inline(h, body, len);
}

void http_send(struct req *r, int status, const char *ctype, const char *body, size_t len)
{
    h2o_req_t *h = r->h;
    char *copy = h2o_mem_alloc_pool(&h->pool, len + 1);
    memcpy(copy, body, len);
    send_pooled(r, status, ctype, copy, len);
}

int http_send_file(struct req *r, const char *ctype, const char *disposition, const char *path)
{
    h2o_req_t *h = r->h;
    struct stat st;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > HTTP_MAX_UPLOAD) {
        close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size, got = 0;
    char *body = h2o_mem_alloc_pool(&h->pool, len + 1);
    while (got < len) {
        ssize_t n = read(fd, body + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got != len)
        return -1;
    if (disposition)
        http_add_header(r, "content-disposition", disposition);
    send_pooled(r, 200, ctype, body, len);
    return 0;
}

#define JSON_CTYPE "application/json; encoding=utf-8"

void http_send_json(struct req *r, const char *body, size_t len)
{
    http_send(r, 200, JSON_CTYPE, body, len);
}

void http_send_buf(struct req *r, struct buf *b)
{
    http_send_json(r, b->ptr, b->len);
    buf_release(b);
}

void http_send_ok(struct req *r)
{
    static const char ok[] = "{\"errcode\":0,\"errmsg\":\"ok\"}";
    r->errcode = 0;
    http_send_json(r, ok, sizeof(ok) - 1);
}

void http_send_err_status(struct req *r, int status, int code, const char *msg)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"errcode\":%d,\"errmsg\":", code);
    buf_json_cstr(&b, msg);
    buf_putc(&b, '}');
    r->errcode = code;
    /* routes that answer files tell an error by a Content-Type of exactly application/json */
    http_send(r, status, r->route && (r->route->flags & R_FILE) ? "application/json" : JSON_CTYPE,
              b.ptr, b.len);
    buf_release(&b);
}

static int status_for(int code)
{
    switch (code) {
    case ERR_NOT_FOUND:
        return 404;
    case ERR_BODY_TOO_LARGE:
        return 413;
    case ERR_UNAUTHENTICATED:
        return 401;
    case ERR_FORBIDDEN:
        return 403;
    case ERR_CONFLICT:
        return 409;
    case ERR_EXPIRED:
        return 410;
    case ERR_TOO_MANY_ATTEMPTS:
        return 429;
    case ERR_BUSY:
        return 503;
    case ERR_SYSTEM:
        return 500;
    default:
        return 400;
    }
}

void http_send_err(struct req *r, int code)
{
    int wire = !r->route || (r->route->flags & R_WIRE);
    int status = code == 0 ? 200
                 : wire    ? (code == ERR_NOT_FOUND && !r->route ? 404 : 200)
                           : status_for(code);
    if (code == ERR_BODY_TOO_LARGE)
        status = 413;
    http_send_err_status(r, status, code, err_msg(code));
}

void http_redirect(struct req *r, const char *location)
{
    h2o_req_t *h = r->h;
    if (strpbrk(location, "\r\n")) { /* never split a response, whatever the caller checked */
        http_send_err_status(r, 400, ERR_BAD_REQUEST, "bad redirect target");
        return;
    }
    h2o_add_header(&h->pool, &h->res.headers, H2O_TOKEN_LOCATION, NULL, location, strlen(location));
    http_send(r, 302, "text/plain; charset=utf-8", "", 0);
}

/* ------------------------------------------------------------------ writes through the writer */

/*
 * An answer produced on another thread reaches its loop as an h2o message. A write's answer is
 * staged by the writer thread (write_complete) and all answers of one batch for one loop
 * travel as one message (deliver_batch): one lock and at most one wake-up per loop and batch.
 * Writes are likewise queued per loop and handed to the writer once per loop turn
 * (submit_pending).
 */

struct guard {
    struct async_job *job;
};

struct async_job {
    struct wjob job;
    h2o_multithread_message_t msg;
    struct async_job *batch_next; /* more answers carried by the same message */
    struct thread_ctx *thr;
    struct req *r; /* NULL once the request is gone */
    struct guard *guard;
    req_done_fn done;
};

static void guard_dispose(void *p)
{
    struct guard *g = p;
    if (g->job)
        g->job->r = NULL;
}

static void async_complete(struct wjob *job)
{
    struct async_job *aj = (struct async_job *)job;
    h2o_multithread_send_message(&aj->thr->receiver, &aj->msg);
}

/* writer thread: stages a write's answer until its batch ends */
static void write_complete(struct wjob *job)
{
    struct async_job *aj = (struct async_job *)job, *prev;
    struct thread_ctx *t = aj->thr;
    aj->batch_next = NULL;
    prev = t->done_last;
    t->done_last = aj;
    if (prev)
        prev->batch_next = aj;
    else
        t->done_first = aj;
}

/* writer thread, at the end of each batch: one message per loop with all its answers */
static void deliver_batch(void)
{
    for (int i = 0; i < nthreads; i++) {
        struct thread_ctx *t = &threads[i];
        struct async_job *first = t->done_first;
        if (!first)
            continue;
        t->done_first = t->done_last = NULL;
        h2o_multithread_send_message(&t->receiver, &first->msg);
    }
}

static void finish_one(struct async_job *aj)
{
    if (aj->r) {
        aj->guard->job = NULL;
        int rc = aj->done(aj->r, aj->job.arg, aj->job.rc);
        if (rc != 0 && rc != REQ_ASYNC)
            http_send_err(aj->r, rc);
    }
    free(aj->job.arg);
    free(aj);
}

static void submit_pending(struct thread_ctx *t);

static void on_messages(h2o_multithread_receiver_t *recv, h2o_linklist_t *messages)
{
    /* the turn's writes read so far go to the writer before the answers are written */
    submit_pending(H2O_STRUCT_FROM_MEMBER(struct thread_ctx, receiver, recv));
    while (!h2o_linklist_is_empty(messages)) {
        h2o_multithread_message_t *m =
            H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
        h2o_linklist_unlink(&m->link);
        struct async_job *aj = H2O_STRUCT_FROM_MEMBER(struct async_job, msg, m), *next;
        for (; aj; aj = next) {
            next = aj->batch_next;
            finish_one(aj);
        }
    }
}

struct http_async *http_defer(struct req *r, void *arg, req_done_fn done)
{
    h2o_req_t *h = r->h;
    struct async_job *aj = xcalloc(1, sizeof(*aj));
    aj->job.complete = async_complete;
    aj->job.arg = arg;
    aj->thr = r->thr;
    aj->r = r;
    aj->done = done;
    aj->guard = h2o_mem_alloc_shared(&h->pool, sizeof(struct guard), guard_dispose);
    aj->guard->job = aj;
    return (struct http_async *)aj;
}

void http_async_finish(struct http_async *a, int rc)
{
    struct async_job *aj = (struct async_job *)a;
    aj->job.rc = rc;
    async_complete(&aj->job);
}

static int queue_write(struct req *r, wjob_run_fn run, void (*after_commit)(void *), void *arg,
                       req_done_fn done, int atomic_run)
{
    struct async_job *aj = (struct async_job *)http_defer(r, arg, done);
    struct thread_ctx *t = r->thr;
    aj->job.run = run;
    aj->job.after_commit = after_commit;
    aj->job.complete = write_complete;
    aj->job.atomic_run = atomic_run;
    aj->job.next = NULL;
    if (t->pend_last)
        t->pend_last->next = &aj->job;
    else
        t->pend_first = &aj->job;
    t->pend_last = &aj->job;
    return REQ_ASYNC;
}

int http_write(struct req *r, wjob_run_fn run, void (*after_commit)(void *), void *arg,
               req_done_fn done)
{
    return queue_write(r, run, after_commit, arg, done, 0);
}

int http_write_atomic(struct req *r, wjob_run_fn run, void (*after_commit)(void *), void *arg,
                      req_done_fn done)
{
    return queue_write(r, run, after_commit, arg, done, 1);
}

struct offload {
    struct http_async *a;
    int (*run)(void *arg);
    void *arg;
};

static void offload_run(void *p)
{
    struct offload *o = p;
    int rc = o->run(o->arg);
    http_async_finish(o->a, rc); /* arg may be gone from here on */
    free(o);
}

int http_offload(struct req *r, int (*run)(void *arg), void *arg, req_done_fn done)
{
    struct offload *o = xmalloc(sizeof(*o));
    o->a = http_defer(r, arg, done);
    o->run = run;
    o->arg = arg;
    if (workers_submit(offload_run, o) != 0) {
        http_async_finish(o->a, ERR_BUSY);
        free(o);
    }
    return REQ_ASYNC;
}

/* loop thread, at the end of each turn: the turn's writes go to the writer together */
static void submit_pending(struct thread_ctx *t)
{
    if (!t->pend_first)
        return;
    writer_submit_chain(t->pend_first, t->pend_last);
    t->pend_first = t->pend_last = NULL;
}

/* ------------------------------------------------------------------ intake */

/* an IPv4 address as dotted decimal into out (16 bytes) */
static void format_ipv4(const unsigned char *a, char *out)
{
    char *p = out;
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (v >= 100)
            *p++ = (char)('0' + v / 100);
        if (v >= 10)
            *p++ = (char)('0' + v / 10 % 10);
        *p++ = (char)('0' + v % 10);
        *p++ = i < 3 ? '.' : 0;
    }
}

/* the peer's address: IPv4 (also when mapped into IPv6) formatted here, once per request;
 * other IPv6 addresses through getnameinfo, which keeps their scope */
static void peer_ip(h2o_req_t *h, char *out, size_t cap)
{
    struct sockaddr_storage ss;
    socklen_t len = h->conn->callbacks->get_peername(h->conn, (struct sockaddr *)&ss);
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;
    out[0] = 0;
    if (len != 0 && ss.ss_family == AF_INET && cap >= 16) {
        format_ipv4((const unsigned char *)&((const struct sockaddr_in *)&ss)->sin_addr, out);
        return;
    }
    if (len != 0 && ss.ss_family == AF_INET6 && cap >= 16 &&
        IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
        format_ipv4(in6->sin6_addr.s6_addr + 12, out);
        return;
    }
    if (len == 0 ||
        getnameinfo((struct sockaddr *)&ss, len, out, (socklen_t)cap, NULL, 0, NI_NUMERICHOST) != 0)
        snprintf(out, cap, "unknown");
}

/* lowercase hex of the low 4 * digits bits of v */
static void put_hex(char *out, uint64_t v, int digits)
{
    static const char hx[] = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; i--, v >>= 4)
        out[i] = hx[v & 15];
}

/* "pppppppp-llssssss": the process's random prefix, the loop, the loop's request count */
static void make_rid(struct thread_ctx *t, char out[18])
{
    put_hex(out, rid_prefix, 8);
    out[8] = '-';
    put_hex(out + 9, (uint64_t)t->idx & 0xff, 2);
    put_hex(out + 11, ++t->rid_seq & 0xffffff, 6);
    out[17] = 0;
}

size_t http_normalise_path(const char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '/' && o > 0 && out[o - 1] == '/')
            continue;
        out[o++] = in[i];
    }
    if (o > 1 && out[o - 1] == '/')
        o--;
    return o;
}

static int method_of(h2o_req_t *h)
{
    if (h2o_memis(h->method.base, h->method.len, H2O_STRLIT("GET")) ||
        h2o_memis(h->method.base, h->method.len, H2O_STRLIT("HEAD")))
        return M_GET;
    if (h2o_memis(h->method.base, h->method.len, H2O_STRLIT("POST")))
        return M_POST;
    return M_OTHER;
}

static int on_req(h2o_handler_t *self, h2o_req_t *h)
{
    struct thread_ctx *t = H2O_STRUCT_FROM_MEMBER(struct thread_ctx, ctx, h->conn->ctx);
    struct req *r = h2o_mem_alloc_pool(&h->pool, sizeof(*r));
    memset(r, 0, sizeof(*r));
    r->h = h;
    r->thr = t;
    r->rd = t->rd;
    r->t0 = clock_mono_ns();
    r->method = method_of(h);
    make_rid(t, r->rid);
    size_t plen = h->query_at == SIZE_MAX ? h->path.len : h->query_at;
    char *path = h2o_mem_alloc_pool(&h->pool, plen + 1);
    r->path_len = http_normalise_path(h->path.base, plen, path);
    path[r->path_len] = 0;
    r->path = path;
    if (h->query_at != SIZE_MAX) {
        r->query = h->path.base + h->query_at + 1;
        r->query_len = h->path.len - h->query_at - 1;
    }
    r->body = h->entity.base ? h->entity.base : "";
    r->body_len = h->entity.base ? h->entity.len : 0;
    peer_ip(h, r->ip, sizeof(r->ip));
    router_dispatch(r);
    return 0;
}

/* ------------------------------------------------------------------ loops and listeners */

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct thread_ctx *t = listener->data;
    h2o_socket_t *sock;
    if (err)
        return;
    for (int i = 0; i < 16 && (sock = h2o_evloop_socket_accept(listener)) != NULL; i++) {
        intake_watch(t, sock); /* before h2o starts reading it */
        h2o_accept(&t->accept_ctx, sock);
    }
}

static int open_listener(const char *host, int *port)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICHOST},
                    *ai = NULL;
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", *port);
    if (getaddrinfo(host, portstr, &hints, &ai) != 0) {
        log_error("http", "cannot resolve listen address '%s'", host);
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on)) != 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        log_error("http", "cannot listen on %s:%d: %s", host, *port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                           : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

static void *run_loop(void *arg)
{
    struct thread_ctx *t = arg;
    h2o_evloop_t *loop = h2o_evloop_create();
    t->conf = globalconf; /* intake.c sets max_request_entity_size per request */
    t->conf.max_request_entity_size = HTTP_MAX_BODY;
    h2o_context_init(&t->ctx, loop, &t->conf);
    t->accept_ctx.ctx = &t->ctx;
    t->accept_ctx.hosts = globalconf.hosts;
    t->queue = h2o_multithread_create_queue(loop);
    h2o_multithread_register_receiver(t->queue, &t->receiver, on_messages);
    h2o_socket_t *sock = h2o_evloop_socket_create(loop, t->fd, H2O_SOCKET_FLAG_DONT_READ);
    sock->data = t;
    h2o_socket_read_start(sock, on_accept);
    /* a signal that interrupts the wait (SIGSTOP and SIGCONT, a debugger) is no error */
    while (h2o_evloop_run(loop, INT32_MAX) == 0 || errno == EINTR)
        submit_pending(t);
    log_error("http", "event loop stopped: %s", strerror(errno));
    return NULL;
}

static void setup_globalconf(const char *web_dir)
{
    h2o_config_init(&globalconf);
    globalconf.max_request_entity_size = HTTP_MAX_UPLOAD;
    globalconf.http1.req_timeout = 10000;
    globalconf.http1.upgrade_to_http2 = 0;
    globalconf.server_name = h2o_iovec_init(H2O_STRLIT("lianjie"));
    h2o_hostconf_t *host =
        h2o_config_register_host(&globalconf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    http_static_register(host, web_dir);
    h2o_pathconf_t *pc = h2o_config_register_path(host, "/", 0);
    h2o_handler_t *hd = h2o_create_handler(pc, sizeof(*hd));
    hd->on_req = on_req;
    http_errors_register(pc);
    http_errors_register(&host->fallback_path);
    for (size_t i = 0; i < host->paths.size; i++)
        intake_register(&host->paths.entries[i]);
    intake_register(&host->fallback_path);
    intake_init();
}

static int open_threads(const struct http_config *cfg, int *port)
{
    for (int i = 0; i < nthreads; i++) {
        threads[i].idx = i;
        if (store_open(cfg->store, &threads[i].rd) != 0)
            return -1;
        if ((threads[i].fd = open_listener(cfg->listen_host, port)) < 0)
            return -1;
    }
    return 0;
}

int http_serve(const struct http_config *cfg)
{
    signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    crypto_random_u32(&rid_prefix);
    setup_globalconf(cfg->web_dir);
    nthreads = cfg->threads > 0 ? cfg->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1)
        nthreads = 1;
    threads = xcalloc((size_t)nthreads, sizeof(*threads));
    writer_set_batch_end(deliver_batch);
    int port = cfg->port;
    if (open_threads(cfg, &port) != 0)
        return 1;
    for (int i = 0; i < nthreads; i++) {
        pthread_t tid;
        pthread_create(&tid, NULL, run_loop, &threads[i]);
        char name[24];
        snprintf(name, sizeof(name), "lj-loop-%d", i % 1000);
        thread_name(tid, name);
        pthread_detach(tid);
    }
    printf("lianjie listening on http://%s:%d (%d loops)\n", cfg->listen_host, port, nthreads);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("http", "stopping on signal %d", sig);
    return 0;
}
