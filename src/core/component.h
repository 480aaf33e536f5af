/*
 * component: third-party platforms (spec/component.md): registration, the verify ticket
 * pushed every 10 minutes, component access tokens and pre-auth codes.
 */
#ifndef LJ_COMPONENT_H
#define LJ_COMPONENT_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store_component.h"
#include "../util/permset.h"

#define COMPONENT_TICKET_EVERY  600
#define COMPONENT_TICKET_TTL    (12 * 3600)
#define COMPONENT_TOKEN_TTL     7200
#define COMPONENT_TOKEN_OVERLAP 300
#define COMPONENT_PREAUTH_TTL   1800
#define COMPONENT_AUTH_CODE_TTL 600

/* checks the fields an operator gives (name, Token, EncodingAESKey, URLs, sets, domains):
 * 0 or ERR_ARGUMENT_INVALID */
int component_validate(const struct component *c);
/* registers c: appid (kept when given and free), secret and first ticket time are set here;
 * ERR_CONFLICT when the appid is taken by a component or an account */
int component_create(struct store *s, struct component *c);

/* writer job: issues and pushes a ticket to every component whose ticket is due */
int component_tickets_run(struct store *s, void *unused);
/* after_commit hook of component_tickets_run: wakes the push worker */
void component_tickets_after(void *unused);
struct component_secret {
    char appid[19];
    char secret[64];
};
/* writer job: api_start_push_ticket: checks the secret and makes a ticket due at once */
int component_ticket_now_run(struct store *s, void *arg);
/* writer job: drops tickets, tokens and codes a day past their expiry */
int component_purge_run(struct store *s, void *unused);

struct component_token_issue {
    char appid[19];
    char secret[64];
    char ticket[128];
    char token[160]; /* out */
};
/* writer job: checks appid, secret and ticket, then issues a component token */
int component_token_run(struct store *s, void *arg);
/* 0 with appid filled, ERR_INVALID_CREDENTIAL or ERR_ACCESS_TOKEN_EXPIRED */
int component_token_check(struct store *rd, const char *token, size_t len, char appid[19]);

struct component_preauth {
    char appid[19];
    char code[128]; /* out */
};
/* writer job: issues a pre-auth code for the component appid */
int component_preauth_run(struct store *s, void *arg);

/* component_auth.c: merchants authorizing components */

/* a pre-auth code the authorization page may use: 0, ERR_COMPONENT_CODE_INVALID (unknown or
 * used) or ERR_COMPONENT_CODE_EXPIRED */
int component_preauth_check(struct store *rd, const char *appid, const char *code);
/* 1 if redirect_uri is http(s) and its host is under one of c's web domains (any host when
 * c lists none) */
int component_redirect_allowed(const struct component *c, const char *redirect_uri);
/*
 * An authorizer_access_token on a wire route granted by the permission sets `need` (none: not
 * for third parties): 0 with the merchant's appid in appid; ERR_INVALID_CREDENTIAL (unknown, or
 * the authorization was cancelled), ERR_ACCESS_TOKEN_EXPIRED, ERR_API_UNAUTHORIZED (48001: the
 * route is not open to third parties) or ERR_COMPONENT_API_UNAUTHORIZED (61007: the merchant
 * granted none of the route's sets). On 0, `granted` (when not NULL) holds every set the
 * merchant granted, for handlers whose answer depends on one (getticket's type=wx_card). A
 * cache hit costs two ANDs.
 */
int component_authorizer_check(struct store *rd, const char *token, const struct permset *need,
                               int64_t now, char appid[19], struct permset *granted);
/* after_commit hook of every change to authorizations or authorizer tokens: the cached
 * authorizer tokens are checked against the database again */
void component_auth_changed(void *unused);
/* 1 if set id `id` is in the comma-separated list */
int component_sets_has(const char *sets, int id);

struct component_approve {
    /* in */
    char component_appid[19];
    char preauth[128];
    char authorizer_appid[19];
    char func_sets[256]; /* the sets the admin left ticked: a subset of the requested ones */
    int64_t user_id;     /* must be the account's administrator */
    /* out */
    char auth_code[96];
    int exclusive_set; /* with ERR_CONFLICT: the exclusive set another third party holds */
};
/* writer job: the administrator approves: stores the authorization (a new refresh token),
 * issues the auth code, uses up the pre-auth code and pushes authorized / updateauthorized;
 * ERR_FORBIDDEN when user_id does not administer the account; ERR_CONFLICT when another third
 * party holds one of the exclusive sets asked for (4, 24, 34, 54) */
int component_approve_run(struct store *s, void *arg);
/* after_commit hook: wakes the push worker */
void component_push_after(void *unused);

struct component_query {
    /* in */
    char component_appid[19];
    char code[128];
    /* out */
    struct component_auth auth;
    char access_token[160];
};
/* writer job: api_query_auth: takes the auth code, issues an authorizer token */
int component_query_auth_run(struct store *s, void *arg);

/* component_authorizer.c: what a component does for its authorizers, and cancelling */

/* the authorization of (component, authorizer): 0, ERR_COMPONENT_NOT_AUTHORIZED */
int component_auth_get(struct store *rd, const char *component_appid, const char *authorizer_appid,
                       struct component_auth *out);

struct component_refresh {
    char component_appid[19];
    char authorizer_appid[19];
    char refresh_token[128];
    char access_token[160]; /* out */
};
/* writer job: api_authorizer_token: 61003 when not authorized, 61023 on a wrong refresh token */
int component_refresh_run(struct store *s, void *arg);

/* option names and values (§6): 0, ERR_INVALID_OPTION_NAME or ERR_INVALID_OPTION_VALUE */
int component_option_check(const char *name, const char *value);
/* an authorizer's option value ("0" when never set) */
int component_option_get(struct store *rd, const char *appid, const char *name, char out[8]);

struct component_option {
    char component_appid[19];
    char authorizer_appid[19];
    char name[32];
    char value[8];
};
/* writer job: api_set_authorizer_option (checks the authorization again) */
int component_option_set_run(struct store *s, void *arg);

struct component_cancel {
    char component_appid[19];
    char authorizer_appid[19];
    int64_t user_id; /* must administer the account */
};
/* writer job: the administrator cancels: drops the authorization and its tokens and pushes
 * unauthorized; ERR_FORBIDDEN (not the admin) or ERR_COMPONENT_NOT_AUTHORIZED */
int component_cancel_run(struct store *s, void *arg);

struct component_narrow {
    char component_appid[19];
    char authorizer_appid[19];
    int64_t user_id;     /* must administer the account */
    char func_sets[256]; /* what stays granted: a non-empty subset of the current grant */
};
/* writer job: the administrator changes an authorization by unticking sets: stores the
 * smaller grant and pushes updateauthorized; ERR_FORBIDDEN, ERR_COMPONENT_NOT_AUTHORIZED, or
 * ERR_ARGUMENT_INVALID when the sets are empty or not all granted before */
int component_narrow_run(struct store *s, void *arg);

#endif
