/*
 * api_component_page: the authorization pages of third-party platforms (spec/component.md
 * §4): componentloginpage and the two mobile bindcomponent links. The signed-in user must
 * administer the official account; they see the component and its permission sets, may
 * untick some, and approving sends the browser to redirect_uri with auth_code. A request
 * failing its checks gets an error page, never a redirect.
 */
#include "api.h"
#include "page.h"
#include "../core/component.h"
#include "../crypto/crypto.h"
#include "../util/err.h"
#include "../util/url.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct auth_page {
    char component_appid[19];
    char preauth[128];
    char redirect_uri[1024];
    char biz_appid[19];
    char auth_type[8];    /* "1" official accounts, "2" mini programs, "3" both (default) */
    char categories[256]; /* category_id_list as given */
    char offered[256];    /* the component's sets the page offers: category_id_list narrows */
    struct component c;
};

static const char *set_name(int id)
{
    static const struct {
        int id;
        const char *name;
    } names[] = {{1, "Message management"},
                 {2, "User management"},
                 {3, "Account services"},
                 {4, "Web services"},
                 {5, "WeChat store"},
                 {6, "Multi-agent customer service"},
                 {7, "Mass send and notifications"},
                 {8, "Cards"},
                 {9, "Scan"},
                 {10, "Wi-Fi"},
                 {11, "Material management"},
                 {12, "Shake-around"},
                 {13, "Stores"},
                 {15, "Custom menu"},
                 {16, "Verification status"},
                 {24, "Open-platform account management"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].id == id)
            return names[i].name;
    return NULL;
}

static int error_page(struct req *r, int status, int code, const char *what)
{
    struct buf b = BUF_INIT;
    page_error(&b, code, what);
    http_send_html(r, status, &b);
    return 0;
}

/*
 * auth_type: the last value in the query (WxJava's mobile link carries it twice, the second
 * one meant), else the form's; "3" when absent. 0, or -1 when it is not 1, 2 or 3.
 */
static int read_auth_type(struct req *r, char out[8])
{
    const char *q = r->query ? r->query : "", *end = q + (r->query ? r->query_len : 0),
               *last = NULL;
    for (const char *k = q; k && k < end; k = memchr(k, '&', (size_t)(end - k)), k = k ? k + 1 : k)
        if ((size_t)(end - k) > 10 && memcmp(k, "auth_type=", 10) == 0)
            last = k + 10;
    if (last) {
        size_t n = 0;
        while (last + n < end && last[n] != '&' && last[n] != '#' && n < 7)
            n++;
        snprintf(out, 8, "%.*s", (int)n, last);
    } else if (req_param(r, "auth_type", out, 8) <= 0) {
        snprintf(out, 8, "3");
    }
    return strcmp(out, "1") == 0 || strcmp(out, "2") == 0 || strcmp(out, "3") == 0 ? 0 : -1;
}

/* the ids of the comma-separated `sets` for which keep(id) holds, comma-separated into out */
static void filter_sets(const char *sets, int (*keep)(int id, const void *ctx), const void *ctx,
                        char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (const char *s = sets; *s;) {
        int id = 0;
        while (*s >= '0' && *s <= '9')
            id = id * 10 + (*s++ - '0');
        if (*s == ',')
            s++;
        int n = keep(id, ctx) ? snprintf(out + len, cap - len, "%s%d", len ? "," : "", id) : 0;
        if (n > 0 && (size_t)n < cap - len)
            len += (size_t)n;
    }
}

/* category_id_list ("99|31", or commas) names id; an absent list names every set */
static int listed(int id, const void *ctx)
{
    const char *categories = ctx;
    if (!categories[0])
        return 1;
    for (const char *c = categories; *c;) {
        if (atoi(c) == id)
            return 1;
        c += strcspn(c, "|,");
        c += *c != 0;
    }
    return 0;
}

