/*
 * api_authorize: the pages WeChat serves on open.weixin.qq.com (spec/oauth.md §1-2):
 * /connect/oauth2/authorize with its consent page, and /connect/qrconnect (website login by
 * QR code) with the phone-side confirmation in the web client. A request that fails its
 * checks gets an error page, never a redirect: only a redirect_uri on the account's
 * configured domain ever receives a code.
 */
#include "api.h"
#include "page.h"
#include "../core/oauth.h"
#include "../crypto/crypto.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/qrpng.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

static const char *page_reason(int code)
{
    switch (code) {
    case OAUTH_PAGE_DOMAIN:
        return "redirect_uri does not belong to the account's web authorization domain.";
    case OAUTH_PAGE_SCOPE_DENIED:
        return "This account may not use web authorization (a verified service account can).";
    case OAUTH_PAGE_SCOPE:
        return "scope (or response_type) is missing or not allowed here.";
    case OAUTH_PAGE_REDIRECT:
        return "redirect_uri is missing.";
    case OAUTH_PAGE_APPID:
        return "appid is missing or unknown.";
    case OAUTH_PAGE_STATE:
        return "state is too long.";
    case OAUTH_PAGE_NOT_AUTHORIZED:
        return "The account has not authorized this third-party platform.";
    default:
        return "This app cannot use this kind of authorization.";
    }
}

static int error_page(struct req *r, int code)
{
    struct buf b = BUF_INIT;
    page_error(&b, code, page_reason(code));
    http_send_html(r, 400, &b);
    return 0;
}

/* reads the request parameters (query or form); 0 or a page code */
static int read_request(struct req *r, struct oauth_request *q, int qr)
{
    memset(q, 0, sizeof(*q));
    q->qr = qr;
    if (req_param(r, "appid", q->appid, sizeof(q->appid)) < -1)
        return OAUTH_PAGE_APPID;
    if (req_param(r, "redirect_uri", q->redirect_uri, sizeof(q->redirect_uri)) < -1)
        return OAUTH_PAGE_REDIRECT;
    if (req_param(r, "scope", q->scope, sizeof(q->scope)) < -1 ||
        req_param(r, "response_type", q->response_type, sizeof(q->response_type)) < -1)
        return OAUTH_PAGE_SCOPE;
    if (req_param(r, "state", q->state, sizeof(q->state)) < -1 || strlen(q->state) > 128)
        return OAUTH_PAGE_STATE;
    if (!qr && req_param(r, "component_appid", q->component_appid, sizeof(q->component_appid)) < -1)
        return OAUTH_PAGE_APPID;
    return 0;
}

static void send_redirect(struct req *r, const struct oauth_request *q, const char *code)
{
    char target[2400];
    oauth_redirect_target(q->redirect_uri, code, q->state, q->component_appid[0] ? q->appid : NULL,
                          target, sizeof(target));
    http_redirect(r, target);
}

/* the consent form's anti-forgery value: bound to the session and the exact request */
static void csrf_value(struct req *r, const struct oauth_request *q, char out[65])
{
    char sess[128], msg[1500];
    unsigned char mac[32];
    if (req_cookie(r, "lj_session", sess, sizeof(sess)) <= 0)
        sess[0] = 0;
    int n = snprintf(msg, sizeof(msg), "%s|%s|%s|%s|%s", q->appid, q->redirect_uri, q->scope,
                     q->state, q->component_appid);
    crypto_hmac_sha256(sess, strlen(sess), msg, (size_t)(n < (int)sizeof(msg) ? n : 0), mac);
    crypto_hex(mac, sizeof(mac), out);
}

struct approve_job {
    struct oauth_approve a;
    struct oauth_request q;
};

static int approve_done(struct req *r, void *arg, int rc)
{
    struct approve_job *j = arg;
    if (rc != 0)
        return rc;
    send_redirect(r, &j->q, j->a.code);
    return 0;
}

