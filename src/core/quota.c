/* quota: daily counters (see quota.h): in memory and saved by a writer job on a store of one
 * node, in the store itself on one that many nodes share. No SQL here. */
#include "quota.h"
#include "clock.h"
#include "cluster.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *api;
    int64_t limit;
} limits[] = {
    {"/cgi-bin/token", 2000},
    {"/cgi-bin/stable_token", 500000},
    {"/cgi-bin/get_api_domain_ip", 1000},
    {"/cgi-bin/openapi/quota/get", 1000},
    {"/cgi-bin/menu/create", 1000},
    {"/cgi-bin/menu/get", 10000},
    {"/cgi-bin/menu/delete", 1000},
    {"/cgi-bin/menu/addconditional", 2000},
    {"/cgi-bin/menu/delconditional", 2000},
    {"/cgi-bin/menu/trymatch", 20000},
    {"/cgi-bin/message/template/send", 100000},
};

int64_t quota_limit(const char *api)
{
    for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
        if (strcmp(limits[i].api, api) == 0)
            return limits[i].limit;
    return 0;
}

struct qentry {
    struct qentry *next;  /* every entry, for flushing and resets */
    struct qentry *hnext; /* the next entry of the same bucket */
    char appid[19];
    char api[128];
    int64_t day, used;
    int dirty;
    /* shared store: calls counted in the database and not made yet, and the count there */
    int64_t avail, seen;
};

#define QUOTA_BLOCK 64    /* shared store: calls counted ahead at most */
#define QBUCKETS    65536 /* a power of two; one entry per account and limited API */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct qentry *entries;
static struct qentry *buckets[QBUCKETS];

