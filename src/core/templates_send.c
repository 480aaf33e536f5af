/*
 * templates_send: message/template/send (see templates.h). One writer job writes the chat
 * message (chat_account_send_run, source "template", no customer-service window) and queues
 * the TEMPLATESENDJOBFINISH push, so both commit or neither does. No SQL here.
 */
#include "templates.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../push/outbox.h"
#include "../push/worker.h"
#include "../push/xml.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../store/store_templates.h"
#include "../util/err.h"
#include "../util/parse.h"
#include "../util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DATA_KEY_MAX  64   /* bytes of a data key */
#define URL_MAX       1024 /* bytes */
#define MSGID_KEY     "templates.last_msgid"
#define MSGID_FIRST   2000000000LL /* msgids stay far below 2^53, so JSON readers keep them */
#define FINISH_STATUS "success"    /* no user can refuse an account's messages yet */

/* ------------------------------------------------------------------ reading the body */

/* 47003 with "argument invalid! <what>" in why */
static int bad(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(why, cap, "argument invalid! ");
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < cap)
        vsnprintf(why + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
    return ERR_ARGUMENT_INVALID;
}

/* a string, or a number written out; NULL for anything else */
static const char *scalar(const cJSON *v, char *tmp, size_t cap)
{
    if (cJSON_IsString(v))
        return v->valuestring;
    if (cJSON_IsNumber(v)) {
        snprintf(tmp, cap, "%.15g", v->valuedouble);
        return tmp;
    }
    return NULL;
}

static int data_item(const cJSON *it, struct buf *out, char *why, size_t cap)
{
    char tmp[64];
    const char *key = it->string;
    if (!key[0] || strlen(key) > DATA_KEY_MAX)
        return bad(why, cap, "data key invalid");
    if (!cJSON_IsObject(it))
        return bad(why, cap, "data.%s is not an object", key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "value");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "color");
    const char *value = scalar(v, tmp, sizeof(tmp));
    if (!v || cJSON_IsNull(v))
        return bad(why, cap, "data.%s.value is empty", key);
    if (!value)
        return bad(why, cap, "data.%s.value invalid", key);
    if (c && !cJSON_IsNull(c) && !cJSON_IsString(c))
        return bad(why, cap, "data.%s.color invalid", key);
    buf_json_cstr(out, key);
    buf_puts(out, ":{\"value\":");
    buf_json_cstr(out, value);
    if (cJSON_IsString(c)) {
        buf_puts(out, ",\"color\":");
        buf_json_cstr(out, c->valuestring);
    }
    buf_putc(out, '}');
    return 0;
}

/* data as {"key":{"value","color"?}} into out; PHP's empty array [] counts as {} */
static int read_data(const cJSON *body, struct buf *out, char *why, size_t cap)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(body, "data");
    if (cJSON_IsArray(d) && cJSON_GetArraySize(d) == 0) {
        buf_puts(out, "{}");
        return 0;
    }
    if (!cJSON_IsObject(d))
        return bad(why, cap, "data is empty or not an object");
    int rc = 0, n = 0;
    const cJSON *it;
    buf_putc(out, '{');
    cJSON_ArrayForEach(it, d)
    {
        if (n++)
            buf_putc(out, ',');
        if ((rc = data_item(it, out, why, cap)) != 0)
            return rc;
    }
    buf_putc(out, '}');
    return 0;
}

/* the miniprogram object (appid, and pagepath or WxJava's path); {} or null: none */
static int read_miniprogram(const cJSON *mp, struct buf *out, char *why, size_t cap)
{
    if (!mp || cJSON_IsNull(mp) || (cJSON_IsObject(mp) && !mp->child)) {
        buf_puts(out, ",\"miniprogram\":null");
        return 0;
    }
    if (!cJSON_IsObject(mp))
        return bad(why, cap, "miniprogram invalid");
    const cJSON *appid = cJSON_GetObjectItemCaseSensitive(mp, "appid");
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(mp, "pagepath");
    if (!path || cJSON_IsNull(path))
        path = cJSON_GetObjectItemCaseSensitive(mp, "path");
    if (!cJSON_IsString(appid) || !appid->valuestring[0] || strlen(appid->valuestring) > 64)
        return bad(why, cap, "miniprogram.appid invalid");
    if (path && !cJSON_IsNull(path) &&
        (!cJSON_IsString(path) || strlen(path->valuestring) > URL_MAX))
        return bad(why, cap, "miniprogram.pagepath invalid");
    buf_puts(out, ",\"miniprogram\":{\"appid\":");
    buf_json_cstr(out, appid->valuestring);
    buf_puts(out, ",\"pagepath\":");
    buf_json_cstr(out, cJSON_IsString(path) ? path->valuestring : "");
    buf_putc(out, '}');
    return 0;
}