static int approve(struct req *r, const struct oauth_request *q, int64_t uid)
{
    struct approve_job *j = xcalloc(1, sizeof(*j));
    j->q = *q;
    memcpy(j->a.appid, q->appid, sizeof(j->a.appid));
    j->a.user_id = uid;
    snprintf(j->a.scope, sizeof(j->a.scope), "%s", q->scope);
    return http_write(r, oauth_approve_run, NULL, j, approve_done);
}

static void consent_page(struct req *r, const struct oauth_request *q, const struct account *a)
{
    char csrf[65];
    csrf_value(r, q, csrf);
    struct buf b = BUF_INIT;
    page_begin(&b, "Authorize");
    buf_puts(&b, "<h1 id=\"account\">");
    page_text(&b, a->name);
    buf_puts(&b, "</h1><p>asks for:</p><ul><li>your public profile (nickname and avatar)</li>"
                 "</ul><form method=\"post\" action=\"/connect/oauth2/authorize\">");
    page_hidden(&b, "appid", q->appid);
    page_hidden(&b, "redirect_uri", q->redirect_uri);
    page_hidden(&b, "response_type", q->response_type);
    page_hidden(&b, "scope", q->scope);
    page_hidden(&b, "state", q->state);
    if (q->component_appid[0])
        page_hidden(&b, "component_appid", q->component_appid);
    page_hidden(&b, "csrf", csrf);
    buf_puts(&b, "<button class=\"primary\" id=\"allow\" name=\"decision\" value=\"allow\">Allow"
                 "</button><button class=\"secondary\" id=\"deny\" name=\"decision\" "
                 "value=\"deny\">Deny</button></form>");
    page_end(&b);
    http_send_html(r, 200, &b);
}

/* reads and checks an authorize request and finds the signed-in user: 0, or 1 when an answer
 * (an error page, or the sign-in redirect) was already sent */
static int authorize_preamble(struct req *r, struct oauth_request *q, struct account *a,
                              int64_t *uid)
{
    int rc = read_request(r, q, 0);
    if (rc == 0)
        rc = oauth_check_request(r->rd, q, a);
    if (rc != 0) {
        error_page(r, rc);
        return 1;
    }
    if (api_cookie_user(r, uid) != 0) {
        api_login_redirect(r);
        return 1;
    }
    return 0;
}

int api_oauth_authorize(struct req *r)
{
    struct oauth_request q;
    struct account a;
    int64_t uid;
    if (authorize_preamble(r, &q, &a, &uid) != 0)
        return 0;
    /* forcePopup=true asks again even when the user allowed it before */
    char force[8] = "";
    int ask_again =
        req_query(r, "forcePopup", force, sizeof(force)) > 0 && strcmp(force, "true") == 0;
    if (!oauth_scope_has(q.scope, "snsapi_userinfo") ||
        (!ask_again && oauth_granted(r->rd, q.appid, uid, "snsapi_userinfo")))
        return approve(r, &q, uid);
    consent_page(r, &q, &a);
    return 0;
}

int api_oauth_authorize_decide(struct req *r)
{
    struct oauth_request q;
    struct account a;
    int64_t uid;
    char csrf[80], want[65], decision[16];
    if (authorize_preamble(r, &q, &a, &uid) != 0)
        return 0;
    csrf_value(r, &q, want);
    if (req_param(r, "csrf", csrf, sizeof(csrf)) != 64 || !crypto_eq(csrf, 64, want, 64) ||
        req_param(r, "decision", decision, sizeof(decision)) <= 0)
        return error_page(r, OAUTH_PAGE_STATE);
    if (strcmp(decision, "allow") != 0) {
        send_redirect(r, &q, NULL);
        return 0;
    }
    return approve(r, &q, uid);
}

/* ------------------------------------------------------------------ website QR login */

