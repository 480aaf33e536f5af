/* page: see page.h */
#include "page.h"

#include <string.h>

void page_text(struct buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&#39;");
            break;
        default:
            buf_putc(b, *s);
        }
    }
}

/* the pages of the authorization flows: the client's look (WeUI and app.css), no tab bar */
void page_begin(struct buf *b, const char *title)
{
    buf_puts(b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
    page_text(b, title);
    buf_puts(b, "</title><link rel=\"stylesheet\" href=\"/app/vendor/weui.min.css\">"
                "<link rel=\"stylesheet\" href=\"/app/static/app.css\">"
                "<link rel=\"icon\" href=\"/app/static/icons/lianjie.svg\"></head>"
                "<body><main class=\"lj-plain\">");
}

void page_end(struct buf *b)
{
    buf_puts(b, "</main></body></html>");
}

void page_hidden(struct buf *b, const char *name, const char *value)
{
    buf_puts(b, "<input type=\"hidden\" name=\"");
    page_text(b, name);
    buf_puts(b, "\" value=\"");
    page_text(b, value);
    buf_puts(b, "\">");
}

void page_error(struct buf *b, int code, const char *what)
{
    page_begin(b, "Error");
    buf_puts(b, "<div class=\"weui-msg\"><div class=\"weui-msg__icon-area\">"
                "<i class=\"weui-icon-warn weui-icon_msg\" aria-hidden=\"true\"></i></div>"
                "<div class=\"weui-msg__text-area\">");
    buf_printf(b, "<h1 class=\"weui-msg__title err\">Error %d</h1><p class=\"weui-msg__desc\">",
               code);
    page_text(b, what);
    buf_puts(b, "</p></div><div class=\"weui-msg__opr-area\"><p class=\"weui-btn-area\">"
                "<a class=\"weui-btn weui-btn_default\" href=\"/app/\">Go to lianjie</a></p>"
                "</div></div>");
    page_end(b);
}

void page_app_begin(struct buf *b, const char *title)
{
    buf_puts(b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1,"
                "viewport-fit=cover\"><title>");
    page_text(b, title);
    buf_puts(b, "</title><link rel=\"stylesheet\" href=\"/app/vendor/weui.min.css\">"
                "<link rel=\"stylesheet\" href=\"/app/static/app.css\">"
                "<link rel=\"icon\" href=\"/app/static/icons/lianjie.svg\"></head>"
                "<body><main class=\"lj-page\">");
}

void page_app_end(struct buf *b, const char *tab, const char *script)
{
    buf_puts(b, "</main>");
    if (tab) {
        buf_puts(b, "<nav class=\"weui-tabbar lj-tabbar\" id=\"tabbar\" data-tab=\"");
        page_text(b, tab);
        buf_puts(b, "\"></nav>");
    }
    if (script) {
        buf_puts(b, "<script src=\"/app/static/common.js\"></script><script src=\"/app/static/");
        page_text(b, script);
        buf_puts(b, "\"></script>");
    }
    buf_puts(b, "</body></html>");
}
