/*
 * chat: see chat.h.
 */
#include "chat.h"
#include "accounts.h"
#include "chatwait.h"
#include "clock.h"
#include "media.h"
#include "../push/outbox.h"
#include "../push/worker.h"
#include "../push/xml.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../util/err.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MSGID_BASE      24000000000000000LL
#define WIN_MESSAGE_TTL (48 * 3600)
#define WIN_MESSAGE_MAX 5
#define WIN_SHORT_TTL   60
#define WIN_SHORT_MAX   3

int64_t chat_msgid(int64_t message_id)
{
    return MSGID_BASE + message_id;
}

int chat_follower(struct store *s, const char *appid, int64_t user_id, struct follower *f)
{
    int rc = store_follower_by_user(s, appid, user_id, f);
    if (rc == ERR_NOT_FOUND) {
        memset(f, 0, sizeof(*f));
        snprintf(f->appid, sizeof(f->appid), "%s", appid);
        accounts_openid(appid, user_id, f->openid);
        f->user_id = user_id;
        return 0;
    }
    return rc;
}

/* 1 when the follower's window changed and must be written */
static int open_window(struct follower *f, enum cs_window w, int64_t now)
{
    int64_t ttl = w == WIN_MESSAGE ? WIN_MESSAGE_TTL : WIN_SHORT_TTL;
    int64_t quota = w == WIN_MESSAGE ? WIN_MESSAGE_MAX : WIN_SHORT_MAX;
    if (w == WIN_NONE)
        return 0;
    /* a tap does not shorten an open 48-hour window */
    if (w == WIN_SHORT && f->cs_ttl == WIN_MESSAGE_TTL && f->cs_at + f->cs_ttl > now &&
        f->cs_used < f->cs_quota)
        return 0;
    if (f->cs_at == now && f->cs_ttl == ttl && f->cs_quota == quota && f->cs_used == 0)
        return 0; /* a second message within the same second */
    f->cs_at = now;
    f->cs_ttl = ttl;
    f->cs_quota = quota;
    f->cs_used = 0;
    return 1;
}

static void subscribe(struct follower *f, const struct user_act *a, int64_t now)
{
    f->subscribed = 1;
    f->subscribe_time = now;
    f->qr_scene = 0;
    f->qr_scene_str[0] = 0;
    if (a->kind == ACT_SCAN) {
        snprintf(f->subscribe_scene, sizeof(f->subscribe_scene), "ADD_SCENE_QR_CODE");
        f->qr_scene = a->scene_str[0] ? 0 : a->scene_id;
        snprintf(f->qr_scene_str, sizeof(f->qr_scene_str), "%s", a->scene_str);
    } else {
        snprintf(f->subscribe_scene, sizeof(f->subscribe_scene), "ADD_SCENE_SEARCH");
    }
}

/* the scene of a scanned code as EventKey text */
static void scene_text(const struct user_act *a, char *out, size_t cap)
{
    if (a->scene_str[0])
        snprintf(out, cap, "%s", a->scene_str);
    else
        snprintf(out, cap, "%" PRId64, a->scene_id);
}

static void event_xml(struct buf *b, const struct account *acct, const struct follower *f,
                      int64_t now, const char *event, const char *tail)
{
    push_xml_head(b, acct, f->openid, now, "event");
    xml_cdata(b, "Event", event);
    buf_puts(b, tail);
    xml_end(b);
}

/* follow, unfollow and scan: the follower row and the event */
static int follow_change(struct store *s, const struct account *acct, struct follower *f,
                         struct user_act *a, int64_t now)
{
    struct buf b = BUF_INIT;
    char key[96], tail[512];
    const char *event = NULL;
    tail[0] = 0;
    if (a->kind == ACT_UNFOLLOW) {
        if (!f->subscribed)
            return 0;
        f->subscribed = 0;
        f->unsubscribe_time = now;
        event = "unsubscribe";
        snprintf(tail, sizeof(tail), "<EventKey><![CDATA[]]></EventKey>");
    } else if (!f->subscribed) {
        subscribe(f, a, now);
        a->followed_now = 1;
        event = "subscribe";
        scene_text(a, key, sizeof(key));
        if (a->kind == ACT_SCAN)
            snprintf(tail, sizeof(tail),
                     "<EventKey><![CDATA[qrscene_%s]]></EventKey><Ticket><![CDATA[%s]]></Ticket>",
                     key, a->ticket);
        else
            snprintf(tail, sizeof(tail), "<EventKey><![CDATA[]]></EventKey>");
        open_window(f, WIN_SHORT, now);
    } else if (a->kind == ACT_SCAN) {
        event = "SCAN";
        scene_text(a, key, sizeof(key));
        snprintf(tail, sizeof(tail),
                 "<EventKey><![CDATA[%s]]></EventKey><Ticket><![CDATA[%s]]></Ticket>", key,
                 a->ticket);
        open_window(f, WIN_SHORT, now);
    } else {
        return 0; /* already following */
    }
    int rc = a->followed_now ? store_chat_max_id(s, &f->follow_mark) : 0;
    if (rc == 0)
        rc = store_follower_put(s, f);
    if (rc == 0) {
        event_xml(&b, acct, f, now, event, tail);
        rc = push_enqueue(s, acct, f->user_id, f->openid, event, b.ptr,
                          strcmp(event, "unsubscribe") != 0);
    }
    buf_release(&b);
    return rc;
}

