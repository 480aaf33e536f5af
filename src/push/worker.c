/*
 * worker: see worker.h.
 *
 *   outbox (state 0) --claim--> ready --start--> in flight --done--> record attempt
 *                                 ^                                   |
 *                                 +------ retry (attempts < 3) -------+
 *
 * A push is claimed with a lease (a writer job): while it lasts no other node delivers it, so
 * each push is delivered by one node of the platform. A node renews the leases of the pushes
 * it holds; a node that died stops renewing, and every node looks again at the whole outbox
 * every half lease, so the dead node's pushes are delivered once their leases ran out. Leases
 * are counted in real time, not on the test clock. On SQLite, one node owns the outbox: the
 * leases of an earlier run are ended when the worker starts.
 */
#include "worker.h"
#include "deliver.h"
#include "receiver.h"
#include "reply.h"
#include "../core/chat.h"
#include "../core/clock.h"
#include "../crypto/msgcrypt.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../store/store_component.h"
#include "../store/writer.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../util/xalloc.h"
#include "../util/thread.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ATTEMPTS   3
#define TIMEOUT_MS     5000L
#define MAX_INFLIGHT   256
#define MAX_RESPONSE   (1024 * 1024)
#define KEEP_RESPONSE  (64 * 1024)
#define FAILURE_NOTICE "该公众号暂时无法提供服务，请稍后再试"

struct delivery {
    struct delivery *next;
    struct delivery *fly_prev, *fly_next; /* the in-flight list */
    struct push_rec p;                    /* p.xml is owned */
    int attempt;
    CURL *easy;
    struct push_request req;
    struct buf resp;
    struct receiver rcv;
    int64_t started_at;
    int64_t t0_ns;
};

static struct {
    CURLM *multi;
    struct store *rd;
    pthread_t thread;
    atomic_int running;
    atomic_int kicked;
    int64_t max_seen;
    struct delivery *ready, *ready_tail;
    struct delivery *flying;
    struct curl_slist *headers; /* the same for every push */
    CURL *spare[MAX_INFLIGHT];  /* finished handles, reset, kept for the next transfers */
    int nspare;
    int inflight;
    int queued;
    int more; /* the last read filled its page: the outbox may hold more */
    int64_t lease_ms, rescan_ns, renew_ns;
    _Atomic uint64_t attempts, delivered, failed, replies;
} W;

void push_worker_kick(void)
{
    atomic_store(&W.kicked, 1);
    if (W.multi)
        curl_multi_wakeup(W.multi);
}

void push_worker_stats(struct push_stats *out)
{
    out->attempts = atomic_load(&W.attempts);
    out->delivered = atomic_load(&W.delivered);
    out->failed = atomic_load(&W.failed);
    out->replies = atomic_load(&W.replies);
}

static void enqueue(struct delivery *d)
{
    d->next = NULL;
    if (W.ready_tail)
        W.ready_tail->next = d;
    else
        W.ready = d;
    W.ready_tail = d;
    W.queued++;
}

static void free_delivery(struct delivery *d);

static int room(void)
{
    return 4 * MAX_INFLIGHT - W.queued - W.inflight;
}

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* a claim: what the writer job asks for and the pushes it got */
struct claim {
    int64_t after, now, until;
    int limit, n;
    struct delivery **rows;
};

/* writer thread: collects a claimed push */
static void on_claimed(void *arg, const struct push_rec *p)
{
    struct claim *c = arg;
    struct delivery *d = xcalloc(1, sizeof(*d));
    d->p = *p;
    d->p.xml = xstrdup(p->xml ? p->xml : "");
    d->attempt = p->attempts;
    c->rows[c->n++] = d;
}

static int claim_run(struct store *s, void *arg)
{
    struct claim *c = arg;
    return store_push_claim(s, c->after, c->limit, c->now, c->until, on_claimed, c);
}

static int by_id(const void *a, const void *b)
{
    int64_t x = (*(struct delivery *const *)a)->p.id, y = (*(struct delivery *const *)b)->p.id;
    return x < y ? -1 : x > y;
}

