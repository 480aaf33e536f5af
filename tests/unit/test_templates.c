/*
 * test_templates: src/core/templates*.c: filling placeholders, the library and the industry
 * list, reading add and send bodies, and the writer jobs (industry changes, the 25-template
 * limit, sends with client_msg_id) run directly on an in-memory store.
 */
#include "helpers.h"
#include "core/accounts.h"
#include "core/clock.h"
#include "core/templates.h"
#include "store/db.h"
#include "store/store.h"
#include "store/store_chat.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
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

/* templates_render of content with a JSON data object; the caller frees the result */
static char *render(const char *content, const char *data_json)
{
    cJSON *data = cJSON_Parse(data_json);
    cr_assert_not_null(data, "fixture JSON: %s", data_json);
    struct buf b = BUF_INIT;
    templates_render(content, data, &b);
    cJSON_Delete(data);
    return buf_detach(&b, NULL);
}

static void render_is(const char *content, const char *data_json, const char *want)
{
    char *got = render(content, data_json);
    cr_assert_str_eq(got, want, "content %s", content);
    free(got);
}

Test(templates_render, fills_placeholders_and_drops_lines_left_empty)
{
    const char *c = "{{first.DATA}}\n支付金额：{{orderMoneySum.DATA}}\n{{Remark.DATA}}";
    render_is(c,
              "{\"first\":{\"value\":\"你好\"},\"orderMoneySum\":{\"value\":\"30元\"},"
              "\"Remark\":{\"value\":\"谢谢\",\"color\":\"#000\"}}",
              "你好\n支付金额：30元\n谢谢");
    render_is(c, "{\"orderMoneySum\":{\"value\":\"30元\"}}", "支付金额：30元");
    render_is(c, "{}", "支付金额：");
    render_is(c, "{\"remark\":{\"value\":\"keys are case-sensitive\"}}", "支付金额：");
    render_is("{{a.DATA}}{{b.DATA}}\nx", "{\"b\":{\"value\":\"B\"}}", "B\nx");
    render_is("{{a.DATA}} {{b.DATA}}\nx", "{}", "x");
    render_is("{{ a.DATA }}", "{\"a\":{\"value\":\"A\"}}", "A");
    ASSERT_NO_LEAKS();
}

Test(templates_render, keeps_other_braces_and_empty_lines)
{
    render_is("a\n\nb", "{}", "a\n\nb");
    render_is("{{a}} {{a.data}} {{.DATA}}", "{\"a\":{\"value\":\"A\"}}",
              "{{a}} {{a.data}} {{.DATA}}");
    render_is("open {{a.DATA", "{\"a\":{\"value\":\"A\"}}", "open {{a.DATA");
    render_is("}}{{a.DATA}}{{", "{\"a\":{\"value\":\"A\"}}", "}}A{{");
    render_is("x\n", "{}", "x");
    render_is("", "{}", "");
    render_is("{{a.DATA}}", "{\"a\":{\"value\":7}}", "");
    render_is("{{a.DATA}}", "{\"a\":\"flat\"}", "");
    ASSERT_NO_LEAKS();
}

