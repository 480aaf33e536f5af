/* test_xml: src/push/xml.c, the reader of developers' replies */
#include "helpers.h"
#include "push/xml.h"

#include <string.h>

static struct xnode *parse(const char *s)
{
    return xml_parse(s, strlen(s));
}

Test(xml, reads_a_reply)
{
    struct xnode *x = parse("<xml><Content><![CDATA[你好]]></Content><N>3</N></xml>");
    cr_assert_not_null(x);
    cr_assert_str_eq(xml_text(x, "Content"), "你好");
    cr_assert_str_eq(xml_text(x, "N"), "3");
    xml_free(x);
    ASSERT_NO_LEAKS();
}

/* text that is not UTF-8 is not well-formed XML: refused, in CDATA, text, names and
 * attributes, and also when the document claims another encoding */
Test(xml, refuses_bytes_that_are_not_utf8)
{
    static const char *bad[] = {
        "<xml><Content><![CDATA[x\xf6y]]></Content></xml>",
        "<xml><Content>x\xc3</Content></xml>",
        "<xml><Con\xfftent>x</Con\xfftent></xml>",
        "<xml a=\"\xed\xa0\x80\"><Content>x</Content></xml>",
        "<xml><Content><![CDATA[\xc0\xaf]]></Content></xml>",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><xml><C><![CDATA[\xf6]]></C></xml>",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct xnode *x = parse(bad[i]);
        cr_assert_null(x, "document %zu was accepted", i);
    }
    ASSERT_NO_LEAKS();
}
