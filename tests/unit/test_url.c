/* test_url: src/util/url.c: percent-encoding and the same-origin rule of cookie sessions */
#include "helpers.h"
#include "util/url.h"

#include <string.h>

static int same(const char *origin, const char *host)
{
    return url_origin_is_host(origin, strlen(origin), host, strlen(host));
}

Test(url, encode_keeps_unreserved_and_escapes_the_rest)
{
    struct buf b = BUF_INIT;
    url_encode(&b, "a-Z_0.~ /?&=é");
    cr_assert_str_eq(b.ptr, "a-Z_0.~%20%2F%3F%26%3D%C3%A9");
    buf_release(&b);
    ASSERT_NO_LEAKS();
}

Test(url, origin_matches_its_own_host_and_port)
{
    cr_assert(same("http://127.0.0.1:8080", "127.0.0.1:8080"));
    cr_assert(same("https://example.com", "example.com"));
    cr_assert(same("HTTP://Example.COM:8080", "example.com:8080"));
    cr_assert(same("http://[::1]:9000", "[::1]:9000"));
    ASSERT_NO_LEAKS();
}

Test(url, origin_default_ports_may_be_written_or_left_out)
{
    cr_assert(same("http://example.com", "example.com:80"));
    cr_assert(same("http://example.com:80", "example.com"));
    cr_assert(same("https://example.com:443", "example.com"));
    cr_assert(same("https://example.com", "example.com:443"));
    cr_assert_not(same("https://example.com", "example.com:80"));
    cr_assert_not(same("http://example.com", "example.com:443"));
    ASSERT_NO_LEAKS();
}

Test(url, origin_of_another_port_host_or_kind_never_matches)
{
    const char *bad[][2] = {
        {"http://127.0.0.1:8081", "127.0.0.1:8080"},
        {"http://127.0.0.1", "127.0.0.1:8080"},
        {"http://evil.example", "127.0.0.1:8080"},
        {"http://127.0.0.1:8080.evil.example", "127.0.0.1:8080"},
        {"null", "127.0.0.1:8080"},
        {"", "127.0.0.1:8080"},
        {"http://", ""},
        {"file://127.0.0.1:8080", "127.0.0.1:8080"},
        {"ftp://127.0.0.1:8080", "127.0.0.1:8080"},
        {"http://127.0.0.1:8080/", "127.0.0.1:8080"},
        {"http://user@127.0.0.1:8080", "127.0.0.1:8080"},
        {"http://127.0.0.1:8080 ", "127.0.0.1:8080"},
        {"http://127.0.0.1:8080", ""},
        {"http://127.0.0.1:8080", "127.0.0.1:8080/x"},
        {"127.0.0.1:8080", "127.0.0.1:8080"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(same(bad[i][0], bad[i][1]), "'%s' vs host '%s'", bad[i][0], bad[i][1]);
    ASSERT_NO_LEAKS();
}