/* reads and checks the request; 0, or 1 when an error page was sent */
static int read_page(struct req *r, struct auth_page *p)
{
    memset(p, 0, sizeof(*p));
    if (req_param(r, "component_appid", p->component_appid, sizeof(p->component_appid)) <= 0 ||
        store_component_get(r->rd, p->component_appid, &p->c) != 0)
        return 1 + error_page(r, 400, ERR_INVALID_COMPONENT, "component_appid is unknown.");
    int rc = ERR_COMPONENT_CODE_INVALID;
    if (req_param(r, "pre_auth_code", p->preauth, sizeof(p->preauth)) > 0)
        rc = component_preauth_check(r->rd, p->component_appid, p->preauth);
    if (rc != 0)
        return 1 +
               error_page(r, 400, rc,
                          rc == ERR_COMPONENT_CODE_EXPIRED
                              ? "The pre_auth_code has expired: ask the platform for a new link."
                              : "The pre_auth_code is unknown or was used already.");
    if (req_param(r, "redirect_uri", p->redirect_uri, sizeof(p->redirect_uri)) <= 0 ||
        !component_redirect_allowed(&p->c, p->redirect_uri))
        return 1 + error_page(r, 400, ERR_INVALID_URL,
                              "redirect_uri is missing or not on the platform's domains.");
    if (req_param(r, "biz_appid", p->biz_appid, sizeof(p->biz_appid)) < -1)
        p->biz_appid[0] = 0;
    if (read_auth_type(r, p->auth_type) != 0)
        return 1 + error_page(r, 400, ERR_INVALID_PARAM, "auth_type must be 1, 2 or 3.");
    if (req_param(r, "category_id_list", p->categories, sizeof(p->categories)) < 0)
        p->categories[0] = 0;
    filter_sets(p->c.func_sets, listed, p->categories, p->offered, sizeof(p->offered));
    if (!p->offered[0])
        return 1 + error_page(r, 400, ERR_INVALID_PARAM,
                              "category_id_list names none of the platform's permission sets.");
    return 0;
}

/* the form's anti-forgery value: bound to the session and the request */
static void csrf_value(struct req *r, const struct auth_page *p, char out[65])
{
    char sess[128], msg[1400];
    unsigned char mac[32];
    if (req_cookie(r, API_SESSION_COOKIE, sess, sizeof(sess)) <= 0)
        sess[0] = 0;
    int n = snprintf(msg, sizeof(msg), "component|%s|%s|%s|%s|%s|%s", p->component_appid,
                     p->preauth, p->redirect_uri, p->biz_appid, p->auth_type, p->categories);
    crypto_hmac_sha256(sess, strlen(sess), msg, (size_t)(n < (int)sizeof(msg) ? n : 0), mac);
    crypto_hex(mac, sizeof(mac), out);
}

/* the accounts the user may authorize with: rendered once all are known (one is chosen
 * for the user only when it is the only one) */
struct account_opts {
    struct buf *b; /* "appid\tname\n" lines */
    const char *only;
    int n;
};

static void account_opt(void *arg, const char *appid, const char *name)
{
    struct account_opts *o = arg;
    if (o->only[0] && strcmp(o->only, appid) != 0)
        return;
    buf_printf(o->b, "%s\t%s\n", appid, name);
    o->n++;
}

static void account_cells(struct buf *b, const struct account_opts *o)
{
    buf_puts(b, "<fieldset class=\"lj-choices\"><legend>Official account</legend>"
                "<div class=\"weui-cells weui-cells_radio\">");
    for (const char *line = o->b->ptr; line && *line;) {
        const char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
        char appid[64], name[256];
        snprintf(appid, sizeof(appid), "%.*s", (int)(tab - line), line);
        snprintf(name, sizeof(name), "%.*s", (int)(nl - tab - 1), tab + 1);
        buf_puts(b, "<label class=\"weui-cell weui-cell_active weui-check__label\"><div "
                    "class=\"weui-cell__bd\">");
        page_text(b, name);
        buf_puts(b, "</div><div class=\"weui-cell__ft\"><input type=\"radio\" "
                    "class=\"weui-check\" name=\"authorizer_appid\" value=\"");
        page_text(b, appid);
        buf_puts(b, o->n == 1 ? "\" required checked>" : "\" required>");
        buf_puts(b, "<span class=\"weui-icon-checked\"></span></div></label>");
        line = nl + 1;
    }
    buf_puts(b, "</div></fieldset>");
}

