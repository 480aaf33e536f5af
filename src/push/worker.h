/*
 * worker: the delivery worker. One thread drives every push over libcurl's multi interface
 * (connections are reused per host), with a 5-second timeout and 3 attempts, records each
 * attempt and turns a passive reply into a chat message for the user.
 */
#ifndef LJ_WORKER_H
#define LJ_WORKER_H

#include <stdint.h>

int push_worker_start(const char *data_dir);
void push_worker_stop(void);
/* a push was committed: look for it now (any thread) */
void push_worker_kick(void);

struct push_stats {
    uint64_t attempts, delivered, failed, replies;
};
void push_worker_stats(struct push_stats *out);

#endif
