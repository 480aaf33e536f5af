/* test_parse: src/util/parse.c: strict integers and x-www-form-urlencoded parameters */
#include "helpers.h"
#include "util/parse.h"

#include <string.h>

static int i64(const char *s, int64_t *out)
{
    return parse_i64(s, strlen(s), out);
}

static int u64(const char *s, uint64_t *out)
{
    return parse_u64(s, strlen(s), out);
}

Test(parse, u64_accepts_plain_decimals)
{
    uint64_t v = 1;
    cr_assert_eq(u64("0", &v), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(u64("42", &v), 0);
    cr_assert_eq(v, 42);
    cr_assert_eq(u64("007", &v), 0);
    cr_assert_eq(v, 7);
    cr_assert_eq(u64("18446744073709551615", &v), 0);
    cr_assert_eq(v, UINT64_MAX);
    ASSERT_NO_LEAKS();
}

Test(parse, u64_rejects_overflow_signs_spaces_and_empty)
{
    uint64_t v = 99;
    const char *bad[] = {"",
                         "18446744073709551616",
                         "99999999999999999999",
                         "-1",
                         "+1",
                         " 1",
                         "1 ",
                         "1a",
                         "0x10",
                         "1.0",
                         "1e3",
                         "123456789012345678901"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(u64(bad[i], &v), -1, "'%s' should be refused", bad[i]);
    cr_assert_eq(v, 99, "out must be left alone on failure");
    ASSERT_NO_LEAKS();
}

Test(parse, u64_honours_the_length)
{
    uint64_t v = 0;
    cr_assert_eq(parse_u64("12345", 2, &v), 0);
    cr_assert_eq(v, 12);
    cr_assert_eq(parse_u64("12x", 2, &v), 0);
    cr_assert_eq(v, 12);
    ASSERT_NO_LEAKS();
}

Test(parse, i64_accepts_the_full_range)
{
    int64_t v = 1;
    cr_assert_eq(i64("-0", &v), 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(i64("-17", &v), 0);
    cr_assert_eq(v, -17);
    cr_assert_eq(i64("9223372036854775807", &v), 0);
    cr_assert_eq(v, INT64_MAX);
    cr_assert_eq(i64("-9223372036854775808", &v), 0);
    cr_assert_eq(v, INT64_MIN);
    ASSERT_NO_LEAKS();
}

Test(parse, i64_rejects_overflow_signs_spaces_and_empty)
{
    int64_t v = 99;
    const char *bad[] = {"",
                         "-",
                         "+5",
                         "--5",
                         "- 5",
                         " 5",
                         "5 ",
                         "5-",
                         "1_0",
                         "9223372036854775808",
                         "-9223372036854775809",
                         "18446744073709551615",
                         "-18446744073709551616"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(i64(bad[i], &v), -1, "'%s' should be refused", bad[i]);
    cr_assert_eq(v, 99);
    ASSERT_NO_LEAKS();
}

static long param(const char *q, const char *name, char *out, size_t cap)
{
    return parse_form_param(q, strlen(q), name, out, cap);
}

Test(parse, form_finds_first_middle_and_last)
{
    char out[64];
    const char *q = "grant_type=client_credential&appid=wx1&secret=s3";
    cr_assert_eq(param(q, "grant_type", out, sizeof(out)), 17);
    cr_assert_str_eq(out, "client_credential");
    cr_assert_eq(param(q, "appid", out, sizeof(out)), 3);
    cr_assert_str_eq(out, "wx1");
    cr_assert_eq(param(q, "secret", out, sizeof(out)), 2);
    cr_assert_str_eq(out, "s3");
    ASSERT_NO_LEAKS();
}

Test(parse, form_absent_is_minus_one)
{
    char out[16] = "junk";
    cr_assert_eq(param("a=1&b=2", "c", out, sizeof(out)), -1);
    cr_assert_eq(param("", "a", out, sizeof(out)), -1);
    cr_assert_eq(param("&&", "a", out, sizeof(out)), -1);
    cr_assert_eq(param("=1", "a", out, sizeof(out)), -1);
    ASSERT_NO_LEAKS();
}

Test(parse, form_percent_decoding_and_plus)
{
    char out[64];
    cr_assert_eq(param("u=http%3A%2F%2Fa.b%2Fc%3Fd%3De", "u", out, sizeof(out)), 16);
    cr_assert_str_eq(out, "http://a.b/c?d=e");
    cr_assert_eq(param("n=a+b%20c", "n", out, sizeof(out)), 5);
    cr_assert_str_eq(out, "a b c");
    cr_assert_eq(param("n=%2B", "n", out, sizeof(out)), 1);
    cr_assert_str_eq(out, "+");
    cr_assert_eq(param("n=%e4%B8%ad", "n", out, sizeof(out)), 3); /* both hex cases */
    cr_assert_str_eq(out, "\xe4\xb8\xad");
    ASSERT_NO_LEAKS();
}

Test(parse, form_empty_and_valueless)
{
    char out[16] = "junk";
    cr_assert_eq(param("a=&b=2", "a", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "");
    strcpy(out, "junk");
    cr_assert_eq(param("b=2&a", "a", out, sizeof(out)), 0);
    cr_assert_str_eq(out, "");
    ASSERT_NO_LEAKS();
}

Test(parse, form_malformed_percent_is_minus_two)
{
    char out[16];
    cr_assert_eq(param("a=%zz", "a", out, sizeof(out)), -2);
    cr_assert_eq(param("a=%4", "a", out, sizeof(out)), -2);
    cr_assert_eq(param("a=%", "a", out, sizeof(out)), -2);
    cr_assert_eq(param("a=x%g1", "a", out, sizeof(out)), -2);
    cr_assert_eq(param("a=%4&b=1", "a", out, sizeof(out)), -2, "a value ends at '&'");
    /* a malformed neighbour does not matter */
    cr_assert_eq(param("b=%zz&a=1", "a", out, sizeof(out)), 1);
    ASSERT_NO_LEAKS();
}

Test(parse, form_too_long_is_minus_two)
{
    char out[4];
    cr_assert_eq(param("a=abc", "a", out, sizeof(out)), 3);
    cr_assert_str_eq(out, "abc");
    cr_assert_eq(param("a=abcd", "a", out, sizeof(out)), -2);
    cr_assert_eq(param("a=%41%42%43", "a", out, sizeof(out)), 3, "limit counts decoded bytes");
    cr_assert_str_eq(out, "ABC");
    cr_assert_eq(param("a=%41%42%43%44", "a", out, sizeof(out)), -2);
    ASSERT_NO_LEAKS();
}

Test(parse, form_name_prefixes_do_not_collide)
{
    char out[16];
    cr_assert_eq(param("appid2=x&appid=y", "appid", out, sizeof(out)), 1);
    cr_assert_str_eq(out, "y");
    cr_assert_eq(param("appid=y&appid2=x", "appid2", out, sizeof(out)), 1);
    cr_assert_str_eq(out, "x");
    cr_assert_eq(param("appid2=x", "appid", out, sizeof(out)), -1);
    cr_assert_eq(param("appid=x", "appid2", out, sizeof(out)), -1);
    cr_assert_eq(param("xappid=x", "appid", out, sizeof(out)), -1);
    cr_assert_eq(param("appidx", "appid", out, sizeof(out)), -1);
    ASSERT_NO_LEAKS();
}

Test(parse, form_first_occurrence_wins)
{
    char out[16];
    cr_assert_eq(param("a=1&a=2", "a", out, sizeof(out)), 1);
    cr_assert_str_eq(out, "1");
    ASSERT_NO_LEAKS();
}

Test(parse, form_refuses_a_raw_nul_as_it_refuses_percent_00)
{
    char out[32];
    const char q[] = "username=alice\0evil&password=x";
    cr_assert_eq(parse_form_param(q, sizeof(q) - 1, "username", out, sizeof(out)), -2);
    cr_assert_eq(parse_form_param(q, sizeof(q) - 1, "password", out, sizeof(out)), 1,
                 "other fields are fine");
    ASSERT_NO_LEAKS();
}

Test(parse, form_honours_the_length)
{
    char out[16];
    const char *q = "a=123&b=4";
    cr_assert_eq(parse_form_param(q, 4, "a", out, sizeof(out)), 2);
    cr_assert_str_eq(out, "12");
    cr_assert_eq(parse_form_param(q, 5, "b", out, sizeof(out)), -1);
    ASSERT_NO_LEAKS();
}

Test(parse, form_values_that_decode_to_non_utf8_are_malformed)
{
    char out[32];
    cr_assert_eq(parse_form_param("a=x%F6", 6, "a", out, sizeof(out)), -2);
    cr_assert_eq(parse_form_param("a=%C3", 5, "a", out, sizeof(out)), -2);
    cr_assert_eq(parse_form_param("a=\xc3\xb6", 4, "a", out, sizeof(out)), 2, "raw UTF-8 is fine");
    cr_assert_eq(parse_form_param("a=%E4%BD%A0", 11, "a", out, sizeof(out)), 3);
    cr_assert_str_eq(out, "你");
    ASSERT_NO_LEAKS();
}
