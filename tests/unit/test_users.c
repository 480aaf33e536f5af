/*
 * test_users: src/core/users.c over an in-memory store (src/store/store_users.c): who is a
 * user of an account, follower and blacklist pages, tags and their limits. Writer jobs run
 * the way writer.c runs them: a transaction with a SAVEPOINT rolled back on failure.
 */
#include "helpers.h"
#include "core/accounts.h"
#include "core/clock.h"
#include "core/users.h"
#include "store/store.h"
#include "util/err.h"

#include <stdio.h>
#include <string.h>

static struct store *s;
static struct account acct, other;

static void make_account(struct account *a, const char *name, const char *open_appid)
{
    memset(a, 0, sizeof(*a));
    snprintf(a->name, sizeof(a->name), "%s", name);
    snprintf(a->type, sizeof(a->type), "service");
    snprintf(a->open_appid, sizeof(a->open_appid), "%s", open_appid);
    cr_assert_eq(accounts_create(s, a), 0);
}

static void setup(void)
{
    cr_assert_eq(store_open(":memory:", &s), 0);
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(accounts_init(s), 0);
    make_account(&acct, "Users test", "");
    make_account(&other, "Other account", "");
    cr_assert_eq(store_commit(s), 0);
}

static void finish(void)
{
    store_close(s);
    s = NULL;
    ASSERT_NO_LEAKS();
}

static int run_job(int (*run)(struct store *, void *), void *arg)
{
    cr_assert_eq(store_begin(s), 0);
    cr_assert_eq(store_savepoint(s), 0);
    int rc = run(s, arg);
    if (rc != 0)
        cr_assert_eq(store_savepoint_rollback(s), 0);
    cr_assert_eq(store_savepoint_release(s), 0);
    cr_assert_eq(store_commit(s), 0);
    return rc;
}

/* a new platform user; with `follow` also a follower of appid. Returns the openid there. */
static void add_user(const char *appid, int follow, char openid[29])
{
    static int seq;
    struct user u;
    memset(&u, 0, sizeof(u));
    snprintf(u.username, sizeof(u.username), "user%d", ++seq);
    cr_assert_eq(accounts_user_create(s, &u, ""), 0);
    accounts_openid(appid, u.id, openid);
    if (!follow) {
        cr_assert_eq(users_note(s, appid, u.id), 0);
        return;
    }
    struct follower f;
    memset(&f, 0, sizeof(f));
    snprintf(f.appid, sizeof(f.appid), "%s", appid);
    snprintf(f.openid, sizeof(f.openid), "%s", openid);
    f.user_id = u.id;
    f.subscribed = 1;
    f.subscribe_time = 1700000000 + seq;
    snprintf(f.subscribe_scene, sizeof(f.subscribe_scene), "ADD_SCENE_QR_CODE");
    f.qr_scene = 98765;
    cr_assert_eq(store_follower_put(s, &f), 0);
}

static int64_t create_tag(const char *name, int *rc)
{
    struct users_tag_job j;
    memset(&j, 0, sizeof(j));
    snprintf(j.appid, sizeof(j.appid), "%s", acct.appid);
    snprintf(j.name, sizeof(j.name), "%s", name);
    *rc = run_job(users_tag_create_run, &j);
    return j.id;
}

static int tag_job(int (*run)(struct store *, void *), int64_t id, const char *name)
{
    struct users_tag_job j;
    memset(&j, 0, sizeof(j));
    snprintf(j.appid, sizeof(j.appid), "%s", acct.appid);
    snprintf(j.name, sizeof(j.name), "%s", name);
    j.id = id;
    return run_job(run, &j);
}

static int batch_job(int (*run)(struct store *, void *), int64_t tagid, int n, char (*ids)[29])
{
    struct users_batch b;
    memset(&b, 0, sizeof(b));
    snprintf(b.appid, sizeof(b.appid), "%s", acct.appid);
    b.tagid = tagid;
    b.n = n;
    for (int i = 0; i < n; i++)
        memcpy(b.openids[i], ids[i], 29);
    return run_job(run, &b);
}

/* collects a page's openids */
struct seen {
    char ids[64][29];
    int n;
};

