/* test_buf: src/util/buf.c: growth, the hard cap (toobig), detach, printf, JSON strings */
#include "helpers.h"
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

Test(buf, init_is_empty_and_nul_terminated)
{
    struct buf b = BUF_INIT;
    cr_assert_not_null(b.ptr);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.ptr, "");
    buf_reset(&b);
    cr_assert_str_eq(b.ptr, "");
    buf_release(&b);
    cr_assert_str_eq(b.ptr, "");
    ASSERT_NO_LEAKS();
}

Test(buf, grows_by_doubling_and_keeps_every_byte)
{
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 5000; i++)
        buf_putc(&b, (char)('a' + i % 26));
    cr_assert_eq(b.len, 5000);
    cr_assert_geq(b.cap, 5001);
    cr_assert_eq(b.cap & (b.cap - 1), 0, "cap %zu should be a power of two", b.cap);
    cr_assert_eq(b.ptr[5000], 0);
    for (int i = 0; i < 5000; i++)
        cr_assert_eq(b.ptr[i], (char)('a' + i % 26), "byte %d", i);
    cr_assert_eq(b.toobig, 0);
    buf_release(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_eq(b.cap, 0);
    ASSERT_NO_LEAKS();
}

Test(buf, is_binary_safe)
{
    struct buf b = BUF_INIT;
    buf_append(&b, "a\0b", 3);
    buf_append(&b, "", 0);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.ptr, "a\0b", 4), 0);
    buf_release(&b);
    ASSERT_NO_LEAKS();
}

Test(buf, cap_allows_exactly_max_bytes)
{
    struct buf b;
    buf_init(&b, 10);
    buf_puts(&b, "0123456789");
    cr_assert_eq(b.toobig, 0);
    cr_assert_eq(b.len, 10);
    cr_assert_str_eq(b.ptr, "0123456789");
    buf_release(&b);
    ASSERT_NO_LEAKS();
}

Test(buf, growing_past_the_cap_sets_toobig_and_drops_the_append)
{
    struct buf b;
    buf_init(&b, 10);
    buf_puts(&b, "01234");
    buf_puts(&b, "567890"); /* 11 bytes in all: refused whole */
    cr_assert_eq(b.toobig, 1);
    cr_assert_eq(b.len, 5);
    cr_assert_str_eq(b.ptr, "01234");
    /* toobig is sticky: even a byte that would fit is dropped */
    buf_putc(&b, 'x');
    cr_assert_eq(b.len, 5);
    buf_printf(&b, "%d", 7);
    cr_assert_eq(b.len, 5);
    /* reset clears it; the cap survives release */
    buf_reset(&b);
    cr_assert_eq(b.toobig, 0);
    cr_assert_eq(b.len, 0);
    buf_puts(&b, "abc");
    cr_assert_str_eq(b.ptr, "abc");
    buf_release(&b);
    cr_assert_eq(b.max, 10);
    ASSERT_NO_LEAKS();
}

Test(buf, printf_short_and_long)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s=%d;", "n", 42);
    cr_assert_str_eq(b.ptr, "n=42;");
    char big[1001];
    memset(big, 'z', 1000);
    big[1000] = 0;
    buf_printf(&b, "[%s]", big); /* longer than the 256-byte scratch */
    cr_assert_eq(b.len, 5 + 1002);
    cr_assert_eq(b.ptr[5], '[');
    cr_assert_eq(b.ptr[1006], ']');
    cr_assert_eq(b.ptr[1007], 0);
    cr_assert_eq(strlen(b.ptr), b.len);
    buf_release(&b);
    ASSERT_NO_LEAKS();
}

Test(buf, long_printf_past_the_cap_is_refused)
{
    struct buf b;
    buf_init(&b, 300);
    char big[401];
    memset(big, 'z', 400);
    big[400] = 0;
    buf_printf(&b, "%s", big);
    cr_assert_eq(b.toobig, 1);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.ptr, "");
    buf_release(&b);
    ASSERT_NO_LEAKS();
}

Test(buf, detach_hands_over_the_memory)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "hello");
    size_t n = 0;
    char *p = buf_detach(&b, &n);
    cr_assert_eq(n, 5);
    cr_assert_str_eq(p, "hello");
    cr_assert_eq(b.len, 0);
    cr_assert_eq(b.cap, 0);
    cr_assert_str_eq(b.ptr, "");
    free(p);

    /* an untouched buffer still gives heap memory the caller may free */
    p = buf_detach(&b, &n);
    cr_assert_eq(n, 0);
    cr_assert_str_eq(p, "");
    free(p);
    ASSERT_NO_LEAKS();
}

static void check_json(const char *in, size_t n, const char *want)
{
    struct buf b = BUF_INIT;
    buf_json_str(&b, in, n);
    cr_assert_str_eq(b.ptr, want);
    cr_assert_eq(b.len, strlen(want));
    buf_release(&b);
}

Test(buf, json_plain_string_is_quoted)
{
    check_json("", 0, "\"\"");
    check_json("abc", 3, "\"abc\"");
    ASSERT_NO_LEAKS();
}

Test(buf, json_escapes_quote_backslash_and_whitespace)
{
    check_json("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
    check_json("1\n2\r3\t4", 7, "\"1\\n2\\r3\\t4\"");
    check_json("/", 1, "\"/\""); /* solidus needs no escape */
    ASSERT_NO_LEAKS();
}

Test(buf, json_escapes_every_control_char_as_u00xx)
{
    check_json("\x01", 1, "\"\\u0001\"");
    check_json("\b\f", 2, "\"\\u0008\\u000c\"");
    check_json("x\x1fy", 3, "\"x\\u001fy\"");
    check_json("a\0b", 3, "\"a\\u0000b\"");
    check_json("\x7f", 1, "\"\x7f\""); /* DEL is not a JSON control character */
    for (int c = 0; c < 0x20; c++) {
        char in = (char)c;
        struct buf b = BUF_INIT;
        buf_json_str(&b, &in, 1);
        cr_assert(b.len == 4 || b.len == 8, "char %d gave %s", c, b.ptr);
        for (size_t i = 0; i < b.len; i++)
            cr_assert_geq((unsigned char)b.ptr[i], 0x20, "raw control char %d in output", c);
        buf_release(&b);
    }
    ASSERT_NO_LEAKS();
}

Test(buf, json_keeps_raw_utf8)
{
    const char *s = "\xe4\xb8\xad\xe6\x96\x87 caf\xc3\xa9 \xf0\x9f\x98\x80";
    struct buf b = BUF_INIT;
    buf_json_cstr(&b, s);
    cr_assert_eq(b.len, strlen(s) + 2);
    cr_assert_eq(memcmp(b.ptr + 1, s, strlen(s)), 0);
    buf_release(&b);
    ASSERT_NO_LEAKS();
}

Test(buf, json_cstr_null_is_empty_string)
{
    struct buf b = BUF_INIT;
    buf_json_cstr(&b, NULL);
    cr_assert_str_eq(b.ptr, "\"\"");
    buf_release(&b);
    ASSERT_NO_LEAKS();
}

Test(buf, json_respects_the_cap)
{
    struct buf b;
    buf_init(&b, 8);
    buf_json_cstr(&b, "0123456789");
    cr_assert_eq(b.toobig, 1);
    cr_assert_leq(b.len, 8);
    buf_release(&b);
    ASSERT_NO_LEAKS();
}
