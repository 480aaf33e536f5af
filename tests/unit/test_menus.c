/*
 * test_menus: src/core/menus.c and menus_parse.c: validation into the normalised form, URL
 * hosts, and matching a follower to a menu against an in-memory store (writer jobs run
 * directly on it; follower, tag and tagging rows are written here as fixtures).
 */
#include "helpers.h"
#include "core/accounts.h"
#include "core/menus.h"
#include "store/db_drv.h"
#include "store/store.h"
#include "store/store_chat.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APPID "wx00000000000000aa"

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

/* menus_parse over a JSON text: the errcode; *out set (caller frees) on success */
static int parse(const char *json, int conditional, struct menu_job **out)
{
    cJSON *o = cJSON_Parse(json);
    cr_assert_not_null(o, "fixture JSON: %s", json);
    struct menu_job *j = NULL;
    int rc = menus_parse(o, conditional, &j);
    cJSON_Delete(o);
    if (out)
        *out = j;
    else
        free(j);
    return rc;
}

static void fixture(const char *sql)
{
    cr_assert_eq(s->ops->exec_script(s, sql), 0, "%s", sql);
}

static void follow(const char *openid, int64_t user_id)
{
    struct follower f;
    memset(&f, 0, sizeof(f));
    snprintf(f.appid, sizeof(f.appid), APPID);
    snprintf(f.openid, sizeof(f.openid), "%s", openid);
    f.user_id = user_id;
    f.subscribed = 1;
    f.subscribe_time = 1700000000;
    cr_assert_eq(store_follower_put(s, &f), 0);
}

static void tag(const char *openid, int64_t tag_id, int64_t at)
{
    char sql[256];
    snprintf(
        sql, sizeof(sql),
        "INSERT OR IGNORE INTO tags(appid, id, name, created_at) VALUES('%s', %lld, 't%lld', 1);"
        "INSERT INTO follower_tags(appid, openid, tag_id, tagged_at) VALUES('%s', '%s', %lld, "
        "%lld);",
        APPID, (long long)tag_id, (long long)tag_id, APPID, openid, (long long)tag_id,
        (long long)at);
    fixture(sql);
}

/* runs a writer job on the store; the job's errcode */
static int add(const char *json, int conditional, int64_t *menuid)
{
    struct menu_job *j;
    int rc = parse(json, conditional, &j);
    if (rc != 0)
        return rc;
    snprintf(j->appid, sizeof(j->appid), APPID);
    rc = conditional ? menus_add_run(s, j) : menus_create_run(s, j);
    if (menuid)
        *menuid = j->menuid;
    free(j);
    return rc;
}

/* the key of the first button of the menu openid sees on platform, into key */
static int seen(const char *openid, int platform, char *key, size_t cap, int64_t *menuid)
{
    struct buf b = BUF_INIT;
    int rc = menus_user_menu(s, APPID, openid, platform, &b, menuid);
    key[0] = 0;
    if (rc == 0) {
        cJSON *o = cJSON_Parse(b.ptr);
        cr_assert_not_null(o, "menu JSON: %s", b.ptr);
        const cJSON *btn = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "button"), 0);
        snprintf(key, cap, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(btn, "key")));
        cJSON_Delete(o);
    }
    buf_release(&b);
    return rc;
}

#define MENU(k) "{\"button\":[{\"type\":\"click\",\"name\":\"n\",\"key\":\"" k "\"}]"
#define RULE(r) ",\"matchrule\":{" r "}}"

Test(menus_parse, normalises_buttons)
{
    struct menu_job *j;
    int rc = parse("{\"button\":[{\"type\":\"click\",\"name\":\"今日\",\"key\":\"K\",\"url\":\"x\","
                   "\"sub_button\":[]},{\"name\":\"p\",\"type\":\"view\",\"sub_button\":[{\"type\":"
                   "\"view\",\"name\":\"v\",\"url\":\"https://A.example:8080/x\",\"extra\":1}]}],"
                   "\"other\":true}",
                   0, &j);
    cr_assert_eq(rc, 0);
    cr_assert_str_eq(j->buttons,
                     "[{\"type\":\"click\",\"name\":\"今日\",\"key\":\"K\",\"sub_button\":[]},"
                     "{\"name\":\"p\",\"sub_button\":[{\"type\":\"view\",\"name\":\"v\",\"url\":"
                     "\"https://A.example:8080/x\",\"sub_button\":[]}]}]");
    cr_assert_str_eq(j->domains, "a.example");
    cr_assert_eq(j->tag_id, -1);
    cr_assert_eq(j->platform, MENU_PLATFORM_ANY);
    free(j);
    ASSERT_NO_LEAKS();
}

