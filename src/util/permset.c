/* permset: parsing an authorization's set list into a mask (see permset.h) */
#include "permset.h"

struct permset permset_parse(const char *list)
{
    struct permset s = {{0, 0}};
    long id = 0;
    int digits = 0;
    for (const char *p = list;; p++) {
        if (*p >= '0' && *p <= '9') {
            if (id <= PERMSET_MAX)
                id = id * 10 + (*p - '0');
            digits = 1;
            continue;
        }
        if (digits && id > 0 && id <= PERMSET_MAX)
            s.w[id / 64] |= 1ull << (id % 64);
        id = 0;
        digits = 0;
        if (!*p)
            break;
    }
    return s;
}
