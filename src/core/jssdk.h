/*
 * jssdk: the JS-SDK tickets (spec/accounts.md §7): one per account and type (jsapi, and the
 * card api_ticket wx_card), kept in the store, the same ticket answered until it expires
 * (7200 s), then a new one. And the wx.config signature rule. No SQL here.
 */
#ifndef LJ_JSSDK_H
#define LJ_JSSDK_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store_qrcode.h"

#define JS_TICKET_TTL 7200

/* 1 for a ticket type getticket serves ("jsapi", "wx_card") */
int jssdk_type_ok(const char *type);

/* the ticket of (appid, type) live at now: 0 or ERR_NOT_FOUND (none, or expired) */
int jssdk_ticket_live(struct store *s, const char *appid, const char *type, int64_t now,
                      struct js_ticket *out);

struct jssdk_issue {
    char appid[19];
    char type[16];
    struct js_ticket out;
};
/* writer job: answers the live ticket, or stores and answers a new one */
int jssdk_issue_run(struct store *s, void *arg);

/*
 * The wx.config signature: sha1 hex of "jsapi_ticket=T&noncestr=N&timestamp=TS&url=U",
 * where U is the page URL up to any '#'. out gets 40 hex characters and a NUL.
 */
void jssdk_signature(const char *ticket, const char *noncestr, const char *timestamp,
                     const char *url, char out[41]);

#endif
