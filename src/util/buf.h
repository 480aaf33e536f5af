/*
 * buf: an owned, growable, NUL-terminated byte buffer with a hard cap.
 * Rules (as git's strbuf): ptr is never NULL after BUF_INIT/buf_init; ptr[len] == 0;
 * binary-safe; growing past max sets `toobig` and drops the append.
 * The owner calls buf_release(); buf_detach() hands the memory to the caller.
 */
#ifndef LJ_BUF_H
#define LJ_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max; /* 0 = no cap */
    int toobig;
};

extern char buf_empty[];
#define BUF_INIT              \
    {                         \
        buf_empty, 0, 0, 0, 0 \
    }

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
char *buf_detach(struct buf *b, size_t *len);
void buf_reset(struct buf *b);
/* makes room for n more bytes at once (appends that follow do not reallocate) */
void buf_reserve(struct buf *b, size_t n);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* appends s as a JSON string literal, quotes included; raw UTF-8 is kept as is */
void buf_json_str(struct buf *b, const char *s, size_t n);
void buf_json_cstr(struct buf *b, const char *s);

#endif
