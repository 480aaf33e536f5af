/* parse: see parse.h */
#include "parse.h"
#include "utf8.h"

#include <string.h>

int parse_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > 20)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int parse_i64(const char *s, size_t n, int64_t *out)
{
    int neg = n > 0 && s[0] == '-';
    uint64_t v;
    if (parse_u64(s + neg, n - (size_t)neg, &v) != 0)
        return -1;
    if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
        return -1;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static long decode(const char *v, size_t vlen, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < vlen; i++) {
        if (o + 1 >= cap)
            return -2;
        if (v[i] == '%') {
            int a, b;
            if (i + 2 >= vlen || (a = hexval(v[i + 1])) < 0 || (b = hexval(v[i + 2])) < 0)
                return -2;
            if (a == 0 && b == 0)
                return -2; /* a NUL would cut the value short: refuse it */
            out[o++] = (char)(a * 16 + b);
            i += 2;
        } else if (v[i] == 0) {
            return -2; /* a raw NUL too */
        } else {
            out[o++] = v[i] == '+' ? ' ' : v[i];
        }
    }
    out[o] = 0;
    if (!utf8_valid(out, o))
        return -2; /* text is UTF-8: other bytes would be stored and echoed as they came */
    return (long)o;
}

long parse_form_param(const char *q, size_t qlen, const char *name, char *out, size_t cap)
{
    size_t nlen = strlen(name);
    const char *p = q, *end = q + qlen;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *seg_end = amp ? amp : end;
        size_t seg = (size_t)(seg_end - p);
        if (seg >= nlen && memcmp(p, name, nlen) == 0 && (seg == nlen || p[nlen] == '=')) {
            const char *v = seg == nlen ? seg_end : p + nlen + 1;
            return decode(v, (size_t)(seg_end - v), out, cap);
        }
        p = seg_end + 1;
    }
    return -1;
}
