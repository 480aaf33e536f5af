/* sessions: see sessions.h. No SQL here. */
#include "sessions.h"
#include "clock.h"
#include "cluster.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/tcache.h"

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
    int rc = store_session_delete(s, arg);
    return rc != 0 ? rc : cluster_sessions_changed(s);
}