Test(templates_lib, industries_and_library)
{
    cr_assert_str_eq(templates_industry_first(1), "IT科技");
    cr_assert_str_eq(templates_industry_second(1), "互联网|电子商务");
    cr_assert_str_eq(templates_industry_first(13), "运输与仓储");
    cr_assert_str_eq(templates_industry_second(41), "其它");
    cr_assert_null(templates_industry_first(0));
    cr_assert_null(templates_industry_second(42));
    cr_assert_null(templates_industry_first(-1));
    for (int i = 1; i <= TEMPLATE_INDUSTRY_MAX; i++)
        cr_assert(templates_industry_first(i) && templates_industry_second(i), "industry %d", i);

    struct template_def d;
    cr_assert_eq(templates_lib_lookup("TM00015", NULL, 0, &d), 0);
    cr_assert_eq(d.industry_id, 1);
    cr_assert(d.from_library);
    cr_assert_str_eq(d.title, "订单支付成功");
    cr_assert(strstr(d.content.ptr, "{{orderMoneySum.DATA}}"));
    cr_assert_neq(d.example[0], 0);
    buf_release(&d.content);

    cr_assert_eq(templates_lib_lookup("OPENTM000000001", NULL, 0, &d), 0);
    cr_assert_eq(d.industry_id, 0);
    cr_assert_not(d.from_library);
    cr_assert(strncmp(d.content.ptr, "{{first.DATA}}\n{{keyword1.DATA}}", 32) == 0);
    buf_release(&d.content);

    const char *names[] = {"时间", "金额"};
    cr_assert_eq(templates_lib_lookup("47123", names, 2, &d), 0);
    cr_assert_str_eq(d.content.ptr, "时间：{{keyword1.DATA}}\n金额：{{keyword2.DATA}}");
    buf_release(&d.content);
    cr_assert_eq(templates_lib_lookup("TM1", names, 1, &d), 0);
    cr_assert_str_eq(d.content.ptr, "时间：{{keyword1.DATA}}");
    buf_release(&d.content);

    const char *bad[] = {"", "TM", "OPENTM", "tm00015", "TM00015x", "XTM1", "12345678901", "4 7"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_assert_eq(templates_lib_lookup(bad[i], names, 1, &d), ERR_INVALID_TEMPLATE_ID, "%s",
                     bad[i]);
        buf_release(&d.content);
    }
    cr_assert_eq(templates_lib_lookup("47123", NULL, 0, &d), ERR_KEYWORD_NAME_INVALID);
    buf_release(&d.content);
    ASSERT_NO_LEAKS();
}

/* ------------------------------------------------------------------ reading bodies */

static int add_prepare(const char *json, struct template_add **out)
{
    cJSON *o = cJSON_Parse(json);
    cr_assert_not_null(o, "fixture JSON: %s", json);
    struct template_add *a = NULL;
    int rc = templates_add_prepare(o, &a);
    cJSON_Delete(o);
    if (out)
        *out = a;
    else
        free(a);
    return rc;
}

Test(templates_add_prepare, reads_short_ids_and_keyword_names)
{
    struct template_add *a;
    cr_assert_eq(
        add_prepare("{\"template_id_short\":\"TM00015\",\"keyword_name_list\":[\"x\"]}", &a), 0);
    cr_assert_str_eq(a->short_id, "TM00015");
    cr_assert_str_eq(a->keywords, "", "a library template ignores the names");
    cr_assert_eq(a->industry_id, 1);
    free(a);
    cr_assert_eq(
        add_prepare("{\"template_id_short\":47123,\"keyword_name_list\":[\"a\",\"b\"]}", &a), 0);
    cr_assert_str_eq(a->short_id, "47123");
    cr_assert_str_eq(a->keywords, "[\"a\",\"b\"]");
    cr_assert_str_eq(a->content, "a：{{keyword1.DATA}}\nb：{{keyword2.DATA}}");
    free(a);
    cr_assert_eq(add_prepare("{\"template_id_short\":\"TM1\",\"keyword_name_list\":null}", NULL),
                 0);
    cr_assert_eq(add_prepare("{}", NULL), ERR_INVALID_TEMPLATE_ID);
    cr_assert_eq(add_prepare("{\"template_id_short\":1.5}", NULL), ERR_INVALID_TEMPLATE_ID);
    cr_assert_eq(add_prepare("{\"template_id_short\":-1}", NULL), ERR_INVALID_TEMPLATE_ID);
    cr_assert_eq(add_prepare("{\"template_id_short\":\"TM0000000000000000000001\"}", NULL),
                 ERR_INVALID_TEMPLATE_ID);
    cr_assert_eq(add_prepare("{\"template_id_short\":\"1\",\"keyword_name_list\":{}}", NULL),
                 ERR_KEYWORD_NAME_INVALID);
    cr_assert_eq(
        add_prepare("{\"template_id_short\":\"1\",\"keyword_name_list\":"
                    "[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"]}",
                    NULL),
        ERR_KEYWORD_NAME_INVALID);
    char long_name[200];
    snprintf(long_name, sizeof(long_name),
             "{\"template_id_short\":\"1\",\"keyword_name_list\":[\"%061d\"]}", 0);
    cr_assert_eq(add_prepare(long_name, NULL), ERR_KEYWORD_NAME_INVALID);
    ASSERT_NO_LEAKS();
}

