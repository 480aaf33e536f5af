/*
 * fuzz_form: query strings and x-www-form-urlencoded bodies (parse_form_param, behind
 * req_query and req_param), and the strict integers handlers read out of them (parse_i64,
 * parse_u64). The input is "name\nquery"; without a '\n' it is a query and the names looked
 * up are fixed ones. Values are UTF-8 (utf8_valid agrees with a table-driven check, and
 * utf8_scrub makes any input UTF-8). Each lookup writes into a block of exactly cap bytes, so a
 * write past it is an ASan report. What a lookup finds must agree with a plain reference reading of
 * the same query, and a value found, percent-encoded again, must decode to itself.
 */
#include "fuzz.h"

#include "util/buf.h"
#include "util/parse.h"
#include "util/url.h"
#include "util/utf8.h"

#include <errno.h>
#include <inttypes.h>

FUZZ_QUIET_LOGS()

static int hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * The reference: the first '&'-separated pair whose name is `name` (a bare name has an
 * empty value), its value decoded into out (room for qlen + 1): its length, -1 absent,
 * -2 malformed (a bad escape, %00 or a raw NUL, or not UTF-8 once decoded).
 */
static long reference(const char *q, size_t qlen, const char *name, char *out)
{
    size_t nlen = strlen(name), i = 0;
    while (i < qlen) {
        size_t j = i;
        while (j < qlen && q[j] != '&')
            j++;
        if (j - i >= nlen && memcmp(q + i, name, nlen) == 0 &&
            (j - i == nlen || q[i + nlen] == '=')) {
            size_t v = j - i == nlen ? j : i + nlen + 1;
            long o = 0;
            for (size_t k = v; k < j; k++) {
                int c = (unsigned char)q[k];
                if (c == '%') {
                    if (k + 2 >= j || hex(q[k + 1]) < 0 || hex(q[k + 2]) < 0)
                        return -2;
                    c = hex(q[k + 1]) * 16 + hex(q[k + 2]);
                    k += 2;
                } else if (c == '+') {
                    c = ' ';
                }
                if (c == 0)
                    return -2;
                out[o++] = (char)c;
            }
            out[o] = 0;
            return fuzz_utf8_ok(out, (size_t)o) ? o : -2;
        }
        i = j + 1;
    }
    return -1;
}

static void check_numbers(const char *s, size_t n)
{
    int64_t i = 0;
    uint64_t u = 0;
    int ri = parse_i64(s, n, &i), ru = parse_u64(s, n, &u);
    int digits = n > 0 && n <= 20;
    for (size_t k = 0; k < n; k++)
        digits = digits && s[k] >= '0' && s[k] <= '9';
    if (ru == 0) { /* digits only, and the value strtoull reads */
        FUZZ_CHECK(digits);
        char *z = fuzz_cstr(s, n);
        errno = 0;
        unsigned long long want = strtoull(z, NULL, 10);
        FUZZ_CHECK(errno == 0 && want == u);
        free(z);
    } else if (digits) { /* only too large a number is refused */
        char *z = fuzz_cstr(s, n);
        errno = 0;
        (void)strtoull(z, NULL, 10);
        FUZZ_CHECK(errno == ERANGE);
        free(z);
    }
    if (ri == 0) { /* printed again it reads the same */
        char p[32];
        snprintf(p, sizeof(p), "%" PRId64, i);
        int64_t back = 0;
        FUZZ_CHECK(parse_i64(p, strlen(p), &back) == 0 && back == i);
        FUZZ_CHECK(n > 0 && (s[0] == '-' || ru == 0));
    }
}

static void lookup(const char *q, size_t qlen, const char *name, size_t cap)
{
    char *out = malloc(cap);
    char *ref = malloc(qlen + 1);
    FUZZ_CHECK(out && ref);
    long n = parse_form_param(q, qlen, name, out, cap);
    long want = reference(q, qlen, name, ref);
    FUZZ_CHECK(n >= -2);
    if (want >= 0 && (size_t)want >= cap) /* too long for out */
        want = -2;
    if (n != want)
        fprintf(stderr, "name \"%s\" cap %zu: got %ld, reference %ld\n", name, cap, n, want);
    FUZZ_CHECK(n == want);
    if (n >= 0) {
        FUZZ_CHECK((size_t)n < cap && out[n] == 0 && strlen(out) == (size_t)n);
        FUZZ_CHECK(memcmp(out, ref, (size_t)n) == 0);
        check_numbers(out, (size_t)n);

        /* encoded again, it decodes to itself */
        struct buf b = BUF_INIT;
        buf_puts(&b, "x=1&k=");
        url_encode(&b, out);
        buf_puts(&b, "&k=other");
        char *back = malloc((size_t)n + 1);
        FUZZ_CHECK(back != NULL);
        long m = parse_form_param(b.ptr, b.len, "k", back, (size_t)n + 1);
        FUZZ_CHECK(m == n && memcmp(back, out, (size_t)n + 1) == 0);
        free(back);
        buf_release(&b);
    }
    free(ref);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *head, *rest;
    size_t hlen, rlen;
    fuzz_split_line(data, size, &head, &hlen, &rest, &rlen);
    char *q = fuzz_dup(rest, rlen);
    check_numbers(q, rlen);
    FUZZ_CHECK(utf8_valid(q, rlen) == fuzz_utf8_ok(q, rlen));
    char *z = fuzz_cstr(rest, rlen);
    char *clean = utf8_scrub(z);
    FUZZ_CHECK(fuzz_utf8_ok(clean, strlen(clean)));
    if (fuzz_utf8_ok(z, strlen(z))) /* valid text is kept as it is */
        FUZZ_CHECK(strcmp(clean, z) == 0);
    free(clean);
    free(z);

    static const size_t caps[] = {1, 2, 16, 64, 256, 4096};
    if (hlen > 0 && hlen < 64 && !memchr(head, 0, hlen)) {
        char *name = fuzz_cstr(head, hlen);
        for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
            lookup(q, rlen, name, caps[i]);
        free(name);
    }
    /* names handlers ask for, and the empty name */
    static const char *const names[] = {"access_token", "type",     "code",      "state", "openid",
                                        "username",     "password", "signature", ""};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        lookup(q, rlen, names[i], i % 2 ? 64 : 4096);
    free(q);
    return 0;
}
