/*
 * http: the glue over libh2o-evloop. One event loop per core, each with its own
 * SO_REUSEPORT listener and its own read connection to the store. Everything above this
 * header sees `struct req` and the http_send_* functions, never h2o itself, so a switch of
 * HTTP library stays inside http/.
 *
 * A handler answers at once (http_send_*), returns an error code for the router to render,
 * or hands a write to the writer thread with http_write() and returns REQ_ASYNC; then its
 * `done` callback answers on the same loop after the write committed. If the client went
 * away meanwhile, `done` is not called (the write still happened).
 */
#ifndef LJ_HTTP_H
#define LJ_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "../store/writer.h"
#include "../util/buf.h"
#include "../util/permset.h"

#define REQ_ASYNC     1000000
#define HTTP_MAX_BODY (1024 * 1024) /* a route's body limit unless it sets max_body */
/* the most any route takes (uploads: a 10 MB file and its multipart framing, with room) */
#define HTTP_MAX_UPLOAD (21 * 1024 * 1024)

struct route;
struct thread_ctx;

struct req {
    void *h; /* h2o_req_t */
    struct thread_ctx *thr;
    struct store *rd; /* this loop's read connection */
    const struct route *route;
    int method;       /* M_GET, M_POST, M_OTHER (router.h) */
    const char *path; /* normalised: repeated slashes collapsed; no query */
    size_t path_len;
    const char *query; /* after '?', not NUL-terminated */
    size_t query_len;
    const char *body;
    size_t body_len;
    char rid[32];
    char ip[64];
    char appid[19]; /* set by AUTH_TOKEN */
    /* set by AUTH_TOKEN: the permission sets an authorizer token holds; every set for an
     * account's own token */
    struct permset granted;
    int64_t user_id; /* set by AUTH_CLIENT */
    int64_t t0;
    int status;  /* answered HTTP status, for logs and metrics */
    int errcode; /* answered errcode, for logs */
};

/* answers r (returning 0), returns an errcode for the router to answer, or REQ_ASYNC after
 * handing r on to another http_write/http_defer */
typedef int (*req_done_fn)(struct req *r, void *arg, int rc);

/* one query parameter, %-decoded into out: length, -1 absent, -2 malformed/too long */
long req_query(struct req *r, const char *name, char *out, size_t cap);
/* a request header, by lowercase name; NULL if absent. Not NUL-terminated: see *len */
const char *req_header(struct req *r, const char *name, size_t *len);

/* a parameter from the query or, failing that, an x-www-form-urlencoded body (as req_query) */
long req_param(struct req *r, const char *name, char *out, size_t cap);
/* a cookie's value into out: its length, or -1 */
long req_cookie(struct req *r, const char *name, char *out, size_t cap);
/* the Host header into out ("127.0.0.1" when absent) */
void req_host(struct req *r, char *out, size_t cap);
/* adds a response header (before http_send*) */
void http_add_header(struct req *r, const char *name, const char *value);
void http_send_html(struct req *r, int status, struct buf *b); /* releases b */

void http_send(struct req *r, int status, const char *ctype, const char *body, size_t len);
void http_send_json(struct req *r, const char *body, size_t len);
void http_send_buf(struct req *r, struct buf *b); /* JSON; releases b */
void http_send_ok(struct req *r);
/* answers 200 with the file at path as the body, with a Content-Disposition unless NULL;
 * -1 when the file cannot be read, and then nothing was sent or added */
int http_send_file(struct req *r, const char *ctype, const char *disposition, const char *path);
/* {"errcode":code,"errmsg":...} with the HTTP status the route's kind calls for */
void http_send_err(struct req *r, int code);
void http_send_err_status(struct req *r, int status, int code, const char *msg);
void http_redirect(struct req *r, const char *location);

/*
 * Runs `run(store, arg)` on the writer thread; after commit `after_commit(arg)` there, then
 * `done(r, arg, rc)` back on this loop. arg must be heap memory (xmalloc); it is freed
 * after done. Returns REQ_ASYNC for the handler to return.
 */
int http_write(struct req *r, wjob_run_fn run, void (*after_commit)(void *), void *arg,
               req_done_fn done);
/* http_write for a run() that either succeeds or fails without having changed a row: one
 * INSERT, UPDATE or DELETE after any checks (wjob.atomic_run); the writer skips its SAVEPOINT */
int http_write_atomic(struct req *r, wjob_run_fn run, void (*after_commit)(void *), void *arg,
                      req_done_fn done);

/*
 * Runs `run(arg)` on a worker thread (CPU-heavy work such as password hashing: util/workers.h),
 * then `done(r, arg, rc)` back on this loop. arg must be heap memory; it is freed after done.
 * When the workers' queue is full, done gets ERR_BUSY. Returns REQ_ASYNC.
 */
int http_offload(struct req *r, int (*run)(void *arg), void *arg, req_done_fn done);

/*
 * Answers later, from any thread: the handler returns REQ_ASYNC, and whoever holds the handle
 * calls http_async_finish() exactly once; then done(r, arg, rc) runs on this loop (not if the
 * client went away). arg must be heap memory; it is freed after done.
 */
struct http_async;
struct http_async *http_defer(struct req *r, void *arg, req_done_fn done);
void http_async_finish(struct http_async *a, int rc);

struct http_config {
    const char *listen_host;
    int port;
    int threads;
    const char *data_dir; /* media files */
    const char *store;    /* store_open()'s location: a PostgreSQL URL or data_dir */
    const char *web_dir;  /* the web client's files (static.c); NULL: not served */
};

/*
 * static.c: the web client's files. http_web_resolve() finds the web directory: `given` when
 * set, else ./web, else web/ of the repository the binary was built in (BIN/../../web); it
 * must hold app/. 0 with its absolute path in out, or -1.
 */
int http_web_resolve(const char *given, char *out, size_t cap);
/* the web directory being served ("" when none) */
const char *http_web_dir(void);
/* answers the page DIR/app/NAME (NAME like "chat.html") with the pages' security headers;
 * 404 when it is missing */
void http_send_page(struct req *r, const char *name);
/* adds those security headers (CSP: scripts and styles only from this server) to an HTML
 * page answered otherwise */
void http_page_headers(struct req *r);

/* runs the server until SIGINT/SIGTERM; returns 0 on a clean stop */
int http_serve(const struct http_config *cfg);
/* per-thread counters for /metrics */
int http_thread_count(void);
struct thread_ctx *http_thread(int i);

#endif
