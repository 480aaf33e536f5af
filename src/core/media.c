/*
 * media: media rules and files (see media.h). No HTTP here; SQL only through store_media.h.
 */
#include "media.h"
#include "media_check.h"
#include "menus.h"
#include "../crypto/crypto.h"
#include "../core/clock.h"
#include "../util/err.h"
#include "../util/log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char media_dir[4096] = "./lianjie-data/media";

void media_set_dir(const char *data_dir)
{
    snprintf(media_dir, sizeof(media_dir), "%s/media", data_dir);
}

void media_file_path(const char *appid, const char *media_id, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s/%s", media_dir, appid, media_id);
}

void media_unlink(const char *appid, const char *media_id)
{
    char path[4300];
    media_file_path(appid, media_id, path, sizeof(path));
    if (unlink(path) != 0 && errno != ENOENT)
        log_warn("media", "cannot remove '%s': %s", path, strerror(errno));
}

/* ------------------------------------------------------------------ files */

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* writes DATA/media/<appid>/<media_id> through a temporary name, so it appears whole */
static int write_file(const char *appid, const char *media_id, const void *data, size_t len)
{
    char dir[4200], tmp[4300], path[4300];
    snprintf(dir, sizeof(dir), "%s/%s", media_dir, appid);
    if ((mkdir(media_dir, 0700) != 0 && errno != EEXIST) ||
        (mkdir(dir, 0700) != 0 && errno != EEXIST)) {
        log_error("media", "cannot create '%s': %s", dir, strerror(errno));
        return ERR_SYSTEM;
    }
    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, media_id);
    media_file_path(appid, media_id, path, sizeof(path));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int ok = fd >= 0 && write_all(fd, data, len) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    if (ok && rename(tmp, path) == 0)
        return 0;
    log_error("media", "cannot write '%s': %s", path, strerror(errno));
    unlink(tmp);
    return ERR_SYSTEM;
}

/* ------------------------------------------------------------------ rows */

static const char *group_of(const char *type)
{
    static const char *const map[][2] = {{"image", "image"},
                                         {"thumb", "image"},
                                         {"voice", "voice"},
                                         {"video", "video"},
                                         {"news", "news"}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], type) == 0)
            return map[i][1];
    return "";
}

static int has_file(const char *type)
{
    return media_max_size(type) > 0;
}

static int has_pub(const char *type)
{
    return strcmp(type, "image") == 0 || strcmp(type, "thumb") == 0 || strcmp(type, "img") == 0 ||
           strcmp(type, "video") == 0;
}

/* 1 if s is valid UTF-8 without control characters */
static int clean_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra = *p < 0x80             ? 0
                    : (*p & 0xe0) == 0xc0 ? 1
                    : (*p & 0xf0) == 0xe0 ? 2
                    : (*p & 0xf8) == 0xf0 ? 3
                                          : -1;
        if (extra < 0 || (*p < 0x80 && (*p < 0x20 || *p == 0x7f)) || (*p >= 0xc0 && *p < 0xc2))
            return 0;
        for (int i = 1; i <= extra; i++)
            if ((p[i] & 0xc0) != 0x80)
                return 0;
        p += 1 + extra;
    }
    return 1;
}

static void set_filename(struct media_rec *m, const char *given, int fmt)
{
    if (given && given[0] && clean_utf8(given) && strcmp(given, ".") && strcmp(given, ".."))
        snprintf(m->filename, sizeof(m->filename), "%s", given);
    else
        snprintf(m->filename, sizeof(m->filename), "%s.%s", m->media_id, media_fmt_ext(fmt));
}

static int count_ok(struct store *s, const struct media_rec *m)
{
    int64_t n = 0, max = strcmp(m->grp, "image") == 0 || strcmp(m->grp, "news") == 0
                             ? MEDIA_MAX_IMAGES
                             : MEDIA_MAX_OTHERS;
    if (!m->permanent || !m->grp[0])
        return 0;
    int rc = store_media_count(s, m->appid, m->grp, &n);
    if (rc != 0)
        return rc;
    return n >= max ? ERR_MEDIA_COUNT_LIMIT : 0;
}