/* saves the file (and a video's thumbnail after it in file) of a media message and writes
 * its chat body and push elements */
static int media_message(struct store *s, struct user_act *a, const unsigned char *file, size_t len,
                         size_t thumb_len, int64_t now)
{
    char id[72], thumb[72] = "", path[160] = "";
    const char *name = a->filename[0] ? a->filename : NULL;
    int rc = media_save(s, a->appid, a->msgtype, 0, name, NULL, file, len, now, id, sizeof(id));
    if (rc == 0 && thumb_len)
        rc = media_save(s, a->appid, "thumb", 0, "thumb.jpg", NULL, file + len, thumb_len, now,
                        thumb, sizeof(thumb));
    if (rc != 0)
        return rc;
    struct buf x = BUF_INIT;
    if (strcmp(a->msgtype, "image") == 0) {
        media_image_path(s, a->appid, id, now, path, sizeof(path));
        snprintf(a->body, sizeof(a->body), "{\"media_id\":\"%s\",\"pic_url\":\"http://%s%s\"}", id,
                 a->host, path);
        buf_printf(&x, "<PicUrl><![CDATA[http://%s%s]]></PicUrl>", a->host, path);
        xml_cdata(&x, "MediaId", id);
    } else if (strcmp(a->msgtype, "voice") == 0) {
        struct media_rec m;
        media_get_live(s, a->appid, id, now, &m);
        const char *fmt = strstr(m.ctype, "mpeg") ? "mp3" : "amr";
        snprintf(a->body, sizeof(a->body), "{\"media_id\":\"%s\",\"format\":\"%s\"}", id, fmt);
        xml_cdata(&x, "MediaId", id);
        xml_cdata(&x, "Format", fmt);
    } else {
        snprintf(a->body, sizeof(a->body), "{\"media_id\":\"%s\",\"thumb_media_id\":\"%s\"}", id,
                 thumb);
        xml_cdata(&x, "MediaId", id);
        xml_cdata(&x, "ThumbMediaId", thumb);
    }
    snprintf(a->xml_tail, sizeof(a->xml_tail), "%s", x.ptr);
    buf_release(&x);
    return 0;
}

/* the chat message a->body from the user and its push (a->xml_tail) */
static int user_message(struct store *s, const struct account *acct, const struct follower *f,
                        struct user_act *a, int64_t now)
{
    struct chat_msg m = {0};
    snprintf(m.appid, sizeof(m.appid), "%s", acct->appid);
    snprintf(m.source, sizeof(m.source), "user");
    snprintf(m.msgtype, sizeof(m.msgtype), "%s", a->msgtype);
    m.user_id = f->user_id;
    m.body = a->body;
    m.created_at = now;
    int rc = store_chat_insert(s, &m);
    if (rc != 0)
        return rc;
    a->message_id = m.id;
    struct buf b = BUF_INIT;
    push_xml_head(&b, acct, f->openid, now, a->msgtype);
    buf_puts(&b, a->xml_tail);
    xml_num(&b, "MsgId", chat_msgid(m.id));
    xml_end(&b);
    rc = push_enqueue(s, acct, f->user_id, f->openid, a->msgtype, b.ptr, a->reply_ok);
    buf_release(&b);
    return rc;
}

/* the photos of a pic_* tap, after its event: one image message each */
static int photo_messages(struct store *s, const struct account *acct, const struct follower *f,
                          struct user_act *a, int64_t now)
{
    const unsigned char *p = a->data;
    int rc = 0;
    snprintf(a->msgtype, sizeof(a->msgtype), "image");
    a->filename[0] = 0;
    for (int i = 0; i < a->photos && rc == 0; i++) {
        rc = media_message(s, a, p, a->photo_len[i], 0, now);
        if (rc == 0)
            rc = user_message(s, acct, f, a, now);
        p += a->photo_len[i];
    }
    return rc;
}

