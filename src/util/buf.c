/* buf: growable byte buffer (see buf.h). Aborts on OOM through xalloc. */
#include "buf.h"
#include "xalloc.h"

#include <stdio.h>
#include <string.h>

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
    b->ptr = buf_empty;
    b->len = b->cap = 0;
    b->max = max;
    b->toobig = 0;
}

void buf_release(struct buf *b)
{
    if (b->cap)
        free(b->ptr);
    buf_init(b, b->max);
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *p = b->cap ? b->ptr : xstrdup("");
    if (len)
        *len = b->len;
    buf_init(b, b->max);
    return p;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->ptr[0] = 0;
    b->toobig = 0;
}

static int buf_grow(struct buf *b, size_t extra)
{
    if (b->toobig)
        return -1;
    size_t need = b->len + extra + 1;
    if (b->max && need > b->max + 1) {
        b->toobig = 1;
        return -1;
    }
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->cap) {
        b->ptr = xrealloc(b->ptr, cap);
    } else {
        b->ptr = xmalloc(cap);
        b->ptr[0] = 0;
    }
    b->cap = cap;
    return 0;
}

void buf_reserve(struct buf *b, size_t n)
{
    buf_grow(b, n);
}

void buf_append(struct buf *b, const void *p, size_t n)
{
    if (n == 0 || buf_grow(b, n) != 0)
        return;
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = 0;
}

void buf_puts(struct buf *b, const char *s)
{
    buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
    buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(tmp)) {
        buf_append(b, tmp, (size_t)n);
        return;
    }
    if (buf_grow(b, (size_t)n) != 0)
        return;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void buf_json_str(struct buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        buf_append(b, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 0};
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            buf_append(b, esc, 2);
            break;
        case '\n':
            buf_append(b, "\\n", 2);
            break;
        case '\r':
            buf_append(b, "\\r", 2);
            break;
        case '\t':
            buf_append(b, "\\t", 2);
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            buf_append(b, esc, 6);
        }
    }
    buf_append(b, s + run, n - run);
    buf_putc(b, '"');
}

void buf_json_cstr(struct buf *b, const char *s)
{
    buf_json_str(b, s ? s : "", s ? strlen(s) : 0);
}
