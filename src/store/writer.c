/* writer: batching writer thread (see writer.h) */
#include "writer.h"
#include "store.h"
#include "../util/err.h"
#include "../util/log.h"
#include "../core/clock.h"
#include "../util/thread.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#define BATCH_MAX 4096

/*
 * Checkpoints. SQLite's automatic one runs inside COMMIT every 1000 WAL pages and stalls the
 * batch for milliseconds (two fsyncs). Here a helper thread, on its own connection, copies the
 * WAL into the database whenever it grew by CKPT_STEP pages, while the writer goes on. Only a
 * checkpoint that leaves no page behind lets the next commit restart the WAL from its
 * beginning, and with the writer always appending the helper never gets there: so once the
 * WAL holds WAL_CAP pages the writer checkpoints itself, after the batch's answers are on
 * their way, copying only what the helper has not. The WAL stays under about WAL_CAP pages.
 */
#define CKPT_STEP 1000
#define WAL_CAP   8000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct wjob *head, **tail = &head;
static int stopping, idle;
static pthread_t thread;
static struct store *wstore;
static struct writer_stats stats;
static void (*_Atomic batch_end)(void);
static _Atomic uint64_t commits;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int want, stopping;
    /* writer thread only: WAL pages when a checkpoint was last asked for, and the size at
     * which the writer checkpoints itself (0: the default) */
    int last, cap;
    pthread_t thread;
    struct store *s;
} ck = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* appends first..last (linked by next, last->next == NULL) under one lock; wakes the writer
 * only when it waits for work */