static void collect(void *arg, const char *openid)
{
    struct seen *c = arg;
    if (c->n < 64)
        snprintf(c->ids[c->n++], 29, "%s", openid);
}

/* ---------------------------------------------------------------- pure rules */

Test(users, openid_shape)
{
    cr_assert(users_openid_valid("o6_bmjrPTlm6_2sgVt7hMZOPfL2M"));
    cr_assert(users_openid_valid("oABCDEFGHIJKLMNOPQRSTUVWXY-_"));
    cr_assert_not(users_openid_valid(""));
    cr_assert_not(users_openid_valid("OPENID"));
    cr_assert_not(users_openid_valid("o6_bmjrPTlm6_2sgVt7hMZOPfL2"));   /* 27 */
    cr_assert_not(users_openid_valid("o6_bmjrPTlm6_2sgVt7hMZOPfL2MM")); /* 29 */
    cr_assert_not(users_openid_valid("o6_bmjrPTlm6_2sgVt7hMZOPfL2="));
    cr_assert_not(users_openid_valid("o6_bmjrPTlm6_2sgVt7hMZOP L2M"));
    ASSERT_NO_LEAKS();
}

Test(users, tag_name_and_remark_lengths_count_bytes)
{
    cr_assert_eq(users_tag_name_check(""), ERR_INVALID_TAG_NAME);
    cr_assert_eq(users_tag_name_check("广东"), 0);
    cr_assert_eq(users_tag_name_check("123456789012345678901234567890"), 0);
    cr_assert_eq(users_tag_name_check("1234567890123456789012345678901"), ERR_TAG_NAME_TOO_LONG);
    cr_assert_eq(users_tag_name_check("一二三四五六七八九十"), 0);      /* 30 bytes */
    cr_assert_eq(users_tag_name_check("一二三四五六七八九十a"), 45158); /* 31 bytes */
    cr_assert_eq(users_remark_check(""), 0);
    cr_assert_eq(users_remark_check("12345678901234567890123456789"), 0);
    cr_assert_eq(users_remark_check("123456789012345678901234567890"), ERR_INVALID_REMARK);
    cr_assert_eq(users_remark_check("一二三四五六七八九十"), 40092);
    cr_assert(users_tag_is_system(0) && users_tag_is_system(1) && users_tag_is_system(2));
    cr_assert_not(users_tag_is_system(100));
    ASSERT_NO_LEAKS();
}

/* ---------------------------------------------------------------- user info */

Test(users, info_of_follower_non_follower_and_strangers, .init = setup, .fini = finish)
{
    char fan[29], met[29], foreign[29];
    add_user(acct.appid, 1, fan);
    add_user(acct.appid, 0, met);
    add_user(other.appid, 1, foreign);
    struct users_fan u;
    cr_assert_eq(users_info(s, &acct, fan, &u), 0);
    cr_assert_eq(u.f.subscribed, 1);
    cr_assert_str_eq(u.language, "zh_CN");
    cr_assert_str_eq(u.f.subscribe_scene, "ADD_SCENE_QR_CODE");
    cr_assert_eq(u.unionid[0], 0, "no unionid without an open-platform account");
    cr_assert_eq(users_info(s, &acct, met, &u), 0);
    cr_assert_eq(u.f.subscribed, 0);
    cr_assert_eq(users_info(s, &acct, foreign, &u), ERR_INVALID_OPENID);
    cr_assert_eq(users_info(s, &acct, "OPENID", &u), ERR_INVALID_OPENID);
}

Test(users, unionid_only_when_bound_to_an_open_platform_account, .init = setup, .fini = finish)
{
    struct open_account op;
    struct account bound;
    memset(&op, 0, sizeof(op));
    snprintf(op.name, sizeof(op.name), "Open");
    cr_assert_eq(accounts_open_create(s, &op), 0);
    make_account(&bound, "Bound", op.appid);
    char fan[29], want[29];
    add_user(bound.appid, 1, fan);
    struct users_fan u;
    cr_assert_eq(users_info(s, &bound, fan, &u), 0);
    accounts_unionid(op.appid, u.f.user_id, want);
    cr_assert_str_eq(u.unionid, want);
}

