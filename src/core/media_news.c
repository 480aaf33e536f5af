/*
 * media_news: article checks and rendering (see media_news.h). Reads only.
 */
#include "media_news.h"
#include "media.h"
#include "media_check.h"
#include "../util/err.h"
#include "../util/json.h"

#include <string.h>

struct field {
    const char *key;
    size_t max_chars, max_bytes;
    int required_err, size_err;
};

static const struct field fields[] = {
    {"title", 64, 1024, ERR_ARGUMENT_INVALID, ERR_TITLE_SIZE_LIMIT},
    {"author", 64, 1024, 0, ERR_ARGUMENT_INVALID},
    {"digest", 120, 4096, 0, ERR_DESCRIPTION_SIZE_LIMIT},
    {"content", 20000, 1024 * 1024, ERR_EMPTY_CONTENT, ERR_CONTENT_TOO_LONG},
    {"content_source_url", 1024, 1024, 0, ERR_URL_SIZE_LIMIT},
    {"thumb_media_id", 128, 128, ERR_INVALID_MEDIA_ID, ERR_INVALID_MEDIA_ID},
};

static const char *const flags[] = {"show_cover_pic", "need_open_comment", "only_fans_can_comment"};

static int text_field(const cJSON *a, const struct field *f, struct buf *out)
{
    const char *v = "";
    int jr = json_get_str(a, f->key, &v);
    if (jr == JSON_WRONG_TYPE)
        return ERR_DATA_FORMAT;
    if (!v[0] && f->required_err)
        return f->required_err;
    if (strlen(v) > f->max_bytes || media_utf8_chars(v) > f->max_chars)
        return f->size_err;
    buf_printf(out, "\"%s\":", f->key);
    buf_json_cstr(out, v);
    buf_putc(out, ',');
    return 0;
}

static int thumb_ok(struct store *rd, const char *appid, const cJSON *a, int permanent, int64_t now)
{
    struct media_rec m;
    const char *id = "";
    json_get_str(a, "thumb_media_id", &id);
    int rc = media_get_live(rd, appid, id, now, &m);
    if (rc != 0)
        return rc;
    if (strcmp(m.grp, "image") != 0 || (permanent && !m.permanent))
        return ERR_INVALID_MEDIA_ID;
    return 0;
}

int news_article(struct store *rd, const char *appid, const cJSON *a, int permanent, int64_t now,
                 struct buf *out)
{
    if (!cJSON_IsObject(a))
        return ERR_DATA_FORMAT;
    buf_putc(out, '{');
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        int rc = text_field(a, &fields[i], out);
        if (rc != 0)
            return rc;
    }
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        int on = 0;
        if (json_get_bool(a, flags[i], &on) == JSON_WRONG_TYPE)
            return ERR_DATA_FORMAT;
        buf_printf(out, "\"%s\":%d,", flags[i], on);
    }
    buf_puts(out, "\"url\":\"\"}");
    return thumb_ok(rd, appid, a, permanent, now);
}

int news_articles(struct store *rd, const char *appid, const cJSON *arr, int permanent, int64_t now,
                  struct buf *out)
{
    if (!arr)
        return ERR_EMPTY_NEWS;
    if (!cJSON_IsArray(arr))
        return ERR_DATA_FORMAT;
    int n = cJSON_GetArraySize(arr);
    if (n == 0)
        return ERR_EMPTY_NEWS;
    if (n > NEWS_MAX_ARTICLES)
        return ERR_ARTICLE_COUNT;
    buf_putc(out, '[');
    for (int i = 0; i < n; i++) {
        if (i > 0)
            buf_putc(out, ',');
        int rc = news_article(rd, appid, cJSON_GetArrayItem(arr, i), permanent, now, out);
        if (rc != 0)
            return rc;
    }
    buf_putc(out, ']');
    return 0;
}
