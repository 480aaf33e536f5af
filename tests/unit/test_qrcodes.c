/*
 * test_qrcodes: src/core/qrcodes.c (scene rules, tickets, resolve), src/core/shorten.c
 * (short-key rules) and src/core/jssdk.c (the wx.config signature, tickets), on an
 * in-memory store. Jobs run as the writer runs them: a transaction and a SAVEPOINT.
 */
#include "helpers.h"
#include "core/clock.h"
#include "core/jssdk.h"
#include "core/qrcodes.h"
#include "core/shorten.h"
#include "store/store.h"
#include "util/err.h"

#include <stdio.h>
#include <string.h>

#define APPID "wx0123456789abcdef"
#define JS_TICKET \
    "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"

/* ------------------------------------------------------------------ wx.config signature */

Test(jssdk, signature_matches_the_documented_vectors)
{
    char sig[41];
    jssdk_signature(JS_TICKET, "Wm3WZYTPz0wzccnW", "1414587457", "http://mp.weixin.qq.com", sig);
    cr_assert_str_eq(sig, "f4d90daf4b3bca3078ab155816175ba34c443a7b");
    jssdk_signature(JS_TICKET, "Wm3WZYTPz0wzccnW", "1414587457",
                    "http://mp.weixin.qq.com?params=value", sig);
    cr_assert_str_eq(sig, "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
    ASSERT_NO_LEAKS();
}

Test(jssdk, signature_ignores_the_fragment)
{
    char a[41], b[41];
    jssdk_signature(JS_TICKET, "Wm3WZYTPz0wzccnW", "1414587457",
                    "http://mp.weixin.qq.com?params=value#/page?x=1", a);
    jssdk_signature(JS_TICKET, "Wm3WZYTPz0wzccnW", "1414587457",
                    "http://mp.weixin.qq.com?params=value", b);
    cr_assert_str_eq(a, b);
    cr_assert_str_eq(a, "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
    ASSERT_NO_LEAKS();
}

Test(jssdk, types)
{
    cr_assert(jssdk_type_ok("jsapi"));
    cr_assert(jssdk_type_ok("wx_card"));
    cr_assert(!jssdk_type_ok("JSAPI"));
    cr_assert(!jssdk_type_ok(""));
    cr_assert(!jssdk_type_ok("jsapi "));
    ASSERT_NO_LEAKS();
}

/* ------------------------------------------------------------------ scene rules */

static struct qrcode_new want(const char *action, int64_t id, const char *str, int64_t expire)
{
    struct qrcode_new q;
    memset(&q, 0, sizeof(q));
    snprintf(q.action, sizeof(q.action), "%s", action);
    if (str) {
        q.has_scene_str = 1;
        q.scene_str_len = strlen(str);
        snprintf(q.scene_str, sizeof(q.scene_str), "%s", str);
    } else {
        q.has_scene_id = 1;
        q.scene_id = id;
    }
    q.expire_seconds = expire;
    return q;
}

static int check(const char *action, int64_t id, const char *str, int64_t expire,
                 int64_t *expire_out)
{
    struct qrcode_new q = want(action, id, str, expire);
    int rc = qrcodes_check(&q);
    if (expire_out)
        *expire_out = q.expire_seconds;
    return rc;
}

Test(qrcodes, actions)
{
    cr_assert_eq(check("QR_SCENE", 1, NULL, 0, NULL), 0);
    cr_assert_eq(check("QR_STR_SCENE", 0, "a", 0, NULL), 0);
    cr_assert_eq(check("QR_LIMIT_SCENE", 1, NULL, 0, NULL), 0);
    cr_assert_eq(check("QR_LIMIT_STR_SCENE", 0, "a", 0, NULL), 0);
    cr_assert_eq(check("QR_CARD", 1, NULL, 0, NULL), ERR_INVALID_ACTION_NAME);
    cr_assert_eq(check("", 1, NULL, 0, NULL), ERR_INVALID_ACTION_NAME);
    cr_assert_eq(check("qr_scene", 1, NULL, 0, NULL), ERR_INVALID_ACTION_NAME);
    ASSERT_NO_LEAKS();
}

Test(qrcodes, integer_scene_limits)
{
    cr_assert_eq(check("QR_SCENE", 0, NULL, 0, NULL), ERR_INVALID_ACTION_INFO);
    cr_assert_eq(check("QR_SCENE", -1, NULL, 0, NULL), ERR_INVALID_ACTION_INFO);
    cr_assert_eq(check("QR_SCENE", 4294967295LL, NULL, 0, NULL), 0);
    cr_assert_eq(check("QR_SCENE", 4294967296LL, NULL, 0, NULL), ERR_INVALID_ACTION_INFO);
    cr_assert_eq(check("QR_LIMIT_SCENE", 0, NULL, 0, NULL), ERR_INVALID_ACTION_INFO);
    cr_assert_eq(check("QR_LIMIT_SCENE", 100000, NULL, 0, NULL), 0);
    cr_assert_eq(check("QR_LIMIT_SCENE", 100001, NULL, 0, NULL), ERR_INVALID_ACTION_INFO);
    /* a string scene does not stand in for an integer one, nor the other way round */
    cr_assert_eq(check("QR_SCENE", 0, "12", 0, NULL), ERR_INVALID_ACTION_INFO);
    cr_assert_eq(check("QR_LIMIT_STR_SCENE", 12, NULL, 0, NULL), ERR_INVALID_ACTION_INFO);
    ASSERT_NO_LEAKS();
}

Test(qrcodes, string_scene_limits)
{
    char s64[65], s65[66];
    memset(s64, 'x', 64);
    s64[64] = 0;
    memset(s65, 'x', 65);
    s65[65] = 0;
    cr_assert_eq(check("QR_STR_SCENE", 0, "", 0, NULL), ERR_INVALID_ACTION_INFO);
    cr_assert_eq(check("QR_STR_SCENE", 0, s64, 0, NULL), 0);
    cr_assert_eq(check("QR_LIMIT_STR_SCENE", 0, s64, 0, NULL), 0);
    cr_assert_eq(check("QR_STR_SCENE", 0, s65, 0, NULL), ERR_INVALID_ACTION_INFO);
    cr_assert_eq(check("QR_LIMIT_STR_SCENE", 0, s65, 0, NULL), ERR_INVALID_ACTION_INFO);
    ASSERT_NO_LEAKS();
}

Test(qrcodes, lifetimes)
{
    int64_t e;
    cr_assert_eq(check("QR_SCENE", 1, NULL, 0, &e), 0);
    cr_assert_eq(e, QR_TEMP_DEFAULT_TTL);
    cr_assert_eq(check("QR_SCENE", 1, NULL, -5, &e), 0);
    cr_assert_eq(e, QR_TEMP_DEFAULT_TTL);
    cr_assert_eq(check("QR_STR_SCENE", 0, "a", 604800, &e), 0);
    cr_assert_eq(e, 604800);
    cr_assert_eq(check("QR_SCENE", 1, NULL, 2592000, &e), 0);
    cr_assert_eq(e, 2592000);
    cr_assert_eq(check("QR_SCENE", 1, NULL, 2592001, &e), 0);
    cr_assert_eq(e, 2592000);
    cr_assert_eq(check("QR_LIMIT_SCENE", 1, NULL, 600, &e), 0);
    cr_assert_eq(e, 0, "permanent codes have no lifetime");
    ASSERT_NO_LEAKS();
}

/* ------------------------------------------------------------------ short-key rules */

Test(shorten, checks)
{
    int64_t e = 0;
    cr_assert_eq(shorten_check(1, &e), 0);
    cr_assert_eq(e, SHORTEN_MAX_TTL, "absent means 30 days");
    e = 86400;
    cr_assert_eq(shorten_check(4096, &e), 0);
    cr_assert_eq(e, 86400);
    cr_assert_eq(shorten_check(0, &e), ERR_ARGUMENT_INVALID);
    cr_assert_eq(shorten_check(4097, &e), ERR_SHORTEN_TOO_LONG);
    e = 2592001;
    cr_assert_eq(shorten_check(10, &e), ERR_SHORTEN_BAD_EXPIRE);
    e = -1;
    cr_assert_eq(shorten_check(10, &e), ERR_SHORTEN_BAD_EXPIRE);
    ASSERT_NO_LEAKS();
}

Test(shorten, long2short_urls)
{
    cr_assert(shorturl_valid("http://example.com/a?b=c"));
    cr_assert(shorturl_valid("https://example.com"));
    cr_assert(shorturl_valid("weixin://wxpay/bizpayurl?pr=abc"));
    cr_assert(!shorturl_valid("http://"));
    cr_assert(!shorturl_valid("ftp://example.com"));
    cr_assert(!shorturl_valid("javascript:alert(1)"));
    cr_assert(!shorturl_valid("http://exa mple.com"));
    cr_assert(!shorturl_valid(""));
    ASSERT_NO_LEAKS();
}

/* ------------------------------------------------------------------ codes in a store */

static struct store *s;

static void setup(void)
{
    cr_assert_eq(store_open(":memory:", &s), 0);
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

static int create(struct qrcode_new *q)
{
    snprintf(q->appid, sizeof(q->appid), APPID);
    snprintf(q->host, sizeof(q->host), "lianjie.test:8080");
    cr_assert_eq(qrcodes_check(q), 0);
    return run_job(qrcodes_create_run, q);
}

Test(qrcodes, tickets_look_like_wechat_and_resolve_three_ways, .init = setup, .fini = finish)
{
    struct qrcode_new q = want("QR_SCENE", 123, NULL, 600);
    cr_assert_eq(create(&q), 0);
    const struct qrcode *o = &q.out;
    cr_assert_eq(strncmp(o->ticket, "gQ", 2), 0, "%s", o->ticket);
    cr_assert_eq(strlen(o->ticket), 36);
    cr_assert_eq(
        strspn(o->ticket, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="), 36);
    cr_assert_eq(strlen(o->code), 22);
    char url[128];
    snprintf(url, sizeof(url), "http://lianjie.test:8080/q/%s", o->code);
    cr_assert_str_eq(o->url, url);
    cr_assert_eq(o->expires_at - o->created_at, 600);

    const char *ways[] = {o->ticket, o->url, o->code, url};
    for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
        struct qrcode r;
        cr_assert_eq(qrcodes_resolve(s, ways[i], clock_now(), &r), 0, "%s", ways[i]);
        cr_assert_str_eq(r.ticket, o->ticket);
        cr_assert_str_eq(r.appid, APPID);
        cr_assert_str_eq(r.action, "QR_SCENE");
        cr_assert_eq(r.scene_id, 123);
        cr_assert_str_eq(r.scene_str, "");
    }
    char other_host[160];
    snprintf(other_host, sizeof(other_host), "https://elsewhere.example/q/%s?x=1", o->code);
    struct qrcode r;
    cr_assert_eq(qrcodes_resolve(s, other_host, clock_now(), &r), 0);
    cr_assert_eq(qrcodes_resolve(s, "http://lianjie.test/q/nope", clock_now(), &r), ERR_NOT_FOUND);
    cr_assert_eq(qrcodes_resolve(s, "http://lianjie.test/x/abc", clock_now(), &r), ERR_NOT_FOUND);
    cr_assert_eq(qrcodes_resolve(s, "", clock_now(), &r), ERR_NOT_FOUND);
    cr_assert_eq(qrcodes_resolve(s, "gQ", clock_now(), &r), ERR_NOT_FOUND);

    /* expired: still known, with its own code */
    cr_assert_eq(qrcodes_resolve(s, o->ticket, o->expires_at - 1, &r), 0);
    cr_assert_eq(qrcodes_resolve(s, o->ticket, o->expires_at, &r), ERR_EXPIRED);
    cr_assert_eq(r.scene_id, 123);
    cr_assert_eq(qrcodes_resolve(s, o->url, o->expires_at + 5, &r), ERR_EXPIRED);
    cr_assert_eq(qrcodes_by_ticket(s, o->ticket, o->expires_at, &r), ERR_EXPIRED);
}

Test(qrcodes, a_ticket_sent_unencoded_still_resolves, .init = setup, .fini = finish)
{
    for (int i = 0; i < 20; i++) {
        struct qrcode_new q = want("QR_STR_SCENE", 0, "s", 60);
        cr_assert_eq(create(&q), 0);
        char sloppy[64];
        snprintf(sloppy, sizeof(sloppy), "%s", q.out.ticket);
        for (char *p = sloppy; *p; p++)
            if (*p == '+')
                *p = ' ';
        struct qrcode r;
        cr_assert_eq(qrcodes_by_ticket(s, sloppy, clock_now(), &r), 0);
        cr_assert_str_eq(r.scene_str, "s");
    }
}

Test(qrcodes, permanent_scene_gives_the_same_code, .init = setup, .fini = finish)
{
    struct qrcode_new a = want("QR_LIMIT_SCENE", 7, NULL, 0);
    struct qrcode_new b = want("QR_LIMIT_SCENE", 7, NULL, 0);
    struct qrcode_new c = want("QR_LIMIT_STR_SCENE", 0, "7", 0);
    struct qrcode_new d = want("QR_SCENE", 7, NULL, 0);
    cr_assert_eq(create(&a), 0);
    cr_assert_eq(create(&b), 0);
    cr_assert_eq(create(&c), 0);
    cr_assert_eq(create(&d), 0);
    cr_assert_eq(a.out.expires_at, 0);
    cr_assert_str_eq(a.out.ticket, b.out.ticket);
    cr_assert_str_eq(a.out.url, b.out.url);
    cr_assert_str_neq(a.out.ticket, c.out.ticket, "a string scene is another scene");
    cr_assert_str_neq(a.out.ticket, d.out.ticket, "a temporary code is always new");
    int64_t n = 0;
    cr_assert_eq(store_qrcode_permanent_count(s, APPID, &n), 0);
    cr_assert_eq(n, 2);
}

Test(qrcodes, permanent_codes_stop_at_the_account_limit, .init = setup, .fini = finish)
{
    cr_assert_eq(store_qrcode_permanent_count_add(s, APPID, QR_PERMANENT_MAX - 1), 0);
    struct qrcode_new last = want("QR_LIMIT_STR_SCENE", 0, "last", 0);
    cr_assert_eq(create(&last), 0);
    struct qrcode_new over = want("QR_LIMIT_SCENE", 1, NULL, 0);
    cr_assert_eq(create(&over), ERR_QRCODE_LIMIT);
    struct qrcode_new again = want("QR_LIMIT_STR_SCENE", 0, "last", 0);
    cr_assert_eq(create(&again), 0, "an existing scene is not a new code");
    cr_assert_str_eq(again.out.ticket, last.out.ticket);
    struct qrcode_new temp = want("QR_SCENE", 1, NULL, 0);
    cr_assert_eq(create(&temp), 0, "temporary codes are not counted");
}

Test(jssdk, ticket_stays_until_it_expires, .init = setup, .fini = finish)
{
    struct jssdk_issue a = {.appid = APPID, .type = "jsapi"};
    struct jssdk_issue b = {.appid = APPID, .type = "jsapi"};
    struct jssdk_issue c = {.appid = APPID, .type = "wx_card"};
    cr_assert_eq(run_job(jssdk_issue_run, &a), 0);
    cr_assert_eq(run_job(jssdk_issue_run, &b), 0);
    cr_assert_eq(run_job(jssdk_issue_run, &c), 0);
    cr_assert_str_eq(a.out.ticket, b.out.ticket);
    cr_assert_str_neq(a.out.ticket, c.out.ticket);
    cr_assert_eq(strlen(a.out.ticket), 86);
    cr_assert_eq(a.out.expires_at - a.out.issued_at, JS_TICKET_TTL);
    struct js_ticket t;
    cr_assert_eq(jssdk_ticket_live(s, APPID, "jsapi", a.out.expires_at - 1, &t), 0);
    cr_assert_eq(jssdk_ticket_live(s, APPID, "jsapi", a.out.expires_at, &t), ERR_NOT_FOUND);
}

Test(qrcodes, hosts_fit_for_a_url)
{
    char h[64];
    qrcodes_safe_host("example.com:8080", h, sizeof(h));
    cr_assert_str_eq(h, "example.com:8080");
    qrcodes_safe_host("[::1]:80", h, sizeof(h));
    cr_assert_str_eq(h, "[::1]:80");
    qrcodes_safe_host("evil.com/q/x?y", h, sizeof(h));
    cr_assert_str_eq(h, "evil.com");
    qrcodes_safe_host("", h, sizeof(h));
    cr_assert_str_eq(h, "127.0.0.1");
    qrcodes_safe_host("/path", h, sizeof(h));
    cr_assert_str_eq(h, "127.0.0.1");
    ASSERT_NO_LEAKS();
}

Test(qrcodes, purge_drops_codes_a_week_after_they_expire, .init = setup, .fini = finish)
{
    clock_enable_test();
    struct qrcode_new t = want("QR_SCENE", 1, NULL, 60);
    struct qrcode_new p = want("QR_LIMIT_SCENE", 1, NULL, 0);
    cr_assert_eq(create(&t), 0);
    cr_assert_eq(create(&p), 0);
    struct shorten_gen g = {.appid = APPID, .long_data = "data", .expire_seconds = 60};
    cr_assert_eq(run_job(shorten_gen_run, &g), 0);
    struct qrcode r;
    struct short_key k;

    clock_advance(61);
    cr_assert_eq(run_job(qrcodes_purge_run, NULL), 0);
    cr_assert_eq(qrcodes_resolve(s, t.out.ticket, clock_now(), &r), ERR_EXPIRED);
    cr_assert_eq(shorten_fetch(s, APPID, g.key, clock_now(), &k), ERR_SHORTEN_NOT_FOUND);
    cr_assert_eq(store_short_key_get(s, APPID, g.key, &k), 0, "kept a day past its expiry");

    clock_advance(QR_PURGE_AFTER);
    cr_assert_eq(run_job(qrcodes_purge_run, NULL), 0);
    cr_assert_eq(qrcodes_resolve(s, t.out.ticket, clock_now(), &r), ERR_NOT_FOUND);
    cr_assert_eq(store_short_key_get(s, APPID, g.key, &k), ERR_NOT_FOUND);
    cr_assert_eq(qrcodes_resolve(s, p.out.url, clock_now(), &r), 0, "permanent codes stay");
}
