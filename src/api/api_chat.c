/*
 * api_chat: the user side of messaging (client API): find accounts, follow and unfollow,
 * send messages, report location, and read a chat with long polling.
 */
#define _GNU_SOURCE /* strcasestr */
#include "api.h"
#include "render.h"
#include "media_io.h"
#include "../core/media.h"
#include "../core/chat.h"
#include "../core/chatwait.h"
#include "../core/clock.h"
#include "../crypto/crypto.h"
#include "../push/xml.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/parse.h"
#include "../util/utf8.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TEXT_MAX      2048
#define POLL_MAX      30
#define PAGE_SIZE     100
#define MEDIA_B64_MAX (14 * 1024 * 1024)

/* ------------------------------------------------------------------ accounts */

struct acct_list {
    struct req *r;
    struct buf *b;
    const char *q;
    int n;
};

static void render_public(struct buf *b, const struct account *a, int following)
{
    buf_puts(b, "{\"appid\":");
    buf_json_cstr(b, a->appid);
    buf_puts(b, ",\"name\":");
    buf_json_cstr(b, a->name);
    buf_puts(b, ",\"avatar\":");
    buf_json_cstr(b, a->avatar);
    buf_puts(b, ",\"type\":");
    buf_json_cstr(b, a->type);
    buf_printf(b, ",\"verified\":%s,\"following\":%s,\"location_report\":%d}",
               a->verified ? "true" : "false", following ? "true" : "false", a->location_report);
}

static void on_account(void *arg, const struct account *a)
{
    struct acct_list *l = arg;
    if (strcmp(a->type, "service") != 0 && strcmp(a->type, "subscription") != 0)
        return;
    if (l->q[0] && !strcasestr(a->name, l->q) && strcmp(a->appid, l->q) != 0)
        return;
    struct follower f;
    int following =
        store_follower_by_user(l->r->rd, a->appid, l->r->user_id, &f) == 0 && f.subscribed;
    if (l->n++ > 0)
        buf_putc(l->b, ',');
    render_public(l->b, a, following);
}

int api_client_accounts(struct req *r)
{
    char q[128] = "";
    if (req_query(r, "q", q, sizeof(q)) == -2)
        return ERR_ARGUMENT_INVALID;
    struct buf b = BUF_INIT;
    struct acct_list l = {r, &b, q, 0};
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"accounts\":[");
    return api_send_list(r, store_account_list(r->rd, on_account, &l), &b);
}

static void render_msg(struct buf *b, const struct chat_msg *m);

struct last_msg {
    struct buf *b;
    int found;
};

static void on_last(void *arg, const struct chat_msg *m)
{
    struct last_msg *l = arg;
    buf_puts(l->b, ",\"last\":");
    render_msg(l->b, m);
    l->found = 1;
}

/* a followed account in the chats list: with its chat's newest message and the messages from
 * it the user has not read yet */
static void on_followed(void *arg, const struct follower *f)
{
    struct acct_list *l = arg;
    struct account a;
    struct store *rd = l->r->rd;
    if (store_account_get(rd, f->appid, &a) != 0)
        return;
    if (l->n++ > 0)
        buf_putc(l->b, ',');
    render_public(l->b, &a, 1);
    l->b->len--; /* the object goes on */
    int64_t read = 0, unread = 0;
    struct last_msg last = {l->b, 0};
    store_chat_last(rd, f->appid, f->user_id, f->openid, f->follow_mark, on_last, &last);
    if (!last.found)
        buf_puts(l->b, ",\"last\":null");
    store_chat_read_get(rd, f->user_id, f->appid, &read);
    store_chat_unread(rd, f->appid, f->user_id, f->openid, f->follow_mark, read, &unread);
    buf_printf(l->b, ",\"unread\":%lld}", (long long)unread);
}

/* POST /client/v1/chats/read {"appid","id"}: the user has read the chat up to message id */
struct read_mark {
    int64_t user_id, id;
    char appid[19];
};

static int read_run(struct store *s, void *arg)
{
    struct read_mark *m = arg;
    return store_chat_read_put(s, m->user_id, m->appid, m->id);
}

static int read_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

