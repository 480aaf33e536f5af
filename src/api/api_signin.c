/*
 * api_signin: the web client's sign-in page (/app/login) and its cookie session, which the
 * authorization pages use. The session is the same as the client API's bearer session.
 */
#include "api.h"
#include "page.h"
#include "../core/demo.h"
#include "../core/sessions.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/parse.h"
#include "../util/url.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define COOKIE API_SESSION_COOKIE

int api_cookie_user(struct req *r, int64_t *user_id)
{
    char tok[128];
    if (req_cookie(r, COOKIE, tok, sizeof(tok)) <= 0)
        return ERR_UNAUTHENTICATED;
    return sessions_check(r->rd, tok, user_id);
}

void api_session_cookie(struct req *r, const char *token)
{
    char cookie[256];
    snprintf(cookie, sizeof(cookie), COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d",
             token, SESSION_TTL);
    http_add_header(r, "set-cookie", cookie);
}

void api_login_redirect(struct req *r)
{
    struct buf next = BUF_INIT, loc = BUF_INIT;
    buf_append(&next, r->path, r->path_len);
    if (r->query) {
        buf_putc(&next, '?');
        buf_append(&next, r->query, r->query_len);
    }
    buf_puts(&loc, "/app/login?next=");
    url_encode(&loc, next.ptr);
    http_redirect(r, loc.ptr);
    buf_release(&next);
    buf_release(&loc);
}

/* only local paths: never an open redirect */
static const char *safe_next(const char *next)
{
    if (next[0] != '/' || next[1] == '/' || strchr(next, '\\'))
        return "/app/";
    for (const unsigned char *c = (const unsigned char *)next; *c; c++)
        if (*c <= 0x20 || *c == 0x7f) /* browsers drop tabs and newlines: "/\t/x" is "//x" */
            return "/app/";
    return next;
}

static void demo_user_cb(void *arg, const struct user *u)
{
    struct buf *b = arg;
    buf_printf(b,
               "<button class=\"weui-cell weui-cell_access lj-cell-button secondary\" "
               "name=\"user_id\" value=\"%lld\"><span class=\"weui-cell__bd\">",
               (long long)u->id);
    page_text(b, u->nickname);
    buf_puts(b, "</span><span class=\"weui-cell__ft\">");
    page_text(b, u->username);
    buf_puts(b, "</span></button>");
}

static void login_form(struct buf *b, const char *next)
{
    buf_puts(b, "<form method=\"post\" action=\"/app/login\">");
    page_hidden(b, "next", next);
    buf_puts(b, "<div class=\"weui-cells weui-cells_form\">"
                "<div class=\"weui-cell weui-cell_active\"><div class=\"weui-cell__hd\">"
                "<label class=\"weui-label\" for=\"username\">Username</label></div>"
                "<div class=\"weui-cell__bd\"><input class=\"weui-input\" id=\"username\" "
                "name=\"username\" autocomplete=\"username\" required></div></div>"
                "<div class=\"weui-cell weui-cell_active\"><div class=\"weui-cell__hd\">"
                "<label class=\"weui-label\" for=\"password\">Password</label></div>"
                "<div class=\"weui-cell__bd\"><input class=\"weui-input\" id=\"password\" "
                "name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                "</div></div></div>"
                "<div class=\"weui-btn-area\"><button class=\"weui-btn weui-btn_primary primary\" "
                "type=\"submit\">Sign in</button></div></form>");
}

static void login_page(struct req *r, const char *next, const char *error)
{
    struct buf b = BUF_INIT;
    page_app_begin(&b, "Sign in");
    buf_puts(&b, "<h1 class=\"lj-title\">Sign in to lianjie</h1>");
    if (error) {
        buf_puts(&b, "<p class=\"lj-err err\" role=\"alert\">");
        page_text(&b, error);
        buf_puts(&b, "</p>");
    }
    login_form(&b, next);
    if (api_signup_open())
        buf_puts(&b, "<p class=\"lj-lead\">New here? <a id=\"to-signup\" href=\"/app/signup\">"
                     "Create an account</a></p>");
    if (api_demo_mode()) {
        buf_puts(&b, "<div class=\"weui-cells__title muted\">Demo users: one click to sign in</div>"
                     "<form method=\"post\" action=\"/app/login\">");
        page_hidden(&b, "next", next);
        buf_puts(&b, "<div class=\"weui-cells\">");
        store_user_list(r->rd, demo_user_cb, &b);
        buf_puts(&b, "</div></form>");
    }
    page_app_end(&b, NULL, NULL);
    http_page_headers(r);
    http_send_html(r, error ? 401 : 200, &b);
}

