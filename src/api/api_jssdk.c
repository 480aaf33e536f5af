/*
 * api_jssdk: ticket/getticket, the JS-SDK ticket (type=jsapi) and the card api_ticket
 * (type=wx_card) (spec/accounts.md §7, card.md §5.5).
 */
#include "api.h"
#include "../core/jssdk.h"
#include "../util/err.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

static void send_ticket(struct req *r, const struct js_ticket *t)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"ticket\":");
    buf_json_cstr(&b, t->ticket);
    buf_printf(&b, ",\"expires_in\":%lld}", (long long)(t->expires_at - api_now()));
    http_send_buf(r, &b);
}

static int issue_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    send_ticket(r, &((struct jssdk_issue *)arg)->out);
    return 0;
}

int api_getticket(struct req *r)
{
    char type[16];
    struct js_ticket t;
    if (req_query(r, "type", type, sizeof(type)) <= 0 || !jssdk_type_ok(type))
        return ERR_INVALID_PARAM;
    /* an authorizer token: jsapi tickets belong to set 4 (web services), card tickets to 8 */
    if (!permset_has(&r->granted, strcmp(type, "wx_card") == 0 ? 8 : 4))
        return ERR_COMPONENT_API_UNAUTHORIZED;
    int rc = jssdk_ticket_live(r->rd, r->appid, type, api_now(), &t);
    if (rc == 0) {
        send_ticket(r, &t);
        return 0;
    }
    if (rc != ERR_NOT_FOUND)
        return rc;
    struct jssdk_issue *j = xcalloc(1, sizeof(*j));
    memcpy(j->appid, r->appid, sizeof(j->appid));
    snprintf(j->type, sizeof(j->type), "%s", type);
    return http_write(r, jssdk_issue_run, NULL, j, issue_done);
}
