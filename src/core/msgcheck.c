/*
 * msgcheck: see msgcheck.h.
 */
#include "msgcheck.h"
#include "../store/store_media.h"
#include "../util/buf.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

#define TEXT_MAX  2048
#define FIELD_MAX 1024

struct kind {
    const char *type;
    const char *required[4];
    unsigned families; /* 1 << MSG_CUSTOM | 1 << MSG_MASS */
};

static const struct kind kinds[] = {
    {"text", {"content"}, 3},
    {"image", {"media_id"}, 1},
    {"voice", {"media_id"}, 3},
    {"video", {"media_id"}, 1},
    {"music", {"musicurl", "thumb_media_id"}, 1},
    {"news", {"articles"}, 1},
    {"mpnews", {"media_id"}, 3},
    {"mpnewsarticle", {"article_id"}, 1},
    {"msgmenu", {"list"}, 1},
    {"wxcard", {"card_id"}, 3},
    {"miniprogrampage", {"appid", "pagepath", "thumb_media_id"}, 1},
    {"mpvideo", {"media_id"}, 2},
    {"images", {"media_ids"}, 2},
};

static const struct kind *find(const char *type, enum msg_family fam)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].type, type) == 0 && (kinds[i].families & (1u << fam)))
            return &kinds[i];
    if (fam == MSG_MASS && strcmp(type, "image") == 0)
        return &kinds[1];
    return NULL;
}

/* a required member: a non-empty string (numbers as strings are fine), or an array */
static int present(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v))
        return v->valuestring[0] != 0;
    if (cJSON_IsNumber(v))
        return 1;
    return cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0;
}

static int check_special(const cJSON *obj, const char *type)
{
    if (strcmp(type, "text") == 0) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(obj, "content");
        return cJSON_IsString(c) && strlen(c->valuestring) > TEXT_MAX ? ERR_CONTENT_TOO_LONG : 0;
    }
    if (strcmp(type, "news") == 0) {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, "articles");
        if (cJSON_GetArraySize(a) > 1)
            return ERR_ARTICLE_COUNT;
        const cJSON *first = cJSON_GetArrayItem(a, 0);
        return cJSON_IsObject(first) && present(first, "title") ? 0 : ERR_DATA_FORMAT;
    }
    return 0;
}

int msgcheck(const cJSON *req, enum msg_family fam, char *msgtype, size_t tcap, char *body,
             size_t bcap)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(req, "msgtype");
    if (!cJSON_IsString(t))
        return ERR_INVALID_MSGTYPE;
    const struct kind *k = find(t->valuestring, fam);
    if (!k)
        return ERR_INVALID_MSGTYPE;
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(req, k->type);
    if (!cJSON_IsObject(obj))
        return ERR_DATA_FORMAT;
    for (int i = 0; i < 4 && k->required[i]; i++)
        if (!present(obj, k->required[i]))
            return strcmp(k->required[i], "content") == 0 ? ERR_EMPTY_CONTENT : ERR_DATA_FORMAT;
    for (int i = 0; i < 4 && k->required[i]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, k->required[i]);
        if (cJSON_IsString(v) && strcmp(k->required[i], "content") != 0 &&
            strlen(v->valuestring) > FIELD_MAX)
            return ERR_ARGUMENT_INVALID;
    }
    int rc = check_special(obj, k->type);
    if (rc != 0)
        return rc;
    char *json = cJSON_PrintUnformatted(obj);
    if (!json)
        return ERR_SYSTEM;
    rc = strlen(json) < bcap ? 0 : ERR_CONTENT_TOO_LONG;
    if (rc == 0) {
        snprintf(body, bcap, "%s", json);
        snprintf(msgtype, tcap, "%s", k->type);
    }
    cJSON_free(json);
    return rc;
}

static void keep(cJSON *to, const cJSON *from, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(from, key);
    if (cJSON_IsString(v))
        cJSON_AddStringToObject(to, key, v->valuestring);
}

int msgcheck_news_summary(struct store *rd, const char *appid, char *body, size_t cap)
{
    cJSON *b = cJSON_Parse(body);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(b, "media_id");
    struct buf content = BUF_INIT;
    int rc = cJSON_IsString(id) ? store_media_content(rd, appid, id->valuestring, &content)
                                : ERR_INVALID_MEDIA_ID;
    cJSON *arts = rc == 0 ? cJSON_Parse(content.ptr) : NULL;
    buf_release(&content);
    if (rc == 0 && cJSON_IsArray(arts)) {
        cJSON *out = cJSON_AddArrayToObject(b, "articles");
        const cJSON *a;
        cJSON_ArrayForEach(a, arts)
        {
            cJSON *s = cJSON_CreateObject();
            keep(s, a, "title");
            keep(s, a, "author");
            keep(s, a, "digest");
            keep(s, a, "thumb_media_id");
            keep(s, a, "content_source_url");
            cJSON_AddItemToArray(out, s);
        }
        char *json = cJSON_PrintUnformatted(b);
        if (json && strlen(json) < cap)
            snprintf(body, cap, "%s", json);
        cJSON_free(json);
    }
    cJSON_Delete(arts);
    cJSON_Delete(b);
    return rc == ERR_NOT_FOUND ? ERR_INVALID_MEDIA_ID : rc;
}
