/* tokens: issue rules and the token cache (see tokens.h). No SQL here. */
#include "tokens.h"
#include "clock.h"
#include "cluster.h"
#include "quota.h"
#include "../crypto/crypto.h"
#include "../util/err.h"
#include "../util/hash.h"
#include "../util/xalloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define CACHE_BUCKETS 65536

struct centry {
    struct centry *next;
    uint32_t hash;
    struct token_rec rec;
};

static struct centry *buckets[CACHE_BUCKETS];
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static atomic_ullong issued_total;
/* moves when another node superseded tokens: a load that raced it is not cached */
static atomic_ullong forget_gen;

/* caller holds the lock */
static struct centry *cache_find(const char *tok, size_t n, uint32_t h)
{
    for (struct centry *e = buckets[h % CACHE_BUCKETS]; e; e = e->next)
        if (e->hash == h && strncmp(e->rec.token, tok, n) == 0 && e->rec.token[n] == 0)
            return e;
    return NULL;
}

/* stores r unless tokens were forgotten since generation gen (gen 0: always) */
static void cache_put_as_of(const struct token_rec *r, uint64_t gen)
{
    size_t n = strlen(r->token);
    uint32_t h = hash_fnv1a(r->token, n);
    pthread_rwlock_wrlock(&cache_lock);
    if (gen && (atomic_load(&forget_gen) | 1ULL << 63) != gen) {
        pthread_rwlock_unlock(&cache_lock);
        return;
    }
    struct centry *e = cache_find(r->token, n, h);
    if (!e) {
        e = xcalloc(1, sizeof(*e));
        e->hash = h;
        e->next = buckets[h % CACHE_BUCKETS];
        buckets[h % CACHE_BUCKETS] = e;
    }
    e->rec = *r;
    pthread_rwlock_unlock(&cache_lock);
}

static void cache_put(const struct token_rec *r)
{
    cache_put_as_of(r, 0);
}

/* drops the cached tokens whose hash is h (another node changed them) */
void tokens_cache_forget(uint32_t h)
{
    pthread_rwlock_wrlock(&cache_lock);
    atomic_fetch_add(&forget_gen, 1);
    for (struct centry **pp = &buckets[h % CACHE_BUCKETS]; *pp;) {
        struct centry *e = *pp;
        if (e->hash == h) {
            *pp = e->next;
            free(e);
        } else {
            pp = &e->next;
        }
    }
    pthread_rwlock_unlock(&cache_lock);
}

void tokens_cache_forget_all(void)
{
    pthread_rwlock_wrlock(&cache_lock);
    atomic_fetch_add(&forget_gen, 1);
    for (size_t b = 0; b < CACHE_BUCKETS; b++) {
        while (buckets[b]) {
            struct centry *e = buckets[b];
            buckets[b] = e->next;
            free(e);
        }
    }
    pthread_rwlock_unlock(&cache_lock);
}

void tokens_cache_forget_account(const char *appid)
{
    pthread_rwlock_wrlock(&cache_lock);
    atomic_fetch_add(&forget_gen, 1);
    for (size_t b = 0; b < CACHE_BUCKETS; b++) {
        for (struct centry **pp = &buckets[b]; *pp;) {
            struct centry *e = *pp;
            if (strcmp(e->rec.appid, appid) == 0) {
                *pp = e->next;
                free(e);
            } else {
                pp = &e->next;
            }
        }
    }
    pthread_rwlock_unlock(&cache_lock);
}

int tokens_revoke_all(struct store *s, const char *appid)
{
    int64_t now = clock_now();
    if (store_token_supersede(s, appid, TOKEN_KIND_PLAIN, now) != 0 ||
        store_token_supersede(s, appid, TOKEN_KIND_STABLE, now) != 0)
        return ERR_SYSTEM;
    return cluster_account_tokens_ended(s, appid);
}

void tokens_revoked(void *appid)
{
    tokens_cache_forget_account(appid);
}

static int verdict(const struct token_rec *r, char appid[19])
{
    if (r->expires_at > clock_now()) {
        memcpy(appid, r->appid, 19);
        return 0;
    }
    return r->superseded ? ERR_INVALID_CREDENTIAL : ERR_ACCESS_TOKEN_EXPIRED;
}

int tokens_check(struct store *rd, const char *token, size_t len, char appid[19])
{
    if (len == 0 || len >= sizeof(((struct token_rec *)0)->token))
        return ERR_INVALID_CREDENTIAL;
    uint32_t h = hash_fnv1a(token, len);
    pthread_rwlock_rdlock(&cache_lock);
    struct centry *e = cache_find(token, len, h);
    struct token_rec r;
    if (e)
        r = e->rec;
    pthread_rwlock_unlock(&cache_lock);
    if (e)
        return verdict(&r, appid);
    char tok[128];
    memcpy(tok, token, len);
    tok[len] = 0;
    uint64_t gen = atomic_load(&forget_gen) | 1ULL << 63; /* never 0 */
    if (store_token_get(rd, tok, &r) != 0)
        return ERR_INVALID_CREDENTIAL;
    cache_put_as_of(&r, gen);
    return verdict(&r, appid);
}

int tokens_purge_run(struct store *s, void *unused)
{
    return store_token_purge(s, clock_now() - 86400);
}

