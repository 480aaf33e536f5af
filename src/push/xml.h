/*
 * xml: the little XML of pushes and replies. Writing: elements with CDATA text or bare
 * numbers, as WeChat lays them out. Reading: a small tree built with expat (no DTDs, no
 * entities beyond the predefined ones, bounded size and depth).
 */
#ifndef LJ_XML_H
#define LJ_XML_H

#include <stddef.h>
#include <stdint.h>

#include "../util/buf.h"

void xml_begin(struct buf *b);
void xml_end(struct buf *b);
/* <name><![CDATA[v]]></name>; "]]>" inside v is split across two sections */
void xml_cdata(struct buf *b, const char *name, const char *v);
void xml_num(struct buf *b, const char *name, int64_t v);
void xml_open(struct buf *b, const char *name);
void xml_close(struct buf *b, const char *name);

struct xnode {
    char *name;
    struct buf text;  /* character data outside CDATA sections */
    struct buf cdata; /* the content of its CDATA sections, exactly */
    int has_cdata;
    struct xnode *child, *last, *next;
};

/* parses a document; NULL when it is not well-formed, too deep, too large or has a DTD */
struct xnode *xml_parse(const char *p, size_t n);
void xml_free(struct xnode *root);
/* the first child named name, or NULL */
const struct xnode *xml_child(const struct xnode *n, const char *name);
/* the text of child name: its CDATA content as it is when it has any (whitespace around the
 * sections is layout), else its text whitespace-trimmed; NULL if the child is absent */
const char *xml_text(const struct xnode *n, const char *name);

#endif
