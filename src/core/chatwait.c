/*
 * chatwait: see chatwait.h. Counters live in buckets by user id (a collision only wakes a
 * waiter early, and it then finds nothing and answers an empty list).
 */
#include "chatwait.h"
#include "clock.h"
#include "../util/xalloc.h"
#include "../util/thread.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#define BUCKETS 4096

struct waiter {
    struct waiter *next;
    int64_t user_id;
    uint64_t seq;
    int64_t deadline_ms;
    chatwait_fire_fn fire;
    void *ctx;
};

static _Atomic uint64_t buckets[BUCKETS];
static _Atomic uint64_t everyone;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static struct waiter *waiters;
static int running;
static pthread_t thread;

uint64_t chatwait_seq(int64_t user_id)
{
    return atomic_load(&buckets[(uint64_t)user_id % BUCKETS]) + atomic_load(&everyone);
}

static void (*_Atomic relay)(int64_t user_id);

void chatwait_set_relay(void (*fn)(int64_t user_id))
{
    atomic_store(&relay, fn);
}

void chatwait_notify(int64_t user_id)
{
    void (*fn)(int64_t) = atomic_load(&relay);
    if (fn)
        fn(user_id);
    chatwait_wake(user_id);
}

void chatwait_wake(int64_t user_id)
{
    if (user_id == 0)
        atomic_fetch_add(&everyone, 1);
    else
        atomic_fetch_add(&buckets[(uint64_t)user_id % BUCKETS], 1);
    pthread_mutex_lock(&mu);
    if (waiters)
        pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

void chatwait_add(int64_t user_id, uint64_t seq, int64_t deadline_ms, chatwait_fire_fn fire,
                  void *ctx)
{
    struct waiter *w = xcalloc(1, sizeof(*w));
    w->user_id = user_id;
    w->seq = seq;
    w->deadline_ms = deadline_ms;
    w->fire = fire;
    w->ctx = ctx;
    pthread_mutex_lock(&mu);
    w->next = waiters;
    waiters = w;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
}

/* unlinks the waiters that are due into a list; returns the earliest remaining deadline */
static struct waiter *take_due(int64_t now, int64_t *next_deadline)
{
    struct waiter *due = NULL, **pp = &waiters;
    *next_deadline = now + 1000;
    while (*pp) {
        struct waiter *w = *pp;
        if (!running || w->deadline_ms <= now || chatwait_seq(w->user_id) != w->seq) {
            *pp = w->next;
            w->next = due;
            due = w;
        } else {
            if (w->deadline_ms < *next_deadline)
                *next_deadline = w->deadline_ms;
            pp = &w->next;
        }
    }
    return due;
}

static void *loop(void *arg)
{
    pthread_mutex_lock(&mu);
    for (;;) {
        int64_t next;
        int stop = !running;
        struct waiter *due = take_due(clock_mono_ns() / 1000000, &next);
        pthread_mutex_unlock(&mu);
        while (due) {
            struct waiter *w = due;
            due = w->next;
            w->fire(w->ctx);
            free(w);
        }
        pthread_mutex_lock(&mu);
        if (stop)
            break;
        if (!running)
            continue;
        struct timespec ts = {(time_t)(next / 1000), (long)(next % 1000) * 1000000};
        pthread_cond_timedwait(&cv, &mu, &ts);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

void chatwait_start(void)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&cv, &ca);
    pthread_condattr_destroy(&ca);
    running = 1;
    pthread_create(&thread, NULL, loop, NULL);
    thread_name(thread, "lj-chatwait");
}

void chatwait_stop(void)
{
    pthread_mutex_lock(&mu);
    if (!running) {
        pthread_mutex_unlock(&mu);
        return;
    }
    running = 0;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(thread, NULL);
}
