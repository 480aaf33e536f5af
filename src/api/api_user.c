/*
 * api_user: followers, user info, remarks, tags and the blacklist (spec/accounts.md §3-4).
 * Reads the request, calls core/users, renders WeChat's shapes. Lists leave out `data` and
 * answer next_openid "" when a page is empty, as WeChat does (SDKs test for `data`).
 */
#include "api.h"
#include "../core/users.h"
#include "../router/router.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/parse.h"
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

/* ---------------------------------------------------------------- lists of openids */

struct list {
    struct buf ids; /* "a","b",... */
    struct users_page page;
};

static void list_add(void *arg, const char *openid)
{
    struct buf *b = arg;
    if (b->len)
        buf_putc(b, ',');
    buf_json_cstr(b, openid);
}

/* {"total"?,"count","data"?,"next_openid"}; data and next_openid only for a non-empty page */
static int send_page(struct req *r, int rc, struct list *l, int with_total)
{
    if (rc != 0) {
        buf_release(&l->ids);
        return rc;
    }
    struct buf b = BUF_INIT;
    buf_putc(&b, '{');
    if (with_total)
        buf_printf(&b, "\"total\":%lld,", (long long)l->page.total);
    buf_printf(&b, "\"count\":%d,", l->page.count);
    if (l->page.count > 0) {
        buf_puts(&b, "\"data\":{\"openid\":[");
        buf_append(&b, l->ids.ptr, l->ids.len);
        buf_puts(&b, "]},");
    }
    buf_puts(&b, "\"next_openid\":");
    buf_json_cstr(&b, l->page.count > 0 ? l->page.last : "");
    buf_putc(&b, '}');
    buf_release(&l->ids);
    http_send_buf(r, &b);
    return 0;
}

/* an optional openid parameter of the query ("" when absent) */
static int query_openid(struct req *r, const char *name, char *out, size_t cap)
{
    long n = req_query(r, name, out, cap);
    if (n == -1)
        out[0] = 0;
    return n < -1 ? ERR_INVALID_OPENID : 0;
}

/* an optional openid field of a body ("" when absent or null) */
static int body_openid(const cJSON *o, const char *key, char *out, size_t cap)
{
    int jr = json_copy_str(o, key, out, cap);
    return jr == JSON_OK || jr == JSON_MISSING ? 0 : ERR_INVALID_OPENID;
}

int api_user_get(struct req *r)
{
    char next[64];
    struct list l = {.ids = BUF_INIT};
    int rc = query_openid(r, "next_openid", next, sizeof(next));
    if (rc != 0)
        return rc;
    rc = users_followers(r->rd, r->appid, next, list_add, &l.ids, &l.page);
    return send_page(r, rc, &l, 1);
}

int api_tags_getblacklist(struct req *r)
{
    char begin[64] = "";
    cJSON *o = NULL;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc == ERR_EMPTY_POST_DATA) /* every field is optional: no body means from the start */
        rc = 0;
    else if (rc == 0)
        rc = body_openid(o, "begin_openid", begin, sizeof(begin));
    cJSON_Delete(o);
    if (rc != 0)
        return rc;
    struct list l = {.ids = BUF_INIT};
    rc = users_blacklist(r->rd, r->appid, begin, list_add, &l.ids, &l.page);
    return send_page(r, rc, &l, 1);
}

/* tagid and next_openid from a JSON body, or from the query (older SDKs send a GET) */
static int tag_fans_input(struct req *r, int64_t *tagid, char *next, size_t cap)
{
    cJSON *o = NULL;
    int rc = r->method == M_POST ? json_parse_object(r->body, r->body_len, &o) : 0;
    if (rc == 0 && o) {
        if (json_get_i64(o, "tagid", tagid) != JSON_OK)
            rc = ERR_INVALID_TAG_ID;
        else
            rc = body_openid(o, "next_openid", next, cap);
        cJSON_Delete(o);
        return rc;
    }
    if (rc != 0 && rc != ERR_EMPTY_POST_DATA)
        return rc;
    char id[24];
    long n = req_query(r, "tagid", id, sizeof(id));
    if (n <= 0 || parse_i64(id, (size_t)n, tagid) != 0)
        return ERR_INVALID_TAG_ID;
    return query_openid(r, "next_openid", next, cap);
}

int api_user_tag_get(struct req *r)
{
    char next[64];
    int64_t tagid = -1;
    int rc = tag_fans_input(r, &tagid, next, sizeof(next));
    if (rc != 0)
        return rc;
    struct list l = {.ids = BUF_INIT};
    rc = users_tag_fans(r->rd, r->appid, tagid, next, list_add, &l.ids, &l.page);
    return send_page(r, rc, &l, 0);
}

/* ---------------------------------------------------------------- user info */

static void put_ids(struct buf *b, const int64_t *ids, int n)
{
    buf_putc(b, '[');
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(b, ']');
}

static void put_str(struct buf *b, const char *key, const char *val)
{
    buf_printf(b, ",\"%s\":", key);
    buf_json_cstr(b, val);
}

