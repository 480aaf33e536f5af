/*
 * permset: a set of third-party permission set ids (spec/component.md §7) as a 128-bit mask,
 * ids 1..127. A route lists the sets that grant it (PERMSETS(1, 6, 100, 101)); an
 * authorization's granted sets become a mask once, when its token is first checked; the check
 * on every request is then two ANDs. Ids above 127 are ignored: no route is granted by them.
 */
#ifndef LJ_PERMSET_H
#define LJ_PERMSET_H

#include <stdint.h>

struct permset {
    uint64_t w[2];
};

#define PERMSET_MAX 127

/* clang-format off */
#define PS_LO_(id) (((id) > 0 && (id) < 64) ? (1ull << ((id) & 63)) : 0ull)
#define PS_HI_(id) (((id) >= 64 && (id) <= PERMSET_MAX) ? (1ull << ((id) & 63)) : 0ull)

/* F(a) | F(b) | ... for up to 12 ids */
#define PS_1(F, a)       F(a)
#define PS_2(F, a, ...)  F(a) | PS_1(F, __VA_ARGS__)
#define PS_3(F, a, ...)  F(a) | PS_2(F, __VA_ARGS__)
#define PS_4(F, a, ...)  F(a) | PS_3(F, __VA_ARGS__)
#define PS_5(F, a, ...)  F(a) | PS_4(F, __VA_ARGS__)
#define PS_6(F, a, ...)  F(a) | PS_5(F, __VA_ARGS__)
#define PS_7(F, a, ...)  F(a) | PS_6(F, __VA_ARGS__)
#define PS_8(F, a, ...)  F(a) | PS_7(F, __VA_ARGS__)
#define PS_9(F, a, ...)  F(a) | PS_8(F, __VA_ARGS__)
#define PS_10(F, a, ...) F(a) | PS_9(F, __VA_ARGS__)
#define PS_11(F, a, ...) F(a) | PS_10(F, __VA_ARGS__)
#define PS_12(F, a, ...) F(a) | PS_11(F, __VA_ARGS__)
#define PS_PICK_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, N, ...) N
#define PS_MAP_(F, ...) PS_PICK_(__VA_ARGS__, PS_12, PS_11, PS_10, PS_9, PS_8, PS_7, PS_6, \
                                 PS_5, PS_4, PS_3, PS_2, PS_1, 0)(F, __VA_ARGS__)

/* the sets granting a route, as a constant initializer: PERMSETS(1, 6, 100, 101) */
#define PERMSETS(...) {{PS_MAP_(PS_LO_, __VA_ARGS__), PS_MAP_(PS_HI_, __VA_ARGS__)}}
/* no third party may call the route */
#define PERMSETS_NONE {{0, 0}}
/* granted by any set at all ("服务商获得任意权限集授权后"): quota and server-address APIs */
#define PERMSETS_ANY {{~1ull, ~0ull}}
/* clang-format on */

/* 1 if a and b share a set */
static inline int permset_meets(const struct permset *a, const struct permset *b)
{
    return ((a->w[0] & b->w[0]) | (a->w[1] & b->w[1])) != 0;
}

static inline int permset_empty(const struct permset *a)
{
    return (a->w[0] | a->w[1]) == 0;
}

static inline int permset_has(const struct permset *a, int id)
{
    if (id <= 0 || id > PERMSET_MAX)
        return 0;
    return (a->w[id / 64] >> (id % 64)) & 1;
}

/* the mask of a comma-separated id list ("1,2,15"); ids out of 1..127 and junk are skipped */
struct permset permset_parse(const char *list);

#endif
