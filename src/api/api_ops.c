/* api_ops: /healthz and /metrics (Prometheus text format). */
#include "api.h"
#include "../push/worker.h"
#include "../core/tokens.h"
#include "../http/http_int.h"
#include "../http/intake.h"
#include "../router/router.h"
#include "../store/store.h"
#include "../store/writer.h"

#include <stdio.h>

int api_healthz(struct req *r)
{
    int ok = store_schema_version(r->rd) > 0;
    static const char up[] = "{\"status\":\"ok\"}";
    static const char down[] = "{\"status\":\"store unavailable\"}";
    if (ok)
        http_send_json(r, up, sizeof(up) - 1);
    else
        http_send(r, 503, "application/json", down, sizeof(down) - 1);
    return 0;
}

static unsigned long long sum_req(size_t route, int status)
{
    unsigned long long n = 0;
    for (int t = 0; t < http_thread_count(); t++)
        n +=
            atomic_load_explicit(&http_thread(t)->metrics.req[route][status], memory_order_relaxed);
    return n;
}

static const char *method_label(unsigned methods)
{
    return methods == M_GET ? "GET" : methods == M_POST ? "POST" : "ANY";
}

static void metric_requests(struct buf *b)
{
    buf_puts(b, "# HELP lianjie_requests_total Requests answered, by route and HTTP status.\n"
                "# TYPE lianjie_requests_total counter\n");
    for (size_t i = 0; i <= route_count && i < METRIC_ROUTES; i++) {
        size_t slot = i == route_count ? METRIC_ROUTES : i;
        for (int s = 0; s < METRIC_STATUSES; s++) {
            unsigned long long n = sum_req(slot, s);
            if (n == 0)
                continue;
            if (i < route_count)
                buf_printf(b, "lianjie_requests_total{route=\"%s\",method=\"%s\",status=\"",
                           routes[i].path, method_label(routes[i].methods));
            else
                buf_puts(b, "lianjie_requests_total{route=\"(none)\",method=\"ANY\",status=\"");
            if (metric_status_codes[s])
                buf_printf(b, "%d\"} %llu\n", metric_status_codes[s], n);
            else
                buf_printf(b, "other\"} %llu\n", n);
        }
    }
}

static void metric_latency(struct buf *b)
{
    unsigned long long cum = 0, sum_us = 0, count = 0;
    buf_puts(b, "# HELP lianjie_request_duration_seconds Time from request to answer.\n"
                "# TYPE lianjie_request_duration_seconds histogram\n");
    for (int k = 0; k <= LAT_BUCKETS; k++) {
        for (int t = 0; t < http_thread_count(); t++)
            cum += atomic_load_explicit(&http_thread(t)->metrics.lat[k], memory_order_relaxed);
        if (k < LAT_BUCKETS)
            buf_printf(b, "lianjie_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                       lat_bucket_le[k], cum);
        else
            buf_printf(b, "lianjie_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
    }
    for (int t = 0; t < http_thread_count(); t++) {
        sum_us += atomic_load(&http_thread(t)->metrics.lat_sum_us);
        count += atomic_load(&http_thread(t)->metrics.count);
    }
    buf_printf(b, "lianjie_request_duration_seconds_sum %.6f\n", (double)sum_us / 1e6);
    buf_printf(b, "lianjie_request_duration_seconds_count %llu\n", count);
}

static void metric_pushes(struct buf *b)
{
    struct push_stats ps;
    push_worker_stats(&ps);
    buf_printf(b,
               "# HELP lianjie_push_attempts_total Deliveries tried to developers' servers.\n"
               "# TYPE lianjie_push_attempts_total counter\n"
               "lianjie_push_attempts_total %llu\n"
               "# HELP lianjie_pushes_total Pushes finished, by result.\n"
               "# TYPE lianjie_pushes_total counter\n"
               "lianjie_pushes_total{result=\"delivered\"} %llu\n"
               "lianjie_pushes_total{result=\"failed\"} %llu\n"
               "# HELP lianjie_push_replies_total Passive replies shown to users.\n"
               "# TYPE lianjie_push_replies_total counter\n"
               "lianjie_push_replies_total %llu\n",
               (unsigned long long)ps.attempts, (unsigned long long)ps.delivered,
               (unsigned long long)ps.failed, (unsigned long long)ps.replies);
}

static void metric_store(struct buf *b, struct store *rd)
{
    struct writer_stats ws;
    writer_get_stats(&ws);
    int shared = store_is_shared(rd);
    int64_t read_ns = 0;
    for (int t = 0; t < http_thread_count(); t++)
        read_ns += store_busy_ns(http_thread(t)->rd);
    buf_printf(b,
               "# HELP lianjie_tokens_issued_total Access tokens issued.\n"
               "# TYPE lianjie_tokens_issued_total counter\n"
               "lianjie_tokens_issued_total %llu\n"
               "# HELP lianjie_db_seconds_total Time spent in the database.\n"
               "# TYPE lianjie_db_seconds_total counter\n"
               "lianjie_db_seconds_total{op=\"write\"} %.6f\n"
               "lianjie_db_seconds_total{op=\"read\"} %.6f\n"
               "# HELP lianjie_db_write_batches_total Write transactions committed.\n"
               "# TYPE lianjie_db_write_batches_total counter\n"
               "lianjie_db_write_batches_total %llu\n"
               "# HELP lianjie_db_write_jobs_total Writes committed in those batches.\n"
               "# TYPE lianjie_db_write_jobs_total counter\n"
               "lianjie_db_write_jobs_total %llu\n"
               "# HELP lianjie_db_write_failed_commits_total Write batches that failed to commit.\n"
               "# TYPE lianjie_db_write_failed_commits_total counter\n"
               "lianjie_db_write_failed_commits_total %llu\n"
               "# HELP lianjie_db_info The database engine; commit: synced to disk before it is "
               "acknowledged (survives a power cut), or written only (survives a killed process).\n"
               "# TYPE lianjie_db_info gauge\n"
               "lianjie_db_info{engine=\"%s\",commit=\"%s\"} 1\n"
               "# HELP lianjie_request_bodies_in_flight_bytes Bodies being read, of 64 KiB or "
               "more (capped).\n"
               "# TYPE lianjie_request_bodies_in_flight_bytes gauge\n"
               "lianjie_request_bodies_in_flight_bytes %zu\n",
               (unsigned long long)tokens_issued_total(), (double)ws.db_ns / 1e9,
               (double)read_ns / 1e9, (unsigned long long)ws.batches, (unsigned long long)ws.jobs,
               (unsigned long long)ws.failed_commits, shared ? "postgresql" : "sqlite",
               shared || store_sync_full() ? "synced" : "written", intake_bodies_in_flight());
}

int api_metrics(struct req *r)
{
    struct buf b = BUF_INIT;
    metric_requests(&b);
    metric_latency(&b);
    metric_store(&b, r->rd);
    metric_pushes(&b);
    http_send(r, 200, "text/plain; version=0.0.4", b.ptr, b.len);
    buf_release(&b);
    return 0;
}
