/*
 * intake: what a request may send, decided from its head before its body is read. h2o reads a
 * whole body into memory before any handler runs and holds it to one process-wide limit; here
 * each request's head is read as it arrives and its route's limit set for it alone (1 MiB by
 * default; an upload route's own, and only for a request whose access_token is valid), and the
 * bodies in flight on all loops together are held to HTTP_BODIES_MAX bytes. A request over
 * them is refused by h2o at once, unread, with the answer errors.c gives it: 413 (45001 on an
 * upload route), 40001 for a large upload without a valid token, 503 or errcode -1 when the
 * bodies in flight are at their cap. Bodies over 1 MiB are spooled by h2o to a temporary file.
 */
#ifndef LJ_INTAKE_H
#define LJ_INTAKE_H

#include <stddef.h>

#define HTTP_BODIES_MAX   (192u * 1024 * 1024) /* all bodies in flight, bytes */
#define HTTP_BODY_COUNTED (64 * 1024)          /* smaller bodies are not counted */

struct thread_ctx;
struct h2o_req_t;
struct st_h2o_socket_t;

/* the head of a request, as much as intake reads of it */
struct req_head {
    const char *path; /* path and query, as sent */
    size_t path_len;
    int post;         /* the method is POST (or another with a body) */
    int chunked;      /* Transfer-Encoding: chunked */
    long long length; /* Content-Length; -1 when absent */
    size_t head_len;  /* bytes up to and including the blank line */
};

/* parses the head at the start of p: 1 when complete, 0 when more is needed, -1 malformed */
int intake_parse_head(const char *p, size_t n, struct req_head *out);

/* sets up process-wide intake (h2o's spooling of large bodies); before any loop runs */
void intake_init(void);
/* watches a socket h2o just accepted on loop t */
void intake_watch(struct thread_ctx *t, struct st_h2o_socket_t *sock);
struct st_h2o_pathconf_t;
/* every path's requests end through intake (a request's state, its body's share of the cap) */
void intake_register(struct st_h2o_pathconf_t *pc);
/* why intake refused the request h2o is answering right now on this thread: 0 (no refusal:
 * over the route's limit), ERR_INVALID_CREDENTIAL or ERR_BUSY */
int intake_refusal(void);
/* bytes of bodies in flight (for /metrics) */
size_t intake_bodies_in_flight(void);

#endif
