/* test_multipart: src/http/multipart.c: boundaries, body shapes real clients send, and
 * malformed bodies */
#include "helpers.h"
#include "http/multipart.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int boundary(const char *ct, char *out)
{
    return mp_boundary(ct, strlen(ct), out, MP_MAX_BOUNDARY + 1);
}

static int parse(const char *body, const char *b, struct mp_form *f)
{
    return mp_parse(body, strlen(body), b, f);
}

Test(multipart, boundary_token_and_quoted)
{
    char b[MP_MAX_BOUNDARY + 1];
    cr_assert_eq(boundary("multipart/form-data; boundary=abc123", b), MP_OK);
    cr_assert_str_eq(b, "abc123");
    cr_assert_eq(boundary("Multipart/Form-Data;boundary=\"----=_Part_0_1.2\"", b), MP_OK);
    cr_assert_str_eq(b, "----=_Part_0_1.2");
    cr_assert_eq(boundary("multipart/form-data; charset=UTF-8; BOUNDARY=x-y_z", b), MP_OK);
    cr_assert_str_eq(b, "x-y_z");
    cr_assert_eq(boundary("multipart/form-data; boundary=\"a b\"", b), MP_OK);
    cr_assert_str_eq(b, "a b");
    ASSERT_NO_LEAKS();
}

Test(multipart, boundary_refused)
{
    char b[MP_MAX_BOUNDARY + 1], long71[100];
    memset(long71, 'a', 71);
    long71[71] = 0;
    char ct[200];
    snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%s", long71);
    const char *bad[] = {"application/json",
                         "multipart/form-data",
                         "multipart/form-data; charset=utf-8",
                         "multipart/form-data; boundary=",
                         "multipart/form-data; boundary=\"\"",
                         "multipart/form-data; boundary=\"unterminated",
                         "multipart/form-data; boundary=\"trailing \"",
                         "multipart/form-data; boundary=a<b",
                         "multipart/mixed; boundary=abc",
                         "multipart/form-data boundary=abc",
                         ct};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(boundary(bad[i], b), MP_ERR_CTYPE, "%s", bad[i]);
    ASSERT_NO_LEAKS();
}

Test(multipart, boundary_sniffed_from_the_first_line)
{
    char b[MP_MAX_BOUNDARY + 1];
    const char *body =
        "--XyZ123\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--XyZ123--";
    cr_assert_eq(mp_boundary_sniff(body, strlen(body), b, sizeof(b)), MP_OK);
    cr_assert_str_eq(b, "XyZ123");
    cr_assert_eq(mp_boundary_sniff("{\"a\":1}", 7, b, sizeof(b)), MP_ERR_CTYPE);
    cr_assert_eq(mp_boundary_sniff("--\r\n", 4, b, sizeof(b)), MP_ERR_CTYPE);
    cr_assert_eq(mp_boundary_sniff("--abc", 5, b, sizeof(b)), MP_ERR_CTYPE);
    ASSERT_NO_LEAKS();
}

/* the body wechatpy (requests) sends */
Test(multipart, requests_shape)
{
    struct mp_form f;
    const char *body = "--5e3f\r\n"
                       "Content-Disposition: form-data; name=\"media\"; filename=\"a.jpg\"\r\n"
                       "\r\n"
                       "JPEGDATA\r\n"
                       "--5e3f--\r\n";
    cr_assert_eq(parse(body, "5e3f", &f), MP_OK);
    cr_assert_eq(f.n, 1);
    const struct mp_part *p = mp_find(&f, "media");
    cr_assert_not_null(p);
    cr_assert_str_eq(p->filename, "a.jpg");
    cr_assert_eq(p->has_filename, 1);
    cr_assert_str_eq(p->ctype, "");
    cr_assert_eq(p->len, 8);
    cr_assert_eq(memcmp(p->data, "JPEGDATA", 8), 0);
    ASSERT_NO_LEAKS();
}

/* formstream (node-webot): fields first, Content-Type on each part; Guzzle: Content-Length */
Test(multipart, formstream_and_guzzle_shapes)
{
    struct mp_form f;
    const char *body = "----------------------------123\r\n"
                       "Content-Disposition: form-data; name=\"description\"\r\n"
                       "\r\n"
                       "{\"title\":\"t\"}\r\n"
                       "----------------------------123\r\n"
                       "Content-Disposition: form-data; name=\"media\"; filename=\"v.mp4\"\r\n"
                       "Content-Length: 4\r\n"
                       "content-type: video/mp4\r\n"
                       "\r\n"
                       "\r\n\r\n\r\n"
                       "----------------------------123--\r\n";
    cr_assert_eq(parse(body, "--------------------------123", &f), MP_OK);
    cr_assert_eq(f.n, 2);
    const struct mp_part *d = mp_find(&f, "description");
    cr_assert_eq(d->has_filename, 0);
    cr_assert_eq(d->len, strlen("{\"title\":\"t\"}"));
    const struct mp_part *m = mp_find(&f, "media");
    cr_assert_str_eq(m->ctype, "video/mp4");
    cr_assert_eq(m->len, 4, "CRLFs inside the data are data");
    cr_assert_eq(memcmp(m->data, "\r\n\r\n", 4), 0);
    ASSERT_NO_LEAKS();
}

