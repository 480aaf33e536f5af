/*
 * tcache: a set-associative cache of fixed-size records found by a token string, for the
 * credentials checked on every request (client sessions, authorizer tokens) so that a check
 * does not read the database once a token has been seen.
 *
 * Invalidation is by generation: whoever changes what the records say calls tcache_bump()
 * after the change commits, and an entry of an older generation is a miss. A filler reads
 * tcache_generation() before it reads the database and stores with that value, so an entry
 * filled by a read that raced a change is already stale when stored.
 *
 * Defined statically with TCACHE_INIT; the slots are allocated by the first tcache_put().
 * Any thread may call any function.
 */
#ifndef LJ_TCACHE_H
#define LJ_TCACHE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define TCACHE_KEY_MAX 160 /* longer keys are never cached */

struct tcache {
    size_t sets, ways, rec_size;
    pthread_rwlock_t lock;
    _Atomic uint64_t generation;
    unsigned char *slots; /* sets * ways slots, each a generation, a key and a record */
    unsigned *next;       /* per set: the way the next put replaces */
};

#define TCACHE_INIT(sets, ways, rec_size)                                     \
    {                                                                         \
        (sets), (ways), (rec_size), PTHREAD_RWLOCK_INITIALIZER, 1, NULL, NULL \
    }

uint64_t tcache_generation(struct tcache *c);
/* every entry stored so far becomes a miss */
void tcache_bump(struct tcache *c);
/* 1 and the record into rec when key is cached in the current generation, else 0 */
int tcache_get(struct tcache *c, const char *key, void *rec);
/* stores rec (c->rec_size bytes) under key, as of generation gen */
void tcache_put(struct tcache *c, const char *key, uint64_t gen, const void *rec);
/* frees the slots: the cache is empty, and usable again */
void tcache_release(struct tcache *c);

#endif
