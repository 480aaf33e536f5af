/*
 * xml: see xml.h.
 */
#include "xml.h"
#include "../util/xalloc.h"

#include <ctype.h>
#include <expat.h>
#include <inttypes.h>
#include <string.h>

#define MAX_DEPTH 16
#define MAX_NODES 4096
#define MAX_TEXT  (1024 * 1024)

void xml_begin(struct buf *b)
{
    buf_puts(b, "<xml>");
}

void xml_end(struct buf *b)
{
    buf_puts(b, "</xml>");
}

void xml_open(struct buf *b, const char *name)
{
    buf_printf(b, "<%s>", name);
}

void xml_close(struct buf *b, const char *name)
{
    buf_printf(b, "</%s>", name);
}

void xml_cdata(struct buf *b, const char *name, const char *v)
{
    buf_printf(b, "<%s><![CDATA[", name);
    const char *end;
    while ((end = strstr(v, "]]>")) != NULL) {
        buf_append(b, v, (size_t)(end - v) + 2);
        buf_puts(b, "]]><![CDATA[");
        v = end + 2;
    }
    buf_puts(b, v);
    buf_printf(b, "]]></%s>", name);
}

void xml_num(struct buf *b, const char *name, int64_t v)
{
    buf_printf(b, "<%s>%" PRId64 "</%s>", name, v, name);
}

/* ------------------------------------------------------------------ reading */

struct parse {
    XML_Parser p;
    struct xnode *root;
    struct xnode *stack[MAX_DEPTH];
    int depth;
    int nodes;
    size_t text;
    int failed;
    int in_cdata;
};

static void stop(struct parse *ps)
{
    ps->failed = 1;
    XML_StopParser(ps->p, XML_FALSE);
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    struct parse *ps = ud;
    if (ps->depth >= MAX_DEPTH || ++ps->nodes > MAX_NODES || (ps->depth == 0 && ps->root)) {
        stop(ps);
        return;
    }
    struct xnode *n = xcalloc(1, sizeof(*n));
    n->name = xstrdup(name);
    buf_init(&n->text, MAX_TEXT);
    buf_init(&n->cdata, MAX_TEXT);
    if (ps->depth == 0) {
        ps->root = n;
    } else {
        struct xnode *parent = ps->stack[ps->depth - 1];
        if (parent->last)
            parent->last->next = n;
        else
            parent->child = n;
        parent->last = n;
    }
    ps->stack[ps->depth++] = n;
}

static void on_end(void *ud, const XML_Char *name)
{
    struct parse *ps = ud;
    if (ps->depth > 0)
        ps->depth--;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct parse *ps = ud;
    if (ps->depth == 0)
        return;
    ps->text += (size_t)len;
    if (ps->text > MAX_TEXT) {
        stop(ps);
        return;
    }
    struct xnode *n = ps->stack[ps->depth - 1];
    if (ps->in_cdata) {
        n->has_cdata = 1;
        buf_append(&n->cdata, s, (size_t)len);
    } else {
        buf_append(&n->text, s, (size_t)len);
    }
}

static void on_cdata_start(void *ud)
{
    ((struct parse *)ud)->in_cdata = 1;
}

static void on_cdata_end(void *ud)
{
    ((struct parse *)ud)->in_cdata = 0;
}

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal)
{
    stop(ud);
}

static void on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value, int vlen,
                      const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
                      const XML_Char *notation)
{
    stop(ud);
}

struct xnode *xml_parse(const char *p, size_t n)
{
    if (n > 4 * MAX_TEXT)
        return NULL;
    struct parse ps = {0};
    ps.p = XML_ParserCreate("UTF-8");
    if (!ps.p)
        return NULL;
    XML_SetUserData(ps.p, &ps);
    XML_SetElementHandler(ps.p, on_start, on_end);
    XML_SetCharacterDataHandler(ps.p, on_text);
    XML_SetCdataSectionHandler(ps.p, on_cdata_start, on_cdata_end);
    XML_SetStartDoctypeDeclHandler(ps.p, on_doctype);
    XML_SetEntityDeclHandler(ps.p, on_entity);
    int ok = XML_Parse(ps.p, p, (int)n, XML_TRUE) == XML_STATUS_OK && !ps.failed && ps.root;
    XML_ParserFree(ps.p);
    if (!ok) {
        xml_free(ps.root);
        return NULL;
    }
    return ps.root;
}

void xml_free(struct xnode *n)
{
    while (n) {
        struct xnode *next = n->next;
        xml_free(n->child);
        free(n->name);
        buf_release(&n->text);
        buf_release(&n->cdata);
        free(n);
        n = next;
    }
}

const struct xnode *xml_child(const struct xnode *n, const char *name)
{
    for (const struct xnode *c = n ? n->child : NULL; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

static void trim(struct buf *b)
{
    size_t s = 0, e = b->len;
    while (s < e && isspace((unsigned char)b->ptr[s]))
        s++;
    while (e > s && isspace((unsigned char)b->ptr[e - 1]))
        e--;
    if (s > 0)
        memmove(b->ptr, b->ptr + s, e - s);
    b->len = e - s;
    b->ptr[b->len] = 0;
}

const char *xml_text(const struct xnode *n, const char *name)
{
    struct xnode *c = (struct xnode *)xml_child(n, name);
    if (!c)
        return NULL;
    if (c->has_cdata)
        return c->cdata.ptr;
    trim(&c->text);
    return c->text.ptr;
}
