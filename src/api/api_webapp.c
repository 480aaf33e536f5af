/*
 * api_webapp: the web client's pages under /app/ (besides the sign-in page and the home page
 * in api_signin.c). Each is a static HTML file of the web directory, answered by the HTTP
 * layer (http_send_page); a visitor without a session goes to the sign-in page first. The
 * pages then talk to the client API with the session cookie (router.c, AUTH_CLIENT).
 */
#include "api.h"
#include "../util/err.h"

#include <string.h>

static const struct {
    const char *path;
    const char *file;
} pages[] = {
    {"/app/accounts", "accounts.html"}, {"/app/authorizations", "authorizations.html"},
    {"/app/chat", "chat.html"},         {"/app/history", "history.html"},
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
