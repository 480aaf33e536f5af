/* component_io: what the component handlers share (api_component.c, api_authorizer.c) */
#ifndef LJ_COMPONENT_IO_H
#define LJ_COMPONENT_IO_H

#include <stddef.h>

#include "../http/http.h"
#include "../util/buf.h"
#include "../util/json.h"

/* copies string field key of o; missing or empty: `missing`; not a string: ERR_INVALID_PARAM */
int wire_str(const cJSON *o, const char *key, char *out, size_t cap, int missing);
/* the body's component_appid must be the token's component (r->appid): 0 or 61011 */
int own_component(struct req *r, const cJSON *o, char appid[19]);
/* "func_info":[{"funcscope_category":{"id":N}},...] of a comma-separated set list */
void func_info(struct buf *b, const char *sets);

#endif