static void fill_new(const struct media_new *in, int fmt, struct media_rec *m)
{
    memset(m, 0, sizeof(*m));
    crypto_token(m->media_id, sizeof(m->media_id), "", in->permanent ? 32 : 48);
    snprintf(m->appid, sizeof(m->appid), "%s", in->appid);
    snprintf(m->type, sizeof(m->type), "%s", in->type);
    snprintf(m->grp, sizeof(m->grp), "%s", group_of(in->type));
    m->permanent = in->permanent;
    if (has_file(in->type)) {
        set_filename(m, in->filename, fmt);
        snprintf(m->ctype, sizeof(m->ctype), "%s", media_fmt_ctype(fmt));
        m->size = (int64_t)in->len;
    }
    if (has_pub(in->type))
        crypto_token(m->pub_id, sizeof(m->pub_id), "", 24);
    snprintf(m->title, sizeof(m->title), "%s", in->title ? in->title : "");
    snprintf(m->description, sizeof(m->description), "%s", in->description ? in->description : "");
    snprintf(m->ref_id, sizeof(m->ref_id), "%s", in->ref_id ? in->ref_id : "");
    m->created_at = m->update_time = in->now;
    m->expires_at = in->permanent ? 0 : in->now + MEDIA_TTL;
}

static void purge_cb(void *arg, const struct media_rec *m, const char *content)
{
    (void)content;
    (*(int *)arg)++;
    media_unlink(m->appid, m->media_id);
}

/* Expired media are never served again, so their files may go before the commit. */
static int purge(struct store *s, int64_t now, int64_t limit)
{
    int n = 0;
    int rc = store_media_purge(s, now, limit, purge_cb, &n);
    if (rc == 0 && n > 0)
        log_info("media", "purged %d expired media", n);
    return rc;
}

int media_create(struct store *s, const struct media_new *in, struct media_rec *out)
{
    int fmt = FMT_NONE, rc = 0;
    if (has_file(in->type))
        rc = media_check(in->type, in->permanent, in->data, in->len, &fmt);
    else if (strcmp(in->type, "news") != 0 && strcmp(in->type, "mpvideo") != 0)
        rc = ERR_INVALID_MEDIA_TYPE;
    if (rc != 0)
        return rc;
    fill_new(in, fmt, out);
    if ((rc = count_ok(s, out)) != 0 || (rc = purge(s, in->now, 64)) != 0)
        return rc;
    if (has_file(in->type) && (rc = write_file(out->appid, out->media_id, in->data, in->len)) != 0)
        return rc;
    rc = store_media_insert(s, out, in->content);
    if (rc != 0 && has_file(in->type))
        media_unlink(out->appid, out->media_id);
    return rc;
}

int media_save(struct store *s, const char *appid, const char *type, int permanent,
               const char *filename, const char *ctype, const void *data, size_t len, int64_t now,
               char *media_id, size_t cap)
{
    (void)ctype; /* the content tells the type; a client's Content-Type is only a claim */
    if (!has_file(type) || strcmp(type, "img") == 0)
        return ERR_INVALID_MEDIA_TYPE;
    struct media_new in = {.appid = appid,
                           .type = type,
                           .permanent = permanent,
                           .filename = filename,
                           .data = data,
                           .len = len,
                           .now = now};
    struct media_rec m;
    int rc = media_create(s, &in, &m);
    if (rc == 0)
        snprintf(media_id, cap, "%s", m.media_id);
    return rc;
}

/* ------------------------------------------------------------------ reads */