static int send_prepare(const char *json, struct template_send **out, char *why)
{
    cJSON *o = cJSON_Parse(json);
    cr_assert_not_null(o, "fixture JSON: %s", json);
    struct template_send *t = NULL;
    int rc = templates_send_prepare(o, &t, why, 160);
    cJSON_Delete(o);
    if (out)
        *out = t;
    else
        free(t);
    return rc;
}

#define TO "\"touser\":\"o012345678901234567890123456\",\"template_id\":\"T\""

Test(templates_send_prepare, normalises_data_and_links)
{
    struct template_send *t;
    char why[160];
    cr_assert_eq(send_prepare("{" TO ",\"url\":null,\"topcolor\":\"#FF0000\",\"client_msg_id\":7,"
                              "\"miniprogram\":{\"appid\":\"wxa\",\"path\":\"p?x=1\"},"
                              "\"data\":{\"a\":{\"value\":\"A\",\"color\":\"#1\",\"x\":1},"
                              "\"b\":{\"value\":2.5}}}",
                              &t, why),
                 0, "%s", why);
    cr_assert_str_eq(t->openid, "o012345678901234567890123456");
    cr_assert_str_eq(t->template_id, "T");
    cr_assert_str_eq(t->client_msg_id, "7");
    cr_assert_str_eq(t->data,
                     "{\"a\":{\"value\":\"A\",\"color\":\"#1\"},\"b\":{\"value\":\"2.5\"}}");
    cr_assert_str_eq(t->link,
                     "\"url\":\"\",\"miniprogram\":{\"appid\":\"wxa\",\"pagepath\":\"p?x=1\"}");
    free(t);
    cr_assert_eq(send_prepare("{" TO ",\"data\":[],\"miniprogram\":{}}", &t, why), 0);
    cr_assert_str_eq(t->data, "{}");
    cr_assert_str_eq(t->link, "\"url\":\"\",\"miniprogram\":null");
    free(t);
    ASSERT_NO_LEAKS();
}

Test(templates_send_prepare, refuses_bad_fields)
{
    char why[160];
    cr_assert_eq(send_prepare("{\"template_id\":\"T\",\"data\":{}}", NULL, why),
                 ERR_INVALID_OPENID);
    cr_assert_eq(send_prepare("{\"touser\":\"o1\",\"template_id\":\"T\",\"data\":{}}", NULL, why),
                 ERR_INVALID_OPENID);
    cr_assert_eq(
        send_prepare("{\"touser\":\"o012345678901234567890123456\",\"data\":{}}", NULL, why),
        ERR_INVALID_TEMPLATE_ID);
    cr_assert_eq(send_prepare("{" TO "}", NULL, why), ERR_ARGUMENT_INVALID);
    cr_assert(strncmp(why, "argument invalid! data", 22) == 0, "%s", why);
    cr_assert_eq(send_prepare("{" TO ",\"data\":{\"k\":{\"value\":true}}}", NULL, why),
                 ERR_ARGUMENT_INVALID);
    cr_assert_str_eq(why, "argument invalid! data.k.value invalid");
    cr_assert_eq(send_prepare("{" TO ",\"data\":{\"k\":{\"color\":\"#1\"}}}", NULL, why),
                 ERR_ARGUMENT_INVALID);
    cr_assert_str_eq(why, "argument invalid! data.k.value is empty");
    cr_assert_eq(send_prepare("{" TO ",\"data\":{\"\":{\"value\":\"v\"}}}", NULL, why),
                 ERR_ARGUMENT_INVALID);
    cr_assert_eq(send_prepare("{" TO ",\"data\":{},\"url\":[]}", NULL, why), ERR_ARGUMENT_INVALID);
    cr_assert_eq(send_prepare("{" TO ",\"data\":{},\"miniprogram\":{\"appid\":\"\"}}", NULL, why),
                 ERR_ARGUMENT_INVALID);
    cr_assert_eq(send_prepare("{" TO
                              ",\"data\":{},\"miniprogram\":{\"appid\":\"a\",\"pagepath\":1}}",
                              NULL, why),
                 ERR_ARGUMENT_INVALID);
    cr_assert_eq(send_prepare("{" TO ",\"data\":{},\"client_msg_id\":[1]}", NULL, why),
                 ERR_ARGUMENT_INVALID);
    ASSERT_NO_LEAKS();
}

/* ------------------------------------------------------------------ writer jobs */

