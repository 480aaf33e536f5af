/*
 * utf8: see utf8.h.
 */
#include "utf8.h"
#include "xalloc.h"

#include <string.h>

/* the length of the sequence starting at p (n bytes left), or 0 if it is malformed */
static size_t seq_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = c & (0xff >> (len + 1));
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    while (n > 0) {
        size_t l = seq_len(p, n);
        if (l == 0)
            return 0;
        p += l;
        n -= l;
    }
    return 1;
}

char *utf8_scrub(const char *s)
{
    size_t n = strlen(s), o = 0;
    const unsigned char *p = (const unsigned char *)s;
    char *out = xmalloc(n * 3 + 1);
    while (n > 0) {
        size_t l = seq_len(p, n);
        if (l == 0) {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            l = 1;
        } else {
            memcpy(out + o, p, l);
            o += l;
        }
        p += l;
        n -= l;
    }
    out[o] = 0;
    return out;
}