/* `"url":...,"miniprogram":...` into out */
static int read_link(const cJSON *body, struct buf *out, char *why, size_t cap)
{
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(body, "url");
    if (url && !cJSON_IsNull(url) && !cJSON_IsString(url))
        return bad(why, cap, "url invalid");
    if (cJSON_IsString(url) && strlen(url->valuestring) > URL_MAX)
        return bad(why, cap, "url size out of limit");
    buf_puts(out, "\"url\":");
    buf_json_cstr(out, cJSON_IsString(url) ? url->valuestring : "");
    return read_miniprogram(cJSON_GetObjectItemCaseSensitive(body, "miniprogram"), out, why, cap);
}

static int read_client_id(const cJSON *body, char *out, size_t size, char *why, size_t cap)
{
    char tmp[64];
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(body, "client_msg_id");
    const char *v = scalar(it, tmp, sizeof(tmp));
    out[0] = 0;
    if (!it || cJSON_IsNull(it))
        return 0;
    if (!v)
        return bad(why, cap, "client_msg_id invalid");
    if (strlen(v) >= size)
        return bad(why, cap, "client_msg_id size out of limit");
    snprintf(out, size, "%s", v);
    return 0;
}

static int read_ids(const cJSON *body, struct template_send *t)
{
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(body, "touser");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(body, "template_id");
    if (!cJSON_IsString(to) || strlen(to->valuestring) != 28)
        return ERR_INVALID_OPENID;
    if (!cJSON_IsString(id) || !id->valuestring[0] ||
        strlen(id->valuestring) >= sizeof(t->template_id))
        return ERR_INVALID_TEMPLATE_ID;
    snprintf(t->openid, sizeof(t->openid), "%s", to->valuestring);
    snprintf(t->template_id, sizeof(t->template_id), "%s", id->valuestring);
    return 0;
}

int templates_send_prepare(const cJSON *body, struct template_send **out, char *why, size_t cap)
{
    struct template_send head;
    struct buf data = BUF_INIT, link = BUF_INIT;
    memset(&head, 0, sizeof(head));
    why[0] = 0;
    int rc = read_ids(body, &head);
    if (rc == 0)
        rc = read_data(body, &data, why, cap);
    if (rc == 0)
        rc = read_link(body, &link, why, cap);
    if (rc == 0)
        rc = read_client_id(body, head.client_msg_id, sizeof(head.client_msg_id), why, cap);
    if (rc == 0) {
        struct template_send *t = xmalloc(sizeof(*t) + data.len + link.len + 2);
        *t = head;
        t->data = memcpy(t->text, data.ptr, data.len + 1);
        t->link = memcpy(t->text + data.len + 1, link.ptr, link.len + 1);
        *out = t;
    }
    buf_release(&data);
    buf_release(&link);
    return rc;
}

/* ------------------------------------------------------------------ the writer job */

struct tpl_copy {
    char title[96];
    struct buf content;
};

static void copy_template(void *arg, const struct template_row *row)
{
    struct tpl_copy *c = arg;
    snprintf(c->title, sizeof(c->title), "%s", row->title);
    buf_puts(&c->content, row->content);
}

/* the next msgid: larger than every one handed out before */
static int next_msgid(struct store *s, int64_t *out)
{
    char v[32] = "";
    int64_t last = 0;
    int rc = store_meta_get(s, MSGID_KEY, v, sizeof(v));
    if (rc != 0 && rc != ERR_NOT_FOUND)
        return rc;
    if (rc == 0 && parse_i64(v, strlen(v), &last) != 0)
        last = 0;
    if (last < MSGID_FIRST) {
        uint32_t r;
        crypto_random_u32(&r);
        last = MSGID_FIRST + (int64_t)(r % 100000000);
    }
    *out = last + 1;
    snprintf(v, sizeof(v), "%lld", (long long)*out);
    return store_meta_put(s, MSGID_KEY, v);
}

