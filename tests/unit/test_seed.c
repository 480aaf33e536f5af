/*
 * test_seed: src/core/seed.c over an in-memory store: seeded users follow with the rows a
 * follow writes, reruns skip what is done, existing users and former followers are reused,
 * and nothing is pushed.
 */
#include "helpers.h"
#include "core/accounts.h"
#include "core/clock.h"
#include "core/seed.h"
#include "store/store.h"
#include "store/store_chat.h"
#include "store/store_mass.h"
#include "util/err.h"

#include <stdio.h>
#include <string.h>

static struct store *s;
static struct account acct;

static void setup(void)
{
    cr_assert_eq(store_open(":memory:", &s), 0);
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(accounts_init(s), 0);
    memset(&acct, 0, sizeof(acct));
    snprintf(acct.name, sizeof(acct.name), "Seed test");
    snprintf(acct.type, sizeof(acct.type), "service");
    cr_assert_eq(accounts_create(s, &acct), 0);
    /* a message server, so that a push, if one were queued, would be in the outbox */
    snprintf(acct.server_url, sizeof(acct.server_url), "http://127.0.0.1:9/wechat");
    snprintf(acct.server_token, sizeof(acct.server_token), "token");
    cr_assert_eq(store_account_update(s, &acct), 0);
    cr_assert_eq(store_commit(s), 0);
}

static void finish(void)
{
    store_close(s);
    s = NULL;
    ASSERT_NO_LEAKS();
}

/* seeds first .. first + count - 1 in one transaction; returns the rc, fills *r */
static int seed(int64_t first, int64_t count, struct seed_range *r)
{
    memset(r, 0, sizeof(*r));
    r->appid = acct.appid;
    r->first = first;
    r->count = count;
    cr_assert_eq(store_begin(s), 0);
    int rc = seed_followers(s, r);
    cr_assert_eq(rc == 0 ? store_commit(s) : store_rollback(s), 0);
    return rc;
}

static void follower_of(int64_t n, struct follower *f, struct user *u)
{
    char name[32];
    seed_username(n, name, sizeof(name));
    cr_assert_eq(store_user_get_by_name(s, name, u), 0, "no user %s", name);
    cr_assert_eq(store_follower_by_user(s, acct.appid, u->id, f), 0, "%s follows no one", name);
}

static void count_push(void *arg, const struct push_rec *p)
{
    (*(int *)arg)++;
}

Test(seed, usernames_have_seven_digits_or_more)
{
    char name[32];
    seed_username(1, name, sizeof(name));
    cr_assert_str_eq(name, "seed0000001");
    seed_username(1000000, name, sizeof(name));
    cr_assert_str_eq(name, "seed1000000");
    seed_username(12345678, name, sizeof(name));
    cr_assert_str_eq(name, "seed12345678");
}

Test(seed, rows_are_those_of_a_follow_without_a_push, .init = setup, .fini = finish)
{
    /* a message sent before the seeding: new followers must not see older broadcasts */
    cr_assert_eq(store_begin(s), 0);
    struct chat_msg m = {.user_id = 0, .dir = 1, .audience = -1, .body = (char *)"{}"};
    snprintf(m.appid, sizeof(m.appid), "%s", acct.appid);
    snprintf(m.source, sizeof(m.source), "mass");
    snprintf(m.msgtype, sizeof(m.msgtype), "text");
    cr_assert_eq(store_chat_insert(s, &m), 0);
    cr_assert_eq(store_commit(s), 0);

    int64_t t0 = clock_now();
    struct seed_range r;
    cr_assert_eq(seed(1, 25, &r), 0);
    cr_assert_eq(r.created, 25);
    cr_assert_eq(r.followed, 25);
    cr_assert_eq(r.skipped, 0);

    int64_t n;
    cr_assert_eq(store_follower_count(s, acct.appid, &n), 0);
    cr_assert_eq(n, 25);
    for (int64_t i = 1; i <= 25; i++) {
        struct follower f;
        struct user u;
        char openid[29];
        follower_of(i, &f, &u);
        accounts_openid(acct.appid, u.id, openid);
        cr_assert_str_eq(f.openid, openid);
        cr_assert_eq(f.subscribed, 1);
        cr_assert(f.subscribe_time >= t0 && f.subscribe_time <= clock_now());
        cr_assert_str_eq(f.subscribe_scene, "ADD_SCENE_OTHERS");
        cr_assert_eq(f.follow_mark, m.id);
        cr_assert_eq(f.cs_ttl, 0, "no customer-service window without a user action");
        cr_assert_eq(f.blacklisted, 0);
        cr_assert_str_eq(u.nickname, u.username);
        cr_assert_str_eq(u.password_hash, "", "seeded users have no password");
    }
    int pushes = 0;
    cr_assert_eq(store_push_pending(s, 0, 1000, count_push, &pushes), 0);
    cr_assert_eq(pushes, 0);
}

