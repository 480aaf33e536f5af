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

void page_begin(struct buf *b, const char *title)
{
    buf_puts(b, "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
    page_text(b, title);
    buf_puts(b, "</title><style>body{font-family:system-ui,sans-serif;max-width:420px;"
                "margin:40px auto;padding:0 16px;color:#222}h1{font-size:20px}"
                "button,input{font-size:16px;padding:10px;margin:6px 0;width:100%;"
                "box-sizing:border-box}button.primary{background:#07c160;color:#fff;border:0;"
                "border-radius:6px}button.secondary{background:#f2f2f2;border:0;"
                "border-radius:6px}.muted{color:#888;font-size:14px}.err{color:#c00}"
                "</style></head><body>");
}

void page_end(struct buf *b)
{
    buf_puts(b, "</body></html>");
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
    buf_printf(b, "<h1 class=\"err\">Error %d</h1><p>", code);
    page_text(b, what);
    buf_puts(b, "</p>");
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