static void new_account(const char *type, int verified, char appid[19])
{
    struct account a;
    memset(&a, 0, sizeof(a));
    snprintf(a.name, sizeof(a.name), "A");
    snprintf(a.type, sizeof(a.type), "%s", type);
    a.verified = verified;
    cr_assert_eq(accounts_create(s, &a), 0);
    memcpy(appid, a.appid, 19);
}

static int set_industry(const char *appid, int64_t id1, int64_t id2)
{
    struct industry_set q;
    memset(&q, 0, sizeof(q));
    snprintf(q.appid, sizeof(q.appid), "%s", appid);
    q.id1 = id1;
    q.id2 = id2;
    return templates_set_industry_run(s, &q);
}

/* api_add_template as a writer job: the errcode; the template_id into id (48 bytes) */
static int add_template(const char *appid, const char *json, char *id)
{
    struct template_add *a;
    int rc = add_prepare(json, &a);
    if (rc != 0)
        return rc;
    snprintf(a->appid, sizeof(a->appid), "%s", appid);
    rc = templates_add_run(s, a);
    if (id)
        snprintf(id, 48, "%s", a->template_id);
    free(a);
    return rc;
}

Test(templates_jobs, industries_change_once_a_month, .init = setup)
{
    char appid[19], sub[19];
    new_account("service", 1, appid);
    new_account("subscription", 1, sub);
    clock_enable_test();
    cr_assert_eq(set_industry(sub, 1, 2), ERR_API_UNAUTHORIZED);
    cr_assert_eq(set_industry(appid, 1, 0), ERR_INVALID_INDUSTRY_INDEX);
    cr_assert_eq(set_industry(appid, 10, 11), 0);
    cr_assert_eq(set_industry(appid, 10, 11), 0, "no change");
    cr_assert_eq(set_industry(appid, 10, 0), 0, "no change: id2 kept");
    cr_assert_eq(set_industry(appid, 1, 11), ERR_INDUSTRY_CHANGE_LIMIT);
    char hotel[48], queue[48];
    cr_assert_eq(add_template(appid, "{\"template_id_short\":\"TM00015\"}", NULL),
                 ERR_TEMPLATE_INDUSTRY_CONFLICT);
    cr_assert_eq(add_template(appid, "{\"template_id_short\":\"TM00160\"}", queue), 0);
    cr_assert_eq(add_template(appid, "{\"template_id_short\":\"TM00170\"}", hotel), 0);
    clock_advance(32 * 24 * 3600);
    cr_assert_eq(set_industry(appid, 1, 0), 0);
    struct buf b = BUF_INIT;
    cr_assert_eq(templates_get_industry(s, appid, &b), 0);
    cr_assert_str_eq(b.ptr, "{\"primary_industry\":{\"first_class\":\"IT科技\",\"second_class\":"
                            "\"互联网|电子商务\"},\"secondary_industry\":{\"first_class\":"
                            "\"酒店旅游\",\"second_class\":\"酒店\"}}");
    buf_reset(&b);
    cr_assert_eq(templates_list(s, appid, &b), 0);
    cr_assert(strstr(b.ptr, hotel) && !strstr(b.ptr, queue), "%s", b.ptr);
    buf_release(&b);
    finish();
}

Test(templates_jobs, at_most_25_templates, .init = setup)
{
    char appid[19], first[48], again[48], json[64];
    new_account("service", 1, appid);
    for (int i = 0; i < TEMPLATES_MAX; i++) {
        snprintf(json, sizeof(json), "{\"template_id_short\":\"TM%d\"}", i);
        cr_assert_eq(add_template(appid, json, i ? NULL : first), 0, "%d", i);
    }
    cr_assert_eq(add_template(appid, "{\"template_id_short\":\"TM99\"}", NULL),
                 ERR_TEMPLATE_COUNT_LIMIT);
    cr_assert_eq(add_template(appid, "{\"template_id_short\":\"TM0\"}", again), 0);
    cr_assert_str_eq(again, first);
    struct template_del d;
    memset(&d, 0, sizeof(d));
    snprintf(d.appid, sizeof(d.appid), "%s", appid);
    snprintf(d.template_id, sizeof(d.template_id), "%s", first);
    cr_assert_eq(templates_del_run(s, &d), 0);
    cr_assert_eq(templates_del_run(s, &d), ERR_INVALID_TEMPLATE_ID);
    cr_assert_eq(add_template(appid, "{\"template_id_short\":\"TM99\"}", NULL), 0);
    finish();
}

