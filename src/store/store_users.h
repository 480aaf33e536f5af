/*
 * store_users: the SQL behind user management (spec/accounts.md §3-4): follower and
 * blacklist pages, an account's tags and who carries them. A followers row itself is read
 * and written through store_chat.h. Same conventions as store.h: 0, ERR_NOT_FOUND,
 * ERR_CONFLICT or ERR_SYSTEM.
 *
 * Pages are keyset scans over the (appid, flag, openid) indexes: `after` is the last openid
 * of the previous page ("" = from the start), so no page costs more than its own rows.
 */
#ifndef LJ_STORE_USERS_H
#define LJ_STORE_USERS_H

#include <stdint.h>

struct store;

/* a tag an account created (ids from 100); count is filled by store_utag_list only */
struct utag {
    int64_t id;
    char name[96];
    int64_t count;
};

typedef void (*store_openid_cb)(void *arg, const char *openid);
typedef void (*store_utag_cb)(void *arg, const struct utag *t);

/* subscribed followers of appid */
int store_fan_count(struct store *s, const char *appid, int64_t *out);
/* subscribed followers with openid > after, in openid order, at most limit */
int store_fan_page(struct store *s, const char *appid, const char *after, int limit,
                   store_openid_cb cb, void *arg);
/* blacklisted users of appid (subscribed or not) */
int store_black_count(struct store *s, const char *appid, int64_t *out);
int store_black_page(struct store *s, const char *appid, const char *after, int limit,
                     store_openid_cb cb, void *arg);
/* records a user known to appid who never followed (subscribed 0); keeps an existing row */
int store_fan_note(struct store *s, const char *appid, const char *openid, int64_t user_id);

/* the account's own tags in id order, each with its number of members */
int store_utag_list(struct store *s, const char *appid, store_utag_cb cb, void *arg);
int store_utag_get(struct store *s, const char *appid, int64_t id, struct utag *out);
/* how many tags the account created; the highest id it used (0 when none) */
int store_utag_count(struct store *s, const char *appid, int64_t *out);
int store_utag_max_id(struct store *s, const char *appid, int64_t *out);
/* ERR_CONFLICT when the account has a tag of that name */
int store_utag_insert(struct store *s, const char *appid, int64_t id, const char *name,
                      int64_t now);
int store_utag_rename(struct store *s, const char *appid, int64_t id, const char *name);
/* deletes the tag and takes it off every member */
int store_utag_delete(struct store *s, const char *appid, int64_t id);
/* members of a tag (any tag id, system ones included), counted up to `cap` */
int store_utag_members(struct store *s, const char *appid, int64_t tag_id, int64_t cap,
                       int64_t *out);
int store_utag_member_page(struct store *s, const char *appid, int64_t tag_id, const char *after,
                           int limit, store_openid_cb cb, void *arg);

/* the tags a user carries, highest id first, at most cap; *n gets how many */
int store_fan_tag_ids(struct store *s, const char *appid, const char *openid, int64_t *ids, int cap,
                      int *n);
int store_fan_tag_count(struct store *s, const char *appid, const char *openid, int64_t *out);
/* adding a tag the user already carries changes nothing */
int store_fan_tag_add(struct store *s, const char *appid, const char *openid, int64_t tag_id,
                      int64_t now);
int store_fan_tag_remove(struct store *s, const char *appid, const char *openid, int64_t tag_id);
/* 1 in *out when the user carries the tag */
int store_fan_tag_has(struct store *s, const char *appid, const char *openid, int64_t tag_id,
                      int *out);

#endif