int api_client_chat_read(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct read_mark *m = xcalloc(1, sizeof(*m));
    m->user_id = r->user_id;
    if (json_copy_str(o, "appid", m->appid, sizeof(m->appid)) != JSON_OK)
        rc = ERR_INVALID_APPID;
    else if (json_get_i64(o, "id", &m->id) != JSON_OK || m->id < 0)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(m);
        return rc;
    }
    return http_write_atomic(r, read_run, NULL, m, read_done);
}

int api_client_chats(struct req *r)
{
    struct buf b = BUF_INIT;
    struct acct_list l = {r, &b, "", 0};
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"accounts\":[");
    return api_send_list(r, store_follower_list_user(r->rd, r->user_id, on_followed, &l), &b);
}

/* ------------------------------------------------------------------ actions */

static int act_done(struct req *r, void *arg, int rc)
{
    struct user_act *a = arg;
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_INVALID_APPID : rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"openid\":");
    buf_json_cstr(&b, a->openid);
    if (a->message_id)
        buf_printf(&b, ",\"message_id\":%lld", (long long)a->message_id);
    if (a->kind == ACT_FOLLOW || a->kind == ACT_SCAN)
        buf_printf(&b, ",\"followed_now\":%s", a->followed_now ? "true" : "false");
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

/* parses the body and its appid into a new action */
static int act_begin(struct req *r, enum act_kind kind, cJSON **o, struct user_act **out)
{
    int rc = json_parse_object(r->body, r->body_len, o);
    if (rc != 0)
        return rc;
    struct user_act *a = xcalloc(1, sizeof(*a));
    a->kind = kind;
    a->user_id = r->user_id;
    if (json_copy_str(*o, "appid", a->appid, sizeof(a->appid)) != JSON_OK) {
        cJSON_Delete(*o);
        free(a);
        return ERR_INVALID_APPID;
    }
    *out = a;
    return 0;
}

static int act_submit(struct req *r, cJSON *o, struct user_act *a, int rc)
{
    cJSON_Delete(o);
    if (rc != 0) {
        free(a);
        return rc;
    }
    return http_write(r, chat_user_act_run, chat_user_act_after, a, act_done);
}

int api_client_follow(struct req *r)
{
    cJSON *o;
    struct user_act *a;
    int rc = act_begin(r, ACT_FOLLOW, &o, &a);
    return rc != 0 ? rc : act_submit(r, o, a, 0);
}

int api_client_unfollow(struct req *r)
{
    cJSON *o;
    struct user_act *a;
    int rc = act_begin(r, ACT_UNFOLLOW, &o, &a);
    return rc != 0 ? rc : act_submit(r, o, a, 0);
}

/* ------------------------------------------------------------------ messages */

static int valid_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || !utf8_valid(s, n))
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' && *s != '\r')
            return 0;
    return 1;
}

/* copies b into a fixed field; ERR_CONTENT_TOO_LONG if it does not fit */
static int set_field(char *dst, size_t cap, const struct buf *b)
{
    if (b->len >= cap)
        return ERR_CONTENT_TOO_LONG;
    memcpy(dst, b->ptr, b->len + 1);
    return 0;
}

/* a string member of obj: required, valid text of at most max bytes */
static const char *text_field(const cJSON *obj, const char *key, size_t max, int required)
{
    const char *v = NULL;
    int jr = json_get_str(obj, key, &v);
    if (jr == JSON_MISSING && !required)
        return "";
    if (jr != JSON_OK || (required && !valid_text(v, max)) || strlen(v) > max ||
        !utf8_valid(v, strlen(v)))
        return NULL;
    return v;
}

static int text_message(const cJSON *o, struct buf *body, struct buf *xml)
{
    const char *c = text_field(o, "content", TEXT_MAX, 1);
    if (!c)
        return ERR_ARGUMENT_INVALID;
    buf_puts(body, "{\"content\":");
    buf_json_cstr(body, c);
    buf_putc(body, '}');
    xml_cdata(xml, "Content", c);
    return 0;
}