static void set_boxes(struct buf *b, const char *sets)
{
    buf_puts(b, "<fieldset class=\"lj-choices\"><legend>Permissions</legend>"
                "<div class=\"weui-cells weui-cells_checkbox\">");
    for (const char *s = sets; *s;) {
        int id = 0;
        while (*s >= '0' && *s <= '9')
            id = id * 10 + (*s++ - '0');
        if (*s == ',')
            s++;
        const char *name = set_name(id);
        buf_printf(b,
                   "<label class=\"weui-cell weui-cell_active weui-check__label\"><div "
                   "class=\"weui-cell__hd\"><input type=\"checkbox\" class=\"weui-check\" "
                   "name=\"set_%d\" value=\"1\" checked><i class=\"weui-icon-checked\"></i>"
                   "</div><div class=\"weui-cell__bd\">",
                   id);
        if (name)
            page_text(b, name);
        else
            buf_printf(b, "Permission set %d", id);
        buf_puts(b, "</div></label>");
    }
    buf_puts(b, "</div></fieldset>");
}

/* auth_type=2 without biz_appid: only mini programs, and lianjie has none */
static int mini_programs_only(struct req *r, const struct auth_page *p)
{
    if (strcmp(p->auth_type, "2") != 0 || p->biz_appid[0])
        return 0;
    struct buf b = BUF_INIT;
    page_begin(&b, "Authorize a third-party platform");
    buf_puts(&b, "<h1 id=\"component\">");
    page_text(&b, p->c.name);
    buf_puts(&b, "</h1><p id=\"no-account\">This link authorizes mini programs only "
                 "(auth_type=2). This platform has official accounts only, so no account can be "
                 "chosen here. Ask the third party for a link for official accounts.</p>");
    page_end(&b);
    http_send_html(r, 200, &b);
    return 1;
}

static void consent(struct req *r, const struct auth_page *p, int64_t uid)
{
    char csrf[65];
    struct buf form = BUF_INIT, b = BUF_INIT;
    struct account_opts o = {&form, p->biz_appid, 0};
    if (store_admin_accounts(r->rd, uid, account_opt, &o) != 0 || o.n == 0) {
        buf_release(&form);
        error_page(r, 403, ERR_FORBIDDEN,
                   "You do not administer an official account that may authorize this "
                   "platform.");
        return;
    }
    csrf_value(r, p, csrf);
    page_begin(&b, "Authorize a third-party platform");
    buf_puts(&b, "<h1 id=\"component\">");
    page_text(&b, p->c.name);
    buf_printf(&b, "</h1><p>asks to manage your official account.</p><form method=\"post\" "
                   "action=\"/cgi-bin/componentloginpage\">");
    account_cells(&b, &o);
    buf_release(&form);
    set_boxes(&b, p->offered);
    page_hidden(&b, "component_appid", p->component_appid);
    page_hidden(&b, "pre_auth_code", p->preauth);
    page_hidden(&b, "redirect_uri", p->redirect_uri);
    page_hidden(&b, "biz_appid", p->biz_appid);
    page_hidden(&b, "auth_type", p->auth_type);
    page_hidden(&b, "category_id_list", p->categories);
    page_hidden(&b, "csrf", csrf);
    buf_puts(&b, "<button class=\"primary\" id=\"approve\">Authorize</button></form>"
                 "<p><a class=\"weui-btn weui-btn_default\" id=\"cancel\" href=\"/app/\">Cancel"
                 "</a></p>");
    page_end(&b);
    http_send_html(r, 200, &b);
}