/* the user object of spec/accounts.md §3; a non-follower shows only who they are */
static void render_fan(struct buf *b, const struct users_fan *u)
{
    const struct follower *f = &u->f;
    buf_printf(b, "{\"subscribe\":%d", f->subscribed ? 1 : 0);
    put_str(b, "openid", f->openid);
    if (f->subscribed) {
        put_str(b, "language", u->language);
        buf_printf(b, ",\"subscribe_time\":%lld", (long long)f->subscribe_time);
    }
    if (u->unionid[0])
        put_str(b, "unionid", u->unionid);
    if (f->subscribed) {
        put_str(b, "remark", f->remark);
        buf_puts(b, ",\"groupid\":0");
    }
    buf_puts(b, ",\"tagid_list\":");
    put_ids(b, u->tags, u->ntags);
    if (f->subscribed) {
        put_str(b, "subscribe_scene",
                f->subscribe_scene[0] ? f->subscribe_scene : "ADD_SCENE_OTHERS");
        buf_printf(b, ",\"qr_scene\":%lld", (long long)f->qr_scene);
        put_str(b, "qr_scene_str", f->qr_scene_str);
    }
    buf_putc(b, '}');
}

int api_user_info(struct req *r)
{
    char openid[64];
    long n = req_query(r, "openid", openid, sizeof(openid));
    if (n == -1 || n == 0)
        return ERR_MISSING_OPENID;
    if (n < 0)
        return ERR_INVALID_OPENID;
    struct account a;
    struct users_fan u;
    int rc = store_account_get(r->rd, r->appid, &a);
    if (rc == 0)
        rc = users_info(r->rd, &a, openid, &u);
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    render_fan(&b, &u);
    http_send_buf(r, &b);
    return 0;
}

/* the openid of one user_list entry of batchget: {"openid","lang"?} */
static int entry_openid(const cJSON *e, char *out, size_t cap)
{
    if (!cJSON_IsObject(e))
        return ERR_INVALID_OPENID;
    int jr = json_copy_str(e, "openid", out, cap);
    return jr == JSON_OK && out[0] ? 0 : ERR_INVALID_OPENID;
}

static int batchget_render(struct req *r, const cJSON *list, struct buf *b)
{
    struct account a;
    struct users_fan u;
    int rc = store_account_get(r->rd, r->appid, &a);
    buf_puts(b, "{\"user_info_list\":[");
    const cJSON *e;
    int i = 0;
    cJSON_ArrayForEach(e, list)
    {
        char openid[64];
        if (rc == 0)
            rc = entry_openid(e, openid, sizeof(openid));
        if (rc == 0)
            rc = users_info(r->rd, &a, openid, &u);
        if (rc != 0)
            break;
        if (i++)
            buf_putc(b, ',');
        render_fan(b, &u);
    }
    buf_puts(b, "]}");
    return rc;
}

int api_user_batchget(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "user_list");
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
    if (list && !cJSON_IsNull(list) && !cJSON_IsArray(list))
        rc = ERR_DATA_FORMAT;
    else if (n == 0 || n > USERS_BATCHGET_MAX)
        rc = ERR_INVALID_OPENID_LIST_SIZE;
    struct buf b = BUF_INIT;
    if (rc == 0)
        rc = batchget_render(r, list, &b);
    cJSON_Delete(o);
    if (rc != 0) {
        buf_release(&b);
        return rc;
    }
    http_send_buf(r, &b);
    return 0;
}

int api_tags_getidlist(struct req *r)
{
    cJSON *o;
    char openid[64];
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    rc = body_openid(o, "openid", openid, sizeof(openid));
    cJSON_Delete(o);
    if (rc == 0 && !openid[0])
        rc = ERR_MISSING_OPENID;
    int64_t ids[USERS_TAG_IDS];
    int n = 0;
    if (rc == 0)
        rc = users_tag_ids(r->rd, r->appid, openid, ids, USERS_TAG_IDS, &n);
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"tagid_list\":");
    put_ids(&b, ids, n);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

/* ---------------------------------------------------------------- remark */

static int remark_input(const cJSON *o, struct users_remark *j)
{
    int rc = body_openid(o, "openid", j->openid, sizeof(j->openid));
    if (rc == 0 && !j->openid[0])
        return ERR_MISSING_OPENID;
    if (rc != 0)
        return rc;
    int jr = json_copy_str(o, "remark", j->remark, sizeof(j->remark));
    if (jr == JSON_TOO_LONG)
        return ERR_INVALID_REMARK;
    return jr == JSON_OK ? 0 : ERR_DATA_FORMAT;
}

int api_user_updateremark(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct users_remark *j = xcalloc(1, sizeof(*j));
    memcpy(j->appid, r->appid, sizeof(j->appid));
    rc = remark_input(o, j);
    cJSON_Delete(o);
    if (rc != 0) {
        free(j);
        return rc;
    }
    return http_write(r, users_remark_run, NULL, j, ok_done);
}