static void enqueue(struct wjob *first, struct wjob *last)
{
    pthread_mutex_lock(&mu);
    *tail = first;
    tail = &last->next;
    if (idle)
        pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

void writer_submit(struct wjob *job)
{
    job->next = NULL;
    enqueue(job, job);
}

void writer_submit_chain(struct wjob *first, struct wjob *last)
{
    last->next = NULL;
    enqueue(first, last);
}

void writer_set_batch_end(void (*fn)(void))
{
    atomic_store(&batch_end, fn);
}

static struct wjob *take_batch(void)
{
    pthread_mutex_lock(&mu);
    while (!head && !stopping) {
        idle = 1;
        pthread_cond_wait(&cv, &mu);
        idle = 0;
    }
    struct wjob *batch = head, *last = head;
    int n = 1;
    while (last && last->next && n < BATCH_MAX) {
        last = last->next;
        n++;
    }
    if (last) {
        head = last->next;
        last->next = NULL;
        if (!head)
            tail = &head;
    }
    pthread_mutex_unlock(&mu);
    return batch;
}

/* runs one job of the open transaction; sets *broken when the batch must not commit */
static void run_one(struct wjob *j, int *broken)
{
    if (j->atomic_run) {
        int64_t before = store_total_changes(wstore);
        j->rc = j->run(wstore, j->arg);
        if (j->rc != 0 && (store_total_changes(wstore) != before || store_tx_failed(wstore))) {
            log_error("writer", "a job marked atomic_run failed after changing rows");
            *broken = 1;
        }
        return;
    }
    if (store_savepoint(wstore) != 0) {
        j->rc = ERR_SYSTEM;
        return;
    }
    j->rc = j->run(wstore, j->arg);
    if (j->rc != 0)
        store_savepoint_rollback(wstore);
    store_savepoint_release(wstore);
}

static void *checkpointer_main(void *unused)
{
    pthread_mutex_lock(&ck.mu);
    for (;;) {
        while (!ck.want && !ck.stopping)
            pthread_cond_wait(&ck.cv, &ck.mu);
        if (ck.stopping)
            break;
        ck.want = 0;
        pthread_mutex_unlock(&ck.mu);
        store_checkpoint(ck.s);
        pthread_mutex_lock(&ck.mu);
    }
    pthread_mutex_unlock(&ck.mu);
    return NULL;
}

/* writer thread, after a batch was handed over (see CKPT_STEP above) */
static void checkpoint_after_batch(void)
{
    int pages = store_wal_pages(wstore);
    if (pages < ck.last) { /* the WAL restarted */
        ck.last = 0;
        ck.cap = 0;
    }
    int cap = ck.cap ? ck.cap : ck.s ? WAL_CAP : CKPT_STEP;
    if (pages >= cap) {
        store_checkpoint(wstore);
        ck.last = pages;
        /* if a reader kept the WAL from restarting, the next try is CKPT_STEP pages later,
         * not after every batch */
        ck.cap = pages + CKPT_STEP;
    } else if (ck.s && pages - ck.last >= CKPT_STEP) {
        ck.last = pages;
        pthread_mutex_lock(&ck.mu);
        ck.want = 1;
        pthread_cond_signal(&ck.cv);
        pthread_mutex_unlock(&ck.mu);
    }
}

/* runs the batch in one transaction; 1 if it committed */
static int commit_batch(struct wjob *batch, uint64_t *n)
{
    int begun = store_begin(wstore) == 0, broken = 0;
    for (struct wjob *j = batch; j; j = j->next, (*n)++) {
        if (begun)
            run_one(j, &broken);
        else
            j->rc = ERR_SYSTEM;
    }
    int committed = begun && !broken && store_commit(wstore) == 0;
    if (begun && !committed) {
        store_rollback(wstore);
        log_error("writer", "commit of a batch of %llu jobs failed", (unsigned long long)*n);
    }
    return committed;
}

static void run_batch(struct wjob *batch)
{
    int64_t t0 = clock_mono_ns();
    uint64_t n = 0;
    int committed = commit_batch(batch, &n);
    if (committed)
        atomic_fetch_add(&commits, 1);
    int64_t dt = clock_mono_ns() - t0;
    pthread_mutex_lock(&mu);
    stats.batches++;
    stats.jobs += n;
    stats.failed_commits += !committed;
    stats.db_ns += dt;
    pthread_mutex_unlock(&mu);
    for (struct wjob *j = batch, *next; j; j = next) {
        next = j->next;
        if (!committed)
            j->rc = ERR_SYSTEM;
        else if (j->rc == 0 && j->after_commit)
            j->after_commit(j->arg);
        j->complete(j);
    }
    void (*end)(void) = atomic_load(&batch_end);
    if (end)
        end();
    checkpoint_after_batch();
}

static void *writer_main(void *unused)
{
    for (;;) {
        struct wjob *batch = take_batch();
        if (!batch)
            break;
        run_batch(batch);
    }
    return NULL;
}

int writer_start(const char *dir)
{
    if (store_open(dir, &wstore) != 0)
        return ERR_SYSTEM;
    store_wal_manual(wstore);
    /* without the helper the writer checkpoints every CKPT_STEP pages itself; PostgreSQL
     * checkpoints by itself */
    if (!store_is_url(dir) && store_open(dir, &ck.s) == 0) {
        if (pthread_create(&ck.thread, NULL, checkpointer_main, NULL) == 0) {
            thread_name(ck.thread, "lj-checkpoint");
        } else {
            store_close(ck.s);
            ck.s = NULL;
        }
    }
    if (pthread_create(&thread, NULL, writer_main, NULL) != 0) {
        store_close(wstore);
        return ERR_SYSTEM;
    }
    thread_name(thread, "lj-writer");
    return 0;
}

void writer_stop(void)
{
    pthread_mutex_lock(&mu);
    stopping = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(thread, NULL);
    store_close(wstore);
    wstore = NULL;
    if (ck.s) {
        pthread_mutex_lock(&ck.mu);
        ck.stopping = 1;
        pthread_cond_signal(&ck.cv);
        pthread_mutex_unlock(&ck.mu);
        pthread_join(ck.thread, NULL);
        store_close(ck.s);
        ck.s = NULL;
    }
}

struct sync_wait {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
};

static void sync_complete(struct wjob *job)
{
    struct sync_wait *w = (struct sync_wait *)(job + 1);
    pthread_mutex_lock(&w->mu);
    w->done = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

int writer_run_sync(wjob_run_fn run, void (*after_commit)(void *), void *arg)
{
    struct {
        struct wjob job;
        struct sync_wait w;
    } x = {.job = {.run = run, .after_commit = after_commit, .complete = sync_complete, .arg = arg},
           .w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0}};
    writer_submit(&x.job);
    pthread_mutex_lock(&x.w.mu);
    while (!x.w.done)
        pthread_cond_wait(&x.w.cv, &x.w.mu);
    pthread_mutex_unlock(&x.w.mu);
    return x.job.rc;
}

uint64_t writer_commit_count(void)
{
    return atomic_load(&commits);
}

void writer_get_stats(struct writer_stats *out)
{
    pthread_mutex_lock(&mu);
    *out = stats;
    pthread_mutex_unlock(&mu);
}
