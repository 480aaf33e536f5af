/* hash: FNV-1a, for in-memory tables keyed by strings (not for anything secret) */
#ifndef LJ_HASH_H
#define LJ_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t hash_fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

#endif