Test(seed, ranges_add_up_and_reruns_skip_what_is_done, .init = setup, .fini = finish)
{
    struct seed_range r;
    cr_assert_eq(seed(1, 10, &r), 0);
    cr_assert_eq(seed(11, 15, &r), 0);
    cr_assert_eq(r.created, 15);
    cr_assert_eq(seed(1, 30, &r), 0);
    cr_assert_eq(r.created, 5);
    cr_assert_eq(r.followed, 5);
    cr_assert_eq(r.skipped, 25);
    int64_t users, fans;
    cr_assert_eq(store_user_count(s, &users), 0);
    cr_assert_eq(store_follower_count(s, acct.appid, &fans), 0);
    cr_assert_eq(users, 30);
    cr_assert_eq(fans, 30);
    cr_assert_eq(seed(31, 0, &r), 0, "an empty range does nothing");
    cr_assert_eq(r.created + r.followed + r.skipped, 0);
}

Test(seed, existing_users_and_former_followers_are_reused, .init = setup, .fini = finish)
{
    /* seed0000003 exists with a password; seed0000002 followed, set a remark, then left */
    struct user u = {0};
    snprintf(u.username, sizeof(u.username), "seed0000003");
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(accounts_user_create(s, &u, "secret-1"), 0);
    cr_assert_eq(store_commit(s), 0);
    struct seed_range r;
    cr_assert_eq(seed(2, 1, &r), 0);
    struct follower f;
    struct user u2;
    follower_of(2, &f, &u2);
    f.subscribed = 0;
    f.unsubscribe_time = clock_now();
    snprintf(f.remark, sizeof(f.remark), "vip");
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_follower_put(s, &f), 0);
    cr_assert_eq(store_commit(s), 0);

    cr_assert_eq(seed(1, 4, &r), 0);
    cr_assert_eq(r.created, 2, "seed0000001 and seed0000004 are new");
    cr_assert_eq(r.followed, 4);
    cr_assert_eq(r.skipped, 0);
    struct user u3;
    follower_of(3, &f, &u3);
    cr_assert_eq(u3.id, u.id);
    cr_assert_neq(u3.password_hash[0], 0, "the existing user keeps their password");
    follower_of(2, &f, &u2);
    cr_assert_eq(f.subscribed, 1);
    cr_assert_str_eq(f.remark, "vip");
    int64_t fans;
    cr_assert_eq(store_follower_count(s, acct.appid, &fans), 0);
    cr_assert_eq(fans, 4);
}

Test(seed, bad_input, .init = setup, .fini = finish)
{
    struct seed_range r = {.appid = "wx0000000000000000", .first = 1, .count = 3};
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(seed_followers(s, &r), ERR_INVALID_APPID);
    r.appid = acct.appid;
    r.first = 0;
    cr_assert_eq(seed_followers(s, &r), ERR_ARGUMENT_INVALID);
    r.first = 1;
    r.count = -1;
    cr_assert_eq(seed_followers(s, &r), ERR_ARGUMENT_INVALID);
    cr_assert_eq(store_rollback(s), 0);
    int64_t users;
    cr_assert_eq(store_user_count(s, &users), 0);
    cr_assert_eq(users, 0);
}