Test(users, remark_is_kept_and_limited, .init = setup, .fini = finish)
{
    char fan[29];
    add_user(acct.appid, 1, fan);
    struct users_remark j;
    memset(&j, 0, sizeof(j));
    snprintf(j.appid, sizeof(j.appid), "%s", acct.appid);
    snprintf(j.openid, sizeof(j.openid), "%s", fan);
    snprintf(j.remark, sizeof(j.remark), "胖子");
    cr_assert_eq(run_job(users_remark_run, &j), 0);
    struct users_fan u;
    cr_assert_eq(users_info(s, &acct, fan, &u), 0);
    cr_assert_str_eq(u.f.remark, "胖子");
    snprintf(j.remark, sizeof(j.remark), "一二三四五六七八九十");
    cr_assert_eq(run_job(users_remark_run, &j), ERR_INVALID_REMARK);
    snprintf(j.openid, sizeof(j.openid), "o6_bmjrPTlm6_2sgVt7hMZOPfL2M");
    snprintf(j.remark, sizeof(j.remark), "x");
    cr_assert_eq(run_job(users_remark_run, &j), ERR_INVALID_OPENID);
    cr_assert_eq(users_info(s, &acct, fan, &u), 0);
    cr_assert_str_eq(u.f.remark, "胖子");
}

/* ---------------------------------------------------------------- pages */

Test(users, follower_pages_walk_in_openid_order_and_skip_non_followers, .init = setup,
     .fini = finish)
{
    char ids[5][29], met[29];
    for (int i = 0; i < 5; i++)
        add_user(acct.appid, 1, ids[i]);
    add_user(acct.appid, 0, met);
    struct seen c = {.n = 0};
    struct users_page p;
    cr_assert_eq(users_followers(s, acct.appid, "", collect, &c, &p), 0);
    cr_assert_eq(p.total, 5);
    cr_assert_eq(p.count, 5);
    for (int i = 1; i < c.n; i++)
        cr_assert(strcmp(c.ids[i - 1], c.ids[i]) < 0);
    cr_assert_str_eq(p.last, c.ids[4]);
    struct seen rest = {.n = 0};
    cr_assert_eq(users_followers(s, acct.appid, c.ids[1], collect, &rest, &p), 0);
    cr_assert_eq(p.total, 5);
    cr_assert_eq(p.count, 3);
    cr_assert_str_eq(rest.ids[0], c.ids[2]);
    cr_assert_eq(users_followers(s, acct.appid, c.ids[4], collect, &rest, &p), 0);
    cr_assert_eq(p.count, 0);
    cr_assert_eq(users_followers(s, acct.appid, "not-an-openid", collect, &rest, &p),
                 ERR_INVALID_OPENID);
    char late[29];
    add_user(acct.appid, 1, late);
    cr_assert_eq(users_followers(s, acct.appid, "", collect, &rest, &p), 0);
    cr_assert_eq(p.total, 6, "the total follows every change");
}

static void count_only(void *arg, const char *openid)
{
    (void)openid;
    (*(int *)arg)++;
}

Test(users, pages_hold_10000_openids, .init = setup, .fini = finish)
{
    cr_assert_eq(store_begin(s), 0);
    for (int i = 0; i < USERS_PAGE + 1; i++) {
        struct follower f = {.user_id = 1000 + i, .subscribed = 1};
        snprintf(f.appid, sizeof(f.appid), "%s", acct.appid);
        snprintf(f.openid, sizeof(f.openid), "o%027d", i);
        cr_assert_eq(store_follower_put(s, &f), 0);
    }
    cr_assert_eq(store_commit(s), 0);
    int seen = 0;
    struct users_page p;
    cr_assert_eq(users_followers(s, acct.appid, "", count_only, &seen, &p), 0);
    cr_assert_eq(p.count, USERS_PAGE);
    cr_assert_eq(seen, USERS_PAGE);
    cr_assert_eq(p.total, USERS_PAGE + 1);
    cr_assert_str_eq(p.last, "o000000000000000000000009999");
    char next[29];
    memcpy(next, p.last, sizeof(next));
    cr_assert_eq(users_followers(s, acct.appid, next, count_only, &seen, &p), 0);
    cr_assert_eq(p.count, 1);
    memcpy(next, p.last, sizeof(next));
    cr_assert_eq(users_followers(s, acct.appid, next, count_only, &seen, &p), 0);
    cr_assert_eq(p.count, 0);
}

