/*
 * intake: see intake.h. h2o has no hook between a request's head and its body, so every read
 * h2o starts on a socket it serves goes through guard_read first: this file defines
 * h2o_socket_read_start, which the library calls (through its PLT) wherever it starts
 * reading, and hands the library's own callback over to the library's function (dlsym
 * RTLD_NEXT). guard_read reads a new request's head, decides what its body may be, and sets
 * that as the limit h2o applies (max_request_entity_size of the loop's own copy of the
 * configuration) just while h2o handles the read.
 */
#define _GNU_SOURCE
#include "intake.h"
#include "http_int.h"
#include "../router/router.h"
#include "../util/err.h"
#include "../util/xalloc.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* the state of a watched socket, its on_close.data */
struct guard {
    struct thread_ctx *t;
    h2o_socket_cb next; /* h2o's callback for this read */
    int head_done;      /* the current request's head was judged */
    size_t limit;       /* what its body may be */
    int refusal;        /* 0, ERR_INVALID_CREDENTIAL or ERR_BUSY */
    size_t counted;     /* its share of HTTP_BODIES_MAX */
};

static atomic_size_t in_flight;
static __thread int current_refusal;

/* ------------------------------------------------------------------ the head */

static const char *find_crlf2(const char *p, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
            return p + i;
    return NULL;
}

static int header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen)
{
    size_t k = strlen(name);
    if (n <= k || line[k] != ':' || strncasecmp(line, name, k) != 0)
        return 0;
    const char *v = line + k + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *value = v;
    *vlen = (size_t)(end - v);
    return 1;
}

static int parse_length(const char *v, size_t n, long long *out)
{
    long long x = 0;
    if (n == 0 || n > 18)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        x = x * 10 + (v[i] - '0');
    }
    *out = x;
    return 0;
}

/* the request line: METHOD SP TARGET SP VERSION */
static int parse_request_line(const char *p, size_t n, struct req_head *out)
{
    const char *sp1 = memchr(p, ' ', n);
    if (!sp1 || sp1 == p)
        return -1;
    const char *target = sp1 + 1;
    const char *sp2 = memchr(target, ' ', (size_t)(p + n - target));
    if (!sp2 || sp2 == target)
        return -1;
    size_t mlen = (size_t)(sp1 - p);
    out->post =
        !((mlen == 3 && memcmp(p, "GET", 3) == 0) || (mlen == 4 && memcmp(p, "HEAD", 4) == 0));
    out->path = target;
    out->path_len = (size_t)(sp2 - target);
    return 0;
}

int intake_parse_head(const char *p, size_t n, struct req_head *out)
{
    const char *start = p;
    memset(out, 0, sizeof(*out));
    out->length = -1;
    while (n >= 2 && p[0] == '\r' && p[1] == '\n') /* blank lines before a request */
        p += 2, n -= 2;
    const char *end = find_crlf2(p, n);
    if (!end)
        return 0;
    out->head_len = (size_t)(end - start) + 4;
    const char *eol = memchr(p, '\r', (size_t)(end - p) + 1);
    if (!eol || parse_request_line(p, (size_t)(eol - p), out) != 0)
        return -1;
    for (const char *line = eol + 2; line < end;) {
        const char *le = memchr(line, '\r', (size_t)(end - line) + 1);
        size_t ln = (size_t)(le - line), vn;
        const char *v;
        if (header_is(line, ln, "content-length", &v, &vn)) {
            if (parse_length(v, vn, &out->length) != 0)
                return -1;
        } else if (header_is(line, ln, "transfer-encoding", &v, &vn)) {
            out->chunked = 1;
        }
        line = le + 2;
    }
    return 1;
}

/* ------------------------------------------------------------------ the cap */

static int count_body(size_t n)
{
    size_t cur = atomic_load(&in_flight);
    do {
        if (cur + n > HTTP_BODIES_MAX)
            return -1;
    } while (!atomic_compare_exchange_weak(&in_flight, &cur, cur + n));
    return 0;
}

static void uncount(size_t n)
{
    if (n)
        atomic_fetch_sub(&in_flight, n);
}

