/* test_accounts: src/core/accounts.c: validated creation and derived identifiers */
#include "helpers.h"
#include "core/accounts.h"
#include "store/store.h"
#include "util/err.h"

#include <stdio.h>
#include <string.h>

static struct store *s;

static void setup(void)
{
    cr_assert_eq(store_open(":memory:", &s), 0);
    cr_assert_eq(accounts_init(s), 0);
}

static void finish(void)
{
    store_close(s);
    s = NULL;
    ASSERT_NO_LEAKS();
}

static struct account draft(const char *name, const char *type)
{
    struct account a;
    memset(&a, 0, sizeof(a));
    snprintf(a.name, sizeof(a.name), "%s", name);
    snprintf(a.type, sizeof(a.type), "%s", type);
    return a;
}

Test(accounts, init_keeps_its_salt_and_key, .init = setup)
{
    char key[65];
    snprintf(key, sizeof(key), "%s", accounts_operator_key());
    cr_assert_eq(strlen(key), 64);
    char openid[29];
    accounts_openid("wx0123456789abcdef", 1, openid);
    cr_assert_eq(accounts_init(s), 0, "second start");
    cr_assert_str_eq(accounts_operator_key(), key, "loaded, not regenerated");
    char again[29];
    accounts_openid("wx0123456789abcdef", 1, again);
    cr_assert_str_eq(openid, again);
    finish();
}

Test(accounts, create_fills_generated_fields, .init = setup)
{
    struct account a = draft("Coffee", "service");
    cr_assert_eq(accounts_create(s, &a), 0);
    cr_assert(accounts_valid_appid(a.appid), "%s", a.appid);
    cr_assert_eq(strlen(a.secret), 32);
    cr_assert_eq(strncmp(a.original_id, "gh_", 3), 0);
    cr_assert_str_eq(a.msg_mode, "plaintext");
    cr_assert_gt(a.created_at, 0);
    struct account got;
    cr_assert_eq(store_account_get(s, a.appid, &got), 0);
    cr_assert_str_eq(got.secret, a.secret);
    cr_assert_str_eq(got.name, "Coffee");
    struct account b = draft("Tea", "subscription");
    cr_assert_eq(accounts_create(s, &b), 0);
    cr_assert_str_neq(a.appid, b.appid);
    finish();
}

Test(accounts, create_validates, .init = setup)
{
    struct account a = draft("", "service");
    cr_assert_eq(accounts_create(s, &a), ERR_ARGUMENT_INVALID);
    a = draft("X", "");
    cr_assert_eq(accounts_create(s, &a), ERR_ARGUMENT_INVALID);
    a = draft("X", "miniprogram");
    cr_assert_eq(accounts_create(s, &a), ERR_ARGUMENT_INVALID);
    a = draft("X", "service");
    snprintf(a.open_appid, sizeof(a.open_appid), "wx0000000000000000");
    cr_assert_eq(accounts_create(s, &a), ERR_INVALID_APPID, "unknown open-platform account");
    struct open_account o;
    memset(&o, 0, sizeof(o));
    cr_assert_eq(accounts_open_create(s, &o), ERR_ARGUMENT_INVALID, "name required");
    finish();
}

Test(accounts, bind_open_and_reset_secret, .init = setup)
{
    struct open_account o;
    memset(&o, 0, sizeof(o));
    snprintf(o.name, sizeof(o.name), "Open");
    cr_assert_eq(accounts_open_create(s, &o), 0);
    cr_assert(accounts_valid_appid(o.appid));
    struct account a = draft("X", "service");
    cr_assert_eq(accounts_create(s, &a), 0);
    cr_assert_eq(accounts_bind_open(s, a.appid, o.appid), 0);
    cr_assert_eq(accounts_bind_open(s, a.appid, "wx0000000000000000"), ERR_INVALID_APPID);
    cr_assert_eq(accounts_bind_open(s, "wx0000000000000000", o.appid), ERR_NOT_FOUND);
    struct account got;
    cr_assert_eq(store_account_get(s, a.appid, &got), 0);
    cr_assert_str_eq(got.open_appid, o.appid);
    cr_assert_eq(accounts_bind_open(s, a.appid, ""), 0);
    cr_assert_eq(store_account_get(s, a.appid, &got), 0);
    cr_assert_str_eq(got.open_appid, "");

    char secret[33];
    cr_assert_eq(accounts_reset_secret(s, a.appid, secret), 0);
    cr_assert_str_neq(secret, a.secret);
    cr_assert_eq(store_account_get(s, a.appid, &got), 0);
    cr_assert_str_eq(got.secret, secret);
    cr_assert_eq(accounts_reset_secret(s, "wx0000000000000000", secret), ERR_NOT_FOUND);
    finish();
}

Test(accounts, user_create_defaults_and_validation, .init = setup)
{
    struct user u;
    memset(&u, 0, sizeof(u));
    cr_assert_eq(accounts_user_create(s, &u, ""), ERR_ARGUMENT_INVALID, "username required");
    snprintf(u.username, sizeof(u.username), "alice");
    u.sex = 3;
    cr_assert_eq(accounts_user_create(s, &u, ""), ERR_ARGUMENT_INVALID, "sex is 0..2");
    u.sex = 0;
    cr_assert_eq(accounts_user_create(s, &u, ""), 0);
    cr_assert_gt(u.id, 0);
    cr_assert_str_eq(u.nickname, "alice");
    cr_assert_str_eq(u.language, "zh_CN");
    cr_assert_str_eq(u.password_hash, "", "no password, no hash");
    struct user dup;
    memset(&dup, 0, sizeof(dup));
    snprintf(dup.username, sizeof(dup.username), "alice");
    cr_assert_eq(accounts_user_create(s, &dup, NULL), ERR_CONFLICT);
    cr_assert_eq(accounts_user_set_password(s, u.id, ""), ERR_ARGUMENT_INVALID);
    finish();
}

Test(accounts, openid_and_unionid, .init = setup)
{
    char a1[29], a2[29], b1[29], u1[29], u1b[29];
    accounts_openid("wx00000000000000a1", 1, a1);
    accounts_openid("wx00000000000000a1", 2, a2);
    accounts_openid("wx00000000000000b1", 1, b1);
    accounts_unionid("wx00000000000000a1", 1, u1);
    accounts_unionid("wx00000000000000a1", 1, u1b);
    cr_assert_eq(strlen(a1), 28);
    cr_assert_eq(a1[0], 'o');
    cr_assert_str_neq(a1, a2, "per user");
    cr_assert_str_neq(a1, b1, "per account");
    cr_assert_str_neq(a1, u1, "unionid differs from openid for the same ids");
    cr_assert_str_eq(u1, u1b);
    finish();
}