/* ---------------------------------------------------------------- tags */

Test(users, tag_ids_start_at_100_and_names_are_unique, .init = setup, .fini = finish)
{
    int rc;
    cr_assert_eq(create_tag("广东", &rc), 100);
    cr_assert_eq(rc, 0);
    cr_assert_eq(create_tag("北京", &rc), 101);
    create_tag("广东", &rc);
    cr_assert_eq(rc, ERR_INVALID_TAG_NAME);
    create_tag(USERS_TAG_STARRED_NAME, &rc);
    cr_assert_eq(rc, ERR_INVALID_TAG_NAME);
    create_tag("", &rc);
    cr_assert_eq(rc, ERR_INVALID_TAG_NAME);
    create_tag("1234567890123456789012345678901", &rc);
    cr_assert_eq(rc, ERR_TAG_NAME_TOO_LONG);
    cr_assert_eq(tag_job(users_tag_update_run, 101, "广东"), ERR_INVALID_TAG_NAME);
    cr_assert_eq(tag_job(users_tag_update_run, 101, "北京"), 0, "keeping its own name is fine");
    cr_assert_eq(tag_job(users_tag_update_run, 101, "上海"), 0);
    cr_assert_eq(tag_job(users_tag_update_run, 2, "x"), ERR_SYS_TAG);
    cr_assert_eq(tag_job(users_tag_update_run, 0, "x"), ERR_SYS_TAG);
    cr_assert_eq(tag_job(users_tag_update_run, 999, "x"), ERR_INVALID_TAG_ID);
    cr_assert_eq(tag_job(users_tag_delete_run, 1, ""), ERR_SYS_TAG);
    cr_assert_eq(tag_job(users_tag_delete_run, 999, ""), ERR_INVALID_TAG_ID);
    cr_assert_eq(tag_job(users_tag_delete_run, 101, ""), 0);
    cr_assert_eq(tag_job(users_tag_delete_run, 101, ""), ERR_INVALID_TAG_ID);
}

static void tag_seen(void *arg, const struct utag *t)
{
    struct utag *out = arg;
    int i = 0;
    while (out[i].id != -1)
        i++;
    out[i] = *t;
    out[i + 1].id = -1;
}

Test(users, an_account_has_at_most_100_tags, .init = setup, .fini = finish)
{
    int rc;
    char name[16];
    for (int i = 0; i < USERS_TAGS_MAX; i++) {
        snprintf(name, sizeof(name), "t%d", i);
        create_tag(name, &rc);
        cr_assert_eq(rc, 0);
    }
    create_tag("one too many", &rc);
    cr_assert_eq(rc, ERR_TOO_MANY_TAGS);
    struct utag seen[USERS_TAGS_MAX + 4] = {{.id = -1}};
    cr_assert_eq(users_tags(s, acct.appid, tag_seen, seen), 0);
    cr_assert_eq(seen[0].id, 2);
    cr_assert_str_eq(seen[0].name, "星标组");
    cr_assert_eq(seen[1].id, 100);
    cr_assert_eq(seen[USERS_TAGS_MAX].id, 199);
    cr_assert_eq(seen[USERS_TAGS_MAX + 1].id, -1);
    cr_assert_eq(tag_job(users_tag_delete_run, 150, ""), 0);
    create_tag("room again", &rc);
    cr_assert_eq(rc, 0);
}

