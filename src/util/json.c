/* json: request-body readers over cJSON (see json.h) */
#include "json.h"
#include "err.h"
#include "parse.h"
#include "utf8.h"

#include <math.h>
#include <string.h>

/* the value of 4 hex digits at p, or -1 */
static long hex4(const char *p)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* how many bytes the \u escape at p (p[0] == '\\', p[1] == 'u', n bytes left) takes past
 * its backslash: 5, or 11 for a surrogate pair; -1 for a surrogate not in a high-low pair,
 * which is no character */
static long u_escape(const char *p, size_t n)
{
    long u = n >= 6 ? hex4(p + 2) : -1;
    if (u < 0xd800 || u > 0xdfff)
        return 5; /* a BMP character, or malformed: cJSON refuses those */
    if (u >= 0xdc00)
        return -1;
    long lo = n >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(p + 8) : -1;
    return lo >= 0xdc00 && lo <= 0xdfff ? 11 : -1;
}

/*
 * 0 if the body nests at most 64 deep and holds no NUL character (raw or \u0000), which would
 * silently cut a string short, else ERR_DATA_FORMAT; *lone is set if a \u escape is a
 * surrogate not in a pair (cJSON refuses it: WeChat answers 40033 for it)
 */
static int shape_ok(const char *p, size_t n, int *lone)
{
    int depth = 0, in_str = 0;
    *lone = 0;
    if (memchr(p, 0, n))
        return ERR_DATA_FORMAT;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\' && i + 5 < n && memcmp(p + i + 1, "u0000", 5) == 0)
                return ERR_DATA_FORMAT;
            if (c == '\\' && i + 1 < n && p[i + 1] == 'u') {
                long skip = u_escape(p + i, n - i);
                *lone |= skip < 0;
                i += skip < 0 ? 5 : (size_t)skip;
            } else if (c == '\\') {
                i++;
            } else if (c == '"') {
                in_str = 0;
            }
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > 64)
                return ERR_DATA_FORMAT;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return 0;
}

int json_parse_object(const char *p, size_t n, cJSON **out)
{
    *out = NULL;
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
        i++;
    if (i == n)
        return ERR_EMPTY_POST_DATA;
    int lone;
    if (shape_ok(p, n, &lone) != 0)
        return ERR_DATA_FORMAT;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(p, n, &end, 0);
    if (!root)
        return lone ? ERR_INVALID_CHARSET : ERR_DATA_FORMAT;
    while (end && end < p + n && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
        end++;
    if (!cJSON_IsObject(root) || (end && end < p + n)) {
        cJSON_Delete(root);
        return ERR_DATA_FORMAT;
    }
    if (!utf8_valid(p, n)) { /* cJSON takes any bytes in strings */
        cJSON_Delete(root);
        return ERR_INVALID_CHARSET;
    }
    *out = root;
    return 0;
}

static const cJSON *item(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return (it && !cJSON_IsNull(it)) ? it : NULL;
}

int json_get_str(const cJSON *obj, const char *key, const char **out)
{
    const cJSON *it = item(obj, key);
    if (!it)
        return JSON_MISSING;
    if (!cJSON_IsString(it))
        return JSON_WRONG_TYPE;
    *out = it->valuestring;
    return JSON_OK;
}

int json_get_i64(const cJSON *obj, const char *key, int64_t *out)
{
    const cJSON *it = item(obj, key);
    if (!it)
        return JSON_MISSING;
    if (cJSON_IsNumber(it)) {
        double d = it->valuedouble;
        if (!isfinite(d) || d != floor(d) || d > 9.0e15 || d < -9.0e15)
            return JSON_WRONG_TYPE;
        *out = (int64_t)d;
        return JSON_OK;
    }
    if (cJSON_IsString(it))
        return parse_i64(it->valuestring, strlen(it->valuestring), out) == 0 ? JSON_OK
                                                                             : JSON_WRONG_TYPE;
    return JSON_WRONG_TYPE;
}

int json_get_bool(const cJSON *obj, const char *key, int *out)
{
    const cJSON *it = item(obj, key);
    if (!it)
        return JSON_MISSING;
    if (cJSON_IsBool(it)) {
        *out = cJSON_IsTrue(it);
        return JSON_OK;
    }
    if (cJSON_IsNumber(it) && (it->valuedouble == 0 || it->valuedouble == 1)) {
        *out = it->valuedouble == 1;
        return JSON_OK;
    }
    if (cJSON_IsString(it)) {
        if (strcmp(it->valuestring, "true") == 0 || strcmp(it->valuestring, "1") == 0) {
            *out = 1;
            return JSON_OK;
        }
        if (strcmp(it->valuestring, "false") == 0 || strcmp(it->valuestring, "0") == 0) {
            *out = 0;
            return JSON_OK;
        }
    }
    return JSON_WRONG_TYPE;
}

int json_copy_str(const cJSON *obj, const char *key, char *out, size_t cap)
{
    const char *v = NULL;
    int rc = json_get_str(obj, key, &v);
    out[0] = 0;
    if (rc != JSON_OK)
        return rc;
    size_t n = strlen(v);
    if (n >= cap)
        return JSON_TOO_LONG;
    memcpy(out, v, n + 1);
    return JSON_OK;
}