int api_app_login_page(struct req *r)
{
    char next[8192];
    if (req_query(r, "next", next, sizeof(next)) <= 0)
        snprintf(next, sizeof(next), "/app/");
    login_page(r, safe_next(next), NULL);
    return 0;
}

struct login_job {
    struct session_new s;
    char next[8192];
};

static int login_done(struct req *r, void *arg, int rc)
{
    struct login_job *j = arg;
    if (rc == ERR_UNAUTHENTICATED) {
        login_page(r, j->next, "Wrong username or password.");
        return 0;
    }
    if (rc == ERR_TOO_MANY_ATTEMPTS) {
        login_page(r, j->next, "Too many attempts: wait a minute, then try again.");
        return 0;
    }
    if (rc != 0)
        return rc;
    api_session_cookie(r, j->s.token);
    http_redirect(r, j->next);
    return 0;
}

int api_app_login(struct req *r)
{
    struct login_job *j = xcalloc(1, sizeof(*j));
    char uid[32];
    long n = req_param(r, "user_id", uid, sizeof(uid));
    if (req_param(r, "next", j->next, sizeof(j->next)) <= 0)
        snprintf(j->next, sizeof(j->next), "/app/");
    const char *next = safe_next(j->next);
    if (next != j->next)
        snprintf(j->next, sizeof(j->next), "%s", next);
    if (n > 0 && api_demo_mode()) {
        if (parse_i64(uid, (size_t)n, &j->s.user_id) != 0 || j->s.user_id <= 0)
            j->s.user_id = -1;
    } else if (req_param(r, "username", j->s.username, sizeof(j->s.username)) <= 0 ||
               req_param(r, "password", j->s.password, sizeof(j->s.password)) <= 0) {
        login_page(r, j->next, "Enter a username and a password.");
        free(j);
        return 0;
    }
    if (j->s.user_id != 0) /* a demo pick */
        return http_write(r, sessions_create_run, NULL, j, login_done);
    return api_signin(r, j, sizeof(*j), login_done);
}

int api_app_home(struct req *r)
{
    int64_t uid;
    if (api_cookie_user(r, &uid) != 0) {
        api_login_redirect(r);
        return 0;
    }
    struct user u;
    if (store_user_get(r->rd, uid, &u) != 0) {
        api_login_redirect(r);
        return 0;
    }
    struct buf b = BUF_INIT;
    page_app_begin(&b, "Chats");
    buf_puts(&b, "<header class=\"lj-me\"><div class=\"lj-me__who\"><span class=\"muted\">"
                 "Signed in</span> <b id=\"me\">");
    page_text(&b, u.nickname);
    buf_puts(&b, "</b> <span class=\"muted\">(");
    page_text(&b, u.username);
    buf_puts(&b, ")</span></div><button class=\"weui-btn weui-btn_mini weui-btn_default\" "
                 "id=\"logout\" type=\"button\">Sign out</button></header>"
                 "<div class=\"weui-cells__title\">Chats</div>"
                 "<div class=\"weui-cells\" id=\"chats\"></div>"
                 "<p class=\"lj-empty\" id=\"chats-empty\" hidden>No chats yet. Find an account "
                 "on the <a href=\"/app/accounts\">Accounts</a> tab and follow it.</p>"
                 "<div class=\"weui-cells lj-links\"><a class=\"weui-cell weui-cell_access\" "
                 "id=\"to-authorizations\" href=\"/app/authorizations\"><div "
                 "class=\"weui-cell__bd\">Third-party platforms</div><div class=\"weui-cell__ft\">"
                 "</div></a></div>");
    page_app_end(&b, "chats", "home.js");
    http_page_headers(r);
    http_send_html(r, 200, &b);
    return 0;
}