int media_get_live(struct store *s, const char *appid, const char *media_id, int64_t now,
                   struct media_rec *out)
{
    if (!media_id[0] || strlen(media_id) >= sizeof(out->media_id))
        return ERR_INVALID_MEDIA_ID;
    int rc = store_media_get(s, appid, media_id, out);
    if (rc == ERR_NOT_FOUND || (rc == 0 && !out->permanent && out->expires_at <= now) ||
        (rc == 0 && strcmp(out->type, "img") == 0))
        return ERR_INVALID_MEDIA_ID;
    return rc;
}

int media_exists(struct store *s, const char *appid, const char *media_id, int64_t now, char *type,
                 size_t cap)
{
    struct media_rec m;
    int rc = media_get_live(s, appid, media_id, now, &m);
    if (rc == 0)
        snprintf(type, cap, "%s", m.type);
    return rc;
}

void media_pub_path(const struct media_rec *m, char *out, size_t cap)
{
    if (!m->pub_id[0])
        snprintf(out, cap, "%s", "");
    else
        snprintf(out, cap, "%s%s",
                 strcmp(m->type, "video") == 0 ? MEDIA_VIDEO_PATH : MEDIA_IMG_PATH, m->pub_id);
}

int media_image_path(struct store *s, const char *appid, const char *media_id, int64_t now,
                     char *out, size_t cap)
{
    struct media_rec m;
    int rc = media_get_live(s, appid, media_id, now, &m);
    if (rc != 0)
        return rc;
    if (strcmp(m.grp, "image") != 0 || !m.pub_id[0])
        return ERR_INVALID_MEDIA_ID;
    media_pub_path(&m, out, cap);
    return 0;
}

/* ------------------------------------------------------------------ changes */

int media_delete(struct store *s, const char *appid, const char *media_id)
{
    struct media_rec m;
    int rc = store_media_get(s, appid, media_id, &m);
    if (rc == ERR_NOT_FOUND || (rc == 0 && (!m.permanent || strcmp(m.type, "img") == 0)))
        return ERR_INVALID_MEDIA_ID;
    int used = 0;
    if (rc == 0)
        rc = menus_media_used(s, appid, media_id, &used);
    if (rc == 0 && used)
        rc = ERR_MATERIAL_IN_USE;
    return rc != 0 ? rc : store_media_delete(s, appid, media_id);
}

static int replace_article(struct buf *content, int64_t index, const char *article, struct buf *out)
{
    cJSON *arr = cJSON_ParseWithLength(content->ptr, content->len);
    cJSON *item = cJSON_Parse(article);
    int rc = ERR_SYSTEM;
    if (arr && item && cJSON_IsArray(arr)) {
        rc = ERR_INVALID_ARGS;
        if (index >= 0 && index < cJSON_GetArraySize(arr) &&
            cJSON_ReplaceItemInArray(arr, (int)index, item)) {
            item = NULL;
            char *text = cJSON_PrintUnformatted(arr);
            rc = text ? 0 : ERR_SYSTEM;
            if (text)
                buf_puts(out, text);
            cJSON_free(text);
        }
    }
    cJSON_Delete(item);
    cJSON_Delete(arr);
    return rc;
}

int media_news_update(struct store *s, const char *appid, const char *media_id, int64_t index,
                      const char *article, int64_t now)
{
    struct media_rec m;
    struct buf content = BUF_INIT, out = BUF_INIT;
    int rc = store_media_get(s, appid, media_id, &m);
    if (rc == ERR_NOT_FOUND || (rc == 0 && (!m.permanent || strcmp(m.type, "news") != 0)))
        rc = ERR_INVALID_MEDIA_ID;
    if (rc == 0)
        rc = store_media_content(s, appid, media_id, &content);
    if (rc == 0)
        rc = replace_article(&content, index, article, &out);
    if (rc == 0)
        rc = store_media_set_content(s, appid, media_id, out.ptr, now);
    buf_release(&content);
    buf_release(&out);
    return rc;
}

int media_purge_run(struct store *s, void *unused)
{
    (void)unused;
    return purge(s, clock_now(), 256);
}
