/*
 * api_quota: clear_quota, clear_quota/v2, openapi/quota/get and openapi/quota/clear
 * (spec/accounts.md §1).
 */
#include "api.h"
#include "../core/accounts.h"
#include "../core/quota.h"
#include "../crypto/crypto.h"
#include "../router/router.h"
#include "../store/store.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

static int ok_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

/* reads {"<key>": "..."} from the body into out */
static int body_field(struct req *r, const char *key, char *out, size_t cap, int missing_err)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    int jr = json_copy_str(o, key, out, cap);
    cJSON_Delete(o);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jr == JSON_TOO_LONG)
        return ERR_ARGUMENT_INVALID;
    return jr == JSON_MISSING || !out[0] ? missing_err : 0;
}

int api_clear_quota(struct req *r)
{
    char appid[19];
    int rc = body_field(r, "appid", appid, sizeof(appid), ERR_MISSING_APPID);
    if (rc == ERR_MISSING_APPID) /* a component clearing its own: {"component_appid"} */
        rc = body_field(r, "component_appid", appid, sizeof(appid), ERR_MISSING_APPID);
    if (rc == ERR_ARGUMENT_INVALID || (rc == 0 && strcmp(appid, r->appid) != 0))
        return ERR_INVALID_APPID;
    if (rc != 0)
        return rc;
    return http_write(r, quota_clear_run, quota_clear_publish, xstrdup(appid), ok_done);
}

struct clear_v2 {
    char appid[19];
    char secret[64];
};

static int clear_v2_run(struct store *s, void *arg)
{
    struct clear_v2 *c = arg;
    struct account a;
    int rc = store_account_get(s, c->appid, &a);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_INVALID_APPID : rc;
    if (!crypto_eq(a.secret, strlen(a.secret), c->secret, strlen(c->secret)))
        return ERR_INVALID_APPSECRET;
    return quota_clear_run(s, c->appid);
}

static void clear_v2_publish(void *arg)
{
    quota_clear_publish(((struct clear_v2 *)arg)->appid);
}

int api_clear_quota_v2(struct req *r)
{
    struct clear_v2 *c = xcalloc(1, sizeof(*c));
    cJSON *o = NULL;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc == ERR_EMPTY_POST_DATA) { /* the v2 call may carry its fields in the query */
        req_query(r, "appid", c->appid, sizeof(c->appid));
        req_query(r, "appsecret", c->secret, sizeof(c->secret));
        rc = 0;
    } else if (rc == 0 && (json_copy_str(o, "appid", c->appid, sizeof(c->appid)) < 0 ||
                           json_copy_str(o, "appsecret", c->secret, sizeof(c->secret)) < 0)) {
        rc = ERR_DATA_FORMAT;
    }
    cJSON_Delete(o);
    if (rc == 0 && !c->appid[0])
        rc = ERR_MISSING_APPID;
    else if (rc == 0 && !c->secret[0])
        rc = ERR_MISSING_SECRET;
    if (rc != 0) {
        free(c);
        return rc;
    }
    return http_write(r, clear_v2_run, clear_v2_publish, c, ok_done);
}

/* the route behind a cgi_path; 0 or the errcode */
static int quota_route(const char *path, const struct route **out)
{
    if (strncmp(path, "/sns/", 5) == 0)
        return ERR_CGI_PATH_NOT_SUPPORTED;
    const struct route *rt = router_find(path, strlen(path));
    if (!rt || !(rt->flags & R_WIRE))
        return ERR_CGI_PATH_NOT_FOUND;
    *out = rt;
    return 0;
}

int api_quota_get(struct req *r)
{
    char path[128];
    const struct route *rt = NULL;
    int rc = body_field(r, "cgi_path", path, sizeof(path), ERR_ARGUMENT_INVALID);
    if (rc == 0)
        rc = quota_route(path, &rt);
    if (rc != 0)
        return rc;
    int64_t limit = router_quota(rt), used = 0;
    if (limit > 0)
        quota_used(r->rd, r->appid, rt->path, &used);
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "{\"errcode\":0,\"errmsg\":\"ok\",\"quota\":{\"daily_limit\":%lld,\"used\":%lld,"
               "\"remain\":%lld},\"rate_limit\":{\"call_count\":0,\"refresh_second\":0},"
               "\"component_rate_limit\":{\"call_count\":0,\"refresh_second\":0}}",
               (long long)limit, (long long)used, (long long)(limit - used));
    http_send_buf(r, &b);
    return 0;
}

int api_quota_clear(struct req *r)
{
    struct quota_one *q = xcalloc(1, sizeof(*q));
    const struct route *rt = NULL;
    int rc = body_field(r, "cgi_path", q->api, sizeof(q->api), ERR_ARGUMENT_INVALID);
    if (rc == 0)
        rc = quota_route(q->api, &rt);
    if (rc != 0) {
        free(q);
        return rc;
    }
    memcpy(q->appid, r->appid, sizeof(q->appid));
    snprintf(q->api, sizeof(q->api), "%s", rt->path);
    return http_write(r, quota_clear_one_run, quota_clear_one_publish, q, ok_done);
}
