/* quota: daily counters (see quota.h), counted in the store ahead, a block at a time, and
 * made from memory. No SQL here. */
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
    struct qentry *next;  /* every entry, for releases and resets */
    struct qentry *hnext; /* the next entry of the same bucket */
    char appid[19];
    char api[128];
    int64_t day;
    int64_t avail; /* calls counted in the store and not made yet */
    int64_t seen;  /* the day's count in the store, as last seen */
    int pending;   /* blocks being counted by the writer for this entry */
};

#define QUOTA_BLOCK 64    /* calls counted ahead at most */
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

/* finds or adds the entry of (appid, api) for `day`, locked (mu held); no database read */
static struct qentry *entry_of(const char *appid, const char *api, int64_t day)
{
    pthread_mutex_lock(&mu);
    struct qentry *e = find(appid, api);
    if (!e) {
        e = xcalloc(1, sizeof(*e));
        snprintf(e->appid, sizeof(e->appid), "%s", appid);
        snprintf(e->api, sizeof(e->api), "%s", api);
        e->day = day;
        e->next = entries;
        entries = e;
        size_t b = bucket_of(e->appid, e->api);
        e->hnext = buckets[b];
        buckets[b] = e;
    }
    if (e->day != day) {
        e->day = day;
        e->avail = e->seen = 0;
    }
    return e;
}

/* how many calls to count at once: fewer as the limit comes near, so that the calls counted
 * ahead stay few (1 in the last eighth of 8 calls or less) */
static int64_t block_size(int64_t limit, int64_t seen)
{
    int64_t n = (limit - seen) / 8;
    return n < 1 ? 1 : n > QUOTA_BLOCK ? QUOTA_BLOCK : n;
}

/* a block of calls counted in the store, to be made from memory */
struct qblock {
    char appid[19];
    char api[128];
    int64_t day, limit, want;
    int64_t got;   /* calls counted (0: the limit is reached) */
    int64_t value; /* the count in the store after them */
};

/* counts up to b->want calls in the store (one, if fewer than that are left) */
static int count_block(struct store *s, struct qblock *b)
{
    char name[140];
    int taken = 0;
    int64_t n = b->want;
    counter_name(b->api, name, sizeof(name));
    int rc =
        store_counter_take(s, b->appid, name, b->day, b->limit, n, clock_now(), &taken, &b->value);
    if (rc == 0 && !taken && n > 1)
        rc = store_counter_take(s, b->appid, name, b->day, b->limit, n = 1, clock_now(), &taken,
                                &b->value);
    b->got = rc == 0 && taken ? n : 0;
    return rc == 0 ? 0 : ERR_SYSTEM;
}

/* the block is counted: its first call is made, the rest stay in memory */
static void apply_block(const struct qblock *b, int was_pending)
{
    struct qentry *e = entry_of(b->appid, b->api, b->day);
    if (was_pending && e->pending > 0)
        e->pending--;
    if (e->day == b->day) {
        if (b->got > 0)
            e->avail += b->got - 1;
        e->seen = b->got > 0 ? (b->value > e->seen ? b->value : e->seen) : b->limit;
    }
    pthread_mutex_unlock(&mu);
}

static void block_of(struct qblock *b, const char *appid, const char *api, int64_t day,
                     int64_t limit, int64_t want)
{
    memset(b, 0, sizeof(*b));
    snprintf(b->appid, sizeof(b->appid), "%s", appid);
    snprintf(b->api, sizeof(b->api), "%s", api);
    b->day = day;
    b->limit = limit;
    b->want = want;
}

int quota_take(struct store *s, const char *appid, const char *api)
{
    int64_t limit = quota_limit(api);
    if (limit == 0)
        return 0;
    int64_t day = clock_day(clock_now());
    struct qentry *e = entry_of(appid, api, day);
    if (e->avail > 0) {
        e->avail--;
        pthread_mutex_unlock(&mu);
        return 0;
    }
    /* in a transaction, the call is counted with it (and undone with it); an event loop's
     * connection to a store of many nodes counts a block itself; one to SQLite, which only
     * the writer writes, asks for a writer job (QUOTA_WRITE) */
    int in_tx = store_in_tx(s);
    int64_t want = in_tx ? 1 : block_size(limit, e->seen);
    pthread_mutex_unlock(&mu);
    if (!in_tx && !store_is_shared(s))
        return QUOTA_WRITE;
    struct qblock b;
    block_of(&b, appid, api, day, limit, want);
    if (count_block(s, &b) != 0)
        return ERR_SYSTEM;
    apply_block(&b, 0);
    return b.got > 0 ? 0 : ERR_DAILY_QUOTA;
}

void *quota_job_new(const char *appid, const char *api)
{
    int64_t limit = quota_limit(api), day = clock_day(clock_now());
    struct qentry *e = entry_of(appid, api, day);
    /* one block at a time per entry; calls arriving meanwhile are counted one by one */
    int64_t want = e->pending ? 1 : block_size(limit, e->seen);
    e->pending++;
    pthread_mutex_unlock(&mu);
    struct qblock *b = xmalloc(sizeof(*b));
    block_of(b, appid, api, day, limit, want);
    return b;
}

int quota_job_run(struct store *s, void *arg)
{
    return count_block(s, arg);
}

void quota_job_commit(void *arg)
{
    apply_block(arg, 1);
}

int quota_job_taken(const void *arg)
{
    return ((const struct qblock *)arg)->got > 0;
}

int quota_used(struct store *s, const char *appid, const char *api, int64_t *used)
{
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

void quota_reset_memory(const char *appid, const char *api)
{
    pthread_mutex_lock(&mu);
    for (struct qentry *e = entries; e; e = e->next)
        if (strcmp(e->appid, appid) == 0 && (!api || strcmp(e->api, api) == 0))
            e->avail = e->seen = 0;
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

int quota_release_run(struct store *s, void *unused)
{
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