/* FNV-1a over the appid and the API path */
static size_t bucket_of(const char *appid, const char *api)
{
    uint32_t h = 2166136261u;
    for (const char *p = appid; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    for (const char *p = api; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h & (QBUCKETS - 1);
}

static struct qentry *find(const char *appid, const char *api)
{
    for (struct qentry *e = buckets[bucket_of(appid, api)]; e; e = e->hnext)
        if (strcmp(e->appid, appid) == 0 && strcmp(e->api, api) == 0)
            return e;
    return NULL;
}

static void counter_name(const char *api, char *out, size_t cap)
{
    snprintf(out, cap, "q:%s", api);
}

/* adds an entry for (appid, api) on `day` with `used` calls (mu held) */
static struct qentry *add_entry(const char *appid, const char *api, int64_t day, int64_t used)
{
    struct qentry *e = xcalloc(1, sizeof(*e));
    snprintf(e->appid, sizeof(e->appid), "%s", appid);
    snprintf(e->api, sizeof(e->api), "%s", api);
    e->day = day;
    e->used = used;
    e->next = entries;
    entries = e;
    size_t b = bucket_of(e->appid, e->api);
    e->hnext = buckets[b];
    buckets[b] = e;
    return e;
}

/* finds or loads the entry for today; returns it locked (mu held) */
static struct qentry *entry_today(struct store *s, const char *appid, const char *api)
{
    int64_t day = clock_day(clock_now());
    pthread_mutex_lock(&mu);
    struct qentry *e = find(appid, api);
    if (!e) {
        pthread_mutex_unlock(&mu);
        int64_t used = 0;
        char name[140];
        counter_name(api, name, sizeof(name));
        store_counter_get(s, appid, name, day, &used, NULL);
        pthread_mutex_lock(&mu);
        if (!(e = find(appid, api)))
            e = add_entry(appid, api, day, used);
    }
    if (e->day != day) {
        e->day = day;
        e->used = 0;
        e->dirty = 1;
    }
    return e;
}

/* finds or adds the entry of (appid, api) for `day`, locked (mu held); no database read */
static struct qentry *entry_of(const char *appid, const char *api, int64_t day)
{
    pthread_mutex_lock(&mu);
    struct qentry *e = find(appid, api);
    if (!e)
        e = add_entry(appid, api, day, 0);
    if (e->day != day) {
        e->day = day;
        e->avail = e->seen = 0;
    }
    return e;
}

/* how many calls to count at once: fewer as the limit comes near, so that the calls counted
 * ahead on each node stay few (1 in the last eighth of 8 calls or less) */
static int64_t block_size(int64_t limit, int64_t seen)
{
    int64_t n = (limit - seen) / 8;
    return n < 1 ? 1 : n > QUOTA_BLOCK ? QUOTA_BLOCK : n;
}

/*
 * A shared store (many nodes): calls are counted in the database ahead, a block at a time,
 * and made from this node's memory until the block is used up; so the total is exact across
 * nodes, a killed node's unmade calls stay counted (never more than the limit), and only one
 * call in a block waits for the database.
 */
static int take_shared(struct store *s, const char *appid, const char *api, int64_t limit)
{
    int64_t now = clock_now(), day = clock_day(now);
    struct qentry *e = entry_of(appid, api, day);
    if (e->avail > 0) {
        e->avail--;
        pthread_mutex_unlock(&mu);
        return 0;
    }
    int64_t n = block_size(limit, e->seen), value = 0;
    pthread_mutex_unlock(&mu);
    char name[140];
    int taken = 0;
    counter_name(api, name, sizeof(name));
    int rc = store_counter_take(s, appid, name, day, limit, n, now, &taken, &value);
    if (rc == 0 && !taken && n > 1) /* not a whole block left: one call, if one is */
        rc = store_counter_take(s, appid, name, day, limit, n = 1, now, &taken, &value);
    if (rc != 0)
        return ERR_SYSTEM;
    e = entry_of(appid, api, day);
    if (taken) {
        e->avail += n - 1;
        e->seen = value > e->seen ? value : e->seen;
    } else {
        e->seen = limit;
    }
    pthread_mutex_unlock(&mu);
    return taken ? 0 : ERR_DAILY_QUOTA;
}

int quota_take(struct store *s, const char *appid, const char *api)
{
    int64_t limit = quota_limit(api);
    if (limit == 0)
        return 0;
    if (store_is_shared(s))
        return take_shared(s, appid, api, limit);
    struct qentry *e = entry_today(s, appid, api);
    int rc = 0;
    if (e->used >= limit) {
        rc = ERR_DAILY_QUOTA;
    } else {
        e->used++;
        e->dirty = 1;
    }
    pthread_mutex_unlock(&mu);
    return rc;
}

int quota_used(struct store *s, const char *appid, const char *api, int64_t *used)
{
    if (store_is_shared(s)) {
        char name[140];
        int64_t day = clock_day(clock_now());
        counter_name(api, name, sizeof(name));
        *used = 0;
        int rc = store_counter_get(s, appid, name, day, used, NULL);
        struct qentry *e = entry_of(appid, api, day);
        *used -= e->avail; /* counted ahead here, not made yet (other nodes' are not known) */
        pthread_mutex_unlock(&mu);
        return rc == ERR_NOT_FOUND ? 0 : rc;
    }
    struct qentry *e = entry_today(s, appid, api);
    *used = e->used;
    pthread_mutex_unlock(&mu);
    return 0;
}

void quota_reset_memory(const char *appid, const char *api)
{
    pthread_mutex_lock(&mu);
    for (struct qentry *e = entries; e; e = e->next) {
        if (strcmp(e->appid, appid) == 0 && (!api || strcmp(e->api, api) == 0)) {
            e->used = 0;
            e->dirty = 1;
            e->avail = e->seen = 0;
        }
    }
    pthread_mutex_unlock(&mu);
}

int quota_clear_run(struct store *s, void *arg)
{
    const char *appid = arg;
    int64_t now = clock_now(), month = clock_month(now), clears = 0;
    store_counter_get(s, appid, "clear_quota", month, &clears, NULL);
    if (clears >= CLEAR_QUOTA_PER_MONTH)
        return ERR_CLEAR_QUOTA_LIMIT;
    if (store_counter_set(s, appid, "clear_quota", month, clears + 1, now) != 0 ||
        store_counter_clear(s, appid, "q:", clock_day(now)) != 0 ||
        cluster_quota_cleared(s, appid, NULL) != 0)
        return ERR_SYSTEM;
    return 0;
}

int quota_clear_one_run(struct store *s, void *arg)
{
    struct quota_one *q = arg;
    int64_t now = clock_now();
    char name[140];
    counter_name(q->api, name, sizeof(name));
    if (store_counter_set(s, q->appid, name, clock_day(now), 0, now) != 0 ||
        cluster_quota_cleared(s, q->appid, q->api) != 0)
        return ERR_SYSTEM;
    return 0;
}

void quota_clear_publish(void *appid)
{
    quota_reset_memory(appid, NULL);
}

void quota_clear_one_publish(void *arg)
{
    struct quota_one *q = arg;
    quota_reset_memory(q->appid, q->api);
}

int quota_flush_run(struct store *s, void *unused)
{
    if (store_is_shared(s))
        return 0; /* counted in the store already */
    int64_t now = clock_now();
    pthread_mutex_lock(&mu);
    for (struct qentry *e = entries; e; e = e->next) {
        if (!e->dirty)
            continue;
        char name[140];
        counter_name(e->api, name, sizeof(name));
        if (store_counter_set(s, e->appid, name, e->day, e->used, now) == 0)
            e->dirty = 0;
    }
    pthread_mutex_unlock(&mu);
    return 0;
}

int quota_release_run(struct store *s, void *unused)
{
    if (!store_is_shared(s))
        return 0;
    int64_t now = clock_now();
    pthread_mutex_lock(&mu);
    for (struct qentry *e = entries; e; e = e->next) {
        if (e->avail <= 0 || e->day != clock_day(now))
            continue;
        char name[140];
        int taken;
        counter_name(e->api, name, sizeof(name));
        if (store_counter_take(s, e->appid, name, e->day, INT64_MAX, -e->avail, now, &taken,
                               NULL) == 0)
            e->avail = 0;
    }
    pthread_mutex_unlock(&mu);
    return 0;
}
