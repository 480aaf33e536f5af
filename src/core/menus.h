/*
 * menus: custom menus (spec/accounts.md §2). An account has at most one default menu and any
 * number of conditional menus; a conditional menu is shown to the followers its match rule
 * selects (their most recently added tag, their client platform), newest menu first, and
 * everyone else sees the default menu. Validation turns a request's buttons into one
 * normalised JSON form, the form every read answers with. Menu ids grow with each menu, so a
 * newer menu always has a larger id. No SQL here.
 */
#ifndef LJ_MENUS_H
#define LJ_MENUS_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"

struct store;

#define MENU_MAX_BUTTONS  3
#define MENU_MAX_SUBS     5
#define MENU_NAME_MAX     16 /* bytes, top-level button */
#define MENU_SUB_NAME_MAX 60 /* bytes, sub-button */
#define MENU_KEY_MAX      128
#define MENU_URL_MAX      1024
#define MENU_MEDIA_ID_MAX 128
#define MENU_MAX_DOMAINS  3 /* URL hosts across all conditional menus of an account */

/* client platforms of a match rule (client_platform_type); ANY matches every rule */
enum {
    MENU_PLATFORM_ANY = 0,
    MENU_PLATFORM_IOS = 1,
    MENU_PLATFORM_ANDROID = 2,
    MENU_PLATFORM_OTHER = 3
};

/*
 * A validated menu: the argument of the create and addconditional writer jobs. One
 * allocation (the strings live in data[]), so free() releases it.
 */
struct menu_job {
    char appid[19];
    int conditional;
    int64_t tag_id;      /* match rule: -1 = none */
    int platform;        /* match rule: MENU_PLATFORM_ANY = none */
    int64_t menuid;      /* out: the new menu's id */
    const char *buttons; /* normalised JSON array */
    const char *domains; /* URL hosts of the buttons, comma-separated */
    char data[];
};

/*
 * Validates a menu/create ({"button":[...]}) or, when conditional, a menu/addconditional body
 * (with "matchrule"). 0 and *out (the caller frees it), or the wire errcode: 40016-40027,
 * 40054/40055 (URL not http(s) with a host), 40118, 40165/40166 (miniprogram), 47001 (a
 * field of the wrong JSON type), 47003 (article_id), 65304 (empty rule), 65320 (sex, region
 * or language rule), 45159 (tag_id not a tag id), 47003 (client_platform_type not 1-3).
 */
int menus_parse(const cJSON *root, int conditional, struct menu_job **out);

/* the host of an http(s) URL, lowercase, without port: 0, or -1 when the URL has none */
int menus_url_host(const char *url, char *host, size_t cap);

/*
 * menus_media.c. Writer: 0 when every media_id and view_limited button of a normalised
 * buttons array names a permanent material of appid (news for view_limited), else
 * ERR_INVALID_MEDIA_ID (40007) or ERR_MENU_VIEW_LIMITED_TYPE (40121).
 */
int menus_check_media(struct store *s, const char *appid, const char *buttons);
/* *used = 1 when the default or a conditional menu of appid has a button naming media_id */
int menus_media_used(struct store *s, const char *appid, const char *media_id, int *used);

/* writer job (struct menu_job): replaces the default menu (40007/40121 as menus_check_media);
 * its checks come before its one write, so it runs without a SAVEPOINT */
int menus_create_run(struct store *s, void *job);
/* writer job (struct menu_job): adds a conditional menu; 65303 without a default menu,
 * 40007/40121 as menus_check_media,
 * 45159 unknown tag, 65316 more than 3 URL hosts across the conditional menus */
int menus_add_run(struct store *s, void *job);
/* writer job (arg: the appid): deletes the default and every conditional menu */
int menus_delete_run(struct store *s, void *appid);

struct menu_del {
    char appid[19];
    int64_t menuid;
};
/* writer job (struct menu_del): deletes one conditional menu; 65301 when there is none */
int menus_del_run(struct store *s, void *del);

/* appends the menu/get answer; 46003 when the account has no menu */
int menus_get(struct store *s, const char *appid, struct buf *out);
/* appends the get_current_selfmenu_info answer (is_menu_open 0 without a menu) */
int menus_selfmenu(struct store *s, const char *appid, struct buf *out);
/* appends the menu/trymatch answer for a follower given by openid or username;
 * 65302 when no follower of the account matches user_id, 46003 without a menu */
int menus_trymatch(struct store *s, const char *appid, const char *user_id, struct buf *out);

/*
 * The menu the follower `openid` sees on `platform` (MENU_PLATFORM_ANY: every platform
 * rule matches): appends {"button":[...]} (the normalised form) to out and sets *menuid to
 * the conditional menu's id, or 0 for the default menu. ERR_NOT_FOUND when the account has
 * no menu; an openid without tags (or not following) sees the menus for everyone.
 */
int menus_user_menu(struct store *s, const char *appid, const char *openid, int platform,
                    struct buf *out, int64_t *menuid);

#endif
