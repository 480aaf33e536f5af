/* xalloc: allocation that never returns NULL; out of memory aborts in one place. */
#ifndef LJ_XALLOC_H
#define LJ_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
