/*
 * fuzz_multipart: the upload APIs' multipart/form-data reader. The input is
 * "Content-Type value\nbody"; as media_io.c does, the boundary comes from the Content-Type
 * (mp_boundary) or, failing that, from the body's first line (mp_boundary_sniff). Header
 * value and body each sit in a block of exactly their size. A body that parses gives parts
 * that lie inside it, each ended by a delimiter, with NUL-terminated header fields and a
 * name and filename in UTF-8.
 */
#include "fuzz.h"

#include "http/multipart.h"

FUZZ_QUIET_LOGS()

static int terminated(const char *s, size_t cap)
{
    return memchr(s, 0, cap) != NULL;
}

static void check_form(const char *body, size_t len, const char *boundary, const struct mp_form *f)
{
    size_t bl = strlen(boundary);
    FUZZ_CHECK(f->n >= 0 && f->n <= MP_MAX_PARTS);
    for (int i = 0; i < f->n; i++) {
        const struct mp_part *p = &f->parts[i];
        FUZZ_CHECK(terminated(p->name, sizeof(p->name)));
        FUZZ_CHECK(terminated(p->filename, sizeof(p->filename)));
        FUZZ_CHECK(fuzz_utf8_ok(p->name, strlen(p->name)));
        FUZZ_CHECK(fuzz_utf8_ok(p->filename, strlen(p->filename)));
        FUZZ_CHECK(terminated(p->ctype, sizeof(p->ctype)));
        FUZZ_CHECK(p->has_filename || !p->filename[0]);
        FUZZ_CHECK(!strchr(p->filename, '/') && !strchr(p->filename, '\\'));
        FUZZ_CHECK(p->data >= body && p->len <= len && p->data + p->len <= body + len);
        /* the data ends where "\r\n--boundary" starts, or, empty, at "--boundary" itself */
        const char *e = p->data + p->len;
        size_t left = (size_t)(body + len - e);
        int crlf =
            left >= 4 + bl && memcmp(e, "\r\n--", 4) == 0 && memcmp(e + 4, boundary, bl) == 0;
        int bare = p->len == 0 && left >= 2 + bl && memcmp(e, "--", 2) == 0 &&
                   memcmp(e + 2, boundary, bl) == 0;
        FUZZ_CHECK(crlf || bare);
        if (i > 0)
            FUZZ_CHECK(p->data > f->parts[i - 1].data);
        const struct mp_part *first = mp_find(f, p->name);
        FUZZ_CHECK(first && first <= p && strcmp(first->name, p->name) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *head, *rest;
    size_t hlen, rlen;
    fuzz_split_line(data, size, &head, &hlen, &rest, &rlen);
    if (hlen > 0 && head[hlen - 1] == '\r')
        hlen--;
    char *ctype = fuzz_dup(head, hlen);
    char *body = fuzz_dup(rest, rlen);

    char boundary[MP_MAX_BOUNDARY + 1];
    int rc = mp_boundary(ctype, hlen, boundary, sizeof(boundary));
    FUZZ_CHECK(rc == MP_OK || rc == MP_ERR_CTYPE);
    if (rc != MP_OK) {
        rc = mp_boundary_sniff(body, rlen, boundary, sizeof(boundary));
        FUZZ_CHECK(rc == MP_OK || rc == MP_ERR_CTYPE);
    }
    /* a boundary too long for a small out is refused, never cut */
    char small[8];
    int src = mp_boundary(ctype, hlen, small, sizeof(small));
    FUZZ_CHECK(src == MP_ERR_CTYPE || strlen(small) < sizeof(small));

    if (rc == MP_OK) {
        size_t bl = strlen(boundary);
        FUZZ_CHECK(bl >= 1 && bl <= MP_MAX_BOUNDARY);
        struct mp_form *f = malloc(sizeof(*f));
        FUZZ_CHECK(f != NULL);
        int prc = mp_parse(body, rlen, boundary, f);
        FUZZ_CHECK(prc == MP_OK || prc == MP_ERR_SYNTAX || prc == MP_ERR_LIMIT ||
                   prc == MP_ERR_CHARSET);
        if (prc == MP_OK)
            check_form(body, rlen, boundary, f);
        free(f);
    }
    free(body);
    free(ctype);
    return 0;
}
