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
    /* in: either username + password, or user_id (demo pick; password not checked) */
    char username[64];
    char password[128];
    int64_t user_id;
    /* out */
    char token[64];
    int64_t expires_at;
};
/* writer job: checks the credential and creates the session */
int sessions_create_run(struct store *s, void *arg);
/* writer job: arg is the token string; sessions_changed is its after-commit step */
int sessions_delete_run(struct store *s, void *arg);
void sessions_changed(void *unused);

#endif
