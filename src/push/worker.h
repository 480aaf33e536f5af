/*
 * worker: the delivery worker. One thread drives every push over libcurl's multi interface
 * (connections are reused per host), with a 5-second timeout and 3 attempts, records each
 * attempt and turns a passive reply into a chat message for the user. Pushes are claimed with
 * leases, so that of several nodes on one database exactly one delivers each (worker.c).
 */
#ifndef LJ_WORKER_H
#define LJ_WORKER_H

#include <stdint.h>

/* how long a node's claim on a push lasts without being renewed (seconds) */
#define PUSH_LEASE_DEFAULT 30
/* starts the worker on the store at `where`; lease_seconds 0: PUSH_LEASE_DEFAULT */
int push_worker_start(const char *where, int lease_seconds);
void push_worker_stop(void);
/* a push was committed: look for it now (any thread) */
void push_worker_kick(void);

struct push_stats {
    uint64_t attempts, delivered, failed, replies;
};
void push_worker_stats(struct push_stats *out);

#endif
