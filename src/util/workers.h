/*
 * workers: a few threads for CPU-heavy work (password hashing) that must hold up neither the
 * writer, whose every job other tenants wait behind, nor an event loop. The queue is bounded:
 * past WORKERS_QUEUE_MAX waiting jobs a submit is refused, so a flood is answered at once
 * instead of piling up.
 */
#ifndef LJ_WORKERS_H
#define LJ_WORKERS_H

#define WORKERS_QUEUE_MAX 256

/* starts n threads (1 to 16); idempotent */
int workers_start(int n);
void workers_stop(void);
/* queues fn(arg) for a worker thread: 0, or -1 when the queue is full or no worker runs */
int workers_submit(void (*fn)(void *), void *arg);

#endif