/* the chat message's body: what a client needs to show the card; 45014 when too large */
static int chat_body(struct template_send *t, const struct tpl_copy *c)
{
    struct buf b, filled = BUF_INIT;
    cJSON *data = cJSON_Parse(t->data);
    templates_render(c->content.ptr, data, &filled);
    cJSON_Delete(data);
    buf_init(&b, sizeof(t->msg.body) - 1);
    buf_puts(&b, "{\"template_id\":");
    buf_json_cstr(&b, t->template_id);
    buf_puts(&b, ",\"title\":");
    buf_json_cstr(&b, c->title);
    buf_puts(&b, ",\"content\":");
    buf_json_cstr(&b, filled.ptr);
    buf_printf(&b, ",\"data\":%s,%s}", t->data, t->link);
    int rc = b.toobig ? ERR_TEMPLATE_MSG_SIZE : 0;
    if (rc == 0)
        memcpy(t->msg.body, b.ptr, b.len + 1);
    buf_release(&filled);
    buf_release(&b);
    return rc;
}

/* 40003 unknown openid, 43004 not following, 43019 blacklisted */
static int recipient(struct store *s, const struct template_send *t)
{
    struct follower f;
    int rc = store_follower_get(s, t->appid, t->openid, &f);
    if (rc == ERR_NOT_FOUND)
        return ERR_INVALID_OPENID;
    if (rc == 0 && !f.subscribed)
        rc = ERR_REQUIRE_SUBSCRIBE;
    if (rc == 0 && f.blacklisted)
        rc = ERR_REQUIRE_UNBLACKLIST;
    return rc;
}

static int push_finish(struct store *s, const struct account *acct, const struct template_send *t,
                       int64_t now)
{
    struct buf b = BUF_INIT;
    push_xml_head(&b, acct, t->openid, now, "event");
    xml_cdata(&b, "Event", "TEMPLATESENDJOBFINISH");
    xml_num(&b, "MsgID", t->msgid);
    xml_cdata(&b, "Status", FINISH_STATUS);
    xml_end(&b);
    int rc = push_enqueue(s, acct, t->msg.user_id, t->openid, "TEMPLATESENDJOBFINISH", b.ptr, 0);
    buf_release(&b);
    return rc;
}

/* the chat message and the push */
static int deliver(struct store *s, const struct account *acct, struct template_send *t,
                   int64_t now)
{
    struct account_msg *m = &t->msg;
    snprintf(m->appid, sizeof(m->appid), "%s", t->appid);
    snprintf(m->openid, sizeof(m->openid), "%s", t->openid);
    snprintf(m->source, sizeof(m->source), "template");
    snprintf(m->msgtype, sizeof(m->msgtype), "template");
    m->check_window = 0;
    m->msgid = t->msgid;
    int rc = chat_account_send_run(s, m);
    if (rc == 0)
        rc = push_finish(s, acct, t, now);
    if (rc == 0 && t->client_msg_id[0])
        rc = store_template_sent_put(s, t->appid, t->openid, t->client_msg_id, t->msgid, now,
                                     now - TEMPLATE_DEDUPE_TTL);
    return rc;
}

int templates_send_run(struct store *s, void *arg)
{
    struct template_send *t = arg;
    struct account acct;
    struct tpl_copy c = {"", BUF_INIT};
    int64_t now = clock_now();
    int rc = templates_account_ok(s, t->appid, &acct);
    if (rc == 0 && t->client_msg_id[0]) {
        rc = store_template_sent(s, t->appid, t->openid, t->client_msg_id,
                                 now - TEMPLATE_DEDUPE_TTL, &t->msgid);
        if (rc == 0) {
            t->repeated = 1; /* the same answer again, and nothing sent */
            return 0;
        }
        rc = rc == ERR_NOT_FOUND ? 0 : rc;
    }
    if (rc == 0)
        rc = store_template_get(s, t->appid, t->template_id, copy_template, &c);
    if (rc == ERR_NOT_FOUND)
        rc = ERR_INVALID_TEMPLATE_ID;
    if (rc == 0)
        rc = recipient(s, t);
    if (rc == 0)
        rc = chat_body(t, &c);
    if (rc == 0)
        rc = next_msgid(s, &t->msgid);
    if (rc == 0)
        rc = deliver(s, &acct, t, now);
    buf_release(&c.content);
    return rc;
}

void templates_send_after(void *arg)
{
    struct template_send *t = arg;
    if (t->repeated)
        return;
    chat_account_send_after(&t->msg);
    push_worker_kick();
}