/* claims pushes after `after` and queues them, oldest first; how many */
static int claim(int64_t after, int n)
{
    struct claim c = {.after = after, .limit = n, .now = real_ms()};
    c.until = c.now + W.lease_ms;
    c.rows = xcalloc((size_t)n, sizeof(*c.rows));
    int rc = writer_run_sync(claim_run, NULL, &c);
    if (rc != 0) {
        log_error("push", "cannot claim from the outbox");
        for (int i = 0; i < c.n; i++)
            free_delivery(c.rows[i]);
        c.n = 0;
    }
    qsort(c.rows, (size_t)c.n, sizeof(*c.rows), by_id);
    for (int i = 0; i < c.n; i++) {
        if (c.rows[i]->p.id > W.max_seen)
            W.max_seen = c.rows[i]->p.id;
        enqueue(c.rows[i]);
    }
    free(c.rows);
    return c.n;
}

static void fetch(void)
{
    int n = room();
    if (n <= 0)
        return;
    atomic_store(&W.kicked, 0);
    int64_t now = clock_mono_ns();
    /* now and then the whole outbox: pushes of a node that died, once their leases ran out */
    int64_t after = W.max_seen;
    if (now >= W.rescan_ns) {
        after = 0;
        W.rescan_ns = now + W.lease_ms * 500000LL;
    }
    W.more = claim(after, n) == n;
}

struct renewal {
    int64_t until;
    int n;
    int64_t *ids;
};

static int renew_run(struct store *s, void *arg)
{
    struct renewal *r = arg;
    for (int i = 0; i < r->n; i++)
        if (store_push_lease(s, r->ids[i], r->until) != 0)
            return ERR_SYSTEM;
    return 0;
}

/* the ids of every push this node holds (queued or in flight) */
static int held(int64_t **out)
{
    int n = 0;
    *out = xcalloc((size_t)(W.queued + W.inflight + 1), sizeof(**out));
    for (struct delivery *d = W.ready; d; d = d->next)
        (*out)[n++] = d->p.id;
    for (struct delivery *d = W.flying; d; d = d->fly_next)
        (*out)[n++] = d->p.id;
    return n;
}

/* on a shared store, every third of a lease: the leases of what this node holds last on */
static void renew(void)
{
    int64_t now = clock_mono_ns();
    if (now < W.renew_ns || !store_is_shared(W.rd))
        return;
    W.renew_ns = now + W.lease_ms * 333333LL;
    struct renewal r = {.until = real_ms() + W.lease_ms};
    r.n = held(&r.ids);
    if (r.n > 0 && writer_run_sync(renew_run, NULL, &r) != 0)
        log_error("push", "cannot renew the leases of %d pushes", r.n);
    free(r.ids);
}

/* a backlog is read again as soon as half the queue has room, without waiting for a kick */
static int due(int64_t now, int64_t last_fetch)
{
    return atomic_load(&W.kicked) || (W.more && room() >= 2 * MAX_INFLIGHT) ||
           now - last_fetch > 1000000000LL;
}

static void free_delivery(struct delivery *d)
{
    deliver_release(&d->req);
    buf_release(&d->resp);
    free(d->p.xml);
    free(d);
}

/* ------------------------------------------------------------------ recording */

/* one finished attempt, as it will be written */
struct record {
    struct record *next;
    struct push_attempt a;
    char *url, *request, *response; /* owned */
    char outcome[24];
    char detail[256];
    int state;
    struct account_msg *msg; /* a reply or the failure notice shown to the user; or NULL */
};

/* the attempts finished in one turn of the worker, written by one writer job */
struct record_batch {
    struct wjob job;
    struct record *first, **last;
    int n;
};

static struct record_batch *batch_open;

static int record_one(struct store *s, struct record *r)
{
    r->a.url = r->url;
    r->a.request = r->request;
    r->a.response = r->response;
    r->a.outcome = r->outcome;
    r->a.detail = r->detail;
    int rc = store_attempt_insert(s, &r->a);
    if (rc == 0)
        rc = store_push_update(s, r->a.push_id, r->state, r->a.attempt, 0, r->outcome,
                               r->state == 0 ? 0 : clock_now());
    if (rc == 0 && r->msg && chat_account_send_run(s, r->msg) != 0) {
        free(r->msg); /* the user left meanwhile: the attempt still counts */
        r->msg = NULL;
    }
    return rc;
}

