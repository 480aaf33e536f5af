/* ratelimit: see ratelimit.h. A small fixed table; the oldest window is reused when full. */
#include "ratelimit.h"
#include "clock.h"
#include "../util/hash.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096

struct slot {
    char key[96];
    int64_t minute;
    int count;
};

static struct slot slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* the slot of key for this minute; mu held */
static struct slot *find(const char *purpose, const char *key, int create)
{
    char k[96];
    snprintf(k, sizeof(k), "%s|%s", purpose, key);
    int64_t minute = clock_now() / 60;
    uint32_t h = hash_fnv1a(k, strlen(k));
    struct slot *s = &slots[h % SLOTS];
    if (strcmp(s->key, k) != 0 || s->minute != minute) {
        if (!create)
            return NULL;
        snprintf(s->key, sizeof(s->key), "%s", k);
        s->minute = minute;
        s->count = 0;
    }
    return s;
}

int ratelimit_over(const char *purpose, const char *key, int limit)
{
    pthread_mutex_lock(&mu);
    struct slot *s = find(purpose, key, 0);
    int over = s && s->count >= limit;
    pthread_mutex_unlock(&mu);
    return over;
}

void ratelimit_count(const char *purpose, const char *key)
{
    pthread_mutex_lock(&mu);
    find(purpose, key, 1)->count++;
    pthread_mutex_unlock(&mu);
}