size_t intake_bodies_in_flight(void)
{
    return atomic_load(&in_flight);
}

int intake_refusal(void)
{
    return current_refusal;
}

/* ------------------------------------------------------------------ judging a request */

/* what the body of the request whose head is h may be; g->refusal says why it may not */
static void judge(struct guard *g, const struct req_head *h)
{
    char path[1024];
    const char *q = memchr(h->path, '?', h->path_len);
    size_t plen = q ? (size_t)(q - h->path) : h->path_len;
    g->refusal = 0;
    g->limit = HTTP_MAX_BODY;
    if (!h->post || (h->length <= 0 && !h->chunked))
        return;
    if (plen < sizeof(path)) {
        plen = http_normalise_path(h->path, plen, path);
        g->limit = router_body_limit(g->t->rd, path, plen, q ? q + 1 : "",
                                     q ? h->path_len - plen - 1 : 0, &g->refusal);
    }
    size_t want = h->chunked ? g->limit : (size_t)h->length;
    if (want > g->limit)
        return; /* h2o refuses it: over the limit (g->refusal says if for want of a token) */
    g->refusal = 0;
    if (want >= HTTP_BODY_COUNTED) {
        if (count_body(want) != 0) {
            g->refusal = ERR_BUSY;
            g->limit = 0;
            return;
        }
        g->counted = want;
    }
}

static void guard_read(h2o_socket_t *sock, const char *err)
{
    struct guard *g = sock->on_close.data;
    struct thread_ctx *t = g->t;
    if (!err && !g->head_done) {
        struct req_head h;
        int rc = intake_parse_head(sock->input->bytes, sock->input->size, &h);
        if (rc != 0) { /* a malformed head is h2o's to refuse */
            g->head_done = 1;
            uncount(g->counted);
            g->counted = 0;
            if (rc > 0)
                judge(g, &h);
        }
    }
    h2o_socket_cb next = g->next;
    t->conf.max_request_entity_size = g->limit;
    current_refusal = g->refusal;
    next(sock, err); /* may close the socket and free g */
    current_refusal = 0;
    t->conf.max_request_entity_size = HTTP_MAX_BODY;
}

static void guard_closed(void *data)
{
    struct guard *g = data;
    uncount(g->counted);
    free(g);
}

/* the library's h2o_socket_read_start, wrapping the callback on watched sockets */
void h2o_socket_read_start(h2o_socket_t *sock, h2o_socket_cb cb)
{
    static void (*real)(h2o_socket_t *, h2o_socket_cb);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "h2o_socket_read_start");
    if (sock->on_close.cb == guard_closed && cb != guard_read) {
        ((struct guard *)sock->on_close.data)->next = cb;
        cb = guard_read;
    }
    real(sock, cb);
}

void intake_watch(struct thread_ctx *t, h2o_socket_t *sock)
{
    struct guard *g = xcalloc(1, sizeof(*g));
    g->t = t;
    g->limit = HTTP_MAX_BODY;
    sock->on_close.cb = guard_closed;
    sock->on_close.data = g;
}

/* at the end of every request (h2o disposes it, whoever answered it): the next read starts
 * the next request, and the body's share of the cap is released with the body */
static void on_request_end(h2o_logger_t *self, h2o_req_t *h)
{
    h2o_socket_t *sock =
        h->conn->callbacks->get_socket ? h->conn->callbacks->get_socket(h->conn) : NULL;
    if (!sock || sock->on_close.cb != guard_closed)
        return;
    struct guard *g = sock->on_close.data;
    g->head_done = 0;
    uncount(g->counted);
    g->counted = 0;
}

void intake_register(h2o_pathconf_t *pc)
{
    h2o_logger_t *l = h2o_create_logger(pc, sizeof(*l));
    l->log_access = on_request_end;
}

void intake_init(void)
{
    /* bodies past 1 MiB live in an unlinked temporary file, not the heap */
    h2o_socket_buffer_mmap_settings.threshold = HTTP_MAX_BODY + 64 * 1024;
}