Test(users, tagging_rules, .init = setup, .fini = finish)
{
    int rc;
    char ids[3][29], foreign[1][29];
    for (int i = 0; i < 3; i++)
        add_user(acct.appid, 1, ids[i]);
    add_user(other.appid, 1, foreign[0]);
    int64_t t = create_tag("广东", &rc);
    cr_assert_eq(batch_job(users_tagging_run, t, 3, ids), 0);
    cr_assert_eq(batch_job(users_tagging_run, t, 3, ids), 0, "tagging twice changes nothing");
    cr_assert_eq(batch_job(users_tagging_run, 2, 1, ids), ERR_INVALID_TAG_ID);
    cr_assert_eq(batch_job(users_tagging_run, 12345, 1, ids), ERR_INVALID_TAG_ID);
    cr_assert_eq(batch_job(users_tagging_run, t, 1, foreign), ERR_OPENID_NOT_OWNED);

    struct utag seen[8] = {{.id = -1}};
    cr_assert_eq(users_tags(s, acct.appid, tag_seen, seen), 0);
    cr_assert_eq(seen[1].count, 3);
    struct seen c = {.n = 0};
    struct users_page p;
    cr_assert_eq(users_tag_fans(s, acct.appid, t, "", collect, &c, &p), 0);
    cr_assert_eq(p.count, 3);
    cr_assert_eq(users_tag_fans(s, acct.appid, 999, "", collect, &c, &p), ERR_INVALID_TAG_ID);

    int64_t tags[8];
    int n;
    cr_assert_eq(users_tag_ids(s, acct.appid, ids[0], tags, 8, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(tags[0], t);
    cr_assert_eq(users_tag_ids(s, acct.appid, foreign[0], tags, 8, &n), ERR_INVALID_OPENID);

    cr_assert_eq(batch_job(users_untagging_run, t, 1, ids), 0);
    cr_assert_eq(users_tag_ids(s, acct.appid, ids[0], tags, 8, &n), 0);
    cr_assert_eq(n, 0);
    cr_assert_eq(tag_job(users_tag_delete_run, t, ""), 0);
    cr_assert_eq(users_tag_ids(s, acct.appid, ids[1], tags, 8, &n), 0);
    cr_assert_eq(n, 0, "deleting a tag takes it off its members");
}

Test(users, a_user_carries_at_most_20_tags, .init = setup, .fini = finish)
{
    int rc;
    char one[1][29];
    add_user(acct.appid, 1, one[0]);
    int64_t first = 0;
    for (int i = 0; i < USERS_TAGS_PER_USER; i++) {
        char name[16];
        snprintf(name, sizeof(name), "t%d", i);
        int64_t t = create_tag(name, &rc);
        first = first ? first : t;
        cr_assert_eq(batch_job(users_tagging_run, t, 1, one), 0);
    }
    int64_t extra = create_tag("extra", &rc);
    cr_assert_eq(batch_job(users_tagging_run, extra, 1, one), ERR_USER_TOO_MANY_TAGS);
    cr_assert_eq(batch_job(users_tagging_run, first, 1, one), 0, "a tag already carried is fine");
    cr_assert_eq(batch_job(users_untagging_run, first, 1, one), 0);
    cr_assert_eq(batch_job(users_tagging_run, extra, 1, one), 0);
}

/* ---------------------------------------------------------------- blacklist */

Test(users, blacklist_pages_and_errors, .init = setup, .fini = finish)
{
    char ids[3][29], met[1][29], foreign[1][29];
    for (int i = 0; i < 3; i++)
        add_user(acct.appid, 1, ids[i]);
    add_user(acct.appid, 0, met[0]);
    add_user(other.appid, 1, foreign[0]);
    cr_assert_eq(batch_job(users_black_run, 0, 2, ids), 0);
    cr_assert_eq(batch_job(users_black_run, 0, 1, met), 0, "former or never followers too");
    cr_assert_eq(batch_job(users_black_run, 0, 1, foreign), ERR_OPENID_NOT_OWNED);
    struct seen c = {.n = 0};
    struct users_page p;
    cr_assert_eq(users_blacklist(s, acct.appid, "", collect, &c, &p), 0);
    cr_assert_eq(p.total, 3);
    cr_assert_eq(p.count, 3);
    cr_assert_eq(users_blacklist(s, acct.appid, foreign[0], collect, &c, &p), ERR_OPENID_NOT_OWNED);
    cr_assert_eq(users_blacklist(s, acct.appid, "x", collect, &c, &p), ERR_INVALID_OPENID);
    cr_assert_eq(batch_job(users_unblack_run, 0, 2, ids), 0);
    cr_assert_eq(users_blacklist(s, acct.appid, "", collect, &c, &p), 0);
    cr_assert_eq(p.total, 1);
    struct users_fan u;
    cr_assert_eq(users_info(s, &acct, ids[0], &u), 0);
    cr_assert_eq(u.f.blacklisted, 0);
    cr_assert_eq(u.f.subscribed, 1, "blacklisting does not unfollow");
}
