/*
 * api_media: temporary media (spec/accounts.md §8): media/upload, media/get (and
 * media/get/jssdk), media/uploadimg, media/uploadnews, media/uploadvideo, and the public
 * URLs of images and videos (/mmbiz/img, /mmbiz/video).
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
#include <unistd.h>

/* ------------------------------------------------------------------ media/upload */

static void render_created(struct buf *b, const struct media_rec *m, const char *type)
{
    buf_printf(b, "{\"type\":\"%s\",\"media_id\":\"%s\",", type, m->media_id);
    if (strcmp(m->type, "thumb") == 0) /* older docs and SDKs read thumb_media_id */
        buf_printf(b, "\"thumb_media_id\":\"%s\",", m->media_id);
    buf_printf(b, "\"created_at\":%lld}", (long long)m->created_at);
}

static int upload_done(struct req *r, void *arg, int rc)
{
    struct upload_job *j = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    render_created(&b, &j->out, j->out.type);
    http_send_buf(r, &b);
    return 0;
}

int api_media_upload(struct req *r)
{
    struct upload u;
    struct upload_job *j;
    mio_read(r, &u);
    if (!media_type_known(u.type))
        return ERR_INVALID_MEDIA_TYPE;
    int rc = mio_job_new(r, &u, u.type, 0, &j);
    return rc != 0 ? rc : http_write(r, mio_run, NULL, j, upload_done);
}

/* ------------------------------------------------------------------ media/uploadimg */

static int uploadimg_done(struct req *r, void *arg, int rc)
{
    struct upload_job *j = arg;
    char url[512];
    if (rc != 0)
        return rc;
    mio_pub_url(r, &j->out, url, sizeof(url));
    struct buf b = BUF_INIT;
    buf_puts(&b, "{\"url\":");
    buf_json_cstr(&b, url);
    buf_putc(&b, '}');
    http_send_buf(r, &b);
    return 0;
}

int api_media_uploadimg(struct req *r)
{
    struct upload u;
    struct upload_job *j;
    mio_read(r, &u);
    int rc = mio_job_new(r, &u, "img", 1, &j);
    return rc != 0 ? rc : http_write(r, mio_run, NULL, j, uploadimg_done);
}

/* ------------------------------------------------------------------ media/get */

static int get_id(struct req *r, char *out, size_t cap)
{
    long n = req_query(r, "media_id", out, cap);
    if (n == -2)
        return ERR_INVALID_MEDIA_ID;
    if (n > 0)
        return 0;
    if (r->body_len > 0) /* a POST may carry {"media_id"} */
        return mio_body_id(r, out, cap);
    return ERR_MISSING_MEDIA_ID;
}

int api_media_get(struct req *r)
{
    char id[128], url[512];
    struct media_rec m;
    int rc = get_id(r, id, sizeof(id));
    if (rc == 0)
        rc = media_get_live(r->rd, r->appid, id, api_now(), &m);
    if (rc != 0)
        return rc;
    if (m.permanent || !m.ctype[0])
        return ERR_INVALID_MEDIA_ID; /* material is read with material/get_material */
    if (strcmp(m.type, "video") == 0) {
        struct buf b = BUF_INIT;
        mio_pub_url(r, &m, url, sizeof(url));
        buf_puts(&b, "{\"video_url\":");
        buf_json_cstr(&b, url);
        buf_putc(&b, '}');
        mio_send_json(r, &b);
        return 0;
    }
    return mio_send_file(r, &m);
}

/* ------------------------------------------------------------------ media/uploadnews */

static int created_done(struct req *r, void *arg, int rc)
{
    struct media_job *j = arg;
    if (rc != 0)
        return rc;
    struct buf b = BUF_INIT;
    render_created(&b, &j->out, strcmp(j->out.type, "mpvideo") == 0 ? "video" : j->out.type);
    http_send_buf(r, &b);
    return 0;
}

int api_media_uploadnews(struct req *r)
{
    return mio_news_create(r, 0, created_done);
}

/* ------------------------------------------------------------------ media/uploadvideo */

/* the title and description of an mpvideo into j: 0 or the errcode */
static int video_fields(const cJSON *o, struct media_job *j)
{
    int jt = json_copy_str(o, "title", j->title, sizeof(j->title));
    int jd = json_copy_str(o, "description", j->description, sizeof(j->description));
    if (jt == JSON_WRONG_TYPE || jd == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jt == JSON_TOO_LONG)
        return ERR_TITLE_SIZE_LIMIT;
    if (jd == JSON_TOO_LONG)
        return ERR_DESCRIPTION_SIZE_LIMIT;
    return media_video_text_check(j->title, j->description);
}

static int uploadvideo_input(struct req *r, const cJSON *o, struct media_job *j)
{
    struct media_rec src;
    int jr = json_copy_str(o, "media_id", j->ref_id, sizeof(j->ref_id));
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jr == JSON_MISSING || (jr == JSON_OK && !j->ref_id[0]))
        return ERR_MISSING_MEDIA_ID;
    if (jr != JSON_OK)
        return ERR_INVALID_MEDIA_ID;
    int rc = media_get_live(r->rd, r->appid, j->ref_id, api_now(), &src);
    if (rc == 0 && strcmp(src.type, "video") != 0)
        rc = ERR_INVALID_MEDIA_ID;
    return rc != 0 ? rc : video_fields(o, j);
}

int api_media_uploadvideo(struct req *r)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    struct media_job *j = mio_media_job_new(r, "mpvideo", 0, NULL);
    rc = uploadvideo_input(r, o, j);
    cJSON_Delete(o);
    if (rc != 0) {
        free(j);
        return rc;
    }
    return http_write(r, mio_media_run, NULL, j, created_done);
}

/* ------------------------------------------------------------------ public URLs */

static int serve_pub(struct req *r, const char *grp)
{
    char id[64];
    struct media_rec m;
    if (req_query(r, "id", id, sizeof(id)) <= 0 || store_media_get_pub(r->rd, id, &m) != 0)
        return ERR_NOT_FOUND;
    int is_img = strcmp(m.type, "img") == 0 || strcmp(m.grp, "image") == 0;
    if ((strcmp(grp, "image") == 0 ? !is_img : strcmp(m.type, grp) != 0) ||
        (!m.permanent && m.expires_at <= api_now()))
        return ERR_NOT_FOUND;
    char path[4300];
    media_file_path(m.appid, m.media_id, path, sizeof(path));
    if (access(path, R_OK) != 0)
        return ERR_NOT_FOUND;
    http_add_header(r, "cache-control", m.permanent ? "max-age=86400" : "max-age=3600");
    return http_send_file(r, m.ctype, NULL, path) == 0 ? 0 : ERR_NOT_FOUND;
}

int api_mmbiz_img(struct req *r)
{
    return serve_pub(r, "image");
}

int api_mmbiz_video(struct req *r)
{
    return serve_pub(r, "video");
}
