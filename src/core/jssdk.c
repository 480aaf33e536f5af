/* jssdk: see jssdk.h */
#include "jssdk.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

int jssdk_type_ok(const char *type)
{
    return strcmp(type, "jsapi") == 0 || strcmp(type, "wx_card") == 0;
}

int jssdk_ticket_live(struct store *s, const char *appid, const char *type, int64_t now,
                      struct js_ticket *out)
{
    int rc = store_js_ticket_get(s, appid, type, out);
    if (rc == 0 && out->expires_at <= now)
        return ERR_NOT_FOUND;
    return rc;
}

int jssdk_issue_run(struct store *s, void *arg)
{
    struct jssdk_issue *j = arg;
    int64_t now = clock_now();
    int rc = jssdk_ticket_live(s, j->appid, j->type, now, &j->out);
    if (rc != ERR_NOT_FOUND)
        return rc;
    struct js_ticket *t = &j->out;
    memset(t, 0, sizeof(*t));
    snprintf(t->appid, sizeof(t->appid), "%s", j->appid);
    snprintf(t->type, sizeof(t->type), "%s", j->type);
    crypto_token(t->ticket, sizeof(t->ticket), "", 64); /* 86 characters, as WeChat's */
    t->issued_at = now;
    t->expires_at = now + JS_TICKET_TTL;
    return store_js_ticket_put(s, t) == 0 ? 0 : ERR_SYSTEM;
}

void jssdk_signature(const char *ticket, const char *noncestr, const char *timestamp,
                     const char *url, char out[41])
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "jsapi_ticket=%s&noncestr=%s&timestamp=%s&url=", ticket, noncestr, timestamp);
    buf_append(&b, url, strcspn(url, "#"));
    crypto_sha1_hex(b.ptr, b.len, out);
    buf_release(&b);
}