int chat_user_act_run(struct store *s, void *arg)
{
    struct user_act *a = arg;
    struct account acct;
    struct follower f;
    int64_t now = clock_now();
    int rc = store_account_get(s, a->appid, &acct);
    if (rc == 0)
        rc = chat_follower(s, a->appid, a->user_id, &f);
    if (rc != 0)
        return rc;
    snprintf(a->openid, sizeof(a->openid), "%s", f.openid);
    if (a->kind == ACT_FOLLOW || a->kind == ACT_UNFOLLOW || a->kind == ACT_SCAN)
        return follow_change(s, &acct, &f, a, now);
    if (!f.subscribed)
        return ERR_REQUIRE_SUBSCRIBE;
    if (open_window(&f, a->window, now) && (rc = store_follower_put(s, &f)) != 0)
        return rc;
    if (a->kind == ACT_MESSAGE && a->file_len &&
        (rc = media_message(s, a, a->data, a->file_len, a->thumb_len, now)) != 0)
        return rc;
    if (a->kind == ACT_MESSAGE)
        return user_message(s, &acct, &f, a, now);
    struct buf b = BUF_INIT;
    event_xml(&b, &acct, &f, now, a->event, a->xml_tail);
    rc = push_enqueue(s, &acct, f.user_id, f.openid, a->event, b.ptr, a->reply_ok);
    buf_release(&b);
    return rc == 0 && a->photos ? photo_messages(s, &acct, &f, a, now) : rc;
}

void chat_user_act_after(void *arg)
{
    struct user_act *a = arg;
    push_worker_kick();
    chatwait_notify(a->user_id);
}

/* ------------------------------------------------------------------ account to user */

static int check_window(struct store *s, struct follower *f, int64_t now)
{
    if (!f->subscribed)
        return ERR_REQUIRE_SUBSCRIBE;
    if (f->blacklisted)
        return ERR_REQUIRE_UNBLACKLIST;
    if (f->cs_ttl == 0 || now >= f->cs_at + f->cs_ttl)
        return ERR_RESPONSE_OUT_OF_TIME;
    if (f->cs_used >= f->cs_quota)
        return ERR_RESPONSE_COUNT_LIMIT;
    f->cs_used++;
    return store_follower_put(s, f);
}

static int find_follower(struct store *s, struct account_msg *m, struct follower *f)
{
    int rc;
    if (m->openid[0]) {
        rc = store_follower_get(s, m->appid, m->openid, f);
        if (rc == ERR_NOT_FOUND)
            return ERR_INVALID_OPENID;
    } else {
        rc = store_follower_by_user(s, m->appid, m->user_id, f);
    }
    if (rc == 0) {
        m->user_id = f->user_id;
        snprintf(m->openid, sizeof(m->openid), "%s", f->openid);
    }
    return rc;
}

int chat_account_send_run(struct store *s, void *arg)
{
    struct account_msg *m = arg;
    struct follower f;
    int64_t now = clock_now();
    int rc = find_follower(s, m, &f);
    if (rc == 0 && m->check_window)
        rc = check_window(s, &f, now);
    if (rc != 0)
        return rc;
    struct chat_msg c = {0};
    snprintf(c.appid, sizeof(c.appid), "%s", m->appid);
    snprintf(c.source, sizeof(c.source), "%s", m->source);
    snprintf(c.msgtype, sizeof(c.msgtype), "%s", m->msgtype);
    c.user_id = m->user_id;
    c.dir = 1;
    c.body = m->body;
    c.msgid = m->msgid;
    c.created_at = now;
    rc = store_chat_insert(s, &c);
    m->message_id = c.id;
    return rc;
}

void chat_account_send_after(void *arg)
{
    struct account_msg *m = arg;
    chatwait_notify(m->user_id);
}

#define TYPING_WINDOW 30
#define TYPING_TTL    15

int chat_typing_run(struct store *s, void *arg)
{
    struct typing_op *t = arg;
    struct follower f;
    int64_t now = clock_now();
    int rc = store_follower_get(s, t->appid, t->openid, &f);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_INVALID_OPENID : rc;
    if (!f.subscribed)
        return ERR_REQUIRE_SUBSCRIBE;
    t->user_id = f.user_id;
    if (t->on) {
        if (now - f.cs_at > TYPING_WINDOW)
            return ERR_TYPING_NO_INTERACTION;
        if (f.typing_until > now)
            return ERR_TYPING_REPEATED;
        f.typing_until = now + TYPING_TTL;
    } else {
        f.typing_until = 0;
    }
    return store_follower_put(s, &f);
}
