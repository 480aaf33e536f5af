/*
 * api_client: the user side, first part: sign-in (password, or in --demo a one-click pick of
 * a demo user), sign-out, and who am I. The messaging and OAuth families add to it.
 */
#include "api.h"
#include "render.h"
#include "../core/sessions.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int login_done(struct req *r, void *arg, int rc)
{
    struct session_new *n = arg;
    if (rc != 0)
        return rc;
    struct user u;
    if (store_user_get(r->rd, n->user_id, &u) != 0)
        return ERR_SYSTEM;
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "{\"errcode\":0,\"errmsg\":\"ok\",\"session\":\"%s\",\"expires_at\":%lld,"
               "\"user\":",
               n->token, (long long)n->expires_at);
    render_user(&b, &u);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

/*
 * A sign-in in three steps: the user is read here, the password is checked on a worker thread
 * (PBKDF2 holds up neither the writer nor this loop), then the writer makes the session.
 */
struct signin {
    req_done_fn done;
    size_t size;
    char ip[64];
    char username[64];
    _Alignas(max_align_t) unsigned char arg[]; /* the caller's, a struct session_new first */
};

static int signin_password(void *p)
{
    return sessions_password_run(((struct signin *)p)->arg);
}

static int signin_checked(struct req *r, void *p, int rc)
{
    struct signin *si = p;
    if (rc == ERR_UNAUTHENTICATED)
        sessions_signin_failed(si->username, si->ip);
    if (rc != 0)
        return si->done(r, si->arg, rc);
    void *arg = xmalloc(si->size);
    memcpy(arg, si->arg, si->size);
    return http_write(r, sessions_create_run, NULL, arg, si->done);
}

int api_signin(struct req *r, void *arg, size_t size, req_done_fn done)
{
    struct session_new *n = arg;
    int rc = sessions_signin_allowed(n->username, r->ip);
    if (rc == 0)
        rc = sessions_signin_load(r->rd, n);
    if (rc != 0) {
        crypto_wipe(n->password, sizeof(n->password));
        rc = done(r, arg, rc);
        free(arg);
        return rc;
    }
    struct signin *si = xmalloc(sizeof(*si) + size);
    si->done = done;
    si->size = size;
    snprintf(si->ip, sizeof(si->ip), "%s", r->ip);
    snprintf(si->username, sizeof(si->username), "%s", n->username);
    memcpy(si->arg, arg, size);
    crypto_wipe(arg, size);
    free(arg);
    return http_offload(r, signin_password, si, signin_checked);
}

int api_client_login(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct session_new *n = xcalloc(1, sizeof(*n));
    if (json_copy_str(o, "username", n->username, sizeof(n->username)) != JSON_OK ||
        json_copy_str(o, "password", n->password, sizeof(n->password)) != JSON_OK ||
        !n->username[0] || !n->password[0])
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(n);
        return rc;
    }
    return api_signin(r, n, sizeof(*n), login_done);
}

int api_client_demo_login(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct session_new *n = xcalloc(1, sizeof(*n));
    if (json_get_i64(o, "user_id", &n->user_id) != JSON_OK || n->user_id <= 0)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(n);
        return rc;
    }
    return http_write(r, sessions_create_run, NULL, n, login_done);
}

static int logout_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    if (!req_header(r, "authorization", &(size_t){0}))
        http_add_header(r, "set-cookie",
                        API_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    http_send_ok(r);
    return 0;
}

/* signs out the bearer session, or the web client's cookie session (which it also clears) */
int api_client_logout(struct req *r)
{
    size_t n;
    char tok[128];
    const char *v = req_header(r, "authorization", &n);
    if (v && n > 7)
        return http_write(r, sessions_delete_run, sessions_changed, xstrndup(v + 7, n - 7),
                          logout_done);
    if (v || req_cookie(r, API_SESSION_COOKIE, tok, sizeof(tok)) <= 0)
        return ERR_UNAUTHENTICATED;
    return http_write(r, sessions_delete_run, sessions_changed, xstrdup(tok), logout_done);
}

int api_client_me(struct req *r)
{
    struct user u;
    int rc = store_user_get(r->rd, r->user_id, &u);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_UNAUTHENTICATED : rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"user\":");
    render_user(&b, &u);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

static void demo_cb(void *arg, const struct user *u)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    render_user(b, u);
}

int api_client_demo_users(struct req *r)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"users\":[");
    if (store_user_list(r->rd, demo_cb, &b) != 0) {
        buf_release(&b);
        return ERR_SYSTEM;
    }
    buf_puts(&b, "]}");
    http_send_buf(r, &b);
    return 0;
}
