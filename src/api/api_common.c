/* api_common: small facts shared by the handlers */
#include "api.h"
#include "../core/clock.h"

#include <stdio.h>

static char public_ip[64] = "127.0.0.1";

int64_t api_now(void)
{
    return clock_now();
}

const char *api_public_ip(void)
{
    return public_ip;
}

void api_set_public_ip(const char *ip)
{
    snprintf(public_ip, sizeof(public_ip), "%s", ip);
}

static int demo_mode;

int api_demo_mode(void)
{
    return demo_mode;
}

void api_set_demo_mode(int on)
{
    demo_mode = on;
}

int api_send_list(struct req *r, int rc, struct buf *b)
{
    if (rc != 0) {
        buf_release(b);
        return rc;
    }
    buf_puts(b, "]}");
    http_send_buf(r, b);
    return 0;
}
