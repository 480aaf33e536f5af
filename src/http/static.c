/*
 * static: the web client's files, served from the web directory (`lianjie serve --web DIR`).
 *
 *   /app/static/...           DIR/app/static/...  (h2o's file handler: ETag, Range, HEAD)
 *   /app/vendor/weui.min.css  DIR/node_modules/weui/dist/style/weui.min.css
 *   /app/vendor/jsQR.js       DIR/node_modules/jsqr/dist/jsQR.js
 *   page routes (router)      DIR/app/NAME.html through http_send_page()
 *
 * h2o resolves "." and ".." segments (also %-encoded ones) before a request reaches a path,
 * so nothing outside those directories is ever opened; only the two vendor files of
 * node_modules are reachable. No directory listings; missing files are JSON 404s (errors.c).
 */
#include "http_int.h"
#include "../util/err.h"
#include "../util/log.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE_MAX (512 * 1024)

static char web_dir[PATH_MAX]; /* absolute, no trailing slash; "" when there is none */
static h2o_mimemap_t *mimemap; /* lives as long as the process */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir holds the web client (an app/ directory); its absolute path into out */
static int try_dir(const char *dir, char *out, size_t cap)
{
    char app[PATH_MAX + 8], abs[PATH_MAX];
    snprintf(app, sizeof(app), "%s/app", dir);
    if (!is_dir(app) || !realpath(dir, abs) || strlen(abs) >= cap)
        return -1;
    memcpy(out, abs, strlen(abs) + 1);
    return 0;
}

int http_web_resolve(const char *given, char *out, size_t cap)
{
    if (given)
        return try_dir(given, out, cap);
    if (try_dir("web", out, cap) == 0)
        return 0;
    char exe[PATH_MAX], dir[PATH_MAX + 16];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return -1;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    snprintf(dir, sizeof(dir), "%s/../../web", exe); /* build/MODE/lianjie in the repo */
    return try_dir(dir, out, cap);
}

static h2o_mimemap_t *web_mimemap(void)
{
    h2o_mimemap_t *m = h2o_mimemap_create();
    h2o_mimemap_define_mimetype(m, "html", "text/html; charset=utf-8", NULL);
    h2o_mimemap_define_mimetype(m, "css", "text/css; charset=utf-8", NULL);
    h2o_mimemap_define_mimetype(m, "js", "text/javascript; charset=utf-8", NULL);
    h2o_mimemap_define_mimetype(m, "json", "application/json; charset=utf-8", NULL);
    h2o_mimemap_define_mimetype(m, "svg", "image/svg+xml", NULL);
    h2o_mimemap_set_default_type(m, "application/octet-stream", NULL);
    return m;
}

/* revalidate every time (ETag) so a changed file shows at once; never sniff */
static h2o_headers_command_t *static_headers(void)
{
    static h2o_iovec_t nosniff;
    static h2o_headers_command_t cmds[3];
    nosniff = h2o_iovec_init(H2O_STRLIT("x-content-type-options"));
    cmds[0] = (h2o_headers_command_t){H2O_HEADERS_CMD_SET, &H2O_TOKEN_CACHE_CONTROL->buf,
                                      h2o_iovec_init(H2O_STRLIT("no-cache"))};
    cmds[1] = (h2o_headers_command_t){H2O_HEADERS_CMD_SET, &nosniff,
                                      h2o_iovec_init(H2O_STRLIT("nosniff"))};
    cmds[2] = (h2o_headers_command_t){H2O_HEADERS_CMD_NULL, NULL, {NULL, 0}};
    return cmds;
}

static void register_file(h2o_hostconf_t *host, h2o_mimemap_t *m, const char *path, const char *rel,
                          const char *ext)
{
    char real[PATH_MAX + 64];
    snprintf(real, sizeof(real), "%s/%s", web_dir, rel);
    if (access(real, R_OK) != 0)
        log_warn("http", "missing '%s': run 'npm ci' in the web directory (make does)", real);
    h2o_pathconf_t *pc = h2o_config_register_path(host, path, 0);
    h2o_file_register_file(
        pc, real, h2o_mimemap_get_type_by_extension(m, h2o_iovec_init(ext, strlen(ext))), 0);
    h2o_headers_register(pc, static_headers());
    http_errors_register(pc);
}

void http_static_register(h2o_hostconf_t *host, const char *dir)
{
    if (!dir || !*dir || snprintf(web_dir, sizeof(web_dir), "%s", dir) >= (int)sizeof(web_dir)) {
        web_dir[0] = 0;
        log_warn("http", "no web directory: the web client at /app/ is not served");
        return;
    }
    h2o_mimemap_t *m = mimemap = web_mimemap();
    register_file(host, m, "/app/vendor/weui.min.css", "node_modules/weui/dist/style/weui.min.css",
                  "css");
    register_file(host, m, "/app/vendor/jsQR.js", "node_modules/jsqr/dist/jsQR.js", "js");
    char real[PATH_MAX + 16];
    snprintf(real, sizeof(real), "%s/app/static", web_dir);
    h2o_pathconf_t *pc = h2o_config_register_path(host, "/app/static/", 0);
    h2o_file_register(pc, real, NULL, m, 0);
    h2o_headers_register(pc, static_headers());
    http_errors_register(pc);
}

static int page_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n < 6 || n > 64 || strcmp(name + n - 5, ".html") != 0)
        return 0;
    for (size_t i = 0; i < n - 5; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '-' || name[i] == '_'))
            return 0;
    return 1;
}

/* reads DIR/app/name into b: 0, or -1 when absent or too large. Pages are a few KB from the
 * page cache, read on each request so an edited page shows without a restart. */
static int read_page(const char *name, struct buf *b)
{
    char path[PATH_MAX + 80];
    snprintf(path, sizeof(path), "%s/app/%s", web_dir, name);
    FILE *f = web_dir[0] ? fopen(path, "rb") : NULL;
    if (!f)
        return -1;
    char chunk[8192];
    size_t n;
    buf_init(b, PAGE_MAX);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(b, chunk, n);
    int bad = ferror(f) || b->toobig;
    fclose(f);
    if (bad)
        buf_release(b);
    return bad ? -1 : 0;
}

/* no form-action: the sign-in form's redirect may go on to an authorized site */
#define PAGE_CSP                                                                                  \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' http: https: data: " \
    "blob:; media-src http: https:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"

void http_send_page(struct req *r, const char *name)
{
    struct buf b = BUF_INIT;
    if (!page_name_ok(name) || read_page(name, &b) != 0) {
        http_send_err_status(r, 404, ERR_NOT_FOUND, "not found");
        return;
    }
    http_page_headers(r);
    http_send_html(r, 200, &b);
}

void http_page_headers(struct req *r)
{
    http_add_header(r, "content-security-policy", PAGE_CSP);
    http_add_header(r, "x-content-type-options", "nosniff");
    http_add_header(r, "referrer-policy", "same-origin");
}

const char *http_web_dir(void)
{
    return web_dir;
}
