/*
 * api_material: permanent material (spec/accounts.md §8): material/add_material, add_news,
 * update_news, get_material, del_material, get_materialcount and batchget_material.
 */
#include "api.h"
#include "media_io.h"
#include "../core/media_check.h"
#include "../core/media_news.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>

#define BATCH_MAX 20

static int ok_done(struct req *r, void *arg, int rc)
{
    if (rc != 0)
        return rc;
    http_send_ok(r);
    return 0;
}

/* ------------------------------------------------------------------ add_material */

static int add_done(struct req *r, void *arg, int rc)
{
    struct upload_job *j = arg;
    char url[512];
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"media_id\":\"%s\"", j->out.media_id);
    mio_pub_url(r, &j->out, url, sizeof(url));
    if (url[0] && strcmp(j->out.grp, "image") == 0) {
        buf_puts(&b, ",\"url\":");
        buf_json_cstr(&b, url);
    }
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

/* a video's description={"title","introduction"} (form field or query) into title/intro */
static int video_description(struct req *r, const struct upload *u, char *title, size_t tcap,
                             char *intro, size_t icap)
{
    char text[4096];
    cJSON *o;
    long n = mio_field(r, u, "description", text, sizeof(text));
    if (n == -2)
        return ERR_DESCRIPTION_SIZE_LIMIT;
    if (n <= 0)
        return ERR_ARGUMENT_INVALID;
    int rc = json_parse_object(text, (size_t)n, &o);
    if (rc != 0)
        return ERR_DATA_FORMAT;
    int jt = json_copy_str(o, "title", title, tcap);
    int ji = json_copy_str(o, "introduction", intro, icap);
    cJSON_Delete(o);
    if (jt == JSON_WRONG_TYPE || ji == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jt == JSON_TOO_LONG)
        return ERR_TITLE_SIZE_LIMIT;
    if (ji == JSON_TOO_LONG)
        return ERR_DESCRIPTION_SIZE_LIMIT;
    if (!title[0])
        return ERR_ARGUMENT_INVALID;
    return media_video_text_check(title, intro);
}

int api_material_add(struct req *r)
{
    struct upload u;
    struct upload_job *j;
    char title[256] = "", intro[1024] = "";
    mio_read(r, &u);
    if (!media_type_known(u.type))
        return ERR_INVALID_MEDIA_TYPE;
    int rc = 0;
    if (strcmp(u.type, "video") == 0 && u.read_rc == 0 && u.media)
        rc = video_description(r, &u, title, sizeof(title), intro, sizeof(intro));
    if (rc == 0)
        rc = mio_job_new(r, &u, u.type, 1, &j);
    if (rc != 0)
        return rc;
    memcpy(j->title, title, sizeof(title));
    memcpy(j->description, intro, sizeof(intro));
    return http_write(r, mio_run, NULL, j, add_done);
}

/* ------------------------------------------------------------------ news */

static int add_news_done(struct req *r, void *arg, int rc)
{
    struct media_job *j = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    buf_printf(&b, "{\"media_id\":\"%s\"}", j->out.media_id);
    http_send_buf(r, &b);
    return 0;
}

int api_material_add_news(struct req *r)
{
    return mio_news_create(r, 1, add_news_done);
}

struct update_job {
    char appid[19];
    char media_id[72];
    int64_t index;
    int64_t now;
    char article[];
};

static int update_run(struct store *s, void *arg)
{
    struct update_job *j = arg;
    return media_news_update(s, j->appid, j->media_id, j->index, j->article, j->now);
}

static int update_input(struct req *r, const cJSON *o, char *id, int64_t *index, struct buf *art)
{
    int jr = json_copy_str(o, "media_id", id, 72);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jr == JSON_MISSING || (jr == JSON_OK && !id[0]))
        return ERR_MISSING_MEDIA_ID;
    if (jr != JSON_OK)
        return ERR_INVALID_MEDIA_ID;
    *index = 0;
    jr = json_get_i64(o, "index", index);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (*index < 0 || *index >= NEWS_MAX_ARTICLES)
        return ERR_INVALID_ARGS;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "articles");
    if (!a || cJSON_IsNull(a))
        return ERR_EMPTY_NEWS;
    return news_article(r->rd, r->appid, a, 1, api_now(), art);
}

int api_material_update_news(struct req *r)
{
    cJSON *o;
    char id[72];
    int64_t index;
    struct buf art = BUF_INIT;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    rc = update_input(r, o, id, &index, &art);
    cJSON_Delete(o);
    if (rc == 0) {
        struct update_job *j = xcalloc(1, sizeof(*j) + art.len + 1);
        memcpy(j->appid, r->appid, sizeof(j->appid));
        memcpy(j->media_id, id, sizeof(j->media_id));
        memcpy(j->article, art.ptr, art.len);
        j->index = index;
        j->now = api_now();
        rc = http_write(r, update_run, NULL, j, ok_done);
    }
    buf_release(&art);
    return rc;
}

/* ------------------------------------------------------------------ get_material */

static int send_news(struct req *r, const struct media_rec *m)
{
    struct buf content = BUF_INIT, b = BUF_INIT;
    int rc = store_media_content(r->rd, m->appid, m->media_id, &content);
    if (rc == 0) {
        buf_puts(&b, "{\"news_item\":");
        buf_puts(&b, content.len ? content.ptr : "[]");
        buf_printf(&b, ",\"create_time\":%lld,\"update_time\":%lld}", (long long)m->created_at,
                   (long long)m->update_time);
        mio_send_json(r, &b);
    }
    buf_release(&content);
    return rc;
}

