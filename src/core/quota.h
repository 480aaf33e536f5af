/*
 * quota: daily call quotas per (account, API), spec/README.md §5. On SQLite (one node) counting
 * happens in memory (it is on the path of every metered call); quota_flush_run, a writer job
 * the server runs every second, saves the counters so a restart keeps them. On PostgreSQL,
 * which several nodes share, calls are counted in the database ahead, in blocks of up to 64
 * that shrink as the limit nears, and made from memory: the limit is exact across nodes, a
 * killed node loses no count, and a metered call seldom waits for the database. Days are
 * counted in UTC+8.
 */
#ifndef LJ_QUOTA_H
#define LJ_QUOTA_H

#include <stdint.h>

struct store;

#define CLEAR_QUOTA_PER_MONTH 10

/* daily limit of an API path; 0 = not metered */
int64_t quota_limit(const char *api);
/* counts one call; ERR_DAILY_QUOTA when the day's limit is reached. s: the caller's connection */
int quota_take(struct store *s, const char *appid, const char *api);
int quota_used(struct store *s, const char *appid, const char *api, int64_t *used);
/* writer job: resets every counter of the account (arg: appid), at most 10 times a month */
int quota_clear_run(struct store *s, void *appid);
/* after_commit of quota_clear_run: resets the in-memory counters (arg: appid) */
void quota_clear_publish(void *appid);
/* resets the in-memory counters of appid (every API when api is NULL) */
void quota_reset_memory(const char *appid, const char *api);
/* writer job: resets one API's counter (arg: struct quota_one) */
struct quota_one {
    char appid[19];
    char api[128];
};
int quota_clear_one_run(struct store *s, void *arg);
void quota_clear_one_publish(void *arg);
/* writer job: saves changed counters (arg unused) */
int quota_flush_run(struct store *s, void *unused);
/* writer job, at a clean stop: on a shared store, gives back the calls this node counted
 * ahead and did not make (a killed node's stay counted: a few calls fewer that day, never more) */
int quota_release_run(struct store *s, void *unused);

#endif