/* Symfony (EasyWeChat 6): unquoted parameters, RFC 5987 filename* */
Test(multipart, unquoted_params_and_ext_filename)
{
    struct mp_form f;
    const char *body = "--b\r\n"
                       "Content-Type: image/png\r\n"
                       "Content-Disposition: form-data; name=media; filename=x.png; "
                       "filename*=utf-8''%E5%9B%BE%20%E7%89%87.png\r\n"
                       "\r\n"
                       "PNG\r\n"
                       "--b--";
    cr_assert_eq(parse(body, "b", &f), MP_OK);
    cr_assert_str_eq(f.parts[0].name, "media");
    cr_assert_str_eq(f.parts[0].filename, "\xe5\x9b\xbe \xe7\x89\x87.png");
    const char *latin =
        "--b\r\nContent-Disposition: form-data; name=\"m\"; "
        "filename*=ISO-8859-1'en'caf%E9.jpg; filename=\"ignored.jpg\"\r\n\r\nx\r\n--b--";
    cr_assert_eq(parse(latin, "b", &f), MP_OK);
    cr_assert_str_eq(f.parts[0].filename, "caf\xc3\xa9.jpg");
    ASSERT_NO_LEAKS();
}

Test(multipart, filename_escapes_and_paths)
{
    struct mp_form f;
    const char *go = "--b\r\nContent-Disposition: form-data; name=\"m\"; "
                     "filename=\"say \\\"hi\\\" \\\\now.jpg\"\r\n\r\nx\r\n--b--";
    cr_assert_eq(parse(go, "b", &f), MP_OK);
    cr_assert_str_eq(f.parts[0].filename, "now.jpg", "a backslash is a path separator");
    const char *win = "--b\r\nContent-Disposition: form-data; name=\"m\"; "
                      "filename=\"C:\\Users\\me\\pic.jpg\"\r\n\r\nx\r\n--b--";
    cr_assert_eq(parse(win, "b", &f), MP_OK);
    cr_assert_str_eq(f.parts[0].filename, "pic.jpg");
    const char *quote = "--b\r\nContent-Disposition: form-data; name=\"m\"; "
                        "filename=\"a\\\"b.jpg\"\r\n\r\nx\r\n--b--";
    cr_assert_eq(parse(quote, "b", &f), MP_OK);
    cr_assert_str_eq(f.parts[0].filename, "a\"b.jpg");
    ASSERT_NO_LEAKS();
}

Test(multipart, preamble_epilogue_and_padding)
{
    struct mp_form f;
    const char *body = "this is a preamble\r\n"
                       "--b  \t\r\n"
                       "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                       "1\r\n"
                       "--b-- trailing words\r\nepilogue";
    cr_assert_eq(parse(body, "b", &f), MP_OK);
    cr_assert_eq(f.n, 1);
    cr_assert_eq(f.parts[0].len, 1);
    ASSERT_NO_LEAKS();
}

Test(multipart, boundary_inside_data_is_data)
{
    struct mp_form f;
    const char *body = "--bnd\r\n"
                       "Content-Disposition: form-data; name=\"media\"; filename=\"f\"\r\n\r\n"
                       "x--bnd y\r\n--bndX\r\n--bnd \r\n--bn\r\n"
                       "\r\n--bnd--";
    cr_assert_eq(parse(body, "bnd", &f), MP_ERR_SYNTAX,
                 "a delimiter line with padding is a delimiter, and then a bad header");
    const char *ok = "--bnd\r\n"
                     "Content-Disposition: form-data; name=\"media\"; filename=\"f\"\r\n\r\n"
                     "x--bnd y\r\n--bndX\r\n--bn\r\n"
                     "\r\n--bnd--";
    cr_assert_eq(parse(ok, "bnd", &f), MP_OK);
    cr_assert_eq(f.n, 1);
    const char *want = "x--bnd y\r\n--bndX\r\n--bn\r\n";
    cr_assert_eq(f.parts[0].len, strlen(want));
    cr_assert_eq(memcmp(f.parts[0].data, want, strlen(want)), 0);
    ASSERT_NO_LEAKS();
}

