/*
 * fuzz_json: the request-body reader every JSON handler starts with (json_parse_object),
 * then the getters handlers read fields with. A body that parses is printed and read again:
 * it must parse, and print the same. Getters answer only their documented codes, and
 * json_copy_str never leaves more than cap - 1 bytes or anything but "" on failure. Every key
 * and string of a body taken is UTF-8; a body refused as 40033 has bytes that are not, or a
 * \u escape of a surrogate.
 */
#include "fuzz.h"

#include "util/err.h"
#include "util/json.h"

#include <math.h>

FUZZ_QUIET_LOGS()

/* 1 if the body has a \u escape of a surrogate (\uD800-\uDFFF) */
static int has_surrogate_escape(const char *p, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++)
        if (p[i] == '\\' && p[i + 1] == 'u' && (p[i + 2] | 0x20) == 'd' && p[i + 3] &&
            strchr("89abcdefABCDEF", p[i + 3]))
            return 1;
    return 0;
}

static void check_getters(const cJSON *obj, const char *key)
{
    const char *s = NULL;
    int rc = json_get_str(obj, key, &s);
    FUZZ_CHECK(rc == JSON_OK || rc == JSON_MISSING || rc == JSON_WRONG_TYPE);
    if (rc == JSON_OK)
        FUZZ_CHECK(s != NULL);

    int64_t v = 0;
    rc = json_get_i64(obj, key, &v);
    FUZZ_CHECK(rc == JSON_OK || rc == JSON_MISSING || rc == JSON_WRONG_TYPE);
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (rc == JSON_OK && cJSON_IsNumber(it)) /* exactly the integer it holds */
        FUZZ_CHECK(v <= 9000000000000000LL && v >= -9000000000000000LL &&
                   (double)v == it->valuedouble);

    int b = -1;
    rc = json_get_bool(obj, key, &b);
    FUZZ_CHECK(rc == JSON_OK || rc == JSON_MISSING || rc == JSON_WRONG_TYPE);
    if (rc == JSON_OK)
        FUZZ_CHECK(b == 0 || b == 1);

    /* caps as handlers use them; each in a block of exactly cap bytes */
    static const size_t caps[] = {1, 8, 64};
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        char *out = malloc(caps[i]);
        FUZZ_CHECK(out != NULL);
        rc = json_copy_str(obj, key, out, caps[i]);
        FUZZ_CHECK(rc == JSON_OK || rc == JSON_MISSING || rc == JSON_WRONG_TYPE ||
                   rc == JSON_TOO_LONG);
        if (rc == JSON_OK)
            FUZZ_CHECK(strlen(out) < caps[i] && strcmp(out, s) == 0);
        else
            FUZZ_CHECK(out[0] == 0);
        free(out);
    }
}

/* the getters over the members of obj and of the objects nested in it (the first 64 of
 * each: a lookup is linear, all of them would be quadratic) */
static void walk(const cJSON *obj, int depth)
{
    const cJSON *it;
    int n = 0;
    cJSON_ArrayForEach(it, obj)
    {
        if (++n > 64)
            break;
        if (it->string)
            FUZZ_CHECK(fuzz_utf8_ok(it->string, strlen(it->string)));
        if (cJSON_IsString(it))
            FUZZ_CHECK(fuzz_utf8_ok(it->valuestring, strlen(it->valuestring)));
        if (cJSON_IsObject(obj) && it->string)
            check_getters(obj, it->string);
        if ((cJSON_IsObject(it) || cJSON_IsArray(it)) && depth < 64)
            walk(it, depth + 1);
    }
    if (cJSON_IsObject(obj))
        check_getters(obj, "errcode");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *o = (cJSON *)1;
    int rc = json_parse_object((const char *)data, size, &o);
    FUZZ_CHECK(rc == 0 || rc == ERR_EMPTY_POST_DATA || rc == ERR_DATA_FORMAT ||
               rc == ERR_INVALID_CHARSET);
    if (rc == ERR_INVALID_CHARSET)
        FUZZ_CHECK(!fuzz_utf8_ok(data, size) || has_surrogate_escape((const char *)data, size));
    if (rc == 0)
        FUZZ_CHECK(fuzz_utf8_ok(data, size));
    if (rc != 0) {
        FUZZ_CHECK(o == NULL);
        return 0;
    }
    FUZZ_CHECK(o != NULL && cJSON_IsObject(o));
    walk(o, 0);

    char *once = cJSON_PrintUnformatted(o);
    FUZZ_CHECK(once != NULL);
    cJSON *again = NULL;
    rc = json_parse_object(once, strlen(once), &again);
    if (rc != 0)
        fprintf(stderr, "printed form does not parse again (%d): %s\n", rc, once);
    FUZZ_CHECK(rc == 0);
    char *twice = cJSON_PrintUnformatted(again);
    FUZZ_CHECK(twice != NULL);
    if (strcmp(once, twice) != 0)
        fprintf(stderr, "printed forms differ:\n%s\n%s\n", once, twice);
    FUZZ_CHECK(strcmp(once, twice) == 0);

    cJSON_free(twice);
    cJSON_Delete(again);
    cJSON_free(once);
    cJSON_Delete(o);
    return 0;
}
