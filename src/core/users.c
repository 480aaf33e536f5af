/* users: see users.h. No SQL here. */
#include "users.h"
#include "accounts.h"
#include "clock.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

int users_openid_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n >= 28 || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return n == 28;
}

int users_tag_name_check(const char *name)
{
    size_t n = strlen(name);
    if (n == 0)
        return ERR_INVALID_TAG_NAME;
    return n > USERS_TAG_NAME_MAX ? ERR_TAG_NAME_TOO_LONG : 0;
}

int users_remark_check(const char *remark)
{
    return strlen(remark) >= USERS_REMARK_MAX ? ERR_INVALID_REMARK : 0;
}

int users_tag_is_system(int64_t id)
{
    return id >= 0 && id <= USERS_TAG_STARRED;
}

/* the followers row of openid: 0, or `unknown` when malformed or absent */
static int lookup(struct store *s, const char *appid, const char *openid, int unknown,
                  struct follower *out)
{
    if (!users_openid_valid(openid))
        return ERR_INVALID_OPENID;
    int rc = store_follower_get(s, appid, openid, out);
    return rc == ERR_NOT_FOUND ? unknown : rc;
}

int users_info(struct store *rd, const struct account *a, const char *openid, struct users_fan *out)
{
    memset(out, 0, sizeof(*out));
    int rc = lookup(rd, a->appid, openid, ERR_INVALID_OPENID, &out->f);
    if (rc == 0)
        rc = store_fan_tag_ids(rd, a->appid, openid, out->tags, USERS_TAG_IDS, &out->ntags);
    if (rc != 0)
        return rc;
    struct user u;
    if (store_user_get(rd, out->f.user_id, &u) == 0 && u.language[0])
        snprintf(out->language, sizeof(out->language), "%s", u.language);
    else
        snprintf(out->language, sizeof(out->language), "zh_CN");
    if (a->open_appid[0])
        accounts_unionid(a->open_appid, out->f.user_id, out->unionid);
    return 0;
}

/* ---------------------------------------------------------------- pages */

struct page_ctx {
    store_openid_cb cb;
    void *arg;
    struct users_page *page;
};

static void page_add(void *arg, const char *openid)
{
    struct page_ctx *c = arg;
    c->page->count++;
    snprintf(c->page->last, sizeof(c->page->last), "%s", openid);
    c->cb(c->arg, openid);
}

int users_followers(struct store *rd, const char *appid, const char *next, store_openid_cb cb,
                    void *arg, struct users_page *out)
{
    memset(out, 0, sizeof(*out));
    if (next[0] && !users_openid_valid(next))
        return ERR_INVALID_OPENID;
    struct page_ctx c = {cb, arg, out};
    int rc = store_fan_count(rd, appid, &out->total);
    return rc != 0 ? rc : store_fan_page(rd, appid, next, USERS_PAGE, page_add, &c);
}

int users_blacklist(struct store *rd, const char *appid, const char *begin, store_openid_cb cb,
                    void *arg, struct users_page *out)
{
    memset(out, 0, sizeof(*out));
    struct follower f;
    int rc = begin[0] ? lookup(rd, appid, begin, ERR_OPENID_NOT_OWNED, &f) : 0;
    if (rc == 0)
        rc = store_black_count(rd, appid, &out->total);
    struct page_ctx c = {cb, arg, out};
    return rc != 0 ? rc : store_black_page(rd, appid, begin, USERS_PAGE, page_add, &c);
}

/* 0 if tagid is one of the account's tags (or 星标组 when `starred` allows it), else 45159 */
static int tag_exists(struct store *s, const char *appid, int64_t tagid, int starred)
{
    struct utag t;
    if (tagid == USERS_TAG_STARRED && starred)
        return 0;
    if (users_tag_is_system(tagid) || tagid < 0)
        return ERR_INVALID_TAG_ID;
    int rc = store_utag_get(s, appid, tagid, &t);
    return rc == ERR_NOT_FOUND ? ERR_INVALID_TAG_ID : rc;
}

int users_tag_fans(struct store *rd, const char *appid, int64_t tagid, const char *next,
                   store_openid_cb cb, void *arg, struct users_page *out)
{
    memset(out, 0, sizeof(*out));
    int rc = tag_exists(rd, appid, tagid, 1);
    if (rc == 0 && next[0] && !users_openid_valid(next))
        rc = ERR_INVALID_OPENID;
    struct page_ctx c = {cb, arg, out};
    return rc != 0 ? rc : store_utag_member_page(rd, appid, tagid, next, USERS_PAGE, page_add, &c);
}

int users_tags(struct store *rd, const char *appid, store_utag_cb cb, void *arg)
{
    struct utag star = {.id = USERS_TAG_STARRED};
    snprintf(star.name, sizeof(star.name), "%s", USERS_TAG_STARRED_NAME);
    int rc = store_utag_members(rd, appid, USERS_TAG_STARRED, INT64_MAX, &star.count);
    if (rc != 0)
        return rc;
    cb(arg, &star);
    return store_utag_list(rd, appid, cb, arg);
}

int users_tag_ids(struct store *rd, const char *appid, const char *openid, int64_t *ids, int cap,
                  int *n)
{
    struct follower f;
    *n = 0;
    int rc = lookup(rd, appid, openid, ERR_INVALID_OPENID, &f);
    return rc != 0 ? rc : store_fan_tag_ids(rd, appid, openid, ids, cap, n);
}

