/*
 * fuzz.h: what the libFuzzer targets share (fuzz/README.md). Each fuzz_<name>.c defines
 * LLVMFuzzerTestOneInput over one parser, checks what must hold of what it returns with
 * FUZZ_CHECK, and frees everything it made (leak detection is on).
 */
#ifndef LJ_FUZZ_H
#define LJ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* a broken invariant: says which and aborts, which libFuzzer reports as a crash */
#define FUZZ_CHECK(cond)                                                                 \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                     \
        }                                                                                \
    } while (0)

/* the server's log lines off: a parser that logs would flood the fuzzer's output */
#define FUZZ_QUIET_LOGS()                             \
    int LLVMFuzzerInitialize(int *argc, char ***argv) \
    {                                                 \
        (void)argc;                                   \
        (void)argv;                                   \
        log_threshold = LOG_OFF;                      \
        return 0;                                     \
    }

/* n bytes in a heap block of exactly n (n = 0: one byte), so ASan sees a read past them */
static inline char *fuzz_dup(const void *p, size_t n)
{
    char *d = malloc(n ? n : 1);
    if (!d)
        abort();
    if (n)
        memcpy(d, p, n);
    return d;
}

/* n bytes and a NUL in a heap block of exactly n + 1 */
static inline char *fuzz_cstr(const void *p, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        abort();
    if (n)
        memcpy(d, p, n);
    d[n] = 0;
    return d;
}

/*
 * 1 if p[0..n) is well-formed UTF-8, read off the table of well-formed byte sequences
 * (Unicode 15, table 3-7): written apart from src/util/utf8.c, to check it
 */
static inline int fuzz_utf8_ok(const void *p, size_t n)
{
    const unsigned char *s = p, *end = s + n;
    while (s < end) {
        unsigned c = *s++, lo = 0x80, hi = 0xbf;
        int more;
        if (c < 0x80)
            continue;
        if (c >= 0xc2 && c <= 0xdf)
            more = 1;
        else if (c >= 0xe0 && c <= 0xef)
            more = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        else if (c >= 0xf0 && c <= 0xf4)
            more = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        else
            return 0;
        for (int i = 0; i < more; i++, lo = 0x80, hi = 0xbf) {
            if (s >= end || *s < lo || *s > hi)
                return 0;
            s++;
        }
    }
    return 1;
}

/* splits data at the first '\n' into a head (the line, without it) and the rest; without a
 * '\n' the head is empty and the rest is everything */
static inline void fuzz_split_line(const uint8_t *data, size_t size, const uint8_t **head,
                                   size_t *head_len, const uint8_t **rest, size_t *rest_len)
{
    const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
    if (!nl) {
        *head = data;
        *head_len = 0;
        *rest = data;
        *rest_len = size;
        return;
    }
    *head = data;
    *head_len = (size_t)(nl - data);
    *rest = nl + 1;
    *rest_len = size - *head_len - 1;
}

#endif
