/*
 * api_webapp: the web client's pages under /app/ (besides the sign-in page and the home page
 * in api_signin.c). Each is a static HTML file of the web directory, answered by the HTTP
 * layer (http_send_page); a visitor without a session goes to the sign-in page first. The
 * pages then talk to the client API with the session cookie (router.c, AUTH_CLIENT).
 */
#define _GNU_SOURCE /* memmem */
#include "api.h"
#include "page.h"
#include "../util/err.h"

#include <string.h>

static const struct {
    const char *path;
    const char *file;
} pages[] = {
    {"/app/account", "account.html"},
    {"/app/accounts", "accounts.html"},
    {"/app/authorizations", "authorizations.html"},
    {"/app/chat", "chat.html"},
    {"/app/me", "me.html"},
    {"/app/history", "history.html"},
    {"/app/scan", "scan.html"},
};

int api_app_page(struct req *r)
{
    int64_t uid;
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        if (strcmp(r->path, pages[i].path) != 0)
            continue;
        if (api_cookie_user(r, &uid) != 0)
            api_login_redirect(r);
        else
            http_send_page(r, pages[i].file);
        return 0;
    }
    return ERR_NOT_FOUND;
}

/* a browser that asked for a page gets one; other clients the JSON envelope */
static int wants_html(struct req *r)
{
    size_t n;
    const char *accept = req_header(r, "accept", &n);
    return accept && memmem(accept, n, "text/html", 9) != NULL;
}

int api_root(struct req *r)
{
    if (!wants_html(r))
        return ERR_NOT_FOUND;
    http_redirect(r, "/app/");
    return 0;
}

int api_not_found(struct req *r)
{
    if (!wants_html(r))
        return ERR_NOT_FOUND;
    struct buf b = BUF_INIT;
    page_error(&b, 404, "There is no page at this address.");
    http_page_headers(r);
    http_send_html(r, 404, &b);
    return 0;
}
