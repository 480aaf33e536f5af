/*
 * json: reading request bodies with cJSON, the way the wire spec wants them read:
 * unknown fields ignored, numbers also accepted as numeric strings, wrong types reported.
 * Each getter returns JSON_OK, JSON_MISSING or JSON_WRONG_TYPE.
 */
#ifndef LJ_JSON_H
#define LJ_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

enum { JSON_OK = 0, JSON_MISSING = 1, JSON_WRONG_TYPE = -1, JSON_TOO_LONG = 2 };

/* parses a request body that must be one JSON object: 0, ERR_EMPTY_POST_DATA, ERR_DATA_FORMAT
 * or ERR_INVALID_CHARSET (a key or string that is not UTF-8, raw or as \u escapes). The
 * caller frees *out with cJSON_Delete. Nesting deeper than 64 is refused. */
int json_parse_object(const char *p, size_t n, cJSON **out);
int json_get_str(const cJSON *obj, const char *key, const char **out);
/* copies a string field into out (cap bytes with the NUL); out is "" unless JSON_OK */
int json_copy_str(const cJSON *obj, const char *key, char *out, size_t cap);
int json_get_i64(const cJSON *obj, const char *key, int64_t *out);
int json_get_bool(const cJSON *obj, const char *key, int *out);

#endif
