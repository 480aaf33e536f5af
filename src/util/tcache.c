/* tcache: see tcache.h */
#include "tcache.h"
#include "hash.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

struct slot_head {
    uint64_t generation; /* 0: never filled */
    char key[TCACHE_KEY_MAX];
};

static size_t slot_size(const struct tcache *c)
{
    return (sizeof(struct slot_head) + c->rec_size + 7) & ~(size_t)7;
}

static struct slot_head *slot_at(const struct tcache *c, size_t set, size_t way)
{
    return (struct slot_head *)(c->slots + (set * c->ways + way) * slot_size(c));
}

static size_t set_of(const struct tcache *c, const char *key, size_t len)
{
    return hash_fnv1a(key, len) % c->sets;
}

uint64_t tcache_generation(struct tcache *c)
{
    return atomic_load(&c->generation);
}

void tcache_bump(struct tcache *c)
{
    atomic_fetch_add(&c->generation, 1);
}

int tcache_get(struct tcache *c, const char *key, void *rec)
{
    size_t len = strlen(key);
    if (len >= TCACHE_KEY_MAX)
        return 0;
    uint64_t gen = atomic_load(&c->generation);
    size_t set = set_of(c, key, len);
    int hit = 0;
    pthread_rwlock_rdlock(&c->lock);
    for (size_t w = 0; c->slots && w < c->ways && !hit; w++) {
        const struct slot_head *h = slot_at(c, set, w);
        hit = h->generation == gen && memcmp(h->key, key, len + 1) == 0;
        if (hit)
            memcpy(rec, h + 1, c->rec_size);
    }
    pthread_rwlock_unlock(&c->lock);
    return hit;
}

void tcache_put(struct tcache *c, const char *key, uint64_t gen, const void *rec)
{
    size_t len = strlen(key);
    if (len >= TCACHE_KEY_MAX)
        return;
    size_t set = set_of(c, key, len);
    pthread_rwlock_wrlock(&c->lock);
    if (!c->slots) {
        c->slots = xcalloc(c->sets * c->ways, slot_size(c));
        c->next = xcalloc(c->sets, sizeof(*c->next));
    }
    struct slot_head *h = slot_at(c, set, c->next[set]++ % c->ways);
    h->generation = gen;
    memcpy(h->key, key, len + 1);
    memcpy(h + 1, rec, c->rec_size);
    pthread_rwlock_unlock(&c->lock);
}

void tcache_release(struct tcache *c)
{
    pthread_rwlock_wrlock(&c->lock);
    free(c->slots);
    free(c->next);
    c->slots = NULL;
    c->next = NULL;
    pthread_rwlock_unlock(&c->lock);
}
