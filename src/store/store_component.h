/*
 * store_component: third-party platforms (spec/component.md): the registered components,
 * their verify tickets, component access tokens and pre-auth codes.
 */
#ifndef LJ_STORE_COMPONENT_H
#define LJ_STORE_COMPONENT_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct component {
    char appid[19];
    char secret[33];
    char name[128];
    char token[64];      /* message Token */
    char aes_key[48];    /* EncodingAESKey */
    char auth_url[512];  /* authorization-event URL (tickets, authorized, ...) */
    char msg_url[512];   /* message URL, may hold $APPID$ */
    char func_sets[256]; /* requested permission sets: comma-separated ids */
    char domains[1024];  /* web domains: comma-separated hosts */
    int64_t next_ticket_at;
    int64_t created_at;
};

typedef void (*store_component_cb)(void *arg, const struct component *c);

int store_component_insert(struct store *s, const struct component *c);
int store_component_get(struct store *s, const char *appid, struct component *out);
int store_component_list(struct store *s, store_component_cb cb, void *arg);
/* the components whose next ticket is due at now, at most limit */
int store_component_due(struct store *s, int64_t now, int limit, store_component_cb cb, void *arg);
int store_component_set_next_ticket(struct store *s, const char *appid, int64_t at);

int store_component_ticket_insert(struct store *s, const char *appid, const char *ticket,
                                  int64_t issued_at, int64_t expires_at);
/* the expiry of a ticket of appid: 0 or ERR_NOT_FOUND */
int store_component_ticket_get(struct store *s, const char *appid, const char *ticket,
                               int64_t *expires_at);
int store_component_ticket_purge(struct store *s, int64_t before);

int store_component_token_insert(struct store *s, const char *appid, const char *token,
                                 int64_t issued_at, int64_t expires_at);
/* shortens every live token of appid to end at `until` at the latest */
int store_component_token_supersede(struct store *s, const char *appid, int64_t now, int64_t until);
int store_component_token_get(struct store *s, const char *token, char appid[19],
                              int64_t *expires_at);
int store_component_token_purge(struct store *s, int64_t before);
/* drops pre-auth codes, auth codes and authorizer tokens that expired before `before` */
int store_component_codes_purge(struct store *s, int64_t before);

int store_preauth_insert(struct store *s, const char *appid, const char *code, int64_t expires_at);

/* the expiry of an unused pre-auth code of appid: 0 or ERR_NOT_FOUND */
int store_preauth_get(struct store *s, const char *appid, const char *code, int64_t *expires_at);
/* marks it used: 0, or ERR_NOT_FOUND when it was used already or is not appid's */
int store_preauth_use(struct store *s, const char *appid, const char *code);

/* an official account's administrator (a user id; 0 = none) */
int store_account_admin_get(struct store *s, const char *appid, int64_t *user_id);
int store_account_admin_set(struct store *s, const char *appid, int64_t user_id);
typedef void (*store_admin_account_cb)(void *arg, const char *appid, const char *name);
/* the accounts user_id administers, oldest first */
int store_admin_accounts(struct store *s, int64_t user_id, store_admin_account_cb cb, void *arg);

/* an account's authorization of a component */
struct component_auth {
    char component_appid[19];
    char authorizer_appid[19];
    char func_sets[256];
    char refresh_token[96];
    int64_t auth_time;
};
typedef void (*store_component_auth_cb)(void *arg, const struct component_auth *a);

int store_auth_get(struct store *s, const char *component_appid, const char *authorizer_appid,
                   struct component_auth *out);
/* inserts or replaces the authorization */
int store_auth_put(struct store *s, const struct component_auth *a);
int store_auth_delete(struct store *s, const char *component_appid, const char *authorizer_appid);
/* a component's authorizations, oldest first, from offset, at most limit; *total counts all */
int store_auth_list(struct store *s, const char *component_appid, int64_t offset, int64_t limit,
                    int64_t *total, store_component_auth_cb cb, void *arg);

/* every authorization code not yet exchanged of (component, authorizer) is used up */
int store_auth_codes_end(struct store *s, const char *component_appid,
                         const char *authorizer_appid);
int store_auth_code_insert(struct store *s, const char *code, const char *component_appid,
                           const char *authorizer_appid, int64_t expires_at);
/* takes an unused code of the component: marks it used, gives its authorizer and expiry;
 * ERR_NOT_FOUND when unknown, used or another component's */
int store_auth_code_take(struct store *s, const char *code, const char *component_appid,
                         char authorizer_appid[19], int64_t *expires_at);

int store_authorizer_token_insert(struct store *s, const char *token, const char *component_appid,
                                  const char *authorizer_appid, int64_t issued_at,
                                  int64_t expires_at);
/* shortens the live tokens of (component, authorizer) to end at `until` at the latest */
int store_authorizer_token_supersede(struct store *s, const char *component_appid,
                                     const char *authorizer_appid, int64_t now, int64_t until);

/* the component and authorizer of a token, and when it expires */
int store_authorizer_token_get(struct store *s, const char *token, char component_appid[19],
                               char authorizer_appid[19], int64_t *expires_at);

/* ends every authorizer token of (component, authorizer) at once */
int store_authorizer_token_revoke(struct store *s, const char *component_appid,
                                  const char *authorizer_appid);

/* an authorizer option (voice_recognize, customer_service): ERR_NOT_FOUND when never set */
int store_authorizer_option_get(struct store *s, const char *appid, const char *name, char *out,
                                size_t cap);
int store_authorizer_option_put(struct store *s, const char *appid, const char *name,
                                const char *value);
/* the components an account has authorized, oldest first */
int store_auth_list_authorizer(struct store *s, const char *authorizer_appid,
                               store_component_auth_cb cb, void *arg);

#endif
