/*
 * outbox: see outbox.h.
 */
#include "outbox.h"
#include "xml.h"
#include "../core/component.h"
#include "../core/clock.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../store/store_component.h"

#include "../util/err.h"

#include <stdio.h>
#include <string.h>

#define MESSAGE_SET 1 /* spec/component.md §7: message management */

void push_xml_head(struct buf *b, const struct account *a, const char *openid, int64_t now,
                   const char *msgtype)
{
    xml_begin(b);
    xml_cdata(b, "ToUserName", a->original_id);
    xml_cdata(b, "FromUserName", openid);
    xml_num(b, "CreateTime", now);
    xml_cdata(b, "MsgType", msgtype);
}

struct message_handler {
    struct store *s;
    char component[19];
    int64_t auth_time;
};

static void on_auth(void *arg, const struct component_auth *a)
{
    struct message_handler *h = arg;
    struct component c;
    if (!component_sets_has(a->func_sets, MESSAGE_SET) || a->auth_time < h->auth_time ||
        store_component_get(h->s, a->component_appid, &c) != 0 || !c.msg_url[0])
        return;
    snprintf(h->component, sizeof(h->component), "%s", a->component_appid);
    h->auth_time = a->auth_time;
}

int push_enqueue(struct store *s, const struct account *a, int64_t user_id, const char *openid,
                 const char *kind, const char *xml, int reply_ok)
{
    /* a third party granted message management receives the account's pushes instead (the
     * most recent such authorization) */
    struct message_handler h = {s, "", -1};
    if (store_auth_list_authorizer(s, a->appid, on_auth, &h) != 0)
        return ERR_SYSTEM;
    if (!a->server_url[0] && !h.component[0])
        return 0;
    struct push_rec p = {0};
    snprintf(p.via, sizeof(p.via), "%s", h.component);
    snprintf(p.appid, sizeof(p.appid), "%s", a->appid);
    snprintf(p.target, sizeof(p.target), "%s", a->appid);
    snprintf(p.openid, sizeof(p.openid), "%s", openid);
    snprintf(p.kind, sizeof(p.kind), "%s", kind);
    snprintf(p.outcome, sizeof(p.outcome), "pending");
    p.user_id = user_id;
    p.xml = (char *)xml;
    p.reply_ok = reply_ok;
    p.created_at = clock_now();
    p.created_ns = clock_mono_ns();
    return store_push_insert(s, &p);
}

int push_enqueue_component(struct store *s, const struct component *c, const char *kind,
                           const char *xml)
{
    if (!c->auth_url[0])
        return 0;
    struct push_rec p = {0};
    snprintf(p.appid, sizeof(p.appid), "%s", c->appid);
    snprintf(p.target, sizeof(p.target), "%s", c->appid);
    snprintf(p.kind, sizeof(p.kind), "%s", kind);
    snprintf(p.outcome, sizeof(p.outcome), "pending");
    p.xml = (char *)xml;
    p.created_at = clock_now();
    p.created_ns = clock_mono_ns();
    return store_push_insert(s, &p);
}

int push_prune_run(struct store *s, void *removed)
{
    return store_push_prune(s, clock_now() - PUSH_LOG_DAYS * 86400, PUSH_PRUNE_BATCH, removed);
}
