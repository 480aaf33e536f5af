/*
 * api_signup: a new user signs themselves up: the page /app/signup (a form, then the cookie
 * session) and POST /client/v1/signup {"username","password","nickname"} (a bearer session).
 * The password is hashed on a worker thread, then one writer job makes the user and the
 * session. The operator turns it off with `lianjie serve --no-signup` (403 then). Sign-ups
 * are limited per client address, as failed sign-ins are.
 */
#include "api.h"
#include "page.h"
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

#define SIGNUPS_PER_IP 10 /* a minute */
#define PASSWORD_MIN   6

static int signup_on = 1;

void api_set_signup(int on)
{
    signup_on = on;
}

int api_signup_open(void)
{
    return signup_on;
}

struct signup {
    struct user user;
    char password[128];
    struct session_new s; /* out: the session */
    int page;             /* from the page: answer with the cookie and a redirect */
};

/* 0, or why the fields cannot make a user */
static int check_fields(const struct signup *j)
{
    size_t n = strlen(j->user.username);
    if (n < 3 || n > 32 ||
        strspn(j->user.username, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789_.-") != n)
        return ERR_ARGUMENT_INVALID;
    if (strlen(j->password) < PASSWORD_MIN)
        return ERR_ARGUMENT_INVALID;
    return 0;
}

static int hash_run(void *arg)
{
    struct signup *j = arg;
    crypto_password_hash(j->password, j->user.password_hash, sizeof(j->user.password_hash));
    crypto_wipe(j->password, sizeof(j->password));
    return 0;
}

/* writer: the user, then its session, in one transaction */
static int create_run(struct store *s, void *arg)
{
    struct signup *j = arg;
    int rc = accounts_user_create(s, &j->user, NULL);
    if (rc != 0)
        return rc;
    j->s.user_id = j->user.id;
    return sessions_create_run(s, &j->s);
}

static void signup_page(struct req *r, const char *error, int status);

static int created(struct req *r, void *arg, int rc)
{
    struct signup *j = arg;
    if (rc == ERR_CONFLICT && j->page) {
        signup_page(r, "This username is taken: choose another.", 409);
        return 0;
    }
    if (rc != 0)
        return rc;
    if (j->page) {
        api_session_cookie(r, j->s.token);
        http_redirect(r, "/app/");
        return 0;
    }
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "{\"errcode\":0,\"errmsg\":\"ok\",\"session\":\"%s\",\"expires_at\":%lld,"
               "\"user\":",
               j->s.token, (long long)j->s.expires_at);
    render_user(&b, &j->user);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

static int hashed(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct signup *j = xmalloc(sizeof(*j));
    memcpy(j, arg, sizeof(*j));
    return http_write(r, create_run, NULL, j, created);
}

/* checks and starts a sign-up; takes j over */
static int start(struct req *r, struct signup *j)
{
    int rc = !signup_on ? ERR_FORBIDDEN : check_fields(j);
    if (rc == 0 && ratelimit_over("signup-ip", r->ip, SIGNUPS_PER_IP))
        rc = ERR_TOO_MANY_ATTEMPTS;
    if (rc != 0) {
        crypto_wipe(j->password, sizeof(j->password));
        free(j);
        return rc;
    }
    ratelimit_count("signup-ip", r->ip);
    if (!j->user.nickname[0])
        snprintf(j->user.nickname, sizeof(j->user.nickname), "%s", j->user.username);
    return http_offload(r, hash_run, j, hashed);
}

int api_client_signup(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct signup *j = xcalloc(1, sizeof(*j));
    if (json_copy_str(o, "username", j->user.username, sizeof(j->user.username)) != JSON_OK ||
        json_copy_str(o, "password", j->password, sizeof(j->password)) != JSON_OK ||
        json_copy_str(o, "nickname", j->user.nickname, sizeof(j->user.nickname)) == JSON_WRONG_TYPE)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(j);
        return rc;
    }
    return start(r, j);
}

/* ------------------------------------------------------------------ the page */

static void field(struct buf *b, const char *id, const char *label, const char *type,
                  const char *extra)
{
    buf_printf(b,
               "<div class=\"weui-cell weui-cell_active\"><div class=\"weui-cell__hd\"><label "
               "class=\"weui-label\" for=\"%s\">%s</label></div><div class=\"weui-cell__bd\">"
               "<input class=\"weui-input\" id=\"%s\" name=\"%s\" type=\"%s\" %s></div></div>",
               id, label, id, id, type, extra);
}

static void signup_page(struct req *r, const char *error, int status)
{
    struct buf b = BUF_INIT;
    page_app_begin(&b, "Sign up");
    buf_puts(&b, "<h1 class=\"lj-title\">Sign up for lianjie</h1>");
    if (error) {
        buf_puts(&b, "<p class=\"lj-err err\" role=\"alert\">");
        page_text(&b, error);
        buf_puts(&b, "</p>");
    }
    if (!signup_on) {
        buf_puts(&b, "<p class=\"lj-lead\" id=\"signup-off\">Sign-up is turned off on this "
                     "server: ask its operator for an account.</p>");
    } else {
        buf_puts(&b, "<form method=\"post\" action=\"/app/signup\"><div class=\"weui-cells "
                     "weui-cells_form\">");
        field(&b, "username", "Username", "text",
              "autocomplete=\"username\" required minlength=\"3\" maxlength=\"32\" "
              "pattern=\"[A-Za-z0-9_.\\-]+\" aria-describedby=\"username-rule\"");
        field(&b, "nickname", "Name", "text", "autocomplete=\"nickname\" maxlength=\"64\"");
        field(&b, "password", "Password", "password",
              "autocomplete=\"new-password\" required minlength=\"6\" maxlength=\"127\"");
        buf_puts(&b, "</div><p class=\"lj-lead\" id=\"username-rule\">3 to 32 letters, digits, "
                     "'_', '.' or '-'; a password of 6 characters or more.</p>"
                     "<div class=\"weui-btn-area\"><button class=\"weui-btn weui-btn_primary\" "
                     "type=\"submit\" id=\"signup\">Sign up</button></div></form>");
    }
    buf_puts(&b, "<p class=\"lj-lead\">Have an account? <a href=\"/app/login\">Sign in</a></p>");
    page_app_end(&b, NULL, NULL);
    http_page_headers(r);
    http_send_html(r, status, &b);
}

int api_app_signup_page(struct req *r)
{
    signup_page(r, NULL, 200);
    return 0;
}

int api_app_signup(struct req *r)
{
    struct signup *j = xcalloc(1, sizeof(*j));
    j->page = 1;
    if (req_param(r, "username", j->user.username, sizeof(j->user.username)) <= 0 ||
        req_param(r, "password", j->password, sizeof(j->password)) <= 0 ||
        req_param(r, "nickname", j->user.nickname, sizeof(j->user.nickname)) < -1) {
        free(j);
        signup_page(r, "Enter a username and a password.", 400);
        return 0;
    }
    int rc = start(r, j);
    if (rc == REQ_ASYNC)
        return rc;
    signup_page(r,
                rc == ERR_FORBIDDEN ? "Sign-up is turned off."
                : rc == ERR_TOO_MANY_ATTEMPTS
                    ? "Too many sign-ups from here: wait a minute."
                    : "Choose a username of 3 to 32 letters, digits, '_', '.' or '-', and a "
                      "password of 6 characters or more.",
                rc == ERR_FORBIDDEN           ? 403
                : rc == ERR_TOO_MANY_ATTEMPTS ? 429
                                              : 400);
    return 0;
}
