/*
 * quota: daily call quotas per (account, API), spec/README.md §5. Calls are counted in the
 * store ahead, in blocks of up to 64 that shrink as the limit nears, and made from memory:
 * the limit is exact (across nodes too), a killed process loses no count (its calls counted
 * ahead and not made stay counted: a few calls fewer that day, never more), and a metered
 * call seldom waits for the database. Days are counted in UTC+8.
 */
#ifndef LJ_QUOTA_H
#define LJ_QUOTA_H

#include <stdint.h>

struct store;

#define CLEAR_QUOTA_PER_MONTH 10

/* daily limit of an API path; 0 = not metered */
int64_t quota_limit(const char *api);
/*
 * counts one call: 0, ERR_DAILY_QUOTA when the day's limit is reached, ERR_SYSTEM, or
 * QUOTA_WRITE when no call is counted ahead here and s may not write (an event loop's
 * SQLite connection: only the writer writes there): then the caller runs quota_job_run as a
 * writer job. In a transaction, the call is counted in it. s: the caller's connection.
 */
#define QUOTA_WRITE 1000001
int quota_take(struct store *s, const char *appid, const char *api);
/* the writer job of QUOTA_WRITE: quota_job_new's arg (freed with free()), quota_job_run as
 * run (it fails only on a system error), quota_job_commit as after_commit; after the commit,
 * quota_job_taken tells whether the call was counted (0: the limit is reached) */
void *quota_job_new(const char *appid, const char *api);
int quota_job_run(struct store *s, void *arg);
void quota_job_commit(void *arg);
int quota_job_taken(const void *arg);
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
/* writer job, at a clean stop: gives back the calls counted ahead and not made */
int quota_release_run(struct store *s, void *unused);

#endif
