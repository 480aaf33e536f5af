/* err: errmsg lookup generated from ERR_MAP */
#include "err.h"

const char *err_msg(int code)
{
    switch (code) {
#define ERR_CASE(name, c, msg) \
    case c:                    \
        return msg;
        ERR_MAP(ERR_CASE)
#undef ERR_CASE
    }
    return "unknown error";
}
