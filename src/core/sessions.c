/* sessions: see sessions.h. No SQL here. */
#include "sessions.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/hash.h"

#include <pthread.h>
#include <stdatomic.h>

#include <string.h>

/*
 * Sessions checked on every client request come from a direct-mapped cache once seen, not
 * the database. A sign-out bumps `generation` after it commits, and an entry of an older
 * generation is a miss; the generation is read before the database, so an entry filled by a
 * read that raced a sign-out is stale when stored. Sessions are never changed otherwise.
 */
#define SESSION_SETS 2048 /* of 4 entries each */
#define SESSION_WAYS 4

static struct session_rec cache[SESSION_SETS][SESSION_WAYS];
static uint64_t cache_gen[SESSION_SETS][SESSION_WAYS];
static unsigned cache_next[SESSION_SETS];
static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static _Atomic uint64_t generation = 1;

void sessions_changed(void *unused)
{
    (void)unused;
    atomic_fetch_add(&generation, 1);
}

static int cached(const char *token, size_t set, uint64_t gen, struct session_rec *out)
{
    int hit = 0;
    pthread_rwlock_rdlock(&cache_lock);
    for (int w = 0; w < SESSION_WAYS && !hit; w++) {
        hit = cache_gen[set][w] == gen && strcmp(cache[set][w].token, token) == 0;
        if (hit)
            *out = cache[set][w];
    }
    pthread_rwlock_unlock(&cache_lock);
    return hit;
}

static void remember(size_t set, uint64_t gen, const struct session_rec *r)
{
    pthread_rwlock_wrlock(&cache_lock);
    unsigned w = cache_next[set]++ % SESSION_WAYS;
    cache[set][w] = *r;
    cache_gen[set][w] = gen;
    pthread_rwlock_unlock(&cache_lock);
}

int sessions_check(struct store *rd, const char *token, int64_t *user_id)
{
    struct session_rec r;
    size_t len = strlen(token);
    if (len >= sizeof(r.token))
        return ERR_UNAUTHENTICATED;
    size_t set = hash_fnv1a(token, len) % SESSION_SETS;
    uint64_t gen = atomic_load(&generation);
    if (!cached(token, set, gen, &r)) {
        if (store_session_get(rd, token, &r) != 0)
            return ERR_UNAUTHENTICATED;
        remember(set, gen, &r);
    }
    if (r.expires_at <= clock_now())
        return ERR_UNAUTHENTICATED;
    *user_id = r.user_id;
    return 0;
}

int sessions_create_run(struct store *s, void *arg)
{
    struct session_new *n = arg;
    struct user u;
    int rc =
        n->user_id ? store_user_get(s, n->user_id, &u) : store_user_get_by_name(s, n->username, &u);
    if (rc == ERR_NOT_FOUND)
        return ERR_UNAUTHENTICATED;
    if (rc != 0)
        return rc;
    if (!n->user_id && !crypto_password_check(n->password, u.password_hash))
        return ERR_UNAUTHENTICATED;
    struct session_rec r = {.user_id = u.id, .expires_at = clock_now() + SESSION_TTL};
    crypto_token(r.token, sizeof(r.token), "", 32);
    if (store_session_insert(s, &r) != 0)
        return ERR_SYSTEM;
    n->user_id = u.id;
    memcpy(n->token, r.token, sizeof(n->token));
    n->expires_at = r.expires_at;
    return 0;
}

int sessions_delete_run(struct store *s, void *arg)
{
    return store_session_delete(s, arg);
}
