/*
 * component: third-party platforms (spec/component.md): registration, the verify ticket
 * pushed every 10 minutes, component access tokens and pre-auth codes.
 */
#ifndef LJ_COMPONENT_H
#define LJ_COMPONENT_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store_component.h"

#define COMPONENT_TICKET_EVERY  600
#define COMPONENT_TICKET_TTL    (12 * 3600)
#define COMPONENT_TOKEN_TTL     7200
#define COMPONENT_TOKEN_OVERLAP 300
#define COMPONENT_PREAUTH_TTL   1800

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
/* writer job: drops expired tickets and tokens */
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

#endif