static const char qr_script[] =
    "<script>async function poll(){try{const r=await fetch('/connect/qrconnect/poll?uuid='+u);"
    "const j=await r.json();const s=document.getElementById('status');"
    "if(j.status===1)s.textContent='Scanned: confirm on your phone';"
    "if(j.status===2||j.status===3){location.href=j.redirect;return}"
    "if(j.status===4){s.textContent='Expired: reload the page';return}}catch(e){}"
    "setTimeout(poll,1000)}poll()</script>";

static int qr_page_done(struct req *r, void *arg, int rc)
{
    struct qr_new *n = arg; /* uuid: base64url characters only */
    if (rc != 0)
        return rc;
    char host[256];
    req_host(r, host, sizeof(host));
    struct buf b = BUF_INIT;
    page_begin(&b, "Log in with lianjie");
    buf_printf(&b,
               "<h1>Scan to log in</h1><img id=\"qr\" alt=\"QR code\" width=\"240\" "
               "height=\"240\" src=\"/connect/qrcode?uuid=%s\"><p class=\"muted\">Scan it in "
               "the lianjie app, or open <a id=\"confirm-url\" href=\"http://",
               n->uuid);
    page_text(&b, host);
    buf_printf(&b,
               "/app/qrconnect?uuid=%s\">this link</a> on your phone.</p>"
               "<p id=\"status\">Waiting</p><script>const u=\"%s\";</script>",
               n->uuid, n->uuid);
    buf_puts(&b, qr_script);
    page_end(&b);
    http_send_html(r, 200, &b);
    return 0;
}

int api_qrconnect(struct req *r)
{
    struct qr_new *n = xcalloc(1, sizeof(*n));
    struct account a;
    int rc = read_request(r, &n->req, 1);
    if (rc == 0)
        rc = oauth_check_request(r->rd, &n->req, &a);
    if (rc != 0) {
        free(n);
        return error_page(r, rc);
    }
    return http_write(r, oauth_qr_create_run, NULL, n, qr_page_done);
}

/* poll answer: status 0 waiting, 1 scanned, 2 confirmed, 3 refused, 4 expired */
int api_qrconnect_poll(struct req *r)
{
    char uuid[40];
    struct qr_login q;
    if (req_query(r, "uuid", uuid, sizeof(uuid)) <= 0 || store_qr_login_get(r->rd, uuid, &q) != 0)
        return ERR_NOT_FOUND;
    int status = q.status;
    if (status < 2 && q.expires_at <= api_now())
        status = 4;
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"status\":%d", status);
    if (status == 2 || status == 3) {
        char target[2400];
        oauth_redirect_target(q.redirect_uri, status == 2 ? q.code : NULL, q.state, NULL, target,
                              sizeof(target));
        buf_puts(&b, ",\"redirect\":");
        buf_json_cstr(&b, target);
    }
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_qrconnect_image(struct req *r)
{
    char uuid[40], host[256];
    struct qr_login q;
    if (req_query(r, "uuid", uuid, sizeof(uuid)) <= 0 || store_qr_login_get(r->rd, uuid, &q) != 0)
        return ERR_NOT_FOUND;
    req_host(r, host, sizeof(host));
    struct buf url = BUF_INIT, png = BUF_INIT;
    buf_printf(&url, "http://%s/app/qrconnect?uuid=%s", host, uuid);
    int rc = qrpng_encode(url.ptr, 6, &png);
    buf_release(&url);
    if (rc != 0) {
        buf_release(&png);
        return ERR_SYSTEM;
    }
    http_send(r, 200, "image/png", png.ptr, png.len);
    buf_release(&png);
    return 0;
}

static void qr_confirm_page(struct req *r, const struct qr_login *q, const struct account *a)
{
    struct buf b = BUF_INIT;
    page_begin(&b, "Confirm log in");
    buf_puts(&b, "<h1>Log in to <span id=\"app\">");
    page_text(&b, a->name);
    buf_puts(&b, "</span>?</h1><p class=\"muted\">A computer asks to log in with your "
                 "account.</p><form method=\"post\" action=\"/app/qrconnect\">");
    page_hidden(&b, "uuid", q->uuid);
    buf_puts(&b, "<button class=\"primary\" id=\"allow\" name=\"decision\" value=\"allow\">"
                 "Log in</button><button class=\"secondary\" id=\"deny\" name=\"decision\" "
                 "value=\"deny\">Cancel</button></form>");
    page_end(&b);
    http_send_html(r, 200, &b);
}

