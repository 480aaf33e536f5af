/* qrcodes: see qrcodes.h */
#include "qrcodes.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

#define ISSUE_TRIES 4

int qrcodes_action_kind(const char *action)
{
    if (strcmp(action, "QR_SCENE") == 0 || strcmp(action, "QR_STR_SCENE") == 0)
        return 1;
    if (strcmp(action, "QR_LIMIT_SCENE") == 0 || strcmp(action, "QR_LIMIT_STR_SCENE") == 0)
        return 0;
    return -1;
}

static int is_str_action(const char *action)
{
    return strstr(action, "_STR_") != NULL;
}

static int check_scene(const struct qrcode_new *q, int temporary)
{
    if (is_str_action(q->action))
        return q->has_scene_str && q->scene_str_len >= 1 && q->scene_str_len <= QR_SCENE_STR_MAX
                   ? 0
                   : ERR_INVALID_ACTION_INFO;
    if (!q->has_scene_id || q->scene_id < 1)
        return ERR_INVALID_ACTION_INFO;
    return q->scene_id <= (temporary ? (int64_t)UINT32_MAX : QR_LIMIT_SCENE_MAX)
               ? 0
               : ERR_INVALID_ACTION_INFO;
}

int qrcodes_check(struct qrcode_new *q)
{
    int temporary = qrcodes_action_kind(q->action);
    if (temporary < 0)
        return ERR_INVALID_ACTION_NAME;
    int rc = check_scene(q, temporary);
    if (rc != 0)
        return rc;
    if (is_str_action(q->action))
        q->scene_id = 0;
    else
        q->scene_str[0] = 0;
    if (!temporary)
        q->expire_seconds = 0;
    else if (q->expire_seconds <= 0)
        q->expire_seconds = QR_TEMP_DEFAULT_TTL;
    else if (q->expire_seconds > QR_TEMP_MAX_TTL)
        q->expire_seconds = QR_TEMP_MAX_TTL;
    return 0;
}

/* a ticket shaped like WeChat's: standard base64 of 25 bytes starting 0x81 0x0?, so it
 * starts "gQ", ends "==" and holds '+' and '/' that a client must %-encode */
static void new_ticket(char out[64])
{
    unsigned char b[25];
    crypto_random(b, sizeof(b));
    b[0] = 0x81;
    b[1] &= 0x0f;
    crypto_base64(b, sizeof(b), out);
}

void qrcodes_safe_host(const char *host, char *out, size_t cap)
{
    size_t n = strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]");
    if (n == 0 || n >= cap)
        snprintf(out, cap, "127.0.0.1");
    else
        snprintf(out, cap, "%.*s", (int)n, host);
}

int qrcodes_issue(struct store *s, const char *host, struct qrcode *q)
{
    char h[256];
    qrcodes_safe_host(host, h, sizeof(h));
    q->created_at = clock_now();
    for (int i = 0; i < ISSUE_TRIES; i++) {
        new_ticket(q->ticket);
        crypto_token(q->code, sizeof(q->code), "", 16); /* 22 characters */
        snprintf(q->url, sizeof(q->url), "http://%s/q/%s", h, q->code);
        int rc = store_qrcode_insert(s, q);
        if (rc != ERR_CONFLICT)
            return rc == 0 ? 0 : ERR_SYSTEM;
    }
    return ERR_SYSTEM;
}

static int create_permanent(struct store *s, struct qrcode_new *q)
{
    struct qrcode *o = &q->out;
    int rc = store_qrcode_permanent(s, q->appid, q->action, q->scene_id, q->scene_str, o);
    if (rc != ERR_NOT_FOUND)
        return rc;
    int64_t n = 0;
    if (store_qrcode_permanent_count(s, q->appid, &n) != 0)
        return ERR_SYSTEM;
    if (n >= QR_PERMANENT_MAX)
        return ERR_QRCODE_LIMIT;
    o->expires_at = 0;
    rc = qrcodes_issue(s, q->host, o);
    if (rc == 0 && store_qrcode_permanent_count_add(s, q->appid, 1) != 0)
        rc = ERR_SYSTEM;
    return rc;
}

int qrcodes_create_run(struct store *s, void *arg)
{
    struct qrcode_new *q = arg;
    struct qrcode *o = &q->out;
    memset(o, 0, sizeof(*o));
    snprintf(o->appid, sizeof(o->appid), "%s", q->appid);
    snprintf(o->action, sizeof(o->action), "%s", q->action);
    o->scene_id = q->scene_id;
    snprintf(o->scene_str, sizeof(o->scene_str), "%s", q->scene_str);
    if (qrcodes_action_kind(q->action) == 0)
        return create_permanent(s, q);
    o->expires_at = clock_now() + q->expire_seconds;
    return qrcodes_issue(s, q->host, o);
}

static int live(int rc, const struct qrcode *q, int64_t now)
{
    if (rc != 0)
        return rc;
    return q->expires_at != 0 && q->expires_at <= now ? ERR_EXPIRED : 0;
}

int qrcodes_by_ticket(struct store *s, const char *ticket, int64_t now, struct qrcode *out)
{
    char t[64];
    size_t n = strlen(ticket);
    if (n == 0 || n >= sizeof(t))
        return ERR_NOT_FOUND;
    for (size_t i = 0; i <= n; i++)
        t[i] = ticket[i] == ' ' ? '+' : ticket[i];
    return live(store_qrcode_by_ticket(s, t, out), out, now);
}

/* the CODE of "http(s)://host/q/CODE[?...|#...]" into out; -1 if it is not such a url */
static int url_code(const char *url, char *out, size_t cap)
{
    const char *p;
    if (strncmp(url, "https://", 8) == 0)
        p = url + 8;
    else if (strncmp(url, "http://", 7) == 0)
        p = url + 7;
    else
        return -1;
    p += strcspn(p, "/?#");
    if (strncmp(p, "/q/", 3) != 0)
        return -1;
    p += 3;
    size_t n = strcspn(p, "/?#");
    if (n == 0 || n >= cap)
        return -1;
    memcpy(out, p, n);
    out[n] = 0;
    return 0;
}

int qrcodes_resolve(struct store *s, const char *ticket_or_url, int64_t now, struct qrcode *out)
{
    char code[24];
    if (url_code(ticket_or_url, code, sizeof(code)) == 0)
        return live(store_qrcode_by_code(s, code, out), out, now);
    int rc = qrcodes_by_ticket(s, ticket_or_url, now, out);
    if (rc != ERR_NOT_FOUND)
        return rc;
    if (strlen(ticket_or_url) >= sizeof(code))
        return ERR_NOT_FOUND;
    return live(store_qrcode_by_code(s, ticket_or_url, out), out, now);
}

int qrcodes_purge_run(struct store *s, void *unused)
{
    int64_t now = clock_now();
    int rc = store_qrcode_purge(s, now - QR_PURGE_AFTER);
    return rc == 0 ? store_short_key_purge(s, now - 86400) : rc;
}