static void follow(const char *appid, int64_t user_id, char openid[29])
{
    struct follower f;
    memset(&f, 0, sizeof(f));
    snprintf(f.appid, sizeof(f.appid), "%s", appid);
    accounts_openid(appid, user_id, f.openid);
    f.user_id = user_id;
    f.subscribed = 1;
    f.subscribe_time = 1700000000;
    cr_assert_eq(store_follower_put(s, &f), 0);
    memcpy(openid, f.openid, 29);
}

static int send_job(const char *appid, const char *openid, const char *tid, const char *extra,
                    int64_t *msgid, int *repeated)
{
    char json[1024], why[160];
    snprintf(json, sizeof(json),
             "{\"touser\":\"%s\",\"template_id\":\"%s\",\"data\":{\"first\":{\"value\":\"hi\"},"
             "\"Remark\":{\"value\":\"bye\"}}%s}",
             openid, tid, extra);
    struct template_send *t;
    int rc = send_prepare(json, &t, why);
    cr_assert_eq(rc, 0, "%s", why);
    snprintf(t->appid, sizeof(t->appid), "%s", appid);
    rc = templates_send_run(s, t);
    *msgid = t->msgid;
    if (repeated)
        *repeated = t->repeated;
    free(t);
    return rc;
}

static int64_t count(const char *sql)
{
    /* sql is a literal: the statement cache keys it by address */
    struct dbst *st = db_stmt(s, sql);
    cr_assert(st, "%s", sql);
    cr_assert_eq(db_step(s, st), 1);
    int64_t n = db_int64(st, 0);
    db_done(st);
    return n;
}

Test(templates_jobs, send_writes_the_card_and_the_push, .init = setup)
{
    char appid[19], openid[29], tid[48];
    int64_t a, b;
    int repeated;
    new_account("service", 1, appid);
    struct account acct;
    cr_assert_eq(store_account_get(s, appid, &acct), 0);
    snprintf(acct.server_url, sizeof(acct.server_url), "http://127.0.0.1:1/wechat");
    cr_assert_eq(store_account_update(s, &acct), 0);
    follow(appid, 7, openid);
    cr_assert_eq(add_template(appid, "{\"template_id_short\":\"TM00015\"}", tid), 0);
    clock_enable_test();

    cr_assert_eq(send_job(appid, openid, tid, ",\"client_msg_id\":\"c1\"", &a, &repeated), 0);
    cr_assert_not(repeated);
    cr_assert_gt(a, 2000000000);
    cr_assert_eq(send_job(appid, openid, tid, ",\"client_msg_id\":\"c1\"", &b, &repeated), 0);
    cr_assert(repeated);
    cr_assert_eq(b, a);
    cr_assert_eq(send_job(appid, openid, tid, "", &b, NULL), 0);
    cr_assert_eq(b, a + 1);
    cr_assert_eq(count("SELECT COUNT(*) FROM messages WHERE source = 'template' AND msgtype = "
                       "'template' AND dir = 1 AND user_id = 7"),
                 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM messages WHERE body LIKE "
                       "'%\"content\":\"hi\\n支付金额：\\n商品信息：\\nbye\"%'"),
                 2);
    cr_assert_eq(count("SELECT COUNT(*) FROM pushes WHERE kind = 'TEMPLATESENDJOBFINISH' AND xml "
                       "LIKE '%<Status><![CDATA[success]]></Status>%'"),
                 2);
    clock_advance(TEMPLATE_DEDUPE_TTL + 1);
    cr_assert_eq(send_job(appid, openid, tid, ",\"client_msg_id\":\"c1\"", &b, &repeated), 0);
    cr_assert_not(repeated, "a client_msg_id holds for 10 minutes");

    char stranger[29];
    accounts_openid(appid, 8, stranger);
    cr_assert_eq(send_job(appid, stranger, tid, "", &b, NULL), ERR_INVALID_OPENID);
    cr_assert_eq(send_job(appid, openid, "nope", "", &b, NULL), ERR_INVALID_TEMPLATE_ID);
    cr_assert_eq(count("SELECT COUNT(*) FROM messages"), 3, "refused sends write nothing");
    finish();
}