static int batch_run(struct store *s, void *arg)
{
    struct record_batch *b = arg;
    for (struct record *r = b->first; r; r = r->next) {
        int rc = record_one(s, r);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static void batch_after(void *arg)
{
    struct record_batch *b = arg;
    for (struct record *r = b->first; r; r = r->next)
        if (r->msg)
            chat_account_send_after(r->msg);
}

static void batch_complete(struct wjob *job)
{
    struct record_batch *b = (struct record_batch *)job;
    if (job->rc != 0)
        log_error("push", "cannot record a batch of %d attempts", b->n);
    for (struct record *r = b->first, *next; r; r = next) {
        next = r->next;
        free(r->url);
        free(r->request);
        free(r->response);
        free(r->msg);
        free(r);
    }
    free(b);
}

/* hands the attempts of this turn to the writer */
static void batch_flush(void)
{
    struct record_batch *b = batch_open;
    if (!b)
        return;
    batch_open = NULL;
    writer_submit(&b->job);
}

static void batch_add(struct record *r)
{
    if (!batch_open) {
        batch_open = xcalloc(1, sizeof(*batch_open));
        batch_open->job.run = batch_run;
        batch_open->job.after_commit = batch_after;
        batch_open->job.complete = batch_complete;
        batch_open->job.arg = batch_open;
        batch_open->last = &batch_open->first;
    }
    /* in order: a retry may finish in the same turn as the attempt before it */
    *batch_open->last = r;
    batch_open->last = &r->next;
    batch_open->n++;
}

static struct account_msg *new_msg(const struct delivery *d, const char *source, const char *type,
                                   const char *body)
{
    struct account_msg *m = xcalloc(1, sizeof(*m));
    snprintf(m->appid, sizeof(m->appid), "%s", d->p.appid);
    m->user_id = d->p.user_id;
    snprintf(m->source, sizeof(m->source), "%s", source);
    snprintf(m->msgtype, sizeof(m->msgtype), "%s", type);
    snprintf(m->body, sizeof(m->body), "%s", body);
    return m;
}

/* takes the request's URL and body from d, and what was answered */
static void record(struct delivery *d, int http_status, const char *outcome, const char *detail,
                   int state, const struct reply *rep)
{
    struct record *r = xmalloc(sizeof(*r));
    r->next = NULL;
    r->a.push_id = d->p.id;
    snprintf(r->a.appid, sizeof(r->a.appid), "%s", d->p.appid);
    r->a.attempt = d->attempt;
    r->a.started_at = d->started_at;
    r->a.duration_ms = (clock_mono_ns() - d->t0_ns) / 1000000;
    r->a.http_status = http_status;
    r->url = buf_detach(&d->req.url, NULL);
    r->request = buf_detach(&d->req.body, NULL);
    if (d->resp.len > KEEP_RESPONSE)
        d->resp.ptr[KEEP_RESPONSE] = '\0';
    r->response = buf_detach(&d->resp, NULL);
    snprintf(r->outcome, sizeof(r->outcome), "%s", outcome);
    snprintf(r->detail, sizeof(r->detail), "%s", detail);
    r->state = state;
    r->msg = NULL;
    if (rep && rep->kind == REPLY_MESSAGE)
        r->msg = new_msg(d, "reply", rep->msgtype, rep->body.ptr);
    else if (state == 2 && d->p.reply_ok)
        r->msg = new_msg(d, "system", "text", "{\"content\":\"" FAILURE_NOTICE "\"}");
    batch_add(r);
}

/* ------------------------------------------------------------------ transfers */

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct delivery *d = arg;
    if (d->resp.len + n > MAX_RESPONSE)
        return 0; /* aborts the transfer */
    buf_append(&d->resp, p, n);
    return n;
}

static void finish(struct delivery *d, int http_status, const char *outcome, const char *detail,
                   int retryable, const struct reply *rep)
{
    atomic_fetch_add(&W.attempts, 1);
    int retry = retryable && d->attempt < MAX_ATTEMPTS;
    int state = retry                                          ? 0
                : strcmp(outcome, "no_url") == 0               ? 3
                : retryable || (rep && rep->kind == REPLY_BAD) ? 2
                                                               : 1;
    if (state == 1)
        atomic_fetch_add(&W.delivered, 1);
    if (state == 2)
        atomic_fetch_add(&W.failed, 1);
    if (rep && rep->kind == REPLY_MESSAGE)
        atomic_fetch_add(&W.replies, 1);
    record(d, http_status, outcome, detail, state, rep);
    deliver_release(&d->req);
    buf_release(&d->resp);
    if (retry)
        enqueue(d);
    else
        free_delivery(d);
}

static CURL *take_easy(void)
{
    return W.nspare ? W.spare[--W.nspare] : curl_easy_init();
}

static void put_easy(CURL *e)
{
    if (W.nspare < MAX_INFLIGHT) {
        curl_easy_reset(e);
        W.spare[W.nspare++] = e;
    } else {
        curl_easy_cleanup(e);
    }
}

static int setup_easy(struct delivery *d)
{
    CURL *e = take_easy();
    if (!e)
        return -1;
    curl_easy_setopt(e, CURLOPT_URL, d->req.url.ptr);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, d->req.body.ptr);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)d->req.body.len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, W.headers);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "lianjie-push/1");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, d);
    curl_easy_setopt(e, CURLOPT_PRIVATE, d);
    d->easy = e;
    return curl_multi_add_handle(W.multi, e) == CURLM_OK ? 0 : -1;
}

