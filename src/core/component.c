/*
 * component: see component.h.
 */
#include "component.h"
#include "accounts.h"
#include "clock.h"
#include "../crypto/crypto.h"
#include "../crypto/msgcrypt.h"
#include "../push/outbox.h"
#include "../push/worker.h"
#include "../push/xml.h"
#include "../store/store.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ registration */

static int is_url(const char *u, int required)
{
    if (!u[0])
        return !required;
    return strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0;
}

/* "1,2,15": comma-separated permission set ids, 1 to 999 */
static int valid_sets(const char *s)
{
    int digits = 0, empty = !*s;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (++digits > 3)
                return 0;
        } else if (*s == ',' && digits > 0) {
            digits = 0;
        } else {
            return 0;
        }
    }
    return empty || digits > 0;
}

static int valid_token(const char *t)
{
    size_t n = strlen(t);
    if (n < 3 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'z') ||
              (t[i] >= 'A' && t[i] <= 'Z')))
            return 0;
    return 1;
}

int component_validate(const struct component *c)
{
    if (!c->name[0] || !valid_token(c->token) || !msgcrypt_valid_key(c->aes_key) ||
        !is_url(c->auth_url, 1) || !is_url(c->msg_url, 0) || !valid_sets(c->func_sets) ||
        (c->appid[0] && !accounts_valid_appid(c->appid)))
        return ERR_ARGUMENT_INVALID;
    return 0;
}

int component_create(struct store *s, struct component *c)
{
    int given = c->appid[0] != 0;
    c->created_at = clock_now();
    c->next_ticket_at = c->created_at;
    crypto_new_secret(c->secret);
    for (int tries = 0; tries < 5; tries++) {
        if (!given)
            crypto_new_appid(c->appid);
        struct account a;
        int rc = store_account_get(s, c->appid, &a);
        if (rc == 0)
            rc = ERR_CONFLICT;
        else if (rc == ERR_NOT_FOUND)
            rc = store_component_insert(s, c);
        if (rc != ERR_CONFLICT || given)
            return rc;
    }
    return ERR_SYSTEM;
}

/* ------------------------------------------------------------------ verify tickets */

struct due_list {
    struct component c[16];
    int n;
};

static void collect(void *arg, const struct component *c)
{
    struct due_list *l = arg;
    if (l->n < (int)(sizeof(l->c) / sizeof(l->c[0])))
        l->c[l->n++] = *c;
}

static int push_ticket(struct store *s, const struct component *c, int64_t now)
{
    char ticket[96];
    crypto_token(ticket, sizeof(ticket), "ticket@@@", 48);
    int rc = store_component_ticket_insert(s, c->appid, ticket, now, now + COMPONENT_TICKET_TTL);
    if (rc == 0)
        rc = store_component_set_next_ticket(s, c->appid, now + COMPONENT_TICKET_EVERY);
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    xml_begin(&b);
    xml_cdata(&b, "AppId", c->appid);
    xml_num(&b, "CreateTime", now);
    xml_cdata(&b, "InfoType", "component_verify_ticket");
    xml_cdata(&b, "ComponentVerifyTicket", ticket);
    xml_end(&b);
    rc = push_enqueue_component(s, c, "component_verify_ticket", b.ptr);
    buf_release(&b);
    return rc;
}

int component_tickets_run(struct store *s, void *unused)
{
    (void)unused;
    int64_t now = clock_now();
    struct due_list l = {.n = 0};
    int rc = store_component_due(s, now, 16, collect, &l);
    for (int i = 0; rc == 0 && i < l.n; i++)
        rc = push_ticket(s, &l.c[i], now);
    return rc;
}

void component_tickets_after(void *unused)
{
    (void)unused;
    push_worker_kick();
}

int component_ticket_now_run(struct store *s, void *arg)
{
    struct component_secret *k = arg;
    struct component c;
    int rc = store_component_get(s, k->appid, &c);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_INVALID_COMPONENT : rc;
    if (!crypto_eq(k->secret, strlen(k->secret), c.secret, strlen(c.secret)))
        return ERR_INVALID_APPSECRET;
    return store_component_set_next_ticket(s, c.appid, 0);
}

int component_purge_run(struct store *s, void *unused)
{
    (void)unused;
    int64_t now = clock_now();
    int rc = store_component_ticket_purge(s, now - 86400);
    if (rc == 0)
        rc = store_component_token_purge(s, now - 86400);
    return rc != 0 ? rc : store_component_codes_purge(s, now - 86400);
}

/* ------------------------------------------------------------------ tokens */

static int check_ticket(struct store *s, const struct component_token_issue *t, int64_t now)
{
    int64_t expires_at;
    int rc = store_component_ticket_get(s, t->appid, t->ticket, &expires_at);
    if (rc == ERR_NOT_FOUND)
        return ERR_COMPONENT_TICKET_INVALID;
    if (rc != 0)
        return rc;
    return expires_at <= now ? ERR_COMPONENT_TICKET_EXPIRED : 0;
}

int component_token_run(struct store *s, void *arg)
{
    struct component_token_issue *t = arg;
    struct component c;
    int64_t now = clock_now();
    int rc = store_component_get(s, t->appid, &c);
    if (rc == ERR_NOT_FOUND)
        return ERR_INVALID_COMPONENT;
    if (rc != 0)
        return rc;
    if (!crypto_eq(t->secret, strlen(t->secret), c.secret, strlen(c.secret)))
        return ERR_INVALID_APPSECRET;
    if ((rc = check_ticket(s, t, now)) != 0)
        return rc;
    rc = store_component_token_supersede(s, c.appid, now, now + COMPONENT_TOKEN_OVERLAP);
    if (rc != 0)
        return rc;
    crypto_token(t->token, sizeof(t->token), "", 96);
    return store_component_token_insert(s, c.appid, t->token, now, now + COMPONENT_TOKEN_TTL);
}

int component_token_check(struct store *rd, const char *token, size_t len, char appid[19])
{
    char tok[160];
    int64_t expires_at;
    if (len == 0 || len >= sizeof(tok))
        return ERR_INVALID_CREDENTIAL;
    memcpy(tok, token, len);
    tok[len] = 0;
    int rc = store_component_token_get(rd, tok, appid, &expires_at);
    if (rc == ERR_NOT_FOUND)
        return ERR_INVALID_CREDENTIAL;
    if (rc != 0)
        return rc;
    return expires_at <= clock_now() ? ERR_ACCESS_TOKEN_EXPIRED : 0;
}

/* ------------------------------------------------------------------ pre-auth codes */

int component_preauth_run(struct store *s, void *arg)
{
    struct component_preauth *p = arg;
    crypto_token(p->code, sizeof(p->code), "preauthcode@@@", 48);
    return store_preauth_insert(s, p->appid, p->code, clock_now() + COMPONENT_PREAUTH_TTL);
}
