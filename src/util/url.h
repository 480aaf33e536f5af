/* url: percent-encoding for query values */
#ifndef LJ_URL_H
#define LJ_URL_H

#include "buf.h"

/* appends s percent-encoded (unreserved characters kept) */
void url_encode(struct buf *b, const char *s);

#endif