int api_componentloginpage(struct req *r)
{
    struct auth_page *p = xcalloc(1, sizeof(*p));
    int64_t uid;
    if (read_page(r, p) == 0) {
        if (api_cookie_user(r, &uid) != 0)
            api_login_redirect(r);
        else if (!mini_programs_only(r, p))
            consent(r, p, uid);
    }
    free(p);
    return 0;
}

/* ------------------------------------------------------------------ approval */

struct approve_job {
    struct component_approve a;
    char redirect_uri[1024];
};

static int approve_done(struct req *r, void *arg, int rc)
{
    struct approve_job *j = arg;
    if (rc == ERR_FORBIDDEN)
        return error_page(r, 403, rc, "You do not administer this official account.");
    if (rc == ERR_COMPONENT_CODE_INVALID || rc == ERR_COMPONENT_CODE_EXPIRED)
        return error_page(r, 400, rc, "The pre_auth_code is no longer usable.");
    if (rc == ERR_ARGUMENT_INVALID)
        return error_page(r, 400, rc, "Leave at least one permission ticked.");
    if (rc == ERR_CONFLICT) {
        char msg[160];
        snprintf(msg, sizeof(msg),
                 "Permission set %d is exclusive and another third-party platform already "
                 "holds it for this account. Untick it, or cancel that authorization first.",
                 j->a.exclusive_set);
        return error_page(r, 409, rc, msg);
    }
    if (rc != 0)
        return error_page(r, 500, rc, "The authorization could not be saved.");
    struct buf loc = BUF_INIT;
    buf_puts(&loc, j->redirect_uri);
    buf_putc(&loc, strchr(j->redirect_uri, '?') ? '&' : '?');
    buf_puts(&loc, "auth_code=");
    url_encode(&loc, j->a.auth_code);
    buf_printf(&loc, "&expires_in=%d", COMPONENT_AUTH_CODE_TTL);
    http_redirect(r, loc.ptr);
    buf_release(&loc);
    return 0;
}

/* the set was left ticked on the page (set_N=1) */
static int ticked(int id, const void *ctx)
{
    char name[16], v[8];
    snprintf(name, sizeof(name), "set_%d", id);
    return req_param((struct req *)ctx, name, v, sizeof(v)) > 0;
}

static int approve(struct req *r, const struct auth_page *p, int64_t uid)
{
    char csrf[80], want[65];
    struct approve_job *j = xcalloc(1, sizeof(*j));
    csrf_value(r, p, want);
    if (req_param(r, "csrf", csrf, sizeof(csrf)) != 64 || !crypto_eq(csrf, 64, want, 64) ||
        req_param(r, "authorizer_appid", j->a.authorizer_appid, sizeof(j->a.authorizer_appid)) <=
            0 ||
        (p->biz_appid[0] && strcmp(p->biz_appid, j->a.authorizer_appid) != 0)) {
        free(j);
        return error_page(r, 400, ERR_BAD_REQUEST, "The form was not sent from this page.");
    }
    memcpy(j->a.component_appid, p->component_appid, sizeof(j->a.component_appid));
    memcpy(j->a.preauth, p->preauth, sizeof(j->a.preauth));
    memcpy(j->redirect_uri, p->redirect_uri, sizeof(j->redirect_uri));
    filter_sets(p->offered, ticked, r, j->a.func_sets, sizeof(j->a.func_sets));
    j->a.user_id = uid;
    return http_write(r, component_approve_run, component_push_after, j, approve_done);
}

int api_componentloginpage_approve(struct req *r)
{
    struct auth_page *p = xcalloc(1, sizeof(*p));
    int64_t uid;
    int rc = 0;
    if (read_page(r, p) == 0) {
        if (api_cookie_user(r, &uid) != 0)
            api_login_redirect(r);
        else if (!mini_programs_only(r, p))
            rc = approve(r, p, uid);
    }
    free(p);
    return rc;
}
