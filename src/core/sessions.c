/* sessions: see sessions.h. No SQL here. */
#include "sessions.h"
#include "clock.h"
#include "cluster.h"
#include "ratelimit.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/tcache.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/*
 * Sessions checked on every client request come from a cache once seen, not the database
 * (util/tcache.h). A sign-out bumps its generation after it commits; sessions are never
 * changed otherwise.
 */
static struct tcache cache = TCACHE_INIT(2048, 4, sizeof(struct session_rec));

void sessions_changed(void *unused)
{
    (void)unused;
    tcache_bump(&cache);
}

int sessions_check(struct store *rd, const char *token, int64_t *user_id)
{
    struct session_rec r;
    if (strlen(token) >= sizeof(r.token))
        return ERR_UNAUTHENTICATED;
    uint64_t gen = tcache_generation(&cache);
    if (!tcache_get(&cache, token, &r)) {
        if (store_session_get(rd, token, &r) != 0)
            return ERR_UNAUTHENTICATED;
        tcache_put(&cache, token, gen, &r);
    }
    if (r.expires_at <= clock_now())
        return ERR_UNAUTHENTICATED;
    *user_id = r.user_id;
    return 0;
}

int sessions_signin_allowed(const char *username, const char *ip)
{
    if (ratelimit_over("signin-user", username, SIGNIN_FAILS_PER_USER) ||
        ratelimit_over("signin-ip", ip, SIGNIN_FAILS_PER_IP))
        return ERR_TOO_MANY_ATTEMPTS;
    return 0;
}

void sessions_signin_failed(const char *username, const char *ip)
{
    ratelimit_count("signin-user", username);
    ratelimit_count("signin-ip", ip);
}

static char standin[128];

static void standin_init(void)
{
    unsigned char r[16];
    char pw[33];
    crypto_random(r, sizeof(r));
    crypto_hex(r, sizeof(r), pw);
    crypto_password_hash(pw, standin, sizeof(standin));
}

int sessions_signin_load(struct store *rd, struct session_new *n)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct user u;
    pthread_once(&once, standin_init);
    int rc = store_user_get_by_name(rd, n->username, &u);
    if (rc != 0 && rc != ERR_NOT_FOUND)
        return ERR_SYSTEM;
    int known = rc == 0 && u.password_hash[0];
    n->user_id = known ? u.id : 0;
    snprintf(n->hash, sizeof(n->hash), "%s", known ? u.password_hash : standin);
    return 0;
}

int sessions_password_run(void *arg)
{
    struct session_new *n = arg;
    int ok = crypto_password_check(n->password, n->hash);
    crypto_wipe(n->password, sizeof(n->password));
    if (!ok || n->user_id <= 0) {
        n->user_id = 0;
        return ERR_UNAUTHENTICATED;
    }
    return 0;
}

int sessions_create_run(struct store *s, void *arg)
{
    struct session_new *n = arg;
    struct user u;
    int rc = n->user_id > 0 ? store_user_get(s, n->user_id, &u) : ERR_NOT_FOUND;
    if (rc == ERR_NOT_FOUND)
        return ERR_UNAUTHENTICATED;
    if (rc != 0)
        return rc;
    /* a password changed since it was checked ends the sign-in too */
    if (n->hash[0] && strcmp(n->hash, u.password_hash) != 0)
        return ERR_UNAUTHENTICATED;
    struct session_rec r = {.user_id = u.id, .expires_at = clock_now() + SESSION_TTL};
    crypto_token(r.token, sizeof(r.token), "", 32);
    if (store_session_insert(s, &r) != 0)
        return ERR_SYSTEM;
    memcpy(n->token, r.token, sizeof(n->token));
    n->expires_at = r.expires_at;
    return 0;
}

int sessions_delete_run(struct store *s, void *arg)
{
    int rc = store_session_delete(s, arg);
    return rc != 0 ? rc : cluster_sessions_changed(s);
}
