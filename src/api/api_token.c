/*
 * api_token: access tokens and the account's network facts (spec/accounts.md §1):
 * cgi-bin/token, cgi-bin/stable_token, getcallbackip, get_api_domain_ip.
 */
#include "api.h"
#include "../core/accounts.h"
#include "../core/tokens.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

static int token_done(struct req *r, void *arg, int rc)
{
    struct token_issue *t = arg;
    if (rc != 0)
        return rc;
    int64_t left = t->issued.expires_at - api_now();
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"access_token\":");
    buf_json_cstr(&b, t->issued.token);
    buf_printf(&b, ",\"expires_in\":%lld}", (long long)(left > 0 ? left : 0));
    http_send_buf(r, &b);
    return 0;
}

/* common checks of appid and secret values: 0 or the errcode */
static int check_credentials(const char *appid, const char *secret)
{
    if (!appid[0])
        return ERR_MISSING_APPID;
    if (!accounts_valid_appid(appid))
        return ERR_INVALID_APPID;
    if (!secret[0])
        return ERR_MISSING_SECRET;
    return 0;
}

int api_token_get(struct req *r)
{
    char grant[64], appid[64];
    struct token_issue *t = xcalloc(1, sizeof(*t));
    long g = req_query(r, "grant_type", grant, sizeof(grant));
    long al = req_query(r, "appid", appid, sizeof(appid));
    long sl = req_query(r, "secret", t->secret, sizeof(t->secret));
    int rc = 0;
    if (g < 0 || strcmp(grant, "client_credential") != 0)
        rc = ERR_INVALID_GRANT_TYPE;
    else if (al == -2 || al >= (long)sizeof(t->appid))
        rc = ERR_INVALID_APPID;
    else if (sl == -2)
        rc = ERR_INVALID_CREDENTIAL;
    else
        rc = check_credentials(al > 0 ? appid : "", sl > 0 ? t->secret : "");
    if (rc != 0) {
        free(t);
        return rc;
    }
    memcpy(t->appid, appid, (size_t)al + 1);
    t->kind = TOKEN_KIND_PLAIN;
    snprintf(t->ip, sizeof(t->ip), "%s", r->ip);
    return http_write(r, tokens_issue_run, tokens_issue_publish, t, token_done);
}

static int read_str(const cJSON *o, const char *key, char *out, size_t cap, int too_long_err)
{
    int jr = json_copy_str(o, key, out, cap);
    return jr == JSON_WRONG_TYPE ? ERR_DATA_FORMAT : jr == JSON_TOO_LONG ? too_long_err : 0;
}

static int stable_parse(struct req *r, struct token_issue *t)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    char grant[64];
    int force = 0;
    if ((rc = read_str(o, "grant_type", grant, sizeof(grant), ERR_INVALID_GRANT_TYPE)) == 0 &&
        (rc = read_str(o, "appid", t->appid, sizeof(t->appid), ERR_INVALID_APPID)) == 0 &&
        (rc = read_str(o, "secret", t->secret, sizeof(t->secret), ERR_INVALID_APPSECRET)) == 0 &&
        json_get_bool(o, "force_refresh", &force) == JSON_WRONG_TYPE)
        rc = ERR_DATA_FORMAT;
    if (rc == 0 && strcmp(grant, "client_credential") != 0)
        rc = ERR_INVALID_GRANT_TYPE;
    if (rc == 0)
        rc = check_credentials(t->appid, t->secret);
    t->force_refresh = force;
    cJSON_Delete(o);
    return rc;
}

int api_stable_token(struct req *r)
{
    struct token_issue *t = xcalloc(1, sizeof(*t));
    int rc = stable_parse(r, t);
    if (rc != 0) {
        free(t);
        return rc;
    }
    t->kind = TOKEN_KIND_STABLE;
    snprintf(t->ip, sizeof(t->ip), "%s", r->ip);
    return http_write(r, tokens_issue_run, tokens_issue_publish, t, token_done);
}

int api_getcallbackip(struct req *r)
{
    static const char body[] = "{\"ip_list\":[\"127.0.0.1\"]}";
    http_send_json(r, body, sizeof(body) - 1);
    return 0;
}

int api_get_api_domain_ip(struct req *r)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"ip_list\":[");
    buf_json_cstr(&b, api_public_ip());
    buf_puts(&b, "]}");
    http_send_buf(r, &b);
    return 0;
}
