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

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct wjob *head, **tail = &head;
static int stopping;
static pthread_t thread;
static struct store *wstore;
static struct writer_stats stats;
static _Atomic uint64_t commits;

uint64_t writer_commit_count(void)
{
    return atomic_load(&commits);
}

void writer_submit(struct wjob *job)
{
    job->next = NULL;
    pthread_mutex_lock(&mu);
    *tail = job;
    tail = &job->next;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

static struct wjob *take_batch(void)
{
    pthread_mutex_lock(&mu);
    while (!head && !stopping)
        pthread_cond_wait(&cv, &mu);
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

static void run_one(struct wjob *j)
{
    if (store_savepoint(wstore) != 0) {
        j->rc = ERR_SYSTEM;
        return;
    }
    j->rc = j->run(wstore, j->arg);
    if (j->rc != 0)
        store_savepoint_rollback(wstore);
    store_savepoint_release(wstore);
}

static void run_batch(struct wjob *batch)
{
    int64_t t0 = clock_mono_ns();
    uint64_t n = 0;
    int begun = store_begin(wstore) == 0;
    for (struct wjob *j = batch; j; j = j->next, n++) {
        if (begun)
            run_one(j);
        else
            j->rc = ERR_SYSTEM;
    }
    int committed = begun && store_commit(wstore) == 0;
    if (begun && !committed) {
        store_rollback(wstore);
        log_error("writer", "commit of a batch of %llu jobs failed", (unsigned long long)n);
    }
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

void writer_get_stats(struct writer_stats *out)
{
    pthread_mutex_lock(&mu);
    *out = stats;
    pthread_mutex_unlock(&mu);
}
