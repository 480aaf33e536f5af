/* test_json: src/util/json.c: request bodies must be one object; lenient typed getters */
#include "helpers.h"
#include "util/json.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *s, cJSON **out)
{
    return json_parse_object(s, strlen(s), out);
}

/* parses a body the test knows to be valid */
static cJSON *obj(const char *s)
{
    cJSON *o = NULL;
    cr_assert_eq(parse(s, &o), 0, "'%s' should parse", s);
    cr_assert_not_null(o);
    return o;
}

/* n nested objects: {"a":{"a":...{}...}} */
static char *nested(int n)
{
    size_t len = (size_t)n * 6 + 1;
    char *p = malloc(len);
    size_t o = 0;
    for (int i = 0; i < n - 1; i++) {
        memcpy(p + o, "{\"a\":", 5);
        o += 5;
    }
    p[o++] = '{';
    for (int i = 0; i < n; i++)
        p[o++] = '}';
    p[o] = 0;
    return p;
}

Test(json, empty_or_blank_body_is_empty_post_data)
{
    cJSON *o = (cJSON *)1;
    cr_assert_eq(json_parse_object("", 0, &o), ERR_EMPTY_POST_DATA);
    cr_assert_null(o);
    cr_assert_eq(parse(" \r\n\t ", &o), ERR_EMPTY_POST_DATA);
    cr_assert_null(o);
    ASSERT_NO_LEAKS();
}

Test(json, non_objects_and_garbage_are_data_format)
{
    const char *bad[] = {"garbage",    "[]",   "[{}]", "\"s\"",   "1",        "null",
                         "true",       "{",    "}",    "{\"a\"}", "{\"a\":}", "{'a':1}",
                         "{\"a\":1,}", "{} x", "{}{}", "{} []",   "\xef\xbb"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cJSON *o = (cJSON *)1;
        cr_assert_eq(parse(bad[i], &o), ERR_DATA_FORMAT, "'%s' should be refused", bad[i]);
        cr_assert_null(o);
    }
    ASSERT_NO_LEAKS();
}

Test(json, trailing_nul_and_junk_is_data_format)
{
    /* the body is n bytes: a NUL inside it is junk like any other byte */
    static const char body[] = "{}\0junk";
    cJSON *o = NULL;
    int rc = json_parse_object(body, sizeof(body) - 1, &o);
    cJSON_Delete(o);
    cr_assert_eq(rc, ERR_DATA_FORMAT);
    ASSERT_NO_LEAKS();
}

