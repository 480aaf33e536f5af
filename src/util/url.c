/* url: see url.h */
#include "url.h"

#include <string.h>
#include <strings.h>

void url_encode(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-_.~", c)) {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 3);
        }
    }
}

/* drops ":port" from the end of host[0..*n) when it is the scheme's default */
static void drop_default_port(const char *host, size_t *n, const char *port)
{
    size_t pl = strlen(port);
    if (*n > pl && memcmp(host + *n - pl, port, pl) == 0)
        *n -= pl;
}

static int host_chars_ok(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == '/' || c == '@' || c == '?' || c == '#' || c == '\\')
            return 0;
    }
    return 1;
}

int url_origin_is_host(const char *origin, size_t olen, const char *host, size_t hlen)
{
    const char *port;
    size_t skip;
    if (olen > 7 && strncasecmp(origin, "http://", 7) == 0) {
        skip = 7, port = ":80";
    } else if (olen > 8 && strncasecmp(origin, "https://", 8) == 0) {
        skip = 8, port = ":443";
    } else {
        return 0;
    }
    const char *o = origin + skip;
    size_t on = olen - skip;
    if (!host_chars_ok(o, on) || !host_chars_ok(host, hlen))
        return 0;
    drop_default_port(o, &on, port);
    drop_default_port(host, &hlen, port);
    return on == hlen && strncasecmp(o, host, on) == 0;
}

int url_redirect_authority(const char *uri, char *out, size_t cap)
{
    const char *p = strncmp(uri, "https://", 8) == 0  ? uri + 8
                    : strncmp(uri, "http://", 7) == 0 ? uri + 7
                                                      : NULL;
    if (!p)
        return -1;
    for (const unsigned char *c = (const unsigned char *)uri; *c; c++)
        if (*c <= 0x20 || *c == 0x7f)
            return -1;
    size_t n = strcspn(p, "/?#\\");
    if (n == 0 || n >= cap || memchr(p, '@', n))
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
    out[n] = 0;
    return 0;
}