/* ---------------------------------------------------------------- tags */

/* reads {"tag":{"id"?,"name"?}}; `need` says which of the two the call requires */
enum { NEED_ID = 1, NEED_NAME = 2 };

static int tag_input(const cJSON *o, unsigned need, struct users_tag_job *j)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "tag");
    if (!cJSON_IsObject(t))
        return ERR_DATA_FORMAT;
    if ((need & NEED_ID) && json_get_i64(t, "id", &j->id) != JSON_OK)
        return ERR_INVALID_TAG_ID;
    if (!(need & NEED_NAME))
        return 0;
    int jr = json_copy_str(t, "name", j->name, sizeof(j->name));
    if (jr == JSON_TOO_LONG)
        return ERR_TAG_NAME_TOO_LONG;
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    return jr == JSON_MISSING ? ERR_INVALID_TAG_NAME : 0;
}

/* parses the body into a new tag job for the writer; the caller submits or frees it */
static int tag_job(struct req *r, unsigned need, struct users_tag_job **out)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct users_tag_job *j = xcalloc(1, sizeof(*j));
    memcpy(j->appid, r->appid, sizeof(j->appid));
    rc = tag_input(o, need, j);
    cJSON_Delete(o);
    if (rc != 0) {
        free(j);
        return rc;
    }
    *out = j;
    return 0;
}

static int tag_created(struct req *r, void *arg, int rc)
{
    struct users_tag_job *j = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"tag\":{\"id\":%lld,\"name\":", (long long)j->id);
    buf_json_cstr(&b, j->name);
    buf_puts(&b, "}}");
    http_send_buf(r, &b);
    return 0;
}

int api_tags_create(struct req *r)
{
    struct users_tag_job *j;
    int rc = tag_job(r, NEED_NAME, &j);
    return rc != 0 ? rc : http_write(r, users_tag_create_run, NULL, j, tag_created);
}

int api_tags_update(struct req *r)
{
    struct users_tag_job *j;
    int rc = tag_job(r, NEED_ID | NEED_NAME, &j);
    return rc != 0 ? rc : http_write(r, users_tag_update_run, NULL, j, ok_done);
}

int api_tags_delete(struct req *r)
{
    struct users_tag_job *j;
    int rc = tag_job(r, NEED_ID, &j);
    return rc != 0 ? rc : http_write(r, users_tag_delete_run, NULL, j, ok_done);
}

static void tag_cb(void *arg, const struct utag *t)
{
    struct buf *b = arg;
    if (b->ptr[b->len - 1] != '[')
        buf_putc(b, ',');
    buf_printf(b, "{\"id\":%lld,\"name\":", (long long)t->id);
    buf_json_cstr(b, t->name);
    buf_printf(b, ",\"count\":%lld}", (long long)t->count);
}

int api_tags_get(struct req *r)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"tags\":[");
    int rc = users_tags(r->rd, r->appid, tag_cb, &b);
    if (rc != 0) {
        buf_release(&b);
        return rc;
    }
    buf_puts(&b, "]}");
    http_send_buf(r, &b);
    return 0;
}

/* ---------------------------------------------------------------- batches */

/* "openid_list": 1..max well-formed openids, else 40032 (size) or 40003 (an entry) */
static int openid_list(const cJSON *o, int max, struct users_batch *b)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "openid_list");
    if (list && !cJSON_IsNull(list) && !cJSON_IsArray(list))
        return ERR_DATA_FORMAT;
    int n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : 0;
    if (n == 0 || n > max)
        return ERR_INVALID_OPENID_LIST_SIZE;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        if (!cJSON_IsString(e) || !users_openid_valid(e->valuestring))
            return ERR_INVALID_OPENID;
        memcpy(b->openids[b->n++], e->valuestring, 29);
    }
    return 0;
}

static int batch(struct req *r, int max, int with_tag, wjob_run_fn run)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct users_batch *b = xcalloc(1, sizeof(*b));
    memcpy(b->appid, r->appid, sizeof(b->appid));
    rc = openid_list(o, max, b);
    if (rc == 0 && with_tag && json_get_i64(o, "tagid", &b->tagid) != JSON_OK)
        rc = ERR_INVALID_TAG_ID;
    cJSON_Delete(o);
    if (rc != 0) {
        free(b);
        return rc;
    }
    return http_write(r, run, NULL, b, ok_done);
}

int api_tags_batchtagging(struct req *r)
{
    return batch(r, USERS_TAGGING_MAX, 1, users_tagging_run);
}

int api_tags_batchuntagging(struct req *r)
{
    return batch(r, USERS_TAGGING_MAX, 1, users_untagging_run);
}

int api_tags_batchblacklist(struct req *r)
{
    return batch(r, USERS_BLACK_MAX, 0, users_black_run);
}

int api_tags_batchunblacklist(struct req *r)
{
    return batch(r, USERS_BLACK_MAX, 0, users_unblack_run);
}
