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
/*
 * The web client's look for the pages rendered here (sign-in, home): WeUI and the client's
 * stylesheet from the web directory, no inline style or script (the pages' CSP forbids them).
 * page_app_end adds the tab bar when tab is set ("chats", "accounts", "scan") and loads
 * /app/static/common.js then /app/static/SCRIPT when script is set.
 */
void page_app_begin(struct buf *b, const char *title);
void page_app_end(struct buf *b, const char *tab, const char *script);
/* a whole error page: the numeric code and a sentence */
void page_error(struct buf *b, int code, const char *what);

#endif
