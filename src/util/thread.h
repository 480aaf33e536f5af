/*
 * thread: names lianjie's threads ("lj-writer", "lj-push", "lj-loop-0", ...) so that top -H,
 * perf and gdb show which one is busy.
 */
#ifndef LJ_THREAD_H
#define LJ_THREAD_H

#include <pthread.h>

/* at most 15 characters are kept */
void thread_name(pthread_t t, const char *name);

#endif
