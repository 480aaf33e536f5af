/*
 * seed: many followers at once, for load tests (`lianjie admin seed-followers`). User n is
 * named seedNNNNNNN (n on at least seven digits); it is created when no user has that name
 * (no password: it cannot sign in until one is set) and reused when one has. Each follows the
 * account with the row a follow writes: the derived openid, subscribed, subscribe_time now,
 * follow_mark = the newest chat message id (older broadcasts stay hidden, as for a new
 * follower), scene ADD_SCENE_OTHERS. No user acted, so no subscribe push is queued and no
 * customer-service window opens. A user who already follows is left as is; one who left
 * follows again (remark, tags and blacklist kept).
 *
 * Runs inside the caller's transaction; no SQL here.
 */
#ifndef LJ_SEED_H
#define LJ_SEED_H

#include <stddef.h>
#include <stdint.h>

struct store;

struct seed_range {
    const char *appid;
    int64_t first; /* the first n (1 for seed0000001) */
    int64_t count; /* how many: first .. first + count - 1 */
    /* results, added to (so one struct can sum several ranges) */
    int64_t created;  /* users created */
    int64_t followed; /* follower rows written (new followers and returning ones) */
    int64_t skipped;  /* already following */
};

/* the name of seed user n */
void seed_username(int64_t n, char *out, size_t cap);

/* users first .. first + count - 1 follow r->appid: 0, ERR_INVALID_APPID (no such account),
 * ERR_ARGUMENT_INVALID (first < 1 or count < 0) or ERR_SYSTEM */
int seed_followers(struct store *s, struct seed_range *r);

#endif
