/*
 * api_template: the template-message wire APIs (spec/messaging.md §8): api_set_industry,
 * get_industry, api_add_template, get_all_private_template, del_private_template and
 * message/template/send. Rules, the library and delivery live in core/templates*.c.
 */
#include "api.h"
#include "../core/templates.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <string.h>

static int ok_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

/* sends the JSON a read built, or drops it and returns the error */
static int send_read(struct req *r, int rc, struct buf *b)
{
    if (rc != 0) {
        buf_release(b);
        return rc;
    }
    http_send_buf(r, b);
    return 0;
}

/* ------------------------------------------------------------------ industries */

/* an industry id field: 0 absent, 40102 not an id in 1-41 */
static int industry_field(const cJSON *o, const char *key, int64_t *out)
{
    *out = 0;
    int jr = json_get_i64(o, key, out);
    if (jr == JSON_MISSING)
        return 0;
    if (jr != JSON_OK || !templates_industry_first(*out))
        return ERR_INVALID_INDUSTRY_ID;
    return 0;
}

int api_template_set_industry(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct industry_set *q = xcalloc(1, sizeof(*q));
    memcpy(q->appid, r->appid, sizeof(q->appid));
    rc = industry_field(o, "industry_id1", &q->id1);
    if (rc == 0)
        rc = industry_field(o, "industry_id2", &q->id2);
    if (rc == 0 && q->id1 == 0)
        rc = ERR_INVALID_INDUSTRY_INDEX;
    cJSON_Delete(o);
    if (rc != 0) {
        free(q);
        return rc;
    }
    return http_write(r, templates_set_industry_run, NULL, q, ok_done);
}

/* GET, or POST with any body (EasyWeChat posts "[]") */
int api_template_get_industry(struct req *r)
{
    struct buf b = BUF_INIT;
    return send_read(r, templates_get_industry(r->rd, r->appid, &b), &b);
}

/* ------------------------------------------------------------------ private templates */

static int added_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"template_id\":");
    buf_json_cstr(&b, ((struct template_add *)arg)->template_id);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_template_add(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct template_add *a = NULL;
    rc = templates_add_prepare(o, &a);
    cJSON_Delete(o);
    if (rc != 0)
        return rc;
    memcpy(a->appid, r->appid, sizeof(a->appid));
    return http_write(r, templates_add_run, NULL, a, added_done);
}

/* GET, or POST with any body */
int api_template_list(struct req *r)
{
    struct buf b = BUF_INIT;
    return send_read(r, templates_list(r->rd, r->appid, &b), &b);
}

int api_template_del(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct template_del *d = xcalloc(1, sizeof(*d));
    int jr = json_copy_str(o, "template_id", d->template_id, sizeof(d->template_id));
    cJSON_Delete(o);
    if (jr != JSON_OK || !d->template_id[0]) {
        free(d);
        return jr == JSON_WRONG_TYPE ? ERR_DATA_FORMAT : ERR_INVALID_TEMPLATE_ID;
    }
    memcpy(d->appid, r->appid, sizeof(d->appid));
    return http_write(r, templates_del_run, NULL, d, ok_done);
}

/* ------------------------------------------------------------------ sending */

static int sent_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":%lld}",
               (long long)((struct template_send *)arg)->msgid);
    http_send_buf(r, &b);
    return 0;
}

int api_template_send(struct req *r)
{
    cJSON *o;
    char why[160];
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct template_send *t = NULL;
    rc = templates_send_prepare(o, &t, why, sizeof(why));
    cJSON_Delete(o);
    if (rc == ERR_ARGUMENT_INVALID && why[0]) { /* the errmsg names the field, as WeChat's does */
        http_send_err_status(r, 200, rc, why);
        return 0;
    }
    if (rc != 0)
        return rc;
    memcpy(t->appid, r->appid, sizeof(t->appid));
    return http_write(r, templates_send_run, templates_send_after, t, sent_done);
}