static int get_number(const cJSON *o, const char *key, double lo, double hi, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v)) {
        char *end;
        *out = strtod(v->valuestring, &end);
        if (end == v->valuestring || *end)
            return -1;
    } else if (cJSON_IsNumber(v)) {
        *out = v->valuedouble;
    } else {
        return -1;
    }
    return *out >= lo && *out <= hi ? 0 : -1;
}

struct place {
    double lat, lng, scale;
    const char *label, *poiname;
};

static int get_place(const cJSON *o, struct place *p)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, "location");
    p->scale = 15;
    if (!cJSON_IsObject(l) || get_number(l, "latitude", -90, 90, &p->lat) != 0 ||
        get_number(l, "longitude", -180, 180, &p->lng) != 0 ||
        (cJSON_GetObjectItemCaseSensitive(l, "scale") &&
         get_number(l, "scale", 1, 30, &p->scale) != 0) ||
        !(p->label = text_field(l, "label", 256, 0)) ||
        !(p->poiname = text_field(l, "poiname", 256, 0)))
        return ERR_ARGUMENT_INVALID;
    return 0;
}

static void place_xml(struct buf *xml, const struct place *p)
{
    buf_printf(xml, "<Location_X>%.6f</Location_X><Location_Y>%.6f</Location_Y>", p->lat, p->lng);
    xml_num(xml, "Scale", (int64_t)p->scale);
    xml_cdata(xml, "Label", p->label);
}

static int location_message(const cJSON *o, struct buf *body, struct buf *xml)
{
    struct place p;
    if (get_place(o, &p) != 0)
        return ERR_ARGUMENT_INVALID;
    buf_printf(body, "{\"latitude\":%.6f,\"longitude\":%.6f,\"scale\":%d,\"label\":", p.lat, p.lng,
               (int)p.scale);
    buf_json_cstr(body, p.label);
    buf_putc(body, '}');
    place_xml(xml, &p);
    return 0;
}

static int link_message(const cJSON *o, struct buf *body, struct buf *xml)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, "link");
    const char *title = l ? text_field(l, "title", 256, 1) : NULL;
    const char *desc = l ? text_field(l, "description", 1024, 0) : NULL;
    const char *url = l ? text_field(l, "url", 1024, 1) : NULL;
    if (!title || !desc || !url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
        return ERR_ARGUMENT_INVALID;
    buf_puts(body, "{\"title\":");
    buf_json_cstr(body, title);
    buf_puts(body, ",\"description\":");
    buf_json_cstr(body, desc);
    buf_puts(body, ",\"url\":");
    buf_json_cstr(body, url);
    buf_putc(body, '}');
    xml_cdata(xml, "Title", title);
    xml_cdata(xml, "Description", desc);
    xml_cdata(xml, "Url", url);
    return 0;
}

static int build_message(const cJSON *o, struct user_act *a)
{
    struct buf body = BUF_INIT, xml = BUF_INIT;
    int rc;
    if (json_copy_str(o, "msgtype", a->msgtype, sizeof(a->msgtype)) != JSON_OK)
        rc = ERR_INVALID_MSGTYPE;
    else if (strcmp(a->msgtype, "text") == 0)
        rc = text_message(o, &body, &xml);
    else if (strcmp(a->msgtype, "location") == 0)
        rc = location_message(o, &body, &xml);
    else if (strcmp(a->msgtype, "link") == 0)
        rc = link_message(o, &body, &xml);
    else
        rc = ERR_INVALID_MSGTYPE;
    if (rc == 0)
        rc = set_field(a->body, sizeof(a->body), &body);
    if (rc == 0)
        rc = set_field(a->xml_tail, sizeof(a->xml_tail), &xml);
    buf_release(&body);
    buf_release(&xml);
    return rc;
}

static int is_media(const char *t)
{
    return strcmp(t, "image") == 0 || strcmp(t, "voice") == 0 || strcmp(t, "video") == 0;
}

/* a base64 member into a new buffer: its length, 0 when absent, -1 when malformed */
static long decode_member(const cJSON *o, const char *key, unsigned char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v)
        return 0;
    if (!cJSON_IsString(v) || strlen(v->valuestring) > MEDIA_B64_MAX)
        return -1;
    size_t n = strlen(v->valuestring);
    *out = xmalloc(n * 3 / 4 + 3);
    long len = crypto_base64_decode(v->valuestring, n, *out);
    if (len <= 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return len;
}

