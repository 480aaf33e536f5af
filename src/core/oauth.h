/*
 * oauth: web authorization (spec/oauth.md). A signed-in user approves an account's request;
 * the account's back end exchanges the single-use, 5-minute code for a user token (7200 s)
 * and a refresh token (30 days, fixed), and reads the user's profile with it. Codes are
 * stored hashed and marked used in the same write that redeems them (the writer thread runs
 * writes one at a time, so a code is redeemed at most once). Website QR login (qrconnect)
 * issues its code when the user confirms on their phone (the web client). No SQL here.
 */
#ifndef LJ_OAUTH_H
#define LJ_OAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"

#define OAUTH_CODE_TTL    300
#define OAUTH_TOKEN_TTL   7200
#define OAUTH_REFRESH_TTL (30 * 86400)
#define QR_LOGIN_TTL      300

/* the errors the authorization pages show instead of redirecting */
enum {
    OAUTH_PAGE_DOMAIN = 10003,
    OAUTH_PAGE_SCOPE_DENIED = 10005,
    OAUTH_PAGE_SCOPE = 10010,
    OAUTH_PAGE_REDIRECT = 10011,
    OAUTH_PAGE_APPID = 10012,
    OAUTH_PAGE_STATE = 10013,
    OAUTH_PAGE_WRONG_APP = 10016,
    OAUTH_PAGE_NOT_AUTHORIZED = 10015, /* the account has not authorized that third party */
};

struct oauth_request {
    char appid[19];
    char redirect_uri[1024];
    char response_type[32];
    char scope[64];
    char state[160];
    int qr;                   /* qrconnect (website login) rather than in-app authorize */
    char component_appid[19]; /* a third party authorizing for the account; "" = none */
};

/* validates a request of the authorization pages: 0, or an OAUTH_PAGE_* code; fills *a */
int oauth_check_request(struct store *rd, const struct oauth_request *q, struct account *a);
/* 1 if uri is http(s) on exactly `domain` (host, or host:port when domain names a port) */
int oauth_redirect_allowed(const char *domain, const char *uri);
/* 1 if a comma-separated scope list holds `want` */
int oauth_scope_has(const char *scope, const char *want);
/* 1 if the user already granted `scope` to appid (consent remembered) */
int oauth_granted(struct store *rd, const char *appid, int64_t user_id, const char *scope);
/* writes the redirect target: uri + code (unless NULL) + state, before any #fragment */
/* appid: appended as &appid= (a third party's authorization names the account); NULL = no */
void oauth_redirect_target(const char *uri, const char *code, const char *state, const char *appid,
                           char *out, size_t cap);

struct oauth_approve {
    char appid[19];
    int64_t user_id;
    char scope[64];
    char code[64]; /* out */
};
/* writer job: issues a code (and remembers a userinfo consent) */
int oauth_approve_run(struct store *s, void *arg);

struct oauth_grant_result {
    struct oauth_token t;
    char openid[29];
    char unionid[29]; /* "" when none is due */
};

struct oauth_exchange {
    char appid[19];
    int by_component; /* a third party's exchange: it proved itself, there is no secret */
    char secret[64];
    char code[64];
    char ip[64];
    struct oauth_grant_result out;
};
/* writer job: code -> user token. 40029 unknown/other app, 40163 used, 42003 expired,
 * 40125 wrong secret, 40013 unknown appid, 45011 too many bad codes from one address */
int oauth_exchange_run(struct store *s, void *arg);

struct oauth_refresh {
    char appid[19];
    char refresh[128];
    struct oauth_grant_result out;
};
/* writer job: 40030 unknown refresh token, 42002 expired; an expired access token is replaced,
 * a live one extended to a full 7200 s */
int oauth_refresh_run(struct store *s, void *arg);

/* checks a user token (and, if openid is not NULL, that it belongs to openid):
 * 0, 40001 unknown, 42001 expired, 40003 openid mismatch */
int oauth_token_check(struct store *rd, const char *token, const char *openid,
                      struct oauth_token *out);
/* the unionid due for this token's grant, or "" */
void oauth_unionid_for(struct store *rd, const struct oauth_token *t, char out[29]);

struct qr_new {
    struct oauth_request req;
    char uuid[40]; /* out */
};
int oauth_qr_create_run(struct store *s, void *arg);

/* writer job: the phone opened the login (arg: uuid); waiting -> scanned */
int oauth_qr_scan_run(struct store *s, void *arg);

struct qr_decide {
    char uuid[40];
    int64_t user_id;
    int allow;
    char code[64]; /* out */
};
/* writer job: the user confirms (or refuses) a website login on the phone */
int oauth_qr_decide_run(struct store *s, void *arg);

#endif