static void send_video(struct req *r, const struct media_rec *m)
{
    char url[512];
    struct buf b = BUF_INIT;
    mio_pub_url(r, m, url, sizeof(url));
    buf_puts(&b, "{\"title\":");
    buf_json_cstr(&b, m->title);
    buf_puts(&b, ",\"description\":");
    buf_json_cstr(&b, m->description);
    buf_puts(&b, ",\"down_url\":");
    buf_json_cstr(&b, url);
    buf_putc(&b, '}');
    mio_send_json(r, &b);
}

int api_material_get(struct req *r)
{
    char id[128];
    struct media_rec m;
    int rc = mio_body_id(r, id, sizeof(id));
    if (rc == 0)
        rc = media_get_live(r->rd, r->appid, id, api_now(), &m);
    if (rc == 0 && (!m.permanent || strcmp(m.type, "mpvideo") == 0))
        rc = ERR_INVALID_MEDIA_ID;
    if (rc != 0)
        return rc;
    if (strcmp(m.type, "news") == 0)
        return send_news(r, &m);
    if (strcmp(m.type, "video") == 0) {
        send_video(r, &m);
        return 0;
    }
    return mio_send_file(r, &m);
}

/* ------------------------------------------------------------------ del_material */

struct del_job {
    char appid[19];
    char media_id[72];
};

static int del_run(struct store *s, void *arg)
{
    struct del_job *j = arg;
    return media_delete(s, j->appid, j->media_id);
}

static void del_after(void *arg)
{
    struct del_job *j = arg;
    media_unlink(j->appid, j->media_id);
}

int api_material_del(struct req *r)
{
    struct del_job *j = xcalloc(1, sizeof(*j));
    int rc = mio_body_id(r, j->media_id, sizeof(j->media_id));
    if (rc != 0) {
        free(j);
        return rc;
    }
    memcpy(j->appid, r->appid, sizeof(j->appid));
    return http_write(r, del_run, del_after, j, ok_done);
}

/* ------------------------------------------------------------------ counts and lists */

int api_material_count(struct req *r)
{
    static const char *const grps[] = {"voice", "video", "image", "news"};
    int64_t n[4];
    for (int i = 0; i < 4; i++) {
        int rc = store_media_count(r->rd, r->appid, grps[i], &n[i]);
        if (rc != 0)
            return rc;
    }
    struct buf b = BUF_INIT;
    buf_printf(&b,
               "{\"voice_count\":%lld,\"video_count\":%lld,\"image_count\":%lld,"
               "\"news_count\":%lld}",
               (long long)n[0], (long long)n[1], (long long)n[2], (long long)n[3]);
    http_send_buf(r, &b);
    return 0;
}

struct batch {
    struct req *r;
    struct buf *b;
    int n;
};

static void batch_item(void *arg, const struct media_rec *m, const char *content)
{
    struct batch *bt = arg;
    struct buf *b = bt->b;
    char url[512];
    buf_puts(b, bt->n++ ? ",{" : "{");
    buf_printf(b, "\"media_id\":\"%s\",", m->media_id);
    if (content) {
        buf_puts(b, "\"content\":{\"news_item\":");
        buf_puts(b, content[0] ? content : "[]");
        buf_printf(b, ",\"create_time\":%lld,\"update_time\":%lld},", (long long)m->created_at,
                   (long long)m->update_time);
    } else {
        mio_pub_url(bt->r, m, url, sizeof(url));
        buf_puts(b, "\"name\":");
        buf_json_cstr(b, m->filename);
        buf_puts(b, ",\"url\":");
        buf_json_cstr(b, url);
        buf_putc(b, ',');
    }
    buf_printf(b, "\"update_time\":%lld}", (long long)m->update_time);
}

static int batch_input(struct req *r, char *type, size_t cap, int64_t *offset, int64_t *count)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    int jt = json_copy_str(o, "type", type, cap);
    *offset = 0;
    *count = BATCH_MAX;
    int jo = json_get_i64(o, "offset", offset), jc = json_get_i64(o, "count", count);
    cJSON_Delete(o);
    if (jt == JSON_WRONG_TYPE || jo == JSON_WRONG_TYPE || jc == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jt != JSON_OK || (strcmp(type, "image") && strcmp(type, "voice") && strcmp(type, "video") &&
                          strcmp(type, "news")))
        return ERR_INVALID_MEDIA_TYPE;
    if (*offset < 0 || *count < 1 || *count > BATCH_MAX)
        return ERR_INVALID_ARGS;
    return 0;
}

int api_material_batchget(struct req *r)
{
    char type[16];
    int64_t offset, count, total = 0;
    int rc = batch_input(r, type, sizeof(type), &offset, &count);
    if (rc == 0)
        rc = store_media_count(r->rd, r->appid, type, &total);
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT, items = BUF_INIT;
    struct batch bt = {r, &items, 0};
    rc = store_media_list(r->rd, r->appid, type, offset, count, strcmp(type, "news") == 0,
                          batch_item, &bt);
    if (rc == 0) {
        buf_printf(&b, "{\"total_count\":%lld,\"item_count\":%d,\"item\":[", (long long)total,
                   bt.n);
        buf_append(&b, items.ptr, items.len);
        buf_puts(&b, "]}");
        http_send_buf(r, &b);
    }
    buf_release(&items);
    return rc;
}
