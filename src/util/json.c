/* json: request-body readers over cJSON (see json.h) */
#include "json.h"
#include "err.h"
#include "parse.h"

#include <math.h>
#include <string.h>

/* 1 if the body nests at most 64 deep and holds no NUL character (raw or \u0000), which
 * would silently cut a string short */
static int shape_ok(const char *p, size_t n)
{
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c == 0)
            return 0;
        if (in_str) {
            if (c == '\\' && i + 5 < n && memcmp(p + i + 1, "u0000", 5) == 0)
                return 0;
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > 64)
                return 0;
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return 1;
}

int json_parse_object(const char *p, size_t n, cJSON **out)
{
    *out = NULL;
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
        i++;
    if (i == n)
        return ERR_EMPTY_POST_DATA;
    if (!shape_ok(p, n))
        return ERR_DATA_FORMAT;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(p, n, &end, 0);
    if (!root)
        return ERR_DATA_FORMAT;
    while (end && end < p + n && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
        end++;
    if (!cJSON_IsObject(root) || (end && end < p + n)) {
        cJSON_Delete(root);
        return ERR_DATA_FORMAT;
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
