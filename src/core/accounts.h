/*
 * accounts: open-platform accounts, official accounts and end users, and the identifiers
 * that tie them together (openid per account and user, unionid per open-platform account
 * and user). Functions taking a store run inside the caller's transaction (a writer job,
 * or the CLI's own); no SQL here.
 */
#ifndef LJ_ACCOUNTS_H
#define LJ_ACCOUNTS_H

#include "../store/store.h"

/* loads (creating on first start) the install's id salt and operator key */
int accounts_init(struct store *s);
const char *accounts_operator_key(void);

/* validated creation: fills generated fields (appid, secret, ids, time) */
int accounts_open_create(struct store *s, struct open_account *o);
/* a->name and a->type required ("service" | "subscription" | "website"); a->open_appid optional,
 * required for a website app (an open-platform website application, for QR login) */
int accounts_create(struct store *s, struct account *a);
/* a new secret; every token of the account ends (after the commit: tokens_revoked(appid)) */
int accounts_reset_secret(struct store *s, const char *appid, char secret_out[33]);
/* binds to an open-platform account ("" unbinds) */
int accounts_bind_open(struct store *s, const char *appid, const char *open_appid);
int accounts_set_whitelist(struct store *s, const char *appid, const char *list);
/* the web authorization domain: a host, or host:port ("" turns web authorization off) */
int accounts_set_oauth_domain(struct store *s, const char *appid, const char *domain);
/* u->username required. A password is hashed here (PBKDF2: slow); without one,
 * u->password_hash is kept: one made beforehand off the writer, or "" (no sign-in by password) */
int accounts_user_create(struct store *s, struct user *u, const char *password);
int accounts_user_set_password(struct store *s, int64_t id, const char *password);
/* the same with a hash made beforehand (crypto_password_hash) */
int accounts_user_set_password_hash(struct store *s, int64_t id, const char *hash);

/* openid of user for appid; unionid of user for the open-platform account */
void accounts_openid(const char *appid, int64_t user_id, char out[29]);
void accounts_unionid(const char *open_appid, int64_t user_id, char out[29]);

int accounts_valid_appid(const char *s);

#endif