/* loads a pending login by the uuid parameter; 0, or answers an error page and returns 1 */
static int pending_login(struct req *r, struct qr_login *q, struct account *a)
{
    char uuid[40];
    if (req_param(r, "uuid", uuid, sizeof(uuid)) <= 0 || store_qr_login_get(r->rd, uuid, q) != 0 ||
        store_account_get(r->rd, q->appid, a) != 0) {
        error_page(r, OAUTH_PAGE_APPID);
        return 1;
    }
    if (q->status >= 2 || q->expires_at <= api_now()) {
        struct buf b = BUF_INIT;
        page_error(&b, 10009, "This login request has expired or was already answered.");
        http_send_html(r, 400, &b);
        return 1;
    }
    return 0;
}

struct scan_job {
    char uuid[40]; /* first: the writer job's argument */
    struct qr_login q;
    struct account a;
};

static int scan_run(struct store *s, void *arg)
{
    return oauth_qr_scan_run(s, ((struct scan_job *)arg)->uuid);
}

static int scan_done(struct req *r, void *arg, int rc)
{
    struct scan_job *j = arg;
    if (rc != 0)
        return rc;
    qr_confirm_page(r, &j->q, &j->a);
    return 0;
}

/* the signed-in user and the pending login of the uuid parameter: 0, or 1 when an answer
 * (the sign-in redirect or an error page) was already sent */
static int phone_side(struct req *r, int64_t *uid, struct qr_login *q, struct account *a)
{
    if (api_cookie_user(r, uid) != 0) {
        api_login_redirect(r);
        return 1;
    }
    return pending_login(r, q, a);
}

int api_app_qrconnect(struct req *r)
{
    struct qr_login q;
    struct account a;
    int64_t uid;
    if (phone_side(r, &uid, &q, &a) != 0)
        return 0;
    struct scan_job *j = xcalloc(1, sizeof(*j));
    memcpy(j->uuid, q.uuid, sizeof(j->uuid));
    j->q = q;
    j->a = a;
    return http_write(r, scan_run, NULL, j, scan_done);
}

static int decide_page_done(struct req *r, void *arg, int rc)
{
    struct qr_decide *d = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    page_begin(&b, "Done");
    buf_puts(&b, d->allow ? "<h1 id=\"done\">Logged in</h1><p>You can go back to the computer.</p>"
                          : "<h1 id=\"done\">Cancelled</h1>");
    page_end(&b);
    http_send_html(r, 200, &b);
    return 0;
}

static int decide_json_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

int api_app_qrconnect_decide(struct req *r)
{
    struct qr_login q;
    struct account a;
    int64_t uid;
    char decision[16];
    if (phone_side(r, &uid, &q, &a) != 0)
        return 0;
    struct qr_decide *d = xcalloc(1, sizeof(*d));
    memcpy(d->uuid, q.uuid, sizeof(d->uuid));
    d->user_id = uid;
    d->allow =
        req_param(r, "decision", decision, sizeof(decision)) > 0 && strcmp(decision, "allow") == 0;
    return http_write(r, oauth_qr_decide_run, NULL, d, decide_page_done);
}

int api_client_qrconnect_confirm(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct qr_decide *d = xcalloc(1, sizeof(*d));
    int allow = 1;
    if (json_copy_str(o, "uuid", d->uuid, sizeof(d->uuid)) != JSON_OK ||
        json_get_bool(o, "allow", &allow) == JSON_WRONG_TYPE)
        rc = ERR_ARGUMENT_INVALID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(d);
        return rc;
    }
    d->user_id = r->user_id;
    d->allow = allow;
    return http_write(r, oauth_qr_decide_run, NULL, d, decide_json_done);
}