void tokens_cache_prune(int64_t now)
{
    pthread_rwlock_wrlock(&cache_lock);
    for (size_t b = 0; b < CACHE_BUCKETS; b++) {
        struct centry **pp = &buckets[b];
        while (*pp) {
            struct centry *e = *pp;
            if (e->rec.expires_at < now - 3600) {
                *pp = e->next;
                free(e);
            } else {
                pp = &e->next;
            }
        }
    }
    pthread_rwlock_unlock(&cache_lock);
}

uint64_t tokens_issued_total(void)
{
    return atomic_load(&issued_total);
}

int tokens_ip_allowed(const char *list, const char *ip)
{
    if (!list[0])
        return 1;
    size_t n = strlen(ip);
    if (n == 0)
        return 0;
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ',' && *end != ' ')
            end++;
        if ((size_t)(end - p) == n && memcmp(p, ip, n) == 0)
            return 1;
        p = end;
    }
    return 0;
}

static void new_token(struct token_issue *t, int64_t now)
{
    struct token_rec *r = &t->issued;
    memset(r, 0, sizeof(*r));
    crypto_token(r->token, sizeof(r->token), t->kind == TOKEN_KIND_STABLE ? "ST_" : "AT_", 72);
    memcpy(r->appid, t->appid, sizeof(r->appid));
    r->kind = t->kind;
    r->issued_at = now;
    r->expires_at = now + TOKEN_TTL;
    t->is_new = 1;
}

static void note_superseded(void *arg, const struct token_rec *r)
{
    struct token_issue *t = arg;
    if (t->n_superseded < TOKEN_SUPERSEDE_MAX)
        t->superseded[t->n_superseded++] = *r;
}

/* caps every token of (appid, kind) at `until` and remembers them for the cache */
static int supersede(struct store *s, struct token_issue *t, int64_t until)
{
    t->n_superseded = 0;
    if (store_token_list_live(s, t->appid, t->kind, until, note_superseded, t) != 0 ||
        store_token_supersede(s, t->appid, t->kind, until) != 0)
        return ERR_SYSTEM;
    for (int i = 0; i < t->n_superseded; i++) {
        t->superseded[i].expires_at = until;
        t->superseded[i].superseded = 1;
    }
    return 0;
}

/* stable token: 1 = return the current one, 0 = issue (superseding the live ones when
 * *force is set), -1 = over the daily force limit, -2 = store error */
static int stable_keep(struct store *s, struct token_issue *t, int64_t now, int *force)
{
    struct token_rec cur;
    int have = store_token_latest(s, t->appid, TOKEN_KIND_STABLE, &cur) == 0 &&
               cur.expires_at > now && !cur.superseded;
    *force = 0;
    if (!t->force_refresh) {
        if (have && cur.expires_at - now > TOKEN_OVERLAP) {
            t->issued = cur;
            return 1;
        }
        return 0; /* none, or in its last 5 minutes: the old one lives on to its end */
    }
    int64_t day = clock_day(now), forced = 0, last = 0;
    int rc = store_counter_get(s, t->appid, "stable_force", day, &forced, &last);
    if (rc != 0 && rc != ERR_NOT_FOUND)
        return -2;
    if (have && now - last < STABLE_FORCE_GAP && forced > 0) {
        t->issued = cur;
        return 1;
    }
    if (forced >= STABLE_FORCE_PER_DAY)
        return -1;
    if (store_counter_set(s, t->appid, "stable_force", day, forced + 1, now) != 0)
        return -2;
    *force = 1;
    return 0;
}

static int check_account(struct store *s, struct token_issue *t)
{
    struct account a;
    int rc = store_account_get(s, t->appid, &a);
    if (rc == ERR_NOT_FOUND)
        return ERR_INVALID_APPID;
    if (rc != 0)
        return ERR_SYSTEM;
    if (!crypto_eq(a.secret, strlen(a.secret), t->secret, strlen(t->secret)))
        return t->kind == TOKEN_KIND_STABLE ? ERR_INVALID_APPSECRET : ERR_INVALID_CREDENTIAL;
    if (!tokens_ip_allowed(a.ip_whitelist, t->ip))
        return ERR_IP_NOT_WHITELISTED;
    const char *api = t->kind == TOKEN_KIND_STABLE ? "/cgi-bin/stable_token" : "/cgi-bin/token";
    return quota_take(s, t->appid, api);
}

int tokens_issue_run(struct store *s, void *arg)
{
    struct token_issue *t = arg;
    int64_t now = clock_now();
    int rc = check_account(s, t);
    if (rc != 0)
        return rc;
    t->is_new = 0;
    t->n_superseded = 0;
    if (t->kind == TOKEN_KIND_STABLE) {
        int force;
        int keep = stable_keep(s, t, now, &force);
        if (keep < 0)
            return keep == -1 ? ERR_DAILY_QUOTA : ERR_SYSTEM;
        if (keep)
            return 0;
        if (force && supersede(s, t, now) != 0)
            return ERR_SYSTEM;
    } else if (supersede(s, t, now + TOKEN_OVERLAP) != 0) {
        return ERR_SYSTEM;
    }
    if (cluster_tokens_changed(s, t->superseded, t->n_superseded) != 0)
        return ERR_SYSTEM;
    new_token(t, now);
    return store_token_insert(s, &t->issued) == 0 ? 0 : ERR_SYSTEM;
}

void tokens_issue_publish(void *arg)
{
    struct token_issue *t = arg;
    for (int i = 0; i < t->n_superseded; i++)
        cache_put(&t->superseded[i]);
    if (t->is_new) {
        cache_put(&t->issued);
        atomic_fetch_add(&issued_total, 1);
    }
}
