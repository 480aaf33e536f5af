/*
 * api_server: the operator's view of an account's message server: set URL, Token,
 * EncodingAESKey and mode (with the handshake), and read the push log with every attempt.
 */
#include "api.h"
#include "render.h"
#include "../core/serverconf.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/parse.h"
#include "../util/xalloc.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct server_op {
    struct server_conf conf;
    struct http_async *async;
    char reason[256];
};

static int parse_conf(struct req *r, struct server_conf *c)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    int64_t loc = 0;
    if (json_copy_str(o, "appid", c->appid, sizeof(c->appid)) != JSON_OK ||
        json_copy_str(o, "url", c->url, sizeof(c->url)) == JSON_WRONG_TYPE ||
        json_copy_str(o, "token", c->token, sizeof(c->token)) == JSON_WRONG_TYPE ||
        json_copy_str(o, "encoding_aes_key", c->aes_key, sizeof(c->aes_key)) == JSON_WRONG_TYPE ||
        json_copy_str(o, "mode", c->mode, sizeof(c->mode)) == JSON_WRONG_TYPE ||
        json_get_i64(o, "location_report", &loc) == JSON_WRONG_TYPE)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (!c->mode[0])
        snprintf(c->mode, sizeof(c->mode), "plaintext");
    c->location_report = loc >= 0 && loc <= 2 ? (int)loc : -1;
    return rc;
}

static int saved(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct account a;
    if (store_account_get(r->rd, ((struct server_conf *)arg)->appid, &a) != 0)
        return ERR_SYSTEM;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"account\":");
    render_account(&b, &a, 1);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

static int verified(struct req *r, void *arg, int rc)
{
    struct server_op *op = arg;
    if (rc != 0) {
        char msg[320];
        snprintf(msg, sizeof(msg), "server URL verification failed: %s", op->reason);
        http_send_err_status(r, 400, ERR_ARGUMENT_INVALID, msg);
        return 0;
    }
    struct server_conf *c = xmalloc(sizeof(*c));
    *c = op->conf;
    return http_write(r, serverconf_save_run, NULL, c, saved);
}

static void *verify_thread(void *arg)
{
    struct server_op *op = arg;
    int rc = serverconf_verify(&op->conf, op->reason, sizeof(op->reason));
    http_async_finish(op->async, rc == 0 ? 0 : ERR_ARGUMENT_INVALID);
    return NULL;
}

static int needs_handshake(const struct server_conf *c, const struct account *a)
{
    return c->url[0] && (strcmp(c->url, a->server_url) != 0 || strcmp(c->token, a->server_token));
}

int api_admin_accounts_server(struct req *r)
{
    struct server_op *op = xcalloc(1, sizeof(*op));
    struct account a;
    int rc = parse_conf(r, &op->conf);
    const char *why = rc == 0 ? serverconf_check(&op->conf) : NULL;
    if (rc == 0 && !why && (rc = store_account_get(r->rd, op->conf.appid, &a)) == 0 &&
        needs_handshake(&op->conf, &a)) {
        op->async = http_defer(r, op, verified);
        pthread_t t;
        pthread_attr_t at;
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&t, &at, verify_thread, op) != 0) {
            snprintf(op->reason, sizeof(op->reason), "cannot start the handshake");
            http_async_finish(op->async, ERR_SYSTEM);
        }
        pthread_attr_destroy(&at);
        return REQ_ASYNC;
    }
    if (why) {
        free(op);
        http_send_err_status(r, 400, ERR_ARGUMENT_INVALID, why);
        return 0;
    }
    if (rc != 0) {
        free(op);
        return rc;
    }
    struct server_conf *c = xmalloc(sizeof(*c));
    *c = op->conf;
    free(op);
    return http_write(r, serverconf_save_run, NULL, c, saved);
}

/* ------------------------------------------------------------------ the push log */

struct push_list {
    struct push_rec *v;
    int n;
};

static void on_push(void *arg, const struct push_rec *p)
{
    struct push_list *l = arg;
    l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof(*l->v));
    l->v[l->n] = *p;
    l->v[l->n].xml = xstrdup(p->xml ? p->xml : "");
    l->n++;
}

static void put_str(struct buf *b, const char *key, const char *v)
{
    buf_printf(b, ",\"%s\":", key);
    buf_json_cstr(b, v ? v : "");
}

static void on_attempt(void *arg, const struct push_attempt *a, int64_t id)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    buf_printf(b, "{\"attempt\":%d,\"started_at\":%lld,\"duration_ms\":%lld,\"http_status\":%d",
               a->attempt, (long long)a->started_at, (long long)a->duration_ms, a->http_status);
    put_str(b, "outcome", a->outcome);
    put_str(b, "detail", a->detail);
    put_str(b, "url", a->url);
    put_str(b, "request", a->request);
    put_str(b, "response", a->response);
    buf_putc(b, '}');
}

static const char *state_name(int state)
{
    static const char *const names[] = {"pending", "delivered", "failed", "dropped"};
    return state >= 0 && state <= 3 ? names[state] : "unknown";
}

static void render_push(struct store *s, struct buf *b, const struct push_rec *p)
{
    buf_printf(b, "{\"id\":%lld,\"created_at\":%lld", (long long)p->id, (long long)p->created_at);
    put_str(b, "kind", p->kind);
    put_str(b, "openid", p->openid);
    put_str(b, "state", state_name(p->state));
    put_str(b, "outcome", p->outcome);
    buf_printf(b, ",\"attempt_count\":%d", p->attempts);
    put_str(b, "xml", p->xml);
    buf_puts(b, ",\"attempts\":[");
    store_attempt_list(s, p->id, on_attempt, b);
    buf_puts(b, "]}");
}

int api_admin_pushes(struct req *r)
{
    char appid[19], num[24];
    int64_t limit = 20, before = 0;
    if (req_query(r, "appid", appid, sizeof(appid)) <= 0)
        return ERR_ARGUMENT_INVALID;
    if (req_query(r, "limit", num, sizeof(num)) > 0 &&
        (parse_i64(num, strlen(num), &limit) != 0 || limit < 1 || limit > 100))
        return ERR_ARGUMENT_INVALID;
    if (req_query(r, "before", num, sizeof(num)) > 0 && parse_i64(num, strlen(num), &before) != 0)
        return ERR_ARGUMENT_INVALID;
    struct push_list l = {NULL, 0};
    int rc = store_push_list(r->rd, appid, before, (int)limit, on_push, &l);
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"pushes\":[");
    for (int i = 0; i < l.n; i++) {
        if (i > 0)
            buf_putc(&b, ',');
        render_push(r->rd, &b, &l.v[i]);
    }
    buf_printf(&b, "],\"next_before\":%lld}", (long long)(l.n == limit ? l.v[l.n - 1].id : 0));
    for (int i = 0; i < l.n; i++)
        free(l.v[i].xml);
    free(l.v);
    if (rc != 0) {
        buf_release(&b);
        return rc;
    }
    http_send_buf(r, &b);
    return 0;
}