/* ---------------------------------------------------------------- remark, tags */

int users_remark_run(struct store *s, void *arg)
{
    struct users_remark *j = arg;
    struct follower f;
    int rc = lookup(s, j->appid, j->openid, ERR_INVALID_OPENID, &f);
    if (rc == 0)
        rc = users_remark_check(j->remark);
    if (rc != 0)
        return rc;
    snprintf(f.remark, sizeof(f.remark), "%s", j->remark);
    return store_follower_put(s, &f);
}

/* a new or changed tag name: its shape, and never the system tag's name */
static int name_ok(const char *name)
{
    int rc = users_tag_name_check(name);
    if (rc == 0 && strcmp(name, USERS_TAG_STARRED_NAME) == 0)
        rc = ERR_INVALID_TAG_NAME;
    return rc;
}

int users_tag_create_run(struct store *s, void *arg)
{
    struct users_tag_job *j = arg;
    int64_t n = 0, max = 0;
    int rc = name_ok(j->name);
    if (rc == 0)
        rc = store_utag_count(s, j->appid, &n);
    if (rc == 0 && n >= USERS_TAGS_MAX)
        rc = ERR_TOO_MANY_TAGS;
    if (rc == 0)
        rc = store_utag_max_id(s, j->appid, &max);
    if (rc != 0)
        return rc;
    j->id = (max < USERS_TAG_FIRST ? USERS_TAG_FIRST : max + 1);
    rc = store_utag_insert(s, j->appid, j->id, j->name, clock_now());
    return rc == ERR_CONFLICT ? ERR_INVALID_TAG_NAME : rc;
}

int users_tag_update_run(struct store *s, void *arg)
{
    struct users_tag_job *j = arg;
    if (users_tag_is_system(j->id))
        return ERR_SYS_TAG;
    int rc = name_ok(j->name);
    if (rc == 0)
        rc = tag_exists(s, j->appid, j->id, 0);
    if (rc == 0)
        rc = store_utag_rename(s, j->appid, j->id, j->name);
    return rc == ERR_CONFLICT ? ERR_INVALID_TAG_NAME : rc;
}

int users_tag_delete_run(struct store *s, void *arg)
{
    struct users_tag_job *j = arg;
    int64_t members = 0;
    if (users_tag_is_system(j->id))
        return ERR_SYS_TAG;
    int rc = tag_exists(s, j->appid, j->id, 0);
    if (rc == 0)
        rc = store_utag_members(s, j->appid, j->id, USERS_TAG_DELETE_MAX + 1, &members);
    if (rc == 0 && members > USERS_TAG_DELETE_MAX)
        rc = ERR_TAG_TOO_MANY_FANS;
    return rc != 0 ? rc : store_utag_delete(s, j->appid, j->id);
}

/* ---------------------------------------------------------------- batches */

/* every openid of the batch must belong to a user of the account */
static int batch_known(struct store *s, const struct users_batch *b)
{
    for (int i = 0; i < b->n; i++) {
        struct follower f;
        int rc = lookup(s, b->appid, b->openids[i], ERR_OPENID_NOT_OWNED, &f);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* 45059 when the user would carry more than 20 tags with tagid */
static int room_for_tag(struct store *s, const char *appid, const char *openid, int64_t tagid)
{
    int has = 0;
    int64_t n = 0;
    int rc = store_fan_tag_has(s, appid, openid, tagid, &has);
    if (rc == 0 && !has)
        rc = store_fan_tag_count(s, appid, openid, &n);
    if (rc == 0 && !has && n >= USERS_TAGS_PER_USER)
        rc = ERR_USER_TOO_MANY_TAGS;
    return rc;
}

int users_tagging_run(struct store *s, void *arg)
{
    struct users_batch *b = arg;
    int rc = tag_exists(s, b->appid, b->tagid, 0);
    if (rc == 0)
        rc = batch_known(s, b);
    for (int i = 0; rc == 0 && i < b->n; i++)
        rc = room_for_tag(s, b->appid, b->openids[i], b->tagid);
    for (int i = 0; rc == 0 && i < b->n; i++)
        rc = store_fan_tag_add(s, b->appid, b->openids[i], b->tagid, clock_now());
    return rc;
}

int users_untagging_run(struct store *s, void *arg)
{
    struct users_batch *b = arg;
    int rc = tag_exists(s, b->appid, b->tagid, 0);
    if (rc == 0)
        rc = batch_known(s, b);
    for (int i = 0; rc == 0 && i < b->n; i++)
        rc = store_fan_tag_remove(s, b->appid, b->openids[i], b->tagid);
    return rc;
}

static int set_black(struct store *s, const struct users_batch *b, int on)
{
    int rc = batch_known(s, b);
    for (int i = 0; rc == 0 && i < b->n; i++) {
        struct follower f;
        rc = store_follower_get(s, b->appid, b->openids[i], &f);
        if (rc != 0 || f.blacklisted == on)
            continue;
        f.blacklisted = on;
        f.blacklisted_at = on ? clock_now() : 0;
        rc = store_follower_put(s, &f);
    }
    return rc;
}

int users_black_run(struct store *s, void *arg)
{
    return set_black(s, arg, 1);
}

int users_unblack_run(struct store *s, void *arg)
{
    return set_black(s, arg, 0);
}

int users_note(struct store *s, const char *appid, int64_t user_id)
{
    char openid[29];
    accounts_openid(appid, user_id, openid);
    return store_fan_note(s, appid, openid, user_id);
}
