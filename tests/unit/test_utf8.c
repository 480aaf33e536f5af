/* test_utf8: src/util/utf8.c */
#include "helpers.h"
#include "util/utf8.h"

#include <string.h>

static int ok(const char *s)
{
    return utf8_valid(s, strlen(s));
}

Test(utf8, accepts_well_formed_text)
{
    cr_assert(ok(""));
    cr_assert(ok("hello"));
    cr_assert(ok("你好"));
    cr_assert(ok("\xf0\x9f\x98\x80")); /* emoji, 4 bytes */
    cr_assert(ok("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
    ASSERT_NO_LEAKS();
}

Test(utf8, refuses_malformed_sequences)
{
    cr_assert(!ok("\xff\xfe"));
    cr_assert(!ok("\xc3"));             /* truncated */
    cr_assert(!ok("\xc0\xaf"));         /* overlong '/' */
    cr_assert(!ok("\xe0\x80\xaf"));     /* overlong */
    cr_assert(!ok("\xed\xa0\x80"));     /* a surrogate */
    cr_assert(!ok("\xf4\x90\x80\x80")); /* past U+10FFFF */
    cr_assert(!ok("a\x80z"));           /* a lone continuation byte */
    ASSERT_NO_LEAKS();
}
