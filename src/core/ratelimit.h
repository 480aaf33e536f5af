/*
 * ratelimit: fixed one-minute windows per (purpose, key), in memory, for slowing down
 * guessing (bad OAuth codes per client address). Not shared between nodes.
 */
#ifndef LJ_RATELIMIT_H
#define LJ_RATELIMIT_H

/* 1 if (purpose, key) has reached `limit` events in the current minute */
int ratelimit_over(const char *purpose, const char *key, int limit);
/* counts one event */
void ratelimit_count(const char *purpose, const char *key);

#endif
