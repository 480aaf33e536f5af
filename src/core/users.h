/*
 * users: the rules of user management (spec/accounts.md §3-4): who is a user of an account,
 * the follower list, remarks, tags and the blacklist. No SQL here, no HTTP.
 *
 * A user of an account is anyone with a followers row there: a follower, a former follower,
 * or someone the account met without a follow (users_note, e.g. through web authorization;
 * user/info shows them with subscribe 0). An openid that is malformed, or that no user of
 * the account has, is an invalid openid (40003); the tag-membership and blacklist calls
 * report the second case as 49003 (openid of another account), as WeChat documents them.
 *
 * Tags 0, 1 and 2 are the system's (2 is "星标组", listed by tags/get); an account's own
 * tags are numbered from 100. Functions ending in _run are writer jobs (writer.h): they run
 * inside the writer's transaction and return 0 or the wire errcode.
 */
#ifndef LJ_USERS_H
#define LJ_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"
#include "../store/store_chat.h"
#include "../store/store_users.h"

#define USERS_PAGE             10000  /* openids per page of every list */
#define USERS_BATCHGET_MAX     100    /* user/info/batchget */
#define USERS_TAGGING_MAX      50     /* tags/members/batch(un)tagging */
#define USERS_BLACK_MAX        20     /* tags/members/batch(un)blacklist */
#define USERS_TAGS_MAX         100    /* tags an account may create */
#define USERS_TAGS_PER_USER    20     /* tags one user may carry */
#define USERS_TAG_NAME_MAX     30     /* bytes */
#define USERS_REMARK_MAX       30     /* bytes; a remark must be shorter */
#define USERS_TAG_DELETE_MAX   100000 /* a tag with more members cannot be deleted */
#define USERS_TAG_FIRST        100
#define USERS_TAG_STARRED      2
#define USERS_TAG_STARRED_NAME "星标组"
#define USERS_TAG_IDS          128 /* room for every tag one user can carry */

/* 1 if s looks like an openid: 28 characters of [A-Za-z0-9_-] */
int users_openid_valid(const char *s);
/* 0, ERR_INVALID_TAG_NAME (empty) or ERR_TAG_NAME_TOO_LONG (over 30 bytes) */
int users_tag_name_check(const char *name);
/* 0 or ERR_INVALID_REMARK (30 bytes or more) */
int users_remark_check(const char *remark);
/* 1 for the system tag ids 0, 1 and 2 */
int users_tag_is_system(int64_t id);

/* one user as user/info shows them */
struct users_fan {
    struct follower f;
    char language[16];
    char unionid[29]; /* "" unless the account is bound to an open-platform account */
    int64_t tags[USERS_TAG_IDS];
    int ntags;
};

/* the user behind openid: 0 or ERR_INVALID_OPENID */
int users_info(struct store *rd, const struct account *a, const char *openid,
               struct users_fan *out);

/* one page of a list: total (user/get and the blacklist only), how many, the last openid */
struct users_page {
    int64_t total;
    int count;
    char last[29];
};

/* subscribed followers after `next` ("" = from the start); a malformed next is 40003 */
int users_followers(struct store *rd, const char *appid, const char *next, store_openid_cb cb,
                    void *arg, struct users_page *out);
/* blacklisted users after `begin`: 40003 malformed, 49003 not a user of the account */
int users_blacklist(struct store *rd, const char *appid, const char *begin, store_openid_cb cb,
                    void *arg, struct users_page *out);
/* members of a tag after `next`: 45159 unless the tag is the account's or 星标组 */
int users_tag_fans(struct store *rd, const char *appid, int64_t tagid, const char *next,
                   store_openid_cb cb, void *arg, struct users_page *out);
/* 星标组 then the account's tags, each with its member count */
int users_tags(struct store *rd, const char *appid, store_utag_cb cb, void *arg);
/* the tags a user carries (highest id first): 0 or ERR_INVALID_OPENID */
int users_tag_ids(struct store *rd, const char *appid, const char *openid, int64_t *ids, int cap,
                  int *n);

/* ---------------------------------------------------------------- writer jobs */

struct users_remark {
    char appid[19];
    char openid[64];
    char remark[96];
};
/* 40003 unknown openid, 40092 remark of 30 bytes or more */
int users_remark_run(struct store *s, void *arg);

struct users_tag_job {
    char appid[19];
    int64_t id; /* in for update and delete, out for create */
    char name[128];
};
/* 45157 empty or taken name (星标组 included), 45158 name too long, 45056 100 tags already */
int users_tag_create_run(struct store *s, void *arg);
/* 45058 system tag, 45159 unknown tag, 45157, 45158 */
int users_tag_update_run(struct store *s, void *arg);
/* 45058 system tag, 45159 unknown tag, 45057 more than 100 000 members */
int users_tag_delete_run(struct store *s, void *arg);

/* a list of openids (already checked for shape) and, for tagging, a tag */
struct users_batch {
    char appid[19];
    int64_t tagid;
    int n;
    char openids[USERS_TAGGING_MAX][29];
};
/* 45159 not one of the account's tags, 49003 not a user of the account, 45059 a user
 * already carries 20 other tags. All or nothing. */
int users_tagging_run(struct store *s, void *arg);
int users_untagging_run(struct store *s, void *arg);
/* 49003 not a user of the account. All or nothing. */
int users_black_run(struct store *s, void *arg);
int users_unblack_run(struct store *s, void *arg);

/* records that user_id met appid without following (a followers row with subscribe 0, kept
 * as is when one exists), so user/info answers subscribe 0 for their openid */
int users_note(struct store *s, const char *appid, int64_t user_id);

#endif
