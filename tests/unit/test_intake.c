/* test_intake: src/http/intake.c's reading of a request head */
#include "helpers.h"
#include "http/intake.h"

#include <string.h>

static int parse(const char *s, struct req_head *h)
{
    return intake_parse_head(s, strlen(s), h);
}

Test(intake, reads_the_path_the_method_and_the_body_framing)
{
    struct req_head h;
    const char *req = "POST /cgi-bin/media/upload?access_token=T&type=image HTTP/1.1\r\n"
                      "Host: x\r\ncontent-LENGTH:  2048 \r\n\r\nbody";
    cr_assert_eq(parse(req, &h), 1);
    cr_assert(h.post);
    cr_assert_eq(h.length, 2048);
    cr_assert(!h.chunked);
    cr_assert_eq(h.path_len, strlen("/cgi-bin/media/upload?access_token=T&type=image"));
    cr_assert_eq(memcmp(h.path, "/cgi-bin/media/upload?", 22), 0);
    cr_assert_eq(h.head_len, strlen(req) - 4);
    cr_assert_eq(parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n", &h), 1);
    cr_assert(!h.post);
    cr_assert_eq(h.length, -1);
    cr_assert_eq(parse("\r\nPOST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", &h), 1);
    cr_assert(h.chunked && h.post);
    ASSERT_NO_LEAKS();
}

Test(intake, waits_for_a_whole_head_and_refuses_a_broken_one)
{
    struct req_head h;
    cr_assert_eq(parse("POST /x HTTP/1.1\r\nContent-Length: 5\r\n", &h), 0);
    cr_assert_eq(parse("", &h), 0);
    cr_assert_eq(parse("POST /x HTTP/1.1\r\nContent-Length: 5x\r\n\r\n", &h), -1);
    cr_assert_eq(parse("POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", &h), -1);
    cr_assert_eq(parse("POST\r\n\r\n", &h), -1);
    cr_assert_eq(parse(" /x HTTP/1.1\r\n\r\n", &h), -1);
    ASSERT_NO_LEAKS();
}
