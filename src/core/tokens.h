/*
 * tokens: account access tokens (spec/accounts.md §1).
 *
 * cgi-bin/token ("plain") issues a new token on every call; the previous one keeps working
 * for 5 minutes and then answers 40001. stable_token keeps one current token per account,
 * separate from the plain ones: normal mode returns it (a new one only within its last
 * 5 minutes, the old staying valid to its end); force_refresh replaces it at once, at most
 * 20 times a day and only when the last forced refresh is 30 s old (else the current one).
 *
 * Checks run on event-loop threads against an in-memory cache; a miss reads the store
 * (a token issued before a restart or by another node). Issuing runs on the writer thread.
 */
#ifndef LJ_TOKENS_H
#define LJ_TOKENS_H

#include <stddef.h>
#include <stdint.h>
#include "../store/store.h"

#define TOKEN_TTL            7200
#define TOKEN_OVERLAP        300
#define STABLE_FORCE_PER_DAY 20
#define STABLE_FORCE_GAP     30
#define TOKEN_SUPERSEDE_MAX  16

/* 0 with appid filled, ERR_INVALID_CREDENTIAL or ERR_ACCESS_TOKEN_EXPIRED */
int tokens_check(struct store *rd, const char *token, size_t len, char appid[19]);

struct token_issue {
    /* in */
    char appid[19];
    char secret[64];
    char ip[64];
    int kind;          /* TOKEN_KIND_PLAIN or TOKEN_KIND_STABLE */
    int force_refresh; /* stable only */
    /* out */
    struct token_rec issued; /* the token to answer with */
    int is_new;
    /* the tokens this call superseded, as they now stand, for the cache */
    struct token_rec superseded[TOKEN_SUPERSEDE_MAX];
    int n_superseded;
};

/* writer job: checks appid, secret, IP allow-list and quota, then issues (or returns) a token */
int tokens_issue_run(struct store *s, void *arg);
/* after_commit hook: publishes the change to the cache */
void tokens_issue_publish(void *arg);
/* writer job: deletes stored tokens that expired more than a day ago */
int tokens_purge_run(struct store *s, void *unused);
/* drops cache entries that expired more than an hour ago */
void tokens_cache_prune(int64_t now);
/* drops the cached tokens whose hash_fnv1a is h, or all of them (another node changed them) */
void tokens_cache_forget(uint32_t h);
void tokens_cache_forget_all(void);
/* drops the cached tokens of one account */
void tokens_cache_forget_account(const char *appid);
/*
 * inside a writer job: ends every token of the account now, plain and stable (its secret was
 * reset), and tells the other nodes; after the commit call tokens_revoked(appid) here
 */
int tokens_revoke_all(struct store *s, const char *appid);
void tokens_revoked(void *appid);
uint64_t tokens_issued_total(void);
/* 1 if ip is allowed by a comma-separated allow-list ("" allows all) */
int tokens_ip_allowed(const char *list, const char *ip);

#endif