static int build(struct delivery *d)
{
    if (d->rcv.is_component)
        return deliver_build_component(&d->rcv.comp, d->p.xml, clock_now(), &d->req);
    return deliver_build(&d->rcv.acct, d->p.via[0] ? d->p.via : d->p.target, d->p.openid, d->p.xml,
                         clock_now(), &d->req);
}

static void start(struct delivery *d)
{
    d->attempt++;
    d->started_at = clock_now();
    d->t0_ns = clock_mono_ns();
    buf_init(&d->resp, 0);
    if (receiver_load(W.rd, d->p.target, d->p.via, &d->rcv) != 0) {
        buf_init(&d->req.url, 0);
        buf_init(&d->req.body, 0);
        finish(d, 0, "no_url", "the receiver has no server URL any more", 0, NULL);
        return;
    }
    if (build(d) != 0) {
        finish(d, 0, "config_error", "the receiver's EncodingAESKey is not usable", 0, NULL);
        return;
    }
    if (setup_easy(d) != 0) {
        if (d->easy)
            put_easy(d->easy);
        d->easy = NULL;
        finish(d, 0, "connect_error", "cannot start the transfer", 1, NULL);
        return;
    }
    W.inflight++;
    d->fly_prev = NULL;
    d->fly_next = W.flying;
    if (W.flying)
        W.flying->fly_prev = d;
    W.flying = d;
}

static void land(struct delivery *d)
{
    if (d->fly_prev)
        d->fly_prev->fly_next = d->fly_next;
    else
        W.flying = d->fly_next;
    if (d->fly_next)
        d->fly_next->fly_prev = d->fly_prev;
    d->fly_prev = d->fly_next = NULL;
    W.inflight--;
}

/* a push of a user's message (not an event): a news reply to it has one article */
static int is_message(const char *kind)
{
    static const char *const kinds[] = {"text",       "image",    "voice", "video",
                                        "shortvideo", "location", "link"};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kind, kinds[i]) == 0)
            return 1;
    return 0;
}

static void evaluate(struct delivery *d, CURLcode cc, long status)
{
    char detail[256];
    if (cc == CURLE_OPERATION_TIMEDOUT) {
        finish(d, (int)status, "timeout", "no answer within 5 seconds", 1, NULL);
    } else if (cc != CURLE_OK) {
        snprintf(detail, sizeof(detail), "%s", curl_easy_strerror(cc));
        finish(d, (int)status, "connect_error", detail, 1, NULL);
    } else if (status != 200) {
        snprintf(detail, sizeof(detail), "HTTP status %ld", status);
        finish(d, (int)status, "http_error", detail, 1, NULL);
    } else {
        unsigned char key[32];
        int have_key = msgcrypt_key(d->rcv.acct.aes_key, key) == 0;
        struct reply_ctx c = {.receive_id = d->p.via[0] ? d->p.via : d->p.target,
                              .token = d->rcv.acct.server_token,
                              .key = have_key ? key : NULL,
                              .mode = have_key ? d->req.mode : MODE_PLAINTEXT,
                              .openid = d->p.openid,
                              .original_id = d->rcv.acct.original_id,
                              .max_articles = is_message(d->p.kind) ? 1 : 8};
        struct reply rep;
        reply_parse(&c, d->resp.ptr ? d->resp.ptr : "", d->resp.len, &rep);
        static const char *const names[] = {"no_reply", "replied", "transferred", "bad_reply"};
        if (rep.kind == REPLY_MESSAGE && !d->p.reply_ok)
            rep.kind = REPLY_NONE; /* replies to this push are not shown */
        finish(d, 200, names[rep.kind], rep.detail, 0, &rep);
        reply_release(&rep);
    }
}

