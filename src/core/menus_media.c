/*
 * menus_media: the permanent material menus name (see menus.h). A media_id button sends a
 * permanent material of the account, a view_limited button opens a permanent news material;
 * a material a menu names cannot be deleted (48005). Runs on the writer thread, beside the
 * menu and material writes, so a check and the write it guards are one transaction. No SQL.
 */
#include "menus.h"
#include "clock.h"
#include "media.h"
#include "../store/store_menus.h"
#include "../util/err.h"

#include <string.h>

/* calls fn(arg, type, media_id) for each media_id and view_limited button of a normalised
 * buttons array; stops at the first nonzero answer and returns it */
static int each_media(const cJSON *buttons, int (*fn)(void *, const char *, const char *),
                      void *arg)
{
    const cJSON *b;
    cJSON_ArrayForEach(b, buttons)
    {
        const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "type"));
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "media_id"));
        int rc = 0;
        if (type && id && (strcmp(type, "media_id") == 0 || strcmp(type, "view_limited") == 0))
            rc = fn(arg, type, id);
        if (rc == 0)
            rc = each_media(cJSON_GetObjectItemCaseSensitive(b, "sub_button"), fn, arg);
        if (rc != 0)
            return rc;
    }
    return 0;
}

struct media_ctx {
    struct store *s;
    const char *appid;
    const char *media_id; /* menus_media_used: the one looked for */
    int found;
};

static int check_one(void *arg, const char *type, const char *media_id)
{
    struct media_ctx *c = arg;
    struct media_rec m;
    int rc = media_get_live(c->s, c->appid, media_id, clock_now(), &m);
    if (rc == 0 && (!m.permanent || strcmp(m.type, "img") == 0))
        rc = ERR_INVALID_MEDIA_ID;
    if (rc == 0 && strcmp(type, "view_limited") == 0 && strcmp(m.type, "news") != 0)
        rc = ERR_MENU_VIEW_LIMITED_TYPE;
    return rc;
}

int menus_check_media(struct store *s, const char *appid, const char *buttons)
{
    struct media_ctx c = {s, appid, NULL, 0};
    if (!strstr(buttons, "\"media_id\""))
        return 0; /* no media_id or view_limited button: nothing to look up */
    cJSON *arr = cJSON_Parse(buttons);
    int rc = arr ? each_media(arr, check_one, &c) : ERR_SYSTEM;
    cJSON_Delete(arr);
    return rc;
}

static int match_one(void *arg, const char *type, const char *media_id)
{
    struct media_ctx *c = arg;
    c->found = strcmp(media_id, c->media_id) == 0;
    return c->found;
}

static void menu_cb(void *arg, const struct menu_row *m)
{
    struct media_ctx *c = arg;
    if (c->found)
        return;
    cJSON *arr = cJSON_Parse(m->buttons);
    each_media(arr, match_one, c);
    cJSON_Delete(arr);
}

int menus_media_used(struct store *s, const char *appid, const char *media_id, int *used)
{
    struct media_ctx c = {s, appid, media_id, 0};
    int rc = store_menu_default(s, appid, menu_cb, &c);
    if (rc == 0 || rc == ERR_NOT_FOUND)
        rc = store_menu_conditionals(s, appid, menu_cb, &c);
    *used = c.found;
    return rc;
}