/* the file (and a video's thumbnail) of a media message, appended to a new action */
static int attach_media(struct req *r, const cJSON *o, struct user_act **ap)
{
    unsigned char *file, *thumb;
    long n = decode_member(o, "file", &file);
    long t = decode_member(o, "thumb", &thumb);
    int rc = n > 0 && t >= 0 ? 0 : n == 0 ? ERR_EMPTY_MEDIA : ERR_ARGUMENT_INVALID;
    if (rc == 0 && t == 0 && strcmp((*ap)->msgtype, "video") == 0)
        rc = ERR_ARGUMENT_INVALID; /* a video message names its thumbnail */
    if (rc == 0) {
        *ap = xrealloc(*ap, sizeof(**ap) + (size_t)n + (size_t)t);
        struct user_act *a = *ap;
        memcpy(a->data, file, (size_t)n);
        if (t > 0)
            memcpy(a->data + n, thumb, (size_t)t);
        a->file_len = (size_t)n;
        a->thumb_len = (size_t)t;
        req_host(r, a->host, sizeof(a->host));
        if (json_copy_str(o, "filename", a->filename, sizeof(a->filename)) != JSON_OK)
            snprintf(a->filename, sizeof(a->filename), "%s", a->msgtype);
    }
    free(file);
    free(thumb);
    return rc;
}

int api_client_send(struct req *r)
{
    cJSON *o;
    struct user_act *a;
    int rc = act_begin(r, ACT_MESSAGE, &o, &a);
    if (rc != 0)
        return rc;
    a->window = WIN_MESSAGE;
    a->reply_ok = 1;
    if (json_copy_str(o, "msgtype", a->msgtype, sizeof(a->msgtype)) == JSON_OK &&
        is_media(a->msgtype))
        rc = attach_media(r, o, &a);
    else
        rc = build_message(o, a);
    return act_submit(r, o, a, rc);
}

int api_client_location(struct req *r)
{
    cJSON *o;
    struct user_act *a;
    int rc = act_begin(r, ACT_EVENT, &o, &a);
    if (rc != 0)
        return rc;
    double lat = 0, lng = 0, prec = 65;
    if (get_number(o, "latitude", -90, 90, &lat) != 0 ||
        get_number(o, "longitude", -180, 180, &lng) != 0 ||
        (cJSON_GetObjectItemCaseSensitive(o, "precision") &&
         get_number(o, "precision", 0, 100000, &prec) != 0))
        rc = ERR_ARGUMENT_INVALID;
    snprintf(a->event, sizeof(a->event), "LOCATION");
    snprintf(a->xml_tail, sizeof(a->xml_tail),
             "<Latitude>%.6f</Latitude><Longitude>%.6f</Longitude><Precision>%.6f</Precision>", lat,
             lng, prec);
    struct account acct;
    if (rc == 0 && store_account_get(r->rd, a->appid, &acct) == 0 && !acct.location_report) {
        cJSON_Delete(o);
        free(a);
        static const char msg[] = "{\"errcode\":0,\"errmsg\":\"ok\",\"reported\":false}";
        http_send_json(r, msg, sizeof(msg) - 1);
        return 0;
    }
    return act_submit(r, o, a, rc);
}

/* ------------------------------------------------------------------ reading a chat */

struct chat_read {
    char appid[19];
    int64_t after;
    int wait;
    uint64_t seq;
    struct http_async *async;
};

static void render_msg(struct buf *b, const struct chat_msg *m)
{
    buf_printf(b, "{\"id\":%lld,\"from\":\"%s\",\"source\":", (long long)m->id,
               m->dir == 0 ? "user" : "account");
    buf_json_cstr(b, m->source);
    buf_puts(b, ",\"msgtype\":");
    buf_json_cstr(b, m->msgtype);
    buf_printf(b, ",\"body\":%s", m->body && m->body[0] == '{' ? m->body : "{}");
    /* as a string: MsgIds pass 2^53, where JavaScript numbers round */
    if (m->dir == 0)
        buf_printf(b, ",\"msgid\":\"%lld\"", (long long)chat_msgid(m->id));
    else if (m->msgid)
        buf_printf(b, ",\"msgid\":\"%lld\"", (long long)m->msgid);
    buf_printf(b, ",\"created_at\":%lld}", (long long)m->created_at);
}

