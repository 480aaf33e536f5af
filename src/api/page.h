/* page: small server-rendered HTML pages (authorization, sign-in, errors); escaping done here */
#ifndef LJ_PAGE_H
#define LJ_PAGE_H

#include "../util/buf.h"

void page_begin(struct buf *b, const char *title);
void page_end(struct buf *b);
/* appends s with & < > " ' escaped */
void page_text(struct buf *b, const char *s);
/* a hidden form field */
void page_hidden(struct buf *b, const char *name, const char *value);
/* a whole error page: the numeric code and a sentence */
void page_error(struct buf *b, int code, const char *what);

#endif
