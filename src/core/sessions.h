/*
 * sessions: end-user sign-in for the client API. A session is a 256-bit random token,
 * valid 30 days, kept in the store (so it survives restarts and works on every node).
 */
#ifndef LJ_SESSIONS_H
#define LJ_SESSIONS_H

#include <stdint.h>

struct store;

#define SESSION_TTL (30 * 86400)

/* 0 with *user_id, or ERR_UNAUTHENTICATED */
int sessions_check(struct store *rd, const char *token, int64_t *user_id);

struct session_new {
    /* in: either username + password, checked first (sessions_signin_load, then
     * sessions_password_run), or user_id (a demo pick; no password) */
    char username[64];
    char password[128];
    int64_t user_id;
    char hash[128]; /* the stored hash, or a stand-in of the same cost for an unknown user */
    /* out */
    char token[64];
    int64_t expires_at;
};

/* sign-in failures allowed in a minute, per username and per client address */
#define SIGNIN_FAILS_PER_USER 10
#define SIGNIN_FAILS_PER_IP   30
/* 0, or ERR_TOO_MANY_ATTEMPTS when the username or the address failed too often this minute */
int sessions_signin_allowed(const char *username, const char *ip);
void sessions_signin_failed(const char *username, const char *ip);
/* reads the user of n->username on rd (any connection) into n->user_id and n->hash; an
 * unknown user, or one without a password, gets a stand-in hash: the check that follows
 * takes as long either way. 0 or ERR_SYSTEM */
int sessions_signin_load(struct store *rd, struct session_new *n);
/* the password check (PBKDF2: for a worker thread, never the writer or a loop): 0, or
 * ERR_UNAUTHENTICATED (n->user_id is then 0); the password is wiped */
int sessions_password_run(void *n);
/* writer job: creates the session of n->user_id (checked already) */
int sessions_create_run(struct store *s, void *arg);
/* writer job: arg is the token string; sessions_changed is its after-commit step */
int sessions_delete_run(struct store *s, void *arg);
void sessions_changed(void *unused);

#endif
