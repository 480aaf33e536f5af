/*
 * fuzz_xml: the XML reader (xml_parse, xml_child, xml_text) and, over it, the reader of
 * developer replies to pushes (reply_parse). A tree that parses keeps to its limits (depth
 * 16, 4096 nodes) and holds only NUL-free, NUL-terminated names and text. Written out again
 * with the push writer (xml_cdata), a tree reads back the same: names, and each leaf's text
 * byte for byte (so "]]>" inside text survives the split across CDATA sections). A reply read
 * as a message carries a JSON object as its body.
 */
#include "fuzz.h"

#include "push/reply.h"
#include "push/xml.h"
#include "util/json.h"

#include <ctype.h>

FUZZ_QUIET_LOGS()

#define MAX_DEPTH 16
#define MAX_NODES 4096

static void check_buf(const struct buf *b)
{
    FUZZ_CHECK(b->ptr != NULL && b->ptr[b->len] == 0);
    FUZZ_CHECK(memchr(b->ptr, 0, b->len) == NULL);
}

/* the value a leaf reads as: its CDATA when it has any, else its text */
static const struct buf *leaf_value(const struct xnode *n)
{
    return n->has_cdata ? &n->cdata : &n->text;
}

static void check_tree(const struct xnode *n, int depth, int *nodes)
{
    for (; n; n = n->next) {
        FUZZ_CHECK(depth < MAX_DEPTH && ++*nodes <= MAX_NODES);
        FUZZ_CHECK(n->name && n->name[0]);
        check_buf(&n->text);
        check_buf(&n->cdata);
        FUZZ_CHECK(n->has_cdata || n->cdata.len == 0);
        FUZZ_CHECK(!n->child == !n->last);
        check_tree(n->child, depth + 1, nodes);
    }
}

/* writes the tree as pushes are written: elements, and each leaf's value as CDATA;
 * 0 if a value holds a CR (the reader normalises line ends: it would not read back) */
static int write_tree(struct buf *b, const struct xnode *n)
{
    for (; n; n = n->next) {
        const struct buf *v = leaf_value(n);
        if (!n->child && v->len) {
            if (memchr(v->ptr, '\r', v->len))
                return 0;
            xml_cdata(b, n->name, v->ptr);
            continue;
        }
        xml_open(b, n->name);
        if (!write_tree(b, n->child))
            return 0;
        xml_close(b, n->name);
    }
    return 1;
}

static void same_tree(const struct xnode *a, const struct xnode *b)
{
    for (; a; a = a->next, b = b->next) {
        FUZZ_CHECK(b && strcmp(a->name, b->name) == 0);
        FUZZ_CHECK(!a->child == !b->child);
        if (a->child) {
            same_tree(a->child, b->child);
            continue;
        }
        const struct buf *va = leaf_value(a);
        FUZZ_CHECK(b->cdata.len == va->len && b->text.len == 0);
        FUZZ_CHECK(memcmp(b->cdata.ptr, va->ptr, va->len) == 0);
    }
    FUZZ_CHECK(b == NULL);
}

static void check_texts(const struct xnode *root)
{
    static const char *const names[] = {"ToUserName", "FromUserName", "MsgType", "Content",
                                        "Encrypt",    "Articles",     "item"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *t = xml_text(root, names[i]);
        const struct xnode *c = xml_child(root, names[i]);
        FUZZ_CHECK(!t == !c);
        if (t && !c->has_cdata) { /* trimmed */
            size_t n = strlen(t);
            FUZZ_CHECK(n == 0 ||
                       (!isspace((unsigned char)t[0]) && !isspace((unsigned char)t[n - 1])));
        }
    }
    /* every child by its own name: xml_child finds the first of that name */
    int k = 0;
    for (const struct xnode *c = root->child; c && k < 64; c = c->next, k++) {
        const struct xnode *f = xml_child(root, c->name);
        FUZZ_CHECK(f && strcmp(f->name, c->name) == 0);
        const char *t = xml_text(root, c->name);
        FUZZ_CHECK(t && strlen(t) == leaf_value(f)->len);
    }
}

static void check_reply(const char *p, size_t n, int mode)
{
    static const unsigned char key[32] = {0x69, 0xb7, 0x1d, 0x79, 0xf8, 0x21, 0x8a, 0x39,
                                          0x25, 0x9a, 0x7a, 0x29, 0xaa, 0xbb, 0x2d, 0xba,
                                          0xfc, 0x31, 0xcb, 0x3d, 0x35, 0xdb, 0x7e, 0x39,
                                          0xeb, 0xbf, 0x3d, 0x00, 0x10, 0x83, 0x10, 0x51};
    const struct reply_ctx c = {.receive_id = "wxb11529c136998cb6",
                                .token = "pamtest",
                                .key = key,
                                .mode = mode,
                                .openid = "oAbCdEfGhIjKlMnOpQrStUvWxYz0",
                                .original_id = "gh_0123456789ab",
                                .max_articles = mode == MODE_COMPATIBLE ? 1 : 8};
    struct reply r;
    reply_parse(&c, p, n, &r);
    FUZZ_CHECK(r.kind == REPLY_NONE || r.kind == REPLY_MESSAGE || r.kind == REPLY_TRANSFER ||
               r.kind == REPLY_BAD);
    FUZZ_CHECK(memchr(r.msgtype, 0, sizeof(r.msgtype)) && memchr(r.detail, 0, sizeof(r.detail)));
    if (r.kind == REPLY_BAD)
        FUZZ_CHECK(r.detail[0]);
    if (r.kind == REPLY_MESSAGE) {
        cJSON *o = NULL;
        int rc = json_parse_object(r.body.ptr, r.body.len, &o);
        if (rc != 0)
            fprintf(stderr, "reply body is not a JSON object: %s\n", r.body.ptr);
        FUZZ_CHECK(rc == 0);
        cJSON_Delete(o);
    }
    reply_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct xnode *root = xml_parse(p, size);
    if (root) {
        int nodes = 0;
        FUZZ_CHECK(root->next == NULL);
        check_tree(root, 0, &nodes);

        struct buf b = BUF_INIT;
        if (write_tree(&b, root)) {
            struct xnode *again = xml_parse(b.ptr, b.len);
            if (!again)
                fprintf(stderr, "written form does not parse: %s\n", b.ptr);
            FUZZ_CHECK(again != NULL);
            same_tree(root, again);
            xml_free(again);
        }
        buf_release(&b);
        check_texts(root); /* xml_text trims text in place: after the round trip */
        xml_free(root);
    }
    check_reply(p, size, MODE_PLAINTEXT);
    check_reply(p, size, MODE_COMPATIBLE);
    check_reply(p, size, MODE_SAFE);
    return 0;
}
