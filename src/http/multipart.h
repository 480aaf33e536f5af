/*
 * multipart: a small, strict reader of multipart/form-data bodies (RFC 7578 over RFC 2046),
 * as the upload APIs receive them from requests (wechatpy), formstream (node-webot),
 * Apache HttpClient (WxJava), Guzzle and Symfony (EasyWeChat) and Go's mime/multipart.
 *
 * The body is already in memory; parts are slices into it, nothing is copied but the
 * small header values. The reader never looks past `len` bytes, takes at most
 * MP_MAX_PARTS parts with at most MP_MAX_HEADERS header lines of MP_MAX_LINE bytes each,
 * and refuses a body whose close delimiter ("--boundary--") is missing.
 *
 * Accepted: a preamble before the first delimiter and an epilogue after the last;
 * transport padding (spaces, tabs) after a delimiter; header names in any case;
 * parameters as tokens or quoted-strings (backslash escapes undone); RFC 5987
 * `filename*=charset'lang'%XX` (it wins over `filename`); a filename given with a path
 * keeps its last segment. A delimiter-like line inside the data ("--boundary" followed by
 * anything but "--" or the line end) is data.
 */
#ifndef LJ_MULTIPART_H
#define LJ_MULTIPART_H

#include <stddef.h>

#define MP_MAX_PARTS    16
#define MP_MAX_HEADERS  16
#define MP_MAX_LINE     4096
#define MP_MAX_BOUNDARY 70

enum {
    MP_OK = 0,
    MP_ERR_CTYPE = -1,   /* not multipart/form-data, or no usable boundary */
    MP_ERR_SYNTAX = -2,  /* malformed body: delimiters, header lines, Content-Disposition */
    MP_ERR_LIMIT = -3,   /* too many parts or headers, or a header line too long */
    MP_ERR_CHARSET = -4, /* a part's name or filename is not UTF-8 */
};

struct mp_part {
    char name[64];      /* the form field name */
    char filename[256]; /* UTF-8; "" when none was given */
    int has_filename;
    char ctype[128]; /* the part's Content-Type, "" when none */
    const char *data;
    size_t len;
};

struct mp_form {
    int n;
    struct mp_part parts[MP_MAX_PARTS];
};

/* The boundary parameter of a multipart/form-data Content-Type (token or quoted-string,
 * 1..70 characters) into out: MP_OK or MP_ERR_CTYPE. */
int mp_boundary(const char *ctype, size_t len, char *out, size_t cap);
/* The boundary read from the body's first line ("--" boundary CRLF), for clients that send
 * multipart/form-data without a boundary parameter: MP_OK or MP_ERR_CTYPE. */
int mp_boundary_sniff(const char *body, size_t len, char *out, size_t cap);
/* Splits body into parts: MP_OK, MP_ERR_SYNTAX, MP_ERR_LIMIT or MP_ERR_CHARSET. */
int mp_parse(const char *body, size_t len, const char *boundary, struct mp_form *out);
/* The first part named name, or NULL */
const struct mp_part *mp_find(const struct mp_form *f, const char *name);

#endif
