/*
 * store_menus: storage of custom menus (tables menu_defaults and menus) and the tag facts
 * menu matching reads (tags, follower_tags). Same contract as store.h: 0, ERR_NOT_FOUND,
 * ERR_CONFLICT or ERR_SYSTEM.
 */
#ifndef LJ_STORE_MENUS_H
#define LJ_STORE_MENUS_H

#include <stdint.h>

struct store;

struct menu_row {
    int64_t menuid;
    char appid[19];
    int conditional;     /* 0: the default menu */
    int64_t tag_id;      /* match rule: -1 = none */
    int platform;        /* match rule: 0 = none */
    const char *buttons; /* normalised JSON array; in a callback, valid during the call only */
    const char *domains; /* URL hosts of the buttons, comma-separated */
    int64_t created_at;
};

typedef void (*store_menu_cb)(void *arg, const struct menu_row *m);

/* a conditional menu is added; a default menu replaces the account's default menu */
int store_menu_insert(struct store *s, const struct menu_row *m);
/* the account's default menu to cb (cb may be NULL: existence only); ERR_NOT_FOUND if none */
int store_menu_default(struct store *s, const char *appid, store_menu_cb cb, void *arg);
/* every conditional menu of the account to cb, newest first */
int store_menu_conditionals(struct store *s, const char *appid, store_menu_cb cb, void *arg);
/* the newest conditional menu whose rule admits tag_id (-1: no tag) and platform (0: any) */
int store_menu_match(struct store *s, const char *appid, int64_t tag_id, int platform,
                     store_menu_cb cb, void *arg);
/* the largest menu id in the tables; 0 when there is none */
int store_menu_max_id(struct store *s, int64_t *out);
int store_menu_delete_all(struct store *s, const char *appid);
/* ERR_NOT_FOUND when the account has no conditional menu with that id */
int store_menu_delete_conditional(struct store *s, const char *appid, int64_t menuid);

/* 0 when the account has a tag with that id, else ERR_NOT_FOUND */
int store_menu_tag_exists(struct store *s, const char *appid, int64_t tag_id);
/* the tag most recently put on the follower; ERR_NOT_FOUND when it has none */
int store_menu_last_tag(struct store *s, const char *appid, const char *openid, int64_t *tag_id);

#endif
