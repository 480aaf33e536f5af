/*
 * utf8: validation of UTF-8 text (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF). JSON parsers pass bytes through; XML and the chat need well-formed text.
 */
#ifndef LJ_UTF8_H
#define LJ_UTF8_H

#include <stddef.h>

int utf8_valid(const char *s, size_t n);
/* s with each malformed byte replaced by U+FFFD (malloc'd, NUL-terminated) */
char *utf8_scrub(const char *s);

#endif
