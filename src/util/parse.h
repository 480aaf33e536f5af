/* parse: strict number parsing and URL-encoded form decoding. No atoi/strtol at call sites. */
#ifndef LJ_PARSE_H
#define LJ_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* decimal integer, optional leading '-', no spaces, no overflow: 0 or -1 */
int parse_i64(const char *s, size_t n, int64_t *out);
int parse_u64(const char *s, size_t n, uint64_t *out);

/*
 * Finds `name` in a query string or x-www-form-urlencoded body (no leading '?') and
 * %-decodes its value into out (NUL-terminated, at most cap-1 bytes).
 * Returns the value's length, -1 when absent, -2 when malformed, too long, not UTF-8 once
 * decoded, or holding a NUL (%00 or a raw one), which would cut the value short.
 */
long parse_form_param(const char *q, size_t qlen, const char *name, char *out, size_t cap);

#endif