Test(multipart, empty_parts_and_empty_form)
{
    struct mp_form f;
    const char *body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\r\n"
                       "--b\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n--b--\r\n";
    cr_assert_eq(parse(body, "b", &f), MP_OK);
    cr_assert_eq(f.n, 2);
    cr_assert_eq(f.parts[0].len, 0);
    cr_assert_eq(f.parts[1].len, 0, "headers may end right at the next delimiter");
    cr_assert_eq(parse("--b--\r\n", "b", &f), MP_OK);
    cr_assert_eq(f.n, 0);
    ASSERT_NO_LEAKS();
}

Test(multipart, malformed_bodies)
{
    struct mp_form f;
    const char *bad[] = {
        "",
        "no delimiter at all",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ndata", /* no final delimiter */
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ndata\r\n--b\r\n",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ndata\r\n--b",
        "--b\r\n\r\ndata\r\n--b--",                             /* no headers */
        "--b\r\nContent-Type: text/plain\r\n\r\ndata\r\n--b--", /* no disposition */
        "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--",
        "--b\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--b--", /* no name */
        "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name\r\n\r\nx\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n folded\r\n\r\nx\r\n--b--",
        "--b\r\nno colon here\r\n\r\nx\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\nContent-Type: x\n\nx\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\"; filename*=utf-8''%zz\r\n\r\nx\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\"; "
        "filename*=utf-8''a%00b\r\n\r\nx\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\"; filename*=koi8-r''x\r\n\r\nx\r\n--b--",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n"
        "Content-Disposition: form-data; name=\"b\"\r\n\r\nx\r\n--b--",
        "--bx\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--bx--",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(parse(bad[i], "b", &f), MP_ERR_SYNTAX, "body %zu", i);
    ASSERT_NO_LEAKS();
}

Test(multipart, limits)
{
    struct mp_form f;
    char *body = malloc(64 * 1024);
    size_t n = 0;
    for (int i = 0; i < MP_MAX_PARTS + 1; i++)
        n += (size_t)sprintf(body + n,
                             "--b\r\nContent-Disposition: form-data; name=\"p%d\"\r\n\r\nv\r\n", i);
    sprintf(body + n, "--b--");
    cr_assert_eq(parse(body, "b", &f), MP_ERR_LIMIT, "too many parts");
    n = (size_t)sprintf(body, "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n");
    for (int i = 0; i < MP_MAX_HEADERS; i++)
        n += (size_t)sprintf(body + n, "X-H%d: v\r\n", i);
    sprintf(body + n, "\r\nx\r\n--b--");
    cr_assert_eq(parse(body, "b", &f), MP_ERR_LIMIT, "too many header lines");
    n = (size_t)sprintf(body, "--b\r\nX-Long: ");
    memset(body + n, 'a', MP_MAX_LINE + 10);
    n += MP_MAX_LINE + 10;
    sprintf(body + n, "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b--");
    cr_assert_eq(parse(body, "b", &f), MP_ERR_LIMIT, "a header line too long");
    n = (size_t)sprintf(body, "--b\r\nContent-Disposition: form-data; name=\"");
    memset(body + n, 'n', 100);
    sprintf(body + n + 100, "\"\r\n\r\nx\r\n--b--");
    cr_assert_eq(parse(body, "b", &f), MP_ERR_SYNTAX, "a field name too long");
    free(body);
    ASSERT_NO_LEAKS();
}

Test(multipart, long_filename_cut_at_a_character)
{
    struct mp_form f;
    char body[2048];
    size_t n =
        (size_t)sprintf(body, "--b\r\nContent-Disposition: form-data; name=\"m\"; filename=\"");
    for (int i = 0; i < 120; i++)
        n += (size_t)sprintf(body + n, "\xe5\x9b\xbe"); /* 360 bytes */
    sprintf(body + n, ".jpg\"\r\n\r\nx\r\n--b--");
    cr_assert_eq(parse(body, "b", &f), MP_OK);
    size_t len = strlen(f.parts[0].filename);
    cr_assert(len <= 255 && len % 3 == 0, "cut at %zu", len);
    ASSERT_NO_LEAKS();
}

/* every prefix of a valid body is refused without reading past it */
Test(multipart, truncated_bodies_never_read_past_the_end)
{
    struct mp_form f;
    const char *body = "--b\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a\"\r\n"
                       "Content-Type: image/jpeg\r\n\r\nDATA\r\n--b--";
    size_t n = strlen(body);
    for (size_t i = 0; i < n; i++) {
        char *copy = malloc(i ? i : 1); /* exactly i bytes: ASan catches a read past them */
        memcpy(copy, body, i);
        int rc = mp_parse(copy, i, "b", &f);
        cr_assert_neq(rc, MP_OK, "prefix of %zu bytes", i);
        free(copy);
    }
    char *copy = malloc(n);
    memcpy(copy, body, n);
    cr_assert_eq(mp_parse(copy, n, "b", &f), MP_OK);
    free(copy);
    ASSERT_NO_LEAKS();
}
