/*
 * api_shorten: short keys, shorten/gen and shorten/fetch, and the legacy long2short
 * shorturl (spec/accounts.md §6).
 */
#include "api.h"
#include "../core/shorten.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

static int gen_input(const cJSON *o, struct shorten_gen *g)
{
    const char *data = NULL;
    int jr = json_get_str(o, "long_data", &data);
    if (jr == JSON_MISSING)
        return ERR_ARGUMENT_INVALID;
    if (jr != JSON_OK || json_get_i64(o, "expire_seconds", &g->expire_seconds) == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    size_t n = strlen(data);
    int rc = shorten_check(n, &g->expire_seconds);
    if (rc == 0)
        memcpy(g->long_data, data, n + 1);
    return rc;
}

static int gen_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"short_key\":\"%s\"}",
               ((struct shorten_gen *)arg)->key);
    http_send_buf(r, &b);
    return 0;
}

int api_shorten_gen(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct shorten_gen *g = xcalloc(1, sizeof(*g));
    rc = gen_input(o, g);
    cJSON_Delete(o);
    if (rc != 0) {
        free(g);
        return rc;
    }
    memcpy(g->appid, r->appid, sizeof(g->appid));
    return http_write(r, shorten_gen_run, NULL, g, gen_done);
}

int api_shorten_fetch(struct req *r)
{
    cJSON *o;
    char key[32];
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    int jr = json_copy_str(o, "short_key", key, sizeof(key));
    cJSON_Delete(o);
    if (jr == JSON_MISSING || (jr == JSON_OK && !key[0]))
        return ERR_ARGUMENT_INVALID;
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jr == JSON_TOO_LONG) /* longer than any key */
        return ERR_SHORTEN_NOT_FOUND;
    struct short_key k;
    int64_t now = api_now();
    if ((rc = shorten_fetch(r->rd, r->appid, key, now, &k)) != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"long_data\":");
    buf_json_cstr(&b, k.long_data);
    buf_printf(&b, ",\"create_time\":%lld,\"expire_seconds\":%lld}", (long long)k.created_at,
               (long long)(k.expires_at - now));
    http_send_buf(r, &b);
    return 0;
}

static int shorturl_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"short_url\":");
    buf_json_cstr(&b, ((struct shorturl_new *)arg)->short_url);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_shorturl(struct req *r)
{
    cJSON *o;
    char action[16];
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct shorturl_new *u = xcalloc(1, sizeof(*u));
    if (json_copy_str(o, "action", action, sizeof(action)) != JSON_OK ||
        strcmp(action, "long2short") != 0)
        rc = ERR_INVALID_ARGS;
    else if (json_copy_str(o, "long_url", u->long_url, sizeof(u->long_url)) != JSON_OK ||
             !shorturl_valid(u->long_url))
        rc = ERR_INVALID_URL;
    cJSON_Delete(o);
    if (rc != 0) {
        free(u);
        return rc;
    }
    memcpy(u->appid, r->appid, sizeof(u->appid));
    req_host(r, u->host, sizeof(u->host));
    return http_write(r, shorturl_run, NULL, u, shorturl_done);
}