static void drain(void)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(W.multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct delivery *d = NULL;
        CURL *e = m->easy_handle;
        CURLcode cc = m->data.result;
        long status = 0;
        curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&d);
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        curl_multi_remove_handle(W.multi, e);
        put_easy(e);
        land(d);
        d->easy = NULL;
        evaluate(d, cc, status);
    }
}

/* ------------------------------------------------------------------ the thread */

static void start_ready(void)
{
    while (W.ready && W.inflight < MAX_INFLIGHT) {
        struct delivery *d = W.ready;
        W.ready = d->next;
        if (!W.ready)
            W.ready_tail = NULL;
        W.queued--;
        start(d);
    }
}

static void *loop(void *arg)
{
    int64_t last_fetch = 0;
    while (atomic_load(&W.running)) {
        int64_t now = clock_mono_ns();
        if (due(now, last_fetch)) {
            fetch();
            last_fetch = now;
        }
        start_ready();
        int running;
        curl_multi_perform(W.multi, &running);
        drain();
        start_ready();
        batch_flush();
        renew();
        if (!due(clock_mono_ns(), last_fetch))
            curl_multi_poll(W.multi, NULL, 0, 500, NULL);
    }
    return NULL;
}

static int release_run(struct store *s, void *arg)
{
    struct renewal *r = arg;
    for (int i = 0; i < r->n; i++)
        if (store_push_release(s, r->ids[i]) != 0)
            return ERR_SYSTEM;
    return 0;
}

int push_worker_start(const char *where, int lease_seconds)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    if (store_open(where, &W.rd) != 0)
        return -1;
    W.lease_ms = (lease_seconds > 0 ? lease_seconds : PUSH_LEASE_DEFAULT) * 1000LL;
    /* one node owns a SQLite outbox: what an earlier run had claimed is free again */
    int64_t all = 0;
    struct renewal everything = {.n = 1, .ids = &all};
    if (!store_is_shared(W.rd) && writer_run_sync(release_run, NULL, &everything) != 0)
        return -1;
    W.multi = curl_multi_init();
    if (!W.multi)
        return -1;
    curl_multi_setopt(W.multi, CURLMOPT_MAX_HOST_CONNECTIONS, 64L);
    W.headers = curl_slist_append(NULL, "Content-Type: text/xml");
    W.headers = curl_slist_append(W.headers, "Expect:");
    atomic_store(&W.running, 1);
    atomic_store(&W.kicked, 1);
    if (pthread_create(&W.thread, NULL, loop, NULL) != 0)
        return -1;
    thread_name(W.thread, "lj-push");
    return 0;
}

static void drop_all(void)
{
    while (W.flying) {
        struct delivery *d = W.flying;
        land(d);
        curl_multi_remove_handle(W.multi, d->easy);
        curl_easy_cleanup(d->easy);
        free_delivery(d);
    }
    while (W.ready) {
        struct delivery *d = W.ready;
        W.ready = d->next;
        free_delivery(d);
    }
    W.ready_tail = NULL;
    while (W.nspare > 0)
        curl_easy_cleanup(W.spare[--W.nspare]);
}

void push_worker_stop(void)
{
    if (!atomic_load(&W.running))
        return;
    atomic_store(&W.running, 0);
    curl_multi_wakeup(W.multi);
    pthread_join(W.thread, NULL);
    batch_flush();
    /* what this node held may go to another node at once */
    struct renewal r = {0};
    r.n = held(&r.ids);
    if (r.n > 0 && writer_run_sync(release_run, NULL, &r) != 0)
        log_error("push", "cannot end the leases of %d pushes", r.n);
    free(r.ids);
    drop_all();
    curl_multi_cleanup(W.multi);
    W.multi = NULL;
    curl_slist_free_all(W.headers);
    W.headers = NULL;
    store_close(W.rd);
    W.rd = NULL;
    curl_global_cleanup();
}
