/*
 * api_message: customer-service messages (spec/messaging.md §7): message/custom/send and
 * message/custom/typing.
 */
#include "api.h"
#include "../core/chat.h"
#include "../core/chatwait.h"
#include "../core/clock.h"
#include "../core/media.h"
#include "../core/msgcheck.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

static int sent(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

/* touser as an openid: 40003 when missing or malformed */
static int get_touser(const cJSON *o, char *out, size_t cap)
{
    if (json_copy_str(o, "touser", out, cap) != JSON_OK || strlen(out) != 28)
        return ERR_INVALID_OPENID;
    return 0;
}

/* the media a message names must be the account's, and live (40007 otherwise) */
static int check_media(struct req *r, const cJSON *o, const char *msgtype)
{
    static const char *const keys[] = {"media_id", "thumb_media_id"};
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(o, msgtype);
    for (size_t i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, keys[i]);
        char type[16];
        if (cJSON_IsString(v) && v->valuestring[0] &&
            media_exists(r->rd, r->appid, v->valuestring, clock_now(), type, sizeof(type)) != 0)
            return ERR_INVALID_MEDIA_ID;
    }
    return 0;
}

int api_custom_send(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct account_msg *m = xcalloc(1, sizeof(*m));
    snprintf(m->appid, sizeof(m->appid), "%s", r->appid);
    snprintf(m->source, sizeof(m->source), "custom");
    m->check_window = 1;
    rc = get_touser(o, m->openid, sizeof(m->openid));
    if (rc == 0)
        rc = msgcheck(o, MSG_CUSTOM, m->msgtype, sizeof(m->msgtype), m->body, sizeof(m->body));
    if (rc == 0)
        rc = check_media(r, o, m->msgtype);
    cJSON_Delete(o);
    if (rc != 0) {
        free(m);
        return rc;
    }
    return http_write(r, chat_account_send_run, chat_account_send_after, m, sent);
}

static void typing_after(void *arg)
{
    chatwait_notify(((struct typing_op *)arg)->user_id);
}

int api_custom_typing(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct typing_op *t = xcalloc(1, sizeof(*t));
    char cmd[32] = "";
    snprintf(t->appid, sizeof(t->appid), "%s", r->appid);
    rc = get_touser(o, t->openid, sizeof(t->openid));
    if (rc == 0 && json_copy_str(o, "command", cmd, sizeof(cmd)) != JSON_OK)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc == 0 && strcmp(cmd, "Typing") != 0 && strcmp(cmd, "CancelTyping") != 0)
        rc = ERR_ARGUMENT_INVALID;
    if (rc != 0) {
        free(t);
        return rc;
    }
    t->on = strcmp(cmd, "Typing") == 0;
    return http_write(r, chat_typing_run, typing_after, t, sent);
}