struct chat_out {
    struct buf *b;
    int n;
    int64_t last;
};

static void on_msg(void *arg, const struct chat_msg *m)
{
    struct chat_out *c = arg;
    if (c->n++ > 0)
        buf_putc(c->b, ',');
    render_msg(c->b, m);
    c->last = m->id;
}

/* answers the messages after q->after; 1 if there were none and nothing was sent */
static int answer_chat(struct req *r, const struct chat_read *q, int send_empty, int *rc)
{
    struct follower f;
    *rc = chat_follower(r->rd, q->appid, r->user_id, &f);
    if (*rc != 0)
        return 0;
    int64_t since = f.subscribed ? f.follow_mark : INT64_MAX;
    struct buf b = BUF_INIT;
    struct chat_out c = {&b, 0, q->after};
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"messages\":[");
    *rc = store_chat_list(r->rd, q->appid, r->user_id, f.openid, since, q->after, PAGE_SIZE, on_msg,
                          &c);
    if (*rc != 0 || (c.n == 0 && !send_empty)) {
        buf_release(&b);
        return *rc == 0;
    }
    buf_printf(&b, "],\"last_id\":%lld,\"following\":%s}", (long long)c.last,
               f.subscribed ? "true" : "false");
    http_send_buf(r, &b);
    return 0;
}

static int chat_woken(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    answer_chat(r, arg, 1, &rc);
    return rc;
}

static void fire(void *ctx)
{
    http_async_finish(ctx, 0);
}

int api_client_messages(struct req *r)
{
    struct chat_read q = {0};
    char num[24];
    int64_t wait = 0;
    struct account a;
    if (req_query(r, "appid", q.appid, sizeof(q.appid)) <= 0 ||
        store_account_get(r->rd, q.appid, &a) != 0)
        return ERR_INVALID_APPID;
    if ((req_query(r, "after", num, sizeof(num)) > 0 &&
         (parse_i64(num, strlen(num), &q.after) != 0 || q.after < 0)) ||
        (req_query(r, "wait", num, sizeof(num)) > 0 &&
         (parse_i64(num, strlen(num), &wait) != 0 || wait < 0)))
        return ERR_ARGUMENT_INVALID;
    q.wait = wait > POLL_MAX ? POLL_MAX : (int)wait;
    q.seq = chatwait_seq(r->user_id);
    int rc;
    if (!answer_chat(r, &q, q.wait == 0, &rc))
        return rc;
    struct chat_read *held = xmalloc(sizeof(*held));
    *held = q;
    held->async = http_defer(r, held, chat_woken);
    chatwait_add(r->user_id, q.seq, clock_mono_ns() / 1000000 + q.wait * 1000LL, fire, held->async);
    return REQ_ASYNC;
}

/*
 * GET /client/v1/media?appid=&media_id=: a picture, voice or video an account sent in the
 * user's chat (messages carry only its media_id), for a follower of the account. The file is
 * the account's temporary media or material.
 */
int api_client_media(struct req *r)
{
    char appid[19], id[128];
    struct follower f;
    struct media_rec m;
    if (req_query(r, "appid", appid, sizeof(appid)) <= 0)
        return ERR_INVALID_APPID;
    if (req_query(r, "media_id", id, sizeof(id)) <= 0)
        return ERR_INVALID_MEDIA_ID;
    int rc = chat_follower(r->rd, appid, r->user_id, &f);
    if (rc != 0)
        return rc;
    if (!f.subscribed)
        return ERR_REQUIRE_SUBSCRIBE;
    rc = media_get_live(r->rd, appid, id, clock_now(), &m);
    if (rc != 0 || !m.ctype[0])
        return rc == ERR_SYSTEM ? rc : ERR_INVALID_MEDIA_ID;
    return mio_send_file(r, &m);
}
