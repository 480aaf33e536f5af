/*
 * store_chat: followers (the account side of a user), chat messages and the push outbox.
 * Same conventions as store.h: 0, ERR_NOT_FOUND, ERR_CONFLICT or ERR_SYSTEM.
 */
#ifndef LJ_STORE_CHAT_H
#define LJ_STORE_CHAT_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct follower {
    char appid[19];
    char openid[29];
    int64_t user_id;
    int subscribed;
    int64_t subscribe_time;
    int64_t unsubscribe_time;
    char subscribe_scene[40];
    int64_t qr_scene;
    char qr_scene_str[72];
    char remark[96];
    int blacklisted;
    int64_t blacklisted_at;
    /* customer-service window: opened at cs_at for cs_ttl seconds, cs_quota sends, cs_used */
    int64_t cs_at, cs_ttl, cs_quota, cs_used;
    int64_t typing_until;
    int64_t follow_mark; /* the newest chat message id when they last followed */
};

/* a chat message. dir 0: user to account, 1: account to user. audience: 0 = user_id only;
 * for broadcasts (user_id 0): -1 every follower, -2 an openid list, >0 one tag */
struct chat_msg {
    int64_t id;
    char appid[19];
    int64_t user_id;
    int dir;
    char source[16]; /* user, reply, custom, template, mass, system */
    char msgtype[24];
    char *body; /* JSON object, owned by the caller (heap) */
    int64_t msgid;
    int64_t audience;
    int64_t created_at;
};

/* a push waiting in the outbox. state: 0 due, 1 delivered, 2 failed, 3 dropped (no URL) */
struct push_rec {
    int64_t id;
    char appid[19];
    char target[19]; /* who receives it: the account appid, or a component appid */
    char via[19];    /* a component receiving the account's messages for it; "" = none */
    int64_t user_id;
    char openid[29];
    char kind[40];
    char *xml; /* heap */
    int reply_ok;
    int state;
    int attempts;
    int64_t next_at;
    char outcome[24];
    int64_t created_at;
    int64_t created_ns;
};

struct push_attempt {
    int64_t push_id;
    char appid[19];
    int attempt;
    int64_t started_at;
    int64_t duration_ms;
    const char *url;
    const char *request;
    int http_status;
    const char *response;
    const char *outcome;
    const char *detail;
};

typedef void (*store_follower_cb)(void *arg, const struct follower *f);
typedef void (*store_chat_cb)(void *arg, const struct chat_msg *m);
typedef void (*store_push_cb)(void *arg, const struct push_rec *p);
typedef void (*store_attempt_cb)(void *arg, const struct push_attempt *a, int64_t id);

int store_follower_get(struct store *s, const char *appid, const char *openid,
                       struct follower *out);
int store_follower_by_user(struct store *s, const char *appid, int64_t user_id,
                           struct follower *out);
/* inserts or replaces every field */
int store_follower_put(struct store *s, const struct follower *f);
/* the accounts a user follows */
int store_follower_list_user(struct store *s, int64_t user_id, store_follower_cb cb, void *arg);

/* sets m->id */
int store_chat_insert(struct store *s, struct chat_msg *m);
/* messages of (appid, user) with id > after, oldest first, at most limit; broadcasts to the
 * user (to every follower, a tag they have, an openid list) newer than since included, but
 * not a capped mass send that MASS_MONTH_CAP earlier sends of its month reached (mass.c) */
int store_chat_list(struct store *s, const char *appid, int64_t user_id, const char *openid,
                    int64_t since, int64_t after, int limit, store_chat_cb cb, void *arg);
/* the newest message of that chat (at most one call of cb) */
int store_chat_last(struct store *s, const char *appid, int64_t user_id, const char *openid,
                    int64_t since, store_chat_cb cb, void *arg);
/* how many of its messages from the account came after message id `read` */
int store_chat_unread(struct store *s, const char *appid, int64_t user_id, const char *openid,
                      int64_t since, int64_t read, int64_t *out);
/* the newest message the user has read in a chat (0: none); put only moves it forward */
int store_chat_read_get(struct store *s, int64_t user_id, const char *appid, int64_t *out);
int store_chat_read_put(struct store *s, int64_t user_id, const char *appid, int64_t id);
int store_mass_target_insert(struct store *s, int64_t message_id, int64_t user_id);
/* the newest chat message id (0 when none) */
int store_chat_max_id(struct store *s, int64_t *out);

/* sets p->id */
int store_push_insert(struct store *s, struct push_rec *p);
/* pushes in state 0 with id > after, oldest first */
int store_push_pending(struct store *s, int64_t after, int limit, store_push_cb cb, void *arg);
/*
 * claims up to `limit` pushes in state 0 with id > after whose lease has run out (lease_until
 * < now: unclaimed, or claimed by a node that died), leasing them until `until`: no other node
 * claims them meanwhile. cb gets each, in no particular order.
 */
int store_push_claim(struct store *s, int64_t after, int limit, int64_t now, int64_t until,
                     store_push_cb cb, void *arg);
/* extends the lease of a pending push to `until` */
int store_push_lease(struct store *s, int64_t id, int64_t until);
/* ends the lease of a pending push (id), or of every pending push (id 0) */
int store_push_release(struct store *s, int64_t id);
int store_push_update(struct store *s, int64_t id, int state, int attempts, int64_t next_at,
                      const char *outcome, int64_t done_at);
int store_push_get(struct store *s, int64_t id, struct push_rec *out);
/* pushes of an account, newest first, id < before (0 = from the newest) */
int store_push_list(struct store *s, const char *appid, int64_t before, int limit, store_push_cb cb,
                    void *arg);
int store_attempt_insert(struct store *s, const struct push_attempt *a);
/* removes up to limit of the oldest pushes created before `before` that are no longer
 * pending, with their attempts; *removed tells how many */
int store_push_prune(struct store *s, int64_t before, int limit, int *removed);
int store_attempt_list(struct store *s, int64_t push_id, store_attempt_cb cb, void *arg);

/* makes f a subscribed follower unless it already is one: inserts its row, or re-subscribes
 * an unsubscribed row (subscribe_time, scene, QR scene and follow_mark from f; remark, tags,
 * blacklist and window kept). *written: 1 when a row was written, 0 when f->openid already
 * followed */
int store_follower_subscribe(struct store *s, const struct follower *f, int *written);

#endif
