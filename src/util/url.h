/* url: percent-encoding for query values; origins */
#ifndef LJ_URL_H
#define LJ_URL_H

#include "buf.h"

/* appends s percent-encoded (unreserved characters kept) */
void url_encode(struct buf *b, const char *s);

/*
 * 1 when an Origin header value ("http://host[:port]" or "https://...") names the same
 * host and port as a Host header value; a default port (80 for http, 443 for https) may be
 * written or left out on either side; hosts compare case-insensitively. "null", other
 * schemes, paths, user info and empty values never match.
 */
int url_origin_is_host(const char *origin, size_t olen, const char *host, size_t hlen);

/*
 * the authority (host[:port], lowercased) of an http(s) URL that may be sent as a redirect
 * into out: it ends at the first '/', '?', '#' or '\' (browsers read '\' as '/'), holds no
 * user info, and the URL has no control characters or spaces (they would split the Location
 * header, or be dropped from it). 0, or -1.
 */
int url_redirect_authority(const char *uri, char *out, size_t cap);

#endif
