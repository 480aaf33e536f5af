/*
 * api_me: the signed-in user's own things (the web client's Me tab): their name, their
 * password, and the websites and accounts they let see them through web authorization, each
 * of which they can revoke (its grant and its tokens end).
 */
#include "api.h"
#include "render.h"
#include "../core/accounts.h"
#include "../core/ratelimit.h"
#include "../core/sessions.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ authorized websites */

struct grant_list {
    struct req *r;
    struct buf *b;
    int n;
};

static void on_grant(void *arg, const struct oauth_grant *g)
{
    struct grant_list *l = arg;
    struct account a;
    if (store_account_get(l->r->rd, g->appid, &a) != 0)
        return;
    if (l->n++ > 0)
        buf_putc(l->b, ',');
    buf_puts(l->b, "{\"appid\":");
    buf_json_cstr(l->b, a.appid);
    buf_puts(l->b, ",\"name\":");
    buf_json_cstr(l->b, a.name);
    buf_puts(l->b, ",\"type\":");
    buf_json_cstr(l->b, a.type);
    buf_puts(l->b, ",\"scope\":");
    buf_json_cstr(l->b, g->scope);
    buf_printf(l->b, ",\"granted_at\":%lld}", (long long)g->granted_at);
}

int api_client_me_authorized(struct req *r)
{
    struct buf b = BUF_INIT;
    struct grant_list l = {r, &b, 0};
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"apps\":[");
    return api_send_list(r, store_oauth_grant_list(r->rd, r->user_id, on_grant, &l), &b);
}

struct user_change {
    int64_t user_id;
    char appid[19];
    char nickname[128];
    char password[128], new_password[128];
    char old_hash[128], new_hash[128];
    struct user user;
    struct session_new s;
    char ip[64];
};

static int revoke_run(struct store *s, void *arg)
{
    struct user_change *c = arg;
    return store_oauth_revoke(s, c->appid, c->user_id);
}

static int ok_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

/* reads {"key": …} of the body into out; 0 or the error */
static int body_field(struct req *r, const char *key, char *out, size_t cap)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    rc = json_copy_str(o, key, out, cap) == JSON_OK && out[0] ? 0 : ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    return rc;
}

int api_client_me_revoke(struct req *r)
{
    struct user_change *c = xcalloc(1, sizeof(*c));
    c->user_id = r->user_id;
    int rc = body_field(r, "appid", c->appid, sizeof(c->appid));
    if (rc != 0) {
        free(c);
        return rc == ERR_ARGUMENT_INVALID ? ERR_INVALID_APPID : rc;
    }
    return http_write_atomic(r, revoke_run, NULL, c, ok_done);
}

/* ------------------------------------------------------------------ name */

static int nickname_run(struct store *s, void *arg)
{
    struct user_change *c = arg;
    int rc = store_user_set_nickname(s, c->user_id, c->nickname);
    return rc != 0 ? rc : store_user_get(s, c->user_id, &c->user);
}

static int user_done(struct req *r, void *arg, int rc)
{
    struct user_change *c = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"user\":");
    render_user(&b, &c->user);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_client_me_profile(struct req *r)
{
    struct user_change *c = xcalloc(1, sizeof(*c));
    c->user_id = r->user_id;
    int rc = body_field(r, "nickname", c->nickname, sizeof(c->nickname));
    if (rc == 0 && strlen(c->nickname) > 64)
        rc = ERR_ARGUMENT_INVALID;
    if (rc != 0) {
        free(c);
        return rc;
    }
    return http_write(r, nickname_run, NULL, c, user_done);
}

/* ------------------------------------------------------------------ password */

/* worker: the current password is checked, the new one hashed */
static int password_check_run(void *arg)
{
    struct user_change *c = arg;
    int ok = crypto_password_check(c->password, c->old_hash);
    crypto_wipe(c->password, sizeof(c->password));
    if (ok)
        crypto_password_hash(c->new_password, c->new_hash, sizeof(c->new_hash));
    crypto_wipe(c->new_password, sizeof(c->new_password));
    return ok ? 0 : ERR_UNAUTHENTICATED;
}

/* writer: the new hash, unless the password changed meanwhile; every session ends (also on
 * other devices), and this one is replaced by a new session */
static int password_set_run(struct store *s, void *arg)
{
    struct user_change *c = arg;
    struct user u;
    int rc = store_user_get(s, c->user_id, &u);
    if (rc != 0)
        return rc;
    if (strcmp(u.password_hash, c->old_hash) != 0)
        return ERR_CONFLICT; /* changed meanwhile */
    rc = accounts_user_set_password_hash(s, c->user_id, c->new_hash);
    if (rc != 0)
        return rc;
    c->s.user_id = c->user_id;
    snprintf(c->s.hash, sizeof(c->s.hash), "%s", c->new_hash);
    return sessions_create_run(s, &c->s);
}

static int password_done(struct req *r, void *arg, int rc)
{
    struct user_change *c = arg;
    if (rc != 0)
        return rc;
    if (!req_header(r, "authorization", &(size_t){0})) /* the page's cookie session */
        api_session_cookie(r, c->s.token);
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"session\":\"%s\",\"expires_at\":%lld}",
               c->s.token, (long long)c->s.expires_at);
    http_send_buf(r, &b);
    return 0;
}

static int password_checked(struct req *r, void *arg, int rc)
{
    struct user_change *c = arg;
    if (rc == ERR_UNAUTHENTICATED) { /* a wrong current password: not a signed-out user */
        sessions_signin_failed(c->user.username, c->ip);
        return ERR_FORBIDDEN;
    }
    if (rc != 0)
        return rc;
    struct user_change *w = xmalloc(sizeof(*w));
    memcpy(w, c, sizeof(*w));
    return http_write(r, password_set_run, NULL, w, password_done);
}

int api_client_me_password(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct user_change *c = xcalloc(1, sizeof(*c));
    c->user_id = r->user_id;
    snprintf(c->ip, sizeof(c->ip), "%s", r->ip);
    if (json_copy_str(o, "password", c->password, sizeof(c->password)) != JSON_OK ||
        json_copy_str(o, "new_password", c->new_password, sizeof(c->new_password)) != JSON_OK ||
        strlen(c->new_password) < 6)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc == 0 && (rc = store_user_get(r->rd, r->user_id, &c->user)) == 0)
        rc = sessions_signin_allowed(c->user.username, r->ip);
    if (rc == 0 && !c->user.password_hash[0])
        rc = ERR_FORBIDDEN; /* a user without a password (a seed user) has none to change */
    if (rc != 0) {
        crypto_wipe(c, sizeof(*c));
        free(c);
        return rc;
    }
    snprintf(c->old_hash, sizeof(c->old_hash), "%s", c->user.password_hash);
    return http_offload(r, password_check_run, c, password_checked);
}
