/* http_int: state shared inside http/ and read by the metrics page. */
#ifndef LJ_HTTP_INT_H
#define LJ_HTTP_INT_H

#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <stdatomic.h>

#include "http.h"

#define METRIC_ROUTES   256
#define METRIC_STATUSES 12
#define LAT_BUCKETS     14

extern const int metric_status_codes[METRIC_STATUSES]; /* last slot: any other */
extern const double lat_bucket_le[LAT_BUCKETS];        /* seconds */

struct async_job;

struct thread_metrics {
    atomic_ullong req[METRIC_ROUTES + 1][METRIC_STATUSES];
    atomic_ullong lat[LAT_BUCKETS + 1]; /* last: +Inf */
    atomic_ullong lat_sum_us;
    atomic_ullong count;
};

struct thread_ctx {
    int idx;
    /* the loop's own copy of the configuration: intake.c sets its body limit per request */
    h2o_globalconf_t conf;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    struct store *rd;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t receiver;
    uint64_t rid_seq;
    int fd;
    /* writes handed over during this loop turn: submitted together when the turn ends */
    struct wjob *pend_first, *pend_last;
    /* answers of the writer's current batch for this loop: only the writer thread touches
     * them, and hands them over together when the batch ends */
    struct async_job *done_first, *done_last;
    struct thread_metrics metrics;
};

/* collapses repeated slashes and drops a trailing one; out holds n bytes; returns its length */
size_t http_normalise_path(const char *in, size_t n, char *out);

/* errors.c: h2o's own error answers in the JSON envelope */
void http_errors_register(h2o_pathconf_t *pc);
/* static.c: the web client's static paths, registered before "/" so they match first */
void http_static_register(h2o_hostconf_t *host, const char *web_dir);
/* counts an answer h2o gave before any handler ran (route "(none)") */
void http_count_early(h2o_req_t *h);

#endif
