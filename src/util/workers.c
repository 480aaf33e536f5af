/* workers: see workers.h. One mutex-guarded FIFO and a condition variable. */
#define _GNU_SOURCE /* SCHED_IDLE */
#include "workers.h"
#include "thread.h"
#include "xalloc.h"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>

#define WORKERS_NICE 10

struct task {
    struct task *next;
    void (*fn)(void *);
    void *arg;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct task *head, *tail;
static int queued, running, stopping;
static pthread_t tids[16];

static void *worker_main(void *unused)
{
    /* below the loops and the writer: a worker runs on a core only when nothing else wants it
     * (SCHED_IDLE; else nice 10), so a flood of hashes slows sign-ins, not other requests */
    struct sched_param sp = {0};
    if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &sp) != 0)
        (void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORKERS_NICE);
    pthread_mutex_lock(&mu);
    for (;;) {
        while (!head && !stopping)
            pthread_cond_wait(&cv, &mu);
        if (!head)
            break;
        struct task *t = head;
        head = t->next;
        if (!head)
            tail = NULL;
        queued--;
        pthread_mutex_unlock(&mu);
        t->fn(t->arg);
        free(t);
        pthread_mutex_lock(&mu);
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

int workers_start(int n)
{
    if (n < 1)
        n = 1;
    if (n > 16)
        n = 16;
    pthread_mutex_lock(&mu);
    int rc = 0;
    stopping = 0;
    while (running < n) {
        if (pthread_create(&tids[running], NULL, worker_main, NULL) != 0) {
            rc = -1;
            break;
        }
        char name[16];
        snprintf(name, sizeof(name), "lj-work-%d", running);
        thread_name(tids[running], name);
        running++;
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

/* lets the queued jobs finish, then ends the threads */
void workers_stop(void)
{
    pthread_mutex_lock(&mu);
    stopping = 1;
    int n = running;
    running = 0;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
}

int workers_submit(void (*fn)(void *), void *arg)
{
    struct task *t = xmalloc(sizeof(*t));
    t->next = NULL;
    t->fn = fn;
    t->arg = arg;
    pthread_mutex_lock(&mu);
    if (running == 0 || stopping || queued >= WORKERS_QUEUE_MAX) {
        pthread_mutex_unlock(&mu);
        free(t);
        return -1;
    }
    if (tail)
        tail->next = t;
    else
        head = t;
    tail = t;
    queued++;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    return 0;
}
