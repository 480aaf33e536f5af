/*
 * fuzz_head: the request heads intake reads before a body (intake_parse_head), from the start
 * of a socket's input. Input: the bytes received so far. A complete head lies inside them,
 * ends at its blank line, and names a non-empty target inside the request line; a declared
 * length is a plain decimal number.
 */
#include "fuzz.h"

#include "http/intake.h"

FUZZ_QUIET_LOGS()

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *p = fuzz_dup(data, size);
    struct req_head h;
    int rc = intake_parse_head(p, size, &h);
    FUZZ_CHECK(rc >= -1 && rc <= 1);
    if (rc == 1) {
        FUZZ_CHECK(h.head_len >= 4 && h.head_len <= size);
        FUZZ_CHECK(h.path > p && h.path_len > 0 && h.path + h.path_len < p + size);
        FUZZ_CHECK(memchr(h.path, ' ', h.path_len) == NULL);
        FUZZ_CHECK(h.length >= -1 && h.length < 1000000000000000000LL);
        FUZZ_CHECK(memchr(h.path, '\r', h.path_len) == NULL);
        FUZZ_CHECK(p[h.head_len - 4] == '\r' && p[h.head_len - 1] == '\n');
    }
    free(p);
    return 0;
}
