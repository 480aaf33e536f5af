/* seed: see seed.h. No SQL here. */
#include "seed.h"
#include "accounts.h"
#include "clock.h"
#include "../store/store.h"
#include "../store/store_chat.h"
#include "../util/err.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SEED_SCENE "ADD_SCENE_OTHERS"

void seed_username(int64_t n, char *out, size_t cap)
{
    snprintf(out, cap, "seed%07" PRId64, n);
}

/* the id of seed user n, created when the name is free; *created 1 if it was */
static int seed_user(struct store *s, int64_t n, int64_t *id, int *created)
{
    struct user u;
    memset(&u, 0, sizeof(u));
    seed_username(n, u.username, sizeof(u.username));
    int rc = accounts_user_create(s, &u, "");
    *created = rc == 0;
    if (rc == ERR_CONFLICT)
        rc = store_user_get_by_name(s, u.username, &u);
    *id = u.id;
    return rc;
}

static void follower_row(struct follower *f, const char *appid, int64_t user_id, int64_t now,
                         int64_t mark)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->appid, sizeof(f->appid), "%s", appid);
    accounts_openid(appid, user_id, f->openid);
    f->user_id = user_id;
    f->subscribed = 1;
    f->subscribe_time = now;
    snprintf(f->subscribe_scene, sizeof(f->subscribe_scene), "%s", SEED_SCENE);
    f->follow_mark = mark;
}

int seed_followers(struct store *s, struct seed_range *r)
{
    struct account a;
    if (r->first < 1 || r->count < 0)
        return ERR_ARGUMENT_INVALID;
    int rc = store_account_get(s, r->appid, &a);
    if (rc != 0)
        return rc == ERR_NOT_FOUND ? ERR_INVALID_APPID : rc;
    int64_t mark, now = clock_now();
    if ((rc = store_chat_max_id(s, &mark)) != 0)
        return rc;
    for (int64_t n = r->first; n < r->first + r->count; n++) {
        int64_t id;
        int created, written;
        struct follower f;
        if ((rc = seed_user(s, n, &id, &created)) != 0)
            return rc;
        follower_row(&f, a.appid, id, now, mark);
        if ((rc = store_follower_subscribe(s, &f, &written)) != 0)
            return rc;
        r->created += created;
        r->followed += written;
        r->skipped += !written;
    }
    return 0;
}