Test(menus_parse, collects_distinct_hosts)
{
    struct menu_job *j;
    cr_assert_eq(parse("{\"button\":[{\"name\":\"p\",\"sub_button\":["
                       "{\"type\":\"view\",\"name\":\"a\",\"url\":\"http://one.example/\"},"
                       "{\"type\":\"view\",\"name\":\"b\",\"url\":\"http://ONE.example/x\"},"
                       "{\"type\":\"miniprogram\",\"name\":\"c\",\"url\":\"http://two.example\","
                       "\"appid\":\"wx1\",\"pagepath\":\"p\"}]}]}",
                       0, &j),
                 0);
    cr_assert_str_eq(j->domains, "one.example,two.example");
    free(j);
    ASSERT_NO_LEAKS();
}

Test(menus_parse, answers_the_spec_errcodes)
{
    static const struct {
        const char *json;
        int want;
    } cases[] = {
        {"{}", ERR_MENU_BUTTON_SIZE},
        {"{\"button\":null}", ERR_MENU_BUTTON_SIZE},
        {"{\"button\":{}}", ERR_DATA_FORMAT},
        {"{\"button\":[{\"type\":\"click\",\"name\":\"12345678901234567\",\"key\":\"k\"}]}",
         ERR_MENU_BUTTON_NAME},
        {"{\"button\":[{\"type\":\"tap\",\"name\":\"n\",\"key\":\"k\"}]}", ERR_MENU_BUTTON_TYPE},
        {"{\"button\":[{\"type\":\"click\",\"name\":\"n\"}]}", ERR_MENU_BUTTON_KEY},
        {"{\"button\":[{\"type\":\"view\",\"name\":\"n\",\"url\":\"\"}]}", ERR_MENU_BUTTON_URL},
        {"{\"button\":[{\"type\":\"view\",\"name\":\"n\",\"url\":\"ftp://x\"}]}",
         ERR_MENU_URL_DOMAIN},
        {"{\"button\":[{\"name\":\"p\",\"sub_button\":[{\"name\":\"q\",\"sub_button\":[{}]}]}]}",
         ERR_MENU_SUB_LEVEL},
        {"{\"button\":[{\"name\":\"p\",\"sub_button\":[1,2,3,4,5,6]}]}", ERR_MENU_SUB_SIZE},
        {"{\"button\":[{\"name\":\"p\",\"sub_button\":[{\"name\":\"q\"}]}]}", ERR_MENU_SUB_TYPE},
        {"{\"button\":[{\"name\":\"p\",\"sub_button\":[{\"name\":\"\",\"type\":\"click\"}]}]}",
         ERR_MENU_SUB_NAME},
        {"{\"button\":[{\"name\":\"p\",\"sub_button\":[{\"name\":\"q\",\"type\":\"click\"}]}]}",
         ERR_MENU_SUB_KEY},
        {"{\"button\":[{\"name\":\"p\",\"sub_button\":[{\"name\":\"q\",\"type\":\"view\"}]}]}",
         ERR_MENU_SUB_URL},
        {"{\"button\":[{\"name\":\"p\",\"sub_button\":[{\"name\":\"q\",\"type\":\"view\","
         "\"url\":\"x\"}]}]}",
         ERR_MENU_SUB_URL_DOMAIN},
        {"{\"button\":[{\"type\":\"media_id\",\"name\":\"n\"}]}", ERR_MENU_MEDIA_ID_SIZE},
        {"{\"button\":[{\"type\":\"miniprogram\",\"name\":\"n\",\"url\":\"http://a\","
         "\"pagepath\":\"p\"}]}",
         ERR_WEAPP_APPID},
        {"{\"button\":[{\"type\":\"miniprogram\",\"name\":\"n\",\"url\":\"http://a\","
         "\"appid\":\"wx1\"}]}",
         ERR_WEAPP_PAGEPATH},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        cr_expect_eq(parse(cases[i].json, 0, NULL), cases[i].want, "case %zu: %s", i,
                     cases[i].json);
    ASSERT_NO_LEAKS();
}

Test(menus_parse, reads_match_rules)
{
    struct menu_job *j;
    cr_assert_eq(parse(MENU("k") RULE("\"tag_id\":\"105\",\"client_platform_type\":2"), 1, &j), 0);
    cr_assert_eq(j->tag_id, 105);
    cr_assert_eq(j->platform, MENU_PLATFORM_ANDROID);
    cr_assert_eq(j->conditional, 1);
    free(j);
    cr_assert_eq(parse(MENU("k") RULE("\"group_id\":7,\"sex\":\"\""), 1, &j), 0);
    cr_assert_eq(j->tag_id, 7);
    cr_assert_eq(j->platform, MENU_PLATFORM_ANY);
    free(j);
    cr_expect_eq(parse(MENU("k") "}", 1, NULL), ERR_MENU_RULE_EMPTY);
    cr_expect_eq(parse(MENU("k") RULE(""), 1, NULL), ERR_MENU_RULE_EMPTY);
    cr_expect_eq(parse(MENU("k") RULE("\"sex\":\"1\""), 1, NULL), ERR_MENU_RULE_PRIVACY);
    cr_expect_eq(parse(MENU("k") RULE("\"tag_id\":2,\"language\":\"en\""), 1, NULL),
                 ERR_MENU_RULE_PRIVACY);
    cr_expect_eq(parse(MENU("k") RULE("\"tag_id\":2.5"), 1, NULL), ERR_INVALID_TAG_ID);
    cr_expect_eq(parse(MENU("k") RULE("\"client_platform_type\":\"0\""), 1, NULL),
                 ERR_ARGUMENT_INVALID);
    cr_expect_eq(parse(MENU("k") RULE("\"tag_id\":[2]"), 1, NULL), ERR_DATA_FORMAT);
    cr_expect_eq(parse(MENU("k") ",\"matchrule\":\"2\"}", 1, NULL), ERR_DATA_FORMAT);
    ASSERT_NO_LEAKS();
}

Test(menus_parse, finds_url_hosts)
{
    char h[64];
    cr_assert_eq(menus_url_host("http://Example.COM/x", h, sizeof(h)), 0);
    cr_assert_str_eq(h, "example.com");
    cr_assert_eq(menus_url_host("https://u:p@a.b-c.example:8443?q", h, sizeof(h)), 0);
    cr_assert_str_eq(h, "a.b-c.example");
    cr_assert_eq(menus_url_host("http://[::1]:80/", h, sizeof(h)), 0);
    cr_assert_str_eq(h, "[::1]");
    cr_assert_eq(menus_url_host("http://a.example#frag", h, sizeof(h)), 0);
    cr_assert_str_eq(h, "a.example");
    cr_assert_eq(menus_url_host("http:///x", h, sizeof(h)), -1);
    cr_assert_eq(menus_url_host("http://", h, sizeof(h)), -1);
    cr_assert_eq(menus_url_host("http://a b/", h, sizeof(h)), -1);
    cr_assert_eq(menus_url_host("javascript:alert(1)", h, sizeof(h)), -1);
    cr_assert_eq(menus_url_host("http://[::1/", h, sizeof(h)), -1);
    /* an IPv6 literal holds hex digits, ':' and '.' only, and a port at most follows it: a
     * host with commas would read as several domains */
    cr_assert_eq(menus_url_host("http://[a,b,c,d]/", h, sizeof(h)), -1);
    cr_assert_eq(menus_url_host("http://[::1]junk/", h, sizeof(h)), -1);
    cr_assert_eq(menus_url_host("http://[]/", h, sizeof(h)), -1);
    cr_assert_eq(menus_url_host("http://[::1]:8080/", h, sizeof(h)), 0);
    cr_assert_str_eq(h, "[::1]");
    cr_assert_eq(menus_url_host("http://abcdefgh.example/", h, 8), -1, "host longer than out");
    ASSERT_NO_LEAKS();
}

Test(menus, no_menu_is_not_found, .init = setup)
{
    char key[64];
    int64_t id = -1;
    cr_assert_eq(seen("oAAAA", MENU_PLATFORM_ANY, key, sizeof(key), &id), ERR_NOT_FOUND);
    struct buf b = BUF_INIT;
    cr_assert_eq(menus_get(s, APPID, &b), ERR_MENU_NOT_EXIST);
    buf_release(&b);
    cr_assert_eq(add(MENU("C") RULE("\"tag_id\":2"), 1, NULL), ERR_MENU_NO_DEFAULT);
    finish();
}

Test(menus, the_newest_tag_picks_the_newest_matching_menu, .init = setup)
{
    char key[64];
    int64_t id = -1, m100 = 0, m101 = 0, m100ios = 0;
    follow("oF", 1);
    cr_assert_eq(add(MENU("DEFAULT") "}", 0, NULL), 0);
    tag("oF", 100, 10); /* creates tags 100 and 101 for the account */
    tag("oOther", 101, 10);
    cr_assert_eq(add(MENU("T100") RULE("\"tag_id\":100"), 1, &m100), 0);
    cr_assert_eq(add(MENU("T101") RULE("\"tag_id\":\"101\""), 1, &m101), 0);
    cr_assert_gt(m101, m100);
    cr_assert_gt(m100, 99999999);

    cr_assert_eq(seen("oNobody", MENU_PLATFORM_ANY, key, sizeof(key), &id), 0);
    cr_assert_str_eq(key, "DEFAULT");
    cr_assert_eq(id, 0, "the default menu has menuid 0 here");
    cr_assert_eq(seen("oF", MENU_PLATFORM_ANY, key, sizeof(key), &id), 0);
    cr_assert_str_eq(key, "T100");
    cr_assert_eq(id, m100);
    tag("oF", 101, 20);
    cr_assert_eq(seen("oF", MENU_PLATFORM_IOS, key, sizeof(key), &id), 0);
    cr_assert_str_eq(key, "T101", "the tag put on last decides");

    cr_assert_eq(
        add(MENU("T100IOS") RULE("\"tag_id\":100,\"client_platform_type\":1"), 1, &m100ios), 0);
    fixture("DELETE FROM follower_tags WHERE tag_id = 101");
    cr_assert_eq(seen("oF", MENU_PLATFORM_IOS, key, sizeof(key), &id), 0);
    cr_assert_str_eq(key, "T100IOS");
    cr_assert_eq(seen("oF", MENU_PLATFORM_ANDROID, key, sizeof(key), &id), 0);
    cr_assert_str_eq(key, "T100", "an iOS rule does not match Android");
    cr_assert_eq(seen("oF", MENU_PLATFORM_ANY, key, sizeof(key), &id), 0);
    cr_assert_str_eq(key, "T100IOS");
    finish();
}

Test(menus, platform_rules_apply_to_everyone, .init = setup)
{
    char key[64];
    int64_t id;
    cr_assert_eq(add(MENU("DEFAULT") "}", 0, NULL), 0);
    cr_assert_eq(add(MENU("ANDROID") RULE("\"client_platform_type\":\"2\""), 1, NULL), 0);
    cr_assert_eq(seen("oX", MENU_PLATFORM_ANDROID, key, sizeof(key), &id), 0);
    cr_assert_str_eq(key, "ANDROID");
    cr_assert_eq(seen("oX", MENU_PLATFORM_OTHER, key, sizeof(key), &id), 0);
    cr_assert_str_eq(key, "DEFAULT");
    finish();
}

Test(menus, tags_must_exist_and_hosts_are_limited, .init = setup)
{
    cr_assert_eq(add(MENU("DEFAULT") "}", 0, NULL), 0);
    cr_assert_eq(add(MENU("X") RULE("\"tag_id\":100"), 1, NULL), ERR_INVALID_TAG_ID);
    cr_assert_eq(add(MENU("X") RULE("\"tag_id\":2"), 1, NULL), 0, "system tags exist");
    tag("oF", 100, 1);
    cr_assert_eq(add(MENU("X") RULE("\"tag_id\":100"), 1, NULL), 0);
#define VIEW(h) "{\"type\":\"view\",\"name\":\"v\",\"url\":\"http://" h "/\"}"
    cr_assert_eq(add("{\"button\":[" VIEW("a") "," VIEW("b") "]" RULE("\"tag_id\":2"), 1, NULL), 0);
    cr_assert_eq(add("{\"button\":[" VIEW("c") "," VIEW("a") "]" RULE("\"tag_id\":2"), 1, NULL), 0);
    cr_assert_eq(add("{\"button\":[" VIEW("d") "]" RULE("\"tag_id\":2"), 1, NULL),
                 ERR_MENU_DOMAIN_LIMIT);
    cr_assert_eq(add("{\"button\":[" VIEW("d") "]}", 0, NULL), 0, "the default menu is free");
    finish();
}

Test(menus, trymatch_names_followers_by_openid_or_username, .init = setup)
{
    struct user u;
    memset(&u, 0, sizeof(u));
    snprintf(u.username, sizeof(u.username), "alice");
    cr_assert_eq(store_user_insert(s, &u), 0);
    char openid[29];
    accounts_openid(APPID, u.id, openid);
    struct buf b = BUF_INIT;
    cr_assert_eq(menus_trymatch(s, APPID, "alice", &b), ERR_MENU_NO_SUCH_USER, "not following");
    follow(openid, u.id);
    cr_assert_eq(menus_trymatch(s, APPID, "alice", &b), ERR_MENU_NOT_EXIST);
    cr_assert_eq(add(MENU("DEFAULT") "}", 0, NULL), 0);
    cr_assert_eq(menus_trymatch(s, APPID, "alice", &b), 0);
    cr_assert_str_eq(b.ptr, "{\"button\":[{\"type\":\"click\",\"name\":\"n\",\"key\":\"DEFAULT\","
                            "\"sub_button\":[]}]}");
    buf_reset(&b);
    cr_assert_eq(menus_trymatch(s, APPID, openid, &b), 0);
    cr_assert_eq(menus_trymatch(s, APPID, "bob", &b), ERR_MENU_NO_SUCH_USER);
    cr_assert_eq(menus_trymatch(s, "wx00000000000000bb", openid, &b), ERR_MENU_NO_SUCH_USER);
    buf_release(&b);
    finish();
}

Test(menus, delete_and_delconditional, .init = setup)
{
    int64_t c = 0, d = 0;
    cr_assert_eq(add(MENU("DEFAULT") "}", 0, NULL), 0);
    cr_assert_eq(add(MENU("C") RULE("\"tag_id\":1"), 1, &c), 0);
    struct menu_del del = {APPID, c + 1};
    cr_assert_eq(menus_del_run(s, &del), ERR_MENU_NOT_CONDITIONAL);
    del.menuid = c;
    cr_assert_eq(menus_del_run(s, &del), 0);
    cr_assert_eq(menus_del_run(s, &del), ERR_MENU_NOT_CONDITIONAL);
    cr_assert_eq(add(MENU("C") RULE("\"tag_id\":1"), 1, &d), 0);
    cr_assert_gt(d, c, "ids are never reused");
    cr_assert_eq(menus_delete_run(s, (void *)APPID), 0);
    struct buf b = BUF_INIT;
    cr_assert_eq(menus_get(s, APPID, &b), ERR_MENU_NOT_EXIST);
    cr_assert_eq(menus_selfmenu(s, APPID, &b), 0);
    cr_assert_str_eq(b.ptr, "{\"is_menu_open\":0,\"selfmenu_info\":{\"button\":[]}}");
    buf_release(&b);
    finish();
}