Test(json, surrounding_whitespace_is_fine)
{
    cJSON *o = obj("  \n{ \"a\" : 1 }\r\n\t ");
    cr_assert(cJSON_IsObject(o));
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

Test(json, reads_only_n_bytes)
{
    const char *s = "{\"a\":1}garbage";
    cJSON *o = NULL;
    cr_assert_eq(json_parse_object(s, 7, &o), 0);
    int64_t v = 0;
    cr_assert_eq(json_get_i64(o, "a", &v), JSON_OK);
    cr_assert_eq(v, 1);
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

Test(json, nesting_64_is_accepted_65_refused)
{
    char *ok = nested(64), *deep = nested(65);
    cJSON *o = NULL;
    cr_assert_eq(parse(ok, &o), 0);
    cJSON_Delete(o);
    o = (cJSON *)1;
    cr_assert_eq(parse(deep, &o), ERR_DATA_FORMAT);
    cr_assert_null(o);
    free(ok);
    free(deep);

    /* arrays count too */
    char arr[200] = "{\"a\":";
    for (int i = 0; i < 70; i++)
        strcat(arr, "[");
    cr_assert_eq(parse(arr, &o), ERR_DATA_FORMAT);
    ASSERT_NO_LEAKS();
}

Test(json, brackets_inside_strings_do_not_count)
{
    char body[300] = "{\"a\":\"";
    for (int i = 0; i < 100; i++)
        strcat(body, "[{");
    strcat(body, "\\\"\",\"b\":1}");
    cJSON *o = obj(body);
    int64_t v = 0;
    cr_assert_eq(json_get_i64(o, "b", &v), JSON_OK);
    cr_assert_eq(v, 1);
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

Test(json, get_str)
{
    cJSON *o = obj("{\"s\":\"x\\u00e9\",\"n\":1,\"z\":null,\"o\":{},\"e\":\"\"}");
    const char *v = NULL;
    cr_assert_eq(json_get_str(o, "s", &v), JSON_OK);
    cr_assert_str_eq(v, "x\xc3\xa9");
    cr_assert_eq(json_get_str(o, "e", &v), JSON_OK);
    cr_assert_str_eq(v, "");
    cr_assert_eq(json_get_str(o, "n", &v), JSON_WRONG_TYPE);
    cr_assert_eq(json_get_str(o, "o", &v), JSON_WRONG_TYPE);
    cr_assert_eq(json_get_str(o, "z", &v), JSON_MISSING, "null counts as absent");
    cr_assert_eq(json_get_str(o, "nope", &v), JSON_MISSING);
    cr_assert_eq(json_get_str(o, "S", &v), JSON_MISSING, "keys are case-sensitive");
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

Test(json, copy_str_limits)
{
    cJSON *o = obj("{\"s\":\"abc\",\"n\":5}");
    char out[4] = "zzz";
    cr_assert_eq(json_copy_str(o, "s", out, sizeof(out)), JSON_OK);
    cr_assert_str_eq(out, "abc");
    char small[3] = "zz";
    cr_assert_eq(json_copy_str(o, "s", small, sizeof(small)), JSON_TOO_LONG);
    cr_assert_str_eq(small, "");
    strcpy(out, "zzz");
    cr_assert_eq(json_copy_str(o, "n", out, sizeof(out)), JSON_WRONG_TYPE);
    cr_assert_str_eq(out, "");
    strcpy(out, "zzz");
    cr_assert_eq(json_copy_str(o, "x", out, sizeof(out)), JSON_MISSING);
    cr_assert_str_eq(out, "");
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

Test(json, get_i64_numbers_and_numeric_strings)
{
    cJSON *o = obj("{\"a\":42,\"b\":-7,\"c\":\"123\",\"d\":\"-5\",\"e\":0,"
                   "\"big\":9000000000000000,\"f\":1.0}");
    int64_t v = 0;
    cr_assert_eq(json_get_i64(o, "a", &v), JSON_OK);
    cr_assert_eq(v, 42);
    cr_assert_eq(json_get_i64(o, "b", &v), JSON_OK);
    cr_assert_eq(v, -7);
    cr_assert_eq(json_get_i64(o, "c", &v), JSON_OK);
    cr_assert_eq(v, 123);
    cr_assert_eq(json_get_i64(o, "d", &v), JSON_OK);
    cr_assert_eq(v, -5);
    cr_assert_eq(json_get_i64(o, "e", &v), JSON_OK);
    cr_assert_eq(v, 0);
    cr_assert_eq(json_get_i64(o, "big", &v), JSON_OK);
    cr_assert_eq(v, 9000000000000000LL);
    cr_assert_eq(json_get_i64(o, "f", &v), JSON_OK, "1.0 is an integer value");
    cr_assert_eq(v, 1);
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

Test(json, get_i64_wrong_types)
{
    cJSON *o = obj("{\"frac\":1.5,\"huge\":1e16,\"neg_huge\":-1e16,\"s\":\"12a\",\"sp\":\" 12\","
                   "\"empty\":\"\",\"plus\":\"+1\",\"of\":\"9223372036854775808\",\"t\":true,"
                   "\"arr\":[1],\"obj\":{},\"z\":null}");
    int64_t v = 77;
    const char *wrong[] = {"frac", "huge", "neg_huge", "s",   "sp", "empty",
                           "plus", "of",   "t",        "arr", "obj"};
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
        cr_assert_eq(json_get_i64(o, wrong[i], &v), JSON_WRONG_TYPE, "key %s", wrong[i]);
    cr_assert_eq(json_get_i64(o, "z", &v), JSON_MISSING);
    cr_assert_eq(json_get_i64(o, "absent", &v), JSON_MISSING);
    cr_assert_eq(v, 77, "out untouched unless JSON_OK");
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

Test(json, get_bool)
{
    cJSON *o = obj("{\"t\":true,\"f\":false,\"one\":1,\"zero\":0,\"st\":\"true\",\"sf\":\"false\","
                   "\"s1\":\"1\",\"s0\":\"0\",\"two\":2,\"yes\":\"yes\",\"arr\":[],\"z\":null}");
    int b = -1;
    struct {
        const char *k;
        int want;
    } ok[] = {{"t", 1},  {"f", 0},  {"one", 1}, {"zero", 0},
              {"st", 1}, {"sf", 0}, {"s1", 1},  {"s0", 0}};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        b = -1;
        cr_assert_eq(json_get_bool(o, ok[i].k, &b), JSON_OK, "key %s", ok[i].k);
        cr_assert_eq(b, ok[i].want, "key %s", ok[i].k);
    }
    cr_assert_eq(json_get_bool(o, "two", &b), JSON_WRONG_TYPE);
    cr_assert_eq(json_get_bool(o, "yes", &b), JSON_WRONG_TYPE);
    cr_assert_eq(json_get_bool(o, "arr", &b), JSON_WRONG_TYPE);
    cr_assert_eq(json_get_bool(o, "z", &b), JSON_MISSING);
    cr_assert_eq(json_get_bool(o, "absent", &b), JSON_MISSING);
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

Test(json, unknown_fields_are_ignored)
{
    cJSON *o = obj("{\"extra\":{\"deep\":[1,2,{\"x\":null}]},\"a\":\"v\"}");
    const char *v = NULL;
    cr_assert_eq(json_get_str(o, "a", &v), JSON_OK);
    cr_assert_str_eq(v, "v");
    cJSON_Delete(o);
    ASSERT_NO_LEAKS();
}

static int parse_rc(const char *s)
{
    cJSON *o = NULL;
    int rc = json_parse_object(s, strlen(s), &o);
    cJSON_Delete(o);
    return rc;
}

Test(json, text_that_is_not_utf8_is_40033)
{
    cr_assert_eq(parse_rc("{\"name\":\"x\xf6\"}"), ERR_INVALID_CHARSET);
    cr_assert_eq(parse_rc("{\"n\xc3\":\"x\"}"), ERR_INVALID_CHARSET, "in a key too");
    cr_assert_eq(parse_rc("{\"name\":\"\\ud800\"}"), ERR_INVALID_CHARSET, "a lone high surrogate");
    cr_assert_eq(parse_rc("{\"name\":\"\\udfff x\"}"), ERR_INVALID_CHARSET, "a lone low one");
    cr_assert_eq(parse_rc("{\"name\":\"\\ud800\\u0041\"}"), ERR_INVALID_CHARSET);
    cr_assert_eq(parse_rc("{\"name\":\"\\ud83d\\ude00\\u4f60\"}"), 0, "a pair and a BMP escape");
    cr_assert_eq(parse_rc("{\"name\":\"\\\\ud800\"}"), 0, "an escaped backslash is no escape");
    cr_assert_eq(parse_rc("{\"name\":\"\\u00\"}"), ERR_DATA_FORMAT);
    ASSERT_NO_LEAKS();
}
