/* test_tcache: src/util/tcache.c: hits, generations, the ways of a set, long keys */
#include "helpers.h"
#include "util/tcache.h"

#include <stdio.h>
#include <string.h>

struct rec {
    int64_t user_id;
    char name[12];
};

static struct rec rec_of(int64_t id)
{
    struct rec r = {.user_id = id};
    snprintf(r.name, sizeof(r.name), "u%lld", (long long)id);
    return r;
}

Test(tcache, a_stored_key_hits_with_its_record_and_others_miss)
{
    struct tcache c = TCACHE_INIT(64, 2, sizeof(struct rec));
    struct rec out = {0};
    cr_assert_eq(tcache_get(&c, "tok-a", &out), 0, "empty cache");
    struct rec a = rec_of(7);
    tcache_put(&c, "tok-a", tcache_generation(&c), &a);
    cr_assert_eq(tcache_get(&c, "tok-a", &out), 1);
    cr_assert_eq(out.user_id, 7);
    cr_assert_str_eq(out.name, "u7");
    cr_assert_eq(tcache_get(&c, "tok-b", &out), 0);
    cr_assert_eq(tcache_get(&c, "tok-", &out), 0, "a prefix is another key");
    tcache_release(&c);
    ASSERT_NO_LEAKS();
}

Test(tcache, a_bump_turns_every_entry_into_a_miss)
{
    struct tcache c = TCACHE_INIT(64, 2, sizeof(struct rec));
    struct rec a = rec_of(1), out;
    uint64_t before = tcache_generation(&c);
    tcache_put(&c, "tok-a", before, &a);
    tcache_bump(&c);
    cr_assert_eq(tcache_get(&c, "tok-a", &out), 0);
    /* a fill that read the database before the change is stale when stored */
    tcache_put(&c, "tok-a", before, &a);
    cr_assert_eq(tcache_get(&c, "tok-a", &out), 0);
    tcache_put(&c, "tok-a", tcache_generation(&c), &a);
    cr_assert_eq(tcache_get(&c, "tok-a", &out), 1);
    tcache_release(&c);
    ASSERT_NO_LEAKS();
}

Test(tcache, a_full_set_replaces_its_oldest_entry)
{
    struct tcache c = TCACHE_INIT(1, 3, sizeof(struct rec)); /* one set: every key shares it */
    uint64_t g = tcache_generation(&c);
    char key[16];
    for (int i = 0; i < 4; i++) {
        struct rec r = rec_of(i);
        snprintf(key, sizeof(key), "k%d", i);
        tcache_put(&c, key, g, &r);
    }
    struct rec out;
    cr_assert_eq(tcache_get(&c, "k0", &out), 0, "the oldest of 3 ways went for k3");
    for (int i = 1; i < 4; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        cr_assert_eq(tcache_get(&c, key, &out), 1, "%s", key);
        cr_assert_eq(out.user_id, i);
    }
    tcache_release(&c);
    ASSERT_NO_LEAKS();
}

Test(tcache, keys_too_long_are_never_cached)
{
    struct tcache c = TCACHE_INIT(8, 1, sizeof(struct rec));
    char key[TCACHE_KEY_MAX + 1];
    memset(key, 'x', sizeof(key) - 1);
    key[sizeof(key) - 1] = 0;
    struct rec a = rec_of(3), out;
    tcache_put(&c, key, tcache_generation(&c), &a);
    cr_assert_eq(tcache_get(&c, key, &out), 0);
    key[TCACHE_KEY_MAX - 1] = 0; /* the longest that fits */
    tcache_put(&c, key, tcache_generation(&c), &a);
    cr_assert_eq(tcache_get(&c, key, &out), 1);
    tcache_release(&c);
    ASSERT_NO_LEAKS();
}
