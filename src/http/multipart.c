/*
 * multipart: the multipart/form-data reader (see multipart.h). Pure functions over a
 * buffer: no allocation, no I/O. Every scan is bounded by the end of the body.
 */
#define _GNU_SOURCE /* memmem */
#include "multipart.h"
#include "../util/utf8.h"

#include <string.h>
#include <strings.h>

struct cur {
    const char *p, *end;
};

static int is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* RFC 2046 bchars (a space is allowed but not as the last character) */
static int is_bchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("'()+_,-./:=? ", c));
}

static int boundary_ok(const char *b, size_t n)
{
    if (n < 1 || n > MP_MAX_BOUNDARY || b[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_bchar((unsigned char)b[i]))
            return 0;
    return 1;
}

static void skip_ows(struct cur *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

static size_t token_len(const struct cur *c)
{
    size_t n = 0;
    while (c->p + n < c->end && is_tchar((unsigned char)c->p[n]))
        n++;
    return n;
}

/*
 * Reads a parameter value (token or quoted-string) into out. In a quoted-string a
 * backslash escapes only '"' and '\' (Go and RFC 7230 escape those; browsers and requests
 * leave other backslashes, as in Windows paths, unescaped). -1 if malformed or too long.
 */
static int param_value(struct cur *c, char *out, size_t cap)
{
    size_t o = 0;
    if (c->p < c->end && *c->p == '"') {
        for (c->p++; c->p < c->end && *c->p != '"'; c->p++) {
            if (*c->p == '\\' && c->p + 1 < c->end && (c->p[1] == '"' || c->p[1] == '\\'))
                c->p++;
            if (o + 1 >= cap)
                return -1;
            out[o++] = *c->p;
        }
        if (c->p >= c->end)
            return -1;
        c->p++;
    } else {
        for (; c->p < c->end && *c->p != ';' && *c->p != ' ' && *c->p != '\t'; c->p++) {
            if (o + 1 >= cap)
                return -1;
            out[o++] = *c->p;
        }
        if (o == 0)
            return -1;
    }
    out[o] = 0;
    return 0;
}

/*
 * Walks "; name=value" parameters after a type; calls on(name, nlen, value, arg) for each.
 * -1 on malformed input or when `on` refuses.
 */
static int each_param(struct cur *c, int (*on)(const char *, size_t, const char *, void *),
                      void *arg)
{
    char value[1024];
    for (;;) {
        skip_ows(c);
        if (c->p >= c->end)
            return 0;
        if (*c->p != ';')
            return -1;
        c->p++;
        skip_ows(c);
        if (c->p >= c->end)
            return 0; /* a trailing ';' */
        size_t nl = token_len(c);
        const char *name = c->p;
        c->p += nl;
        skip_ows(c);
        if (nl == 0 || c->p >= c->end || *c->p != '=')
            return -1;
        c->p++;
        skip_ows(c);
        if (param_value(c, value, sizeof(value)) != 0 || on(name, nl, value, arg) != 0)
            return -1;
    }
}

static int name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* ------------------------------------------------------------------ boundary */

struct boundary_out {
    char *out;
    size_t cap;
    int found;
};

static int on_ctype_param(const char *name, size_t n, const char *value, void *arg)
{
    struct boundary_out *b = arg;
    if (!name_is(name, n, "boundary"))
        return 0;
    size_t vl = strlen(value);
    if (!boundary_ok(value, vl) || vl >= b->cap)
        return -1;
    memcpy(b->out, value, vl + 1);
    b->found = 1;
    return 0;
}

int mp_boundary(const char *ctype, size_t len, char *out, size_t cap)
{
    static const char type[] = "multipart/form-data";
    struct cur c = {ctype, ctype + len};
    struct boundary_out b = {out, cap, 0};
    skip_ows(&c);
    if ((size_t)(c.end - c.p) < sizeof(type) - 1 || strncasecmp(c.p, type, sizeof(type) - 1))
        return MP_ERR_CTYPE;
    c.p += sizeof(type) - 1;
    if (each_param(&c, on_ctype_param, &b) != 0 || !b.found)
        return MP_ERR_CTYPE;
    return MP_OK;
}

int mp_boundary_sniff(const char *body, size_t len, char *out, size_t cap)
{
    if (len < 4 || body[0] != '-' || body[1] != '-')
        return MP_ERR_CTYPE;
    size_t limit = len < MP_MAX_BOUNDARY + 4 ? len : MP_MAX_BOUNDARY + 4;
    const char *crlf = memmem(body + 2, limit - 2, "\r\n", 2);
    if (!crlf)
        return MP_ERR_CTYPE;
    size_t n = (size_t)(crlf - body - 2);
    if (!boundary_ok(body + 2, n) || n >= cap)
        return MP_ERR_CTYPE;
    memcpy(out, body + 2, n);
    out[n] = 0;
    return MP_OK;
}

/* ------------------------------------------------------------------ Content-Disposition */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 5987 ext-value (charset'lang'%XX...) decoded to UTF-8; -1 if malformed */
static int ext_value(const char *v, char *out, size_t cap)
{
    const char *q1 = strchr(v, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
    if (!q2)
        return -1;
    int latin1 = (size_t)(q1 - v) == 10 && strncasecmp(v, "iso-8859-1", 10) == 0;
    if (!latin1 && !((size_t)(q1 - v) == 5 && strncasecmp(v, "utf-8", 5) == 0))
        return -1;
    size_t o = 0;
    for (const char *p = q2 + 1; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '%') {
            int h = hexval(p[1]), l = h < 0 ? -1 : hexval(p[2]);
            if (l < 0)
                return -1;
            c = h * 16 + l;
            p += 2;
        }
        if (c == 0)
            return -1;
        if (latin1 && c >= 0x80) {
            if (o + 3 > cap)
                return -1;
            out[o++] = (char)(0xc0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3f));
            continue;
        }
        if (o + 2 > cap)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = 0;
    return 0;
}

/* copies the last path segment of name into out, cut at a UTF-8 character boundary */
static void set_filename(struct mp_part *part, const char *name)
{
    const char *base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t n = strlen(base);
    if (n >= sizeof(part->filename)) {
        n = sizeof(part->filename) - 1;
        while (n > 0 && ((unsigned char)base[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(part->filename, base, n);
    part->filename[n] = 0;
    part->has_filename = 1;
}

struct disposition {
    struct mp_part *part;
    int has_name, has_ext;
};

static int on_disp_param(const char *name, size_t n, const char *value, void *arg)
{
    struct disposition *d = arg;
    char decoded[1024];
    if (name_is(name, n, "name")) {
        size_t vl = strlen(value);
        if (vl >= sizeof(d->part->name))
            return -1;
        memcpy(d->part->name, value, vl + 1);
        d->has_name = 1;
    } else if (name_is(name, n, "filename*")) {
        if (ext_value(value, decoded, sizeof(decoded)) != 0)
            return -1;
        set_filename(d->part, decoded);
        d->has_ext = 1;
    } else if (name_is(name, n, "filename") && !d->has_ext) {
        set_filename(d->part, value);
    }
    return 0;
}

static int parse_disposition(const char *v, size_t n, struct mp_part *part)
{
    static const char type[] = "form-data";
    struct cur c = {v, v + n};
    struct disposition d = {part, 0, 0};
    size_t tl = token_len(&c);
    if (tl != sizeof(type) - 1 || strncasecmp(v, type, tl) != 0)
        return MP_ERR_SYNTAX;
    c.p += tl;
    if (each_param(&c, on_disp_param, &d) != 0 || !d.has_name)
        return MP_ERR_SYNTAX;
    if (!utf8_valid(part->name, strlen(part->name)) ||
        !utf8_valid(part->filename, strlen(part->filename)))
        return MP_ERR_CHARSET;
    return MP_OK;
}

/* ------------------------------------------------------------------ part headers */

static void trim(const char **v, size_t *n)
{
    while (*n && (**v == ' ' || **v == '\t'))
        (*v)++, (*n)--;
    while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t'))
        (*n)--;
}

/* one "Name: value" line (without its CRLF) */
static int header_line(const char *line, size_t n, struct mp_part *part, int *has_disp)
{
    struct cur c = {line, line + n};
    size_t nl = token_len(&c);
    if (nl == 0 || nl >= n || line[nl] != ':')
        return MP_ERR_SYNTAX; /* also a folded line, which starts with a space */
    const char *v = line + nl + 1;
    size_t vl = n - nl - 1;
    trim(&v, &vl);
    if (name_is(line, nl, "content-disposition")) {
        if (*has_disp)
            return MP_ERR_SYNTAX;
        *has_disp = 1;
        return parse_disposition(v, vl, part);
    }
    if (name_is(line, nl, "content-type")) {
        size_t k = vl < sizeof(part->ctype) - 1 ? vl : sizeof(part->ctype) - 1;
        memcpy(part->ctype, v, k);
        part->ctype[k] = 0;
    }
    return MP_OK;
}

/* reads header lines from *p up to the empty line; *p ends just past it */
static int part_headers(const char **p, const char *end, struct mp_part *part)
{
    int has_disp = 0;
    for (int count = 0;; count++) {
        size_t avail = (size_t)(end - *p);
        size_t scan = avail < MP_MAX_LINE + 2 ? avail : MP_MAX_LINE + 2;
        const char *crlf = memmem(*p, scan, "\r\n", 2);
        if (!crlf)
            return avail > MP_MAX_LINE ? MP_ERR_LIMIT : MP_ERR_SYNTAX;
        size_t n = (size_t)(crlf - *p);
        const char *line = *p;
        *p = crlf + 2;
        if (n == 0)
            return has_disp ? MP_OK : MP_ERR_SYNTAX;
        if (count >= MP_MAX_HEADERS)
            return MP_ERR_LIMIT;
        if (memchr(line, 0, n))
            return MP_ERR_SYNTAX;
        int rc = header_line(line, n, part, &has_disp);
        if (rc != MP_OK)
            return rc;
    }
}

/* ------------------------------------------------------------------ delimiters */

struct delim {
    const char *dash; /* "--" boundary */
    size_t len;
};

/* at p (pointing at "--boundary"): 1 for a delimiter (*next after its CRLF), 2 for the close
 * delimiter, 0 when what follows makes it data */
static int delim_kind(const struct delim *d, const char *p, const char *end, const char **next)
{
    if ((size_t)(end - p) < d->len || memcmp(p, d->dash, d->len) != 0)
        return 0;
    const char *q = p + d->len;
    if (end - q >= 2 && q[0] == '-' && q[1] == '-')
        return 2;
    while (q < end && (*q == ' ' || *q == '\t'))
        q++;
    if (end - q >= 2 && q[0] == '\r' && q[1] == '\n') {
        *next = q + 2;
        return 1;
    }
    return 0;
}

/* the next "\r\n--boundary" at or after p that is a real delimiter; NULL if none */
static const char *next_delim(const struct delim *d, const char *p, const char *end, int *kind,
                              const char **next)
{
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), "\r\n--", 4);
        if (!hit)
            return NULL;
        if ((*kind = delim_kind(d, hit + 2, end, next)) != 0)
            return hit;
        p = hit + 2;
    }
    return NULL;
}

/* the first delimiter: at the very start, or after a preamble */
static const char *first_delim(const struct delim *d, const char *body, const char *end, int *kind,
                               const char **next)
{
    if ((*kind = delim_kind(d, body, end, next)) != 0)
        return body;
    const char *hit = next_delim(d, body, end, kind, next);
    return hit ? hit + 2 : NULL;
}

int mp_parse(const char *body, size_t len, const char *boundary, struct mp_form *out)
{
    char dash[MP_MAX_BOUNDARY + 3];
    size_t bl = strlen(boundary);
    memset(out, 0, sizeof(*out));
    if (!boundary_ok(boundary, bl))
        return MP_ERR_SYNTAX;
    dash[0] = dash[1] = '-';
    memcpy(dash + 2, boundary, bl);
    struct delim d = {dash, bl + 2};
    const char *end = body + len, *next = NULL;
    int kind;
    if (!first_delim(&d, body, end, &kind, &next))
        return MP_ERR_SYNTAX;
    while (kind == 1) {
        if (out->n >= MP_MAX_PARTS)
            return MP_ERR_LIMIT;
        struct mp_part *part = &out->parts[out->n];
        const char *p = next;
        int rc = part_headers(&p, end, part);
        if (rc != MP_OK)
            return rc;
        /* a part without data may end its headers right at the next delimiter, the blank
         * line's CRLF being the delimiter's own (RFC 2046: body-part := headers [CRLF data]) */
        const char *stop =
            (kind = delim_kind(&d, p, end, &next)) != 0 ? p : next_delim(&d, p, end, &kind, &next);
        if (!stop)
            return MP_ERR_SYNTAX; /* no final delimiter */
        part->data = p;
        part->len = (size_t)(stop - p);
        out->n++;
    }
    return MP_OK;
}

const struct mp_part *mp_find(const struct mp_form *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->parts[i].name, name) == 0)
            return &f->parts[i];
    return NULL;
}
