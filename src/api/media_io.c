/*
 * upload: multipart intake and the store job of the upload APIs (see upload.h).
 */
#include "media_io.h"
#include "../util/utf8.h"
#include "api.h"
#include "../core/media_check.h"
#include "../core/media_news.h"
#include "../util/err.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int boundary_of(struct req *r, char *out, size_t cap)
{
    size_t n = 0;
    const char *ct = req_header(r, "content-type", &n);
    if (ct && mp_boundary(ct, n, out, cap) == MP_OK)
        return 0;
    /* some clients send multipart/form-data without its boundary: the body's first line
     * names it */
    if (!ct || (n >= 19 && strncasecmp(ct, "multipart/form-data", 19) == 0))
        return mp_boundary_sniff(r->body, r->body_len, out, cap) == MP_OK ? 0 : -1;
    return -1;
}

long mio_field(struct req *r, const struct upload *u, const char *name, char *out, size_t cap)
{
    const struct mp_part *p = u->read_rc == 0 ? mp_find(&u->form, name) : NULL;
    if (!p || p->has_filename)
        return req_query(r, name, out, cap);
    if (p->len >= cap || memchr(p->data, 0, p->len) || !utf8_valid(p->data, p->len))
        return -2;
    memcpy(out, p->data, p->len);
    out[p->len] = 0;
    return (long)p->len;
}

void mio_read(struct req *r, struct upload *u)
{
    char boundary[MP_MAX_BOUNDARY + 1];
    memset(u, 0, sizeof(*u));
    u->read_rc = ERR_MISSING_MEDIA;
    int rc = boundary_of(r, boundary, sizeof(boundary)) == 0
                 ? mp_parse(r->body, r->body_len, boundary, &u->form)
                 : MP_ERR_CTYPE;
    if (rc == MP_OK) {
        u->read_rc = 0;
        u->media = mp_find(&u->form, "media");
    } else if (rc == MP_ERR_CHARSET) {
        u->read_rc = ERR_INVALID_CHARSET;
    }
    if (req_query(r, "type", u->type, sizeof(u->type)) < 0)
        u->type[0] = 0;
    if (!u->type[0] && mio_field(r, u, "type", u->type, sizeof(u->type)) < 0)
        u->type[0] = 0;
}

int mio_job_new(struct req *r, const struct upload *u, const char *type, int permanent,
                struct upload_job **out)
{
    int fmt;
    if (u->read_rc == ERR_INVALID_CHARSET)
        return u->read_rc;
    if (u->read_rc != 0 || !u->media)
        return ERR_MISSING_MEDIA;
    int rc = media_check(type, permanent, u->media->data, u->media->len, &fmt);
    if (rc != 0)
        return rc;
    struct upload_job *j = xcalloc(1, sizeof(*j) + u->media->len);
    memcpy(j->appid, r->appid, sizeof(j->appid));
    snprintf(j->type, sizeof(j->type), "%s", type);
    snprintf(j->filename, sizeof(j->filename), "%s", u->media->filename);
    memcpy(j->data, u->media->data, u->media->len);
    j->len = u->media->len;
    j->in = (struct media_new){.appid = j->appid,
                               .type = j->type,
                               .permanent = permanent,
                               .filename = j->filename,
                               .data = j->data,
                               .len = j->len,
                               .title = j->title,
                               .description = j->description,
                               .now = api_now()};
    *out = j;
    return 0;
}

int mio_run(struct store *s, void *arg)
{
    struct upload_job *j = arg;
    return media_create(s, &j->in, &j->out);
}

void mio_url(struct req *r, const char *path, char *out, size_t cap)
{
    char host[256];
    req_host(r, host, sizeof(host));
    snprintf(out, cap, "http://%s%s", host, path);
}

void mio_pub_url(struct req *r, const struct media_rec *m, char *out, size_t cap)
{
    char path[128];
    media_pub_path(m, path, sizeof(path));
    if (path[0])
        mio_url(r, path, out, cap);
    else
        snprintf(out, cap, "%s", "");
}

int mio_body_id(struct req *r, char *out, size_t cap)
{
    cJSON *o;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    int jr = json_copy_str(o, "media_id", out, cap);
    cJSON_Delete(o);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (jr == JSON_TOO_LONG)
        return ERR_INVALID_MEDIA_ID;
    return jr == JSON_MISSING || !out[0] ? ERR_MISSING_MEDIA_ID : 0;
}

int mio_send_file(struct req *r, const struct media_rec *m)
{
    char path[4300], disp[160];
    media_file_path(m->appid, m->media_id, path, sizeof(path));
    snprintf(disp, sizeof(disp), "attachment; filename=\"%s.%s\"", m->media_id,
             media_fmt_ext(media_fmt_by_ctype(m->ctype)));
    if (access(path, R_OK) != 0)
        return ERR_MEDIA_NOT_EXIST;
    http_add_header(r, "cache-control", "no-cache, must-revalidate");
    return http_send_file(r, m->ctype, disp, path) == 0 ? 0 : ERR_MEDIA_NOT_EXIST;
}

void mio_send_json(struct req *r, struct buf *b)
{
    r->errcode = 0;
    http_send(r, 200, "application/json", b->ptr, b->len);
    buf_release(b);
}

struct media_job *mio_media_job_new(struct req *r, const char *type, int permanent,
                                    const struct buf *content)
{
    size_t n = content ? content->len : 0;
    struct media_job *j = xcalloc(1, sizeof(*j) + n + 1);
    memcpy(j->appid, r->appid, sizeof(j->appid));
    if (content)
        memcpy(j->content, content->ptr, n);
    j->in = (struct media_new){.appid = j->appid,
                               .type = type,
                               .permanent = permanent,
                               .title = j->title,
                               .description = j->description,
                               .ref_id = j->ref_id,
                               .content = j->content,
                               .now = api_now()};
    return j;
}

int mio_media_run(struct store *s, void *arg)
{
    struct media_job *j = arg;
    return media_create(s, &j->in, &j->out);
}

int mio_news_create(struct req *r, int permanent, req_done_fn done)
{
    cJSON *o;
    struct buf content = BUF_INIT;
    int rc = json_parse_object(r->body, r->body_len, &o);
    if (rc != 0)
        return rc;
    rc = news_articles(r->rd, r->appid, cJSON_GetObjectItemCaseSensitive(o, "articles"), permanent,
                       api_now(), &content);
    cJSON_Delete(o);
    if (rc == 0)
        rc = http_write(r, mio_media_run, NULL, mio_media_job_new(r, "news", permanent, &content),
                        done);
    buf_release(&content);
    return rc;
}
