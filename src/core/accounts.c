/* accounts: see accounts.h */
#include "accounts.h"
#include "cluster.h"
#include "tokens.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

static char id_salt[65];
static char operator_key[65];

static int load_or_create(struct store *s, const char *key, char *out, size_t cap)
{
    if (store_meta_get(s, key, out, cap) == 0 && out[0])
        return 0;
    crypto_random_hex(out, 32);
    return store_meta_put(s, key, out);
}

int accounts_init(struct store *s)
{
    if (load_or_create(s, "id_salt", id_salt, sizeof(id_salt)) != 0 ||
        load_or_create(s, "operator_key", operator_key, sizeof(operator_key)) != 0)
        return ERR_SYSTEM;
    return 0;
}

const char *accounts_operator_key(void)
{
    return operator_key;
}

int accounts_valid_appid(const char *s)
{
    if (strlen(s) != 18 || s[0] != 'w' || s[1] != 'x')
        return 0;
    for (int i = 2; i < 18; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int insert_retrying(int (*insert)(struct store *, const void *), struct store *s,
                           const void *rec, char *appid)
{
    for (int tries = 0; tries < 5; tries++) {
        int rc = insert(s, rec);
        if (rc != ERR_CONFLICT)
            return rc;
        crypto_new_appid(appid);
    }
    return ERR_SYSTEM;
}

static int ins_open(struct store *s, const void *r)
{
    return store_open_account_insert(s, r);
}

static int ins_account(struct store *s, const void *r)
{
    return store_account_insert(s, r);
}

int accounts_open_create(struct store *s, struct open_account *o)
{
    if (!o->name[0])
        return ERR_ARGUMENT_INVALID;
    crypto_new_appid(o->appid);
    o->created_at = clock_now();
    return insert_retrying(ins_open, s, o, o->appid);
}

int accounts_create(struct store *s, struct account *a)
{
    int website = strcmp(a->type, "website") == 0;
    if (!a->name[0] ||
        (strcmp(a->type, "service") != 0 && strcmp(a->type, "subscription") != 0 && !website))
        return ERR_ARGUMENT_INVALID;
    if (website && !a->open_appid[0])
        return ERR_ARGUMENT_INVALID; /* a website app belongs to an open-platform account */
    if (a->open_appid[0]) {
        struct open_account o;
        int rc = store_open_account_get(s, a->open_appid, &o);
        if (rc != 0)
            return rc == ERR_NOT_FOUND ? ERR_INVALID_APPID : rc;
    }
    crypto_new_appid(a->appid);
    crypto_new_secret(a->secret);
    crypto_new_original_id(a->original_id);
    if (!a->msg_mode[0])
        snprintf(a->msg_mode, sizeof(a->msg_mode), "plaintext");
    a->created_at = clock_now();
    return insert_retrying(ins_account, s, a, a->appid);
}

int accounts_reset_secret(struct store *s, const char *appid, char secret_out[33])
{
    struct account a;
    int rc = store_account_get(s, appid, &a);
    if (rc != 0)
        return rc;
    crypto_new_secret(a.secret);
    memcpy(secret_out, a.secret, 33);
    /* a new secret means new tokens: the old ones end now */
    rc = store_account_update(s, &a);
    return rc != 0 ? rc : tokens_revoke_all(s, appid);
}

int accounts_bind_open(struct store *s, const char *appid, const char *open_appid)
{
    struct account a;
    int rc = store_account_get(s, appid, &a);
    if (rc != 0)
        return rc;
    if (open_appid[0]) {
        struct open_account o;
        if ((rc = store_open_account_get(s, open_appid, &o)) != 0)
            return rc == ERR_NOT_FOUND ? ERR_INVALID_APPID : rc;
    }
    snprintf(a.open_appid, sizeof(a.open_appid), "%s", open_appid);
    return store_account_update(s, &a);
}

int accounts_set_whitelist(struct store *s, const char *appid, const char *list)
{
    struct account a;
    int rc = store_account_get(s, appid, &a);
    if (rc != 0)
        return rc;
    if (strlen(list) >= sizeof(a.ip_whitelist))
        return ERR_ARGUMENT_INVALID;
    snprintf(a.ip_whitelist, sizeof(a.ip_whitelist), "%s", list);
    return store_account_update(s, &a);
}

int accounts_set_oauth_domain(struct store *s, const char *appid, const char *domain)
{
    struct account a;
    int rc = store_account_get(s, appid, &a);
    if (rc != 0)
        return rc;
    if (strlen(domain) >= sizeof(a.oauth_domain) || strpbrk(domain, "/?#@ \\"))
        return ERR_ARGUMENT_INVALID;
    snprintf(a.oauth_domain, sizeof(a.oauth_domain), "%s", domain);
    return store_account_update(s, &a);
}

int accounts_user_create(struct store *s, struct user *u, const char *password)
{
    if (!u->username[0])
        return ERR_ARGUMENT_INVALID;
    if (password && password[0])
        crypto_password_hash(password, u->password_hash, sizeof(u->password_hash));
    if (!u->language[0])
        snprintf(u->language, sizeof(u->language), "zh_CN");
    if (!u->nickname[0])
        snprintf(u->nickname, sizeof(u->nickname), "%s", u->username);
    if (u->sex < 0 || u->sex > 2)
        return ERR_ARGUMENT_INVALID;
    u->created_at = clock_now();
    return store_user_insert(s, u);
}

int accounts_user_set_password(struct store *s, int64_t id, const char *password)
{
    char hash[128];
    if (!password || !password[0])
        return ERR_ARGUMENT_INVALID;
    crypto_password_hash(password, hash, sizeof(hash));
    return accounts_user_set_password_hash(s, id, hash);
}

int accounts_user_set_password_hash(struct store *s, int64_t id, const char *hash)
{
    if (!hash || !hash[0])
        return ERR_ARGUMENT_INVALID;
    int rc = store_user_set_password(s, id, hash);
    /* a new password signs the user out everywhere */
    if (rc == 0)
        rc = store_session_delete_user(s, id);
    return rc != 0 ? rc : cluster_sessions_changed(s);
}

void accounts_openid(const char *appid, int64_t user_id, char out[29])
{
    crypto_derive_id(id_salt, "openid", appid, user_id, out);
}

void accounts_unionid(const char *open_appid, int64_t user_id, char out[29])
{
    crypto_derive_id(id_salt, "unionid", open_appid, user_id, out);
}
