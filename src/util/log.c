/* log: JSON lines on stderr (see log.h). */
#include "log.h"
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum log_level log_threshold = LOG_INFO;

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

int log_parse_level(const char *s, enum log_level *out)
{
    for (int i = 0; i <= LOG_OFF; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

void log_raw(const char *line, unsigned long len)
{
    struct buf b = BUF_INIT;
    buf_append(&b, line, len);
    buf_putc(&b, '\n');
    ssize_t w = write(2, b.ptr, b.len);
    (void)w;
    buf_release(&b);
}

void log_write(enum log_level lvl, const char *module, const char *rid, const char *fmt, ...)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[40];
    size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof(ts) - n, ".%03dZ", (int)(tv.tv_usec / 1000));

    struct buf msg = BUF_INIT, line = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    buf_printf(&line, "{\"ts\":\"%s\",\"level\":\"%s\",\"module\":", ts, level_names[lvl]);
    buf_json_cstr(&line, module);
    if (rid) {
        buf_puts(&line, ",\"rid\":");
        buf_json_cstr(&line, rid);
    }
    buf_puts(&line, ",\"msg\":");
    buf_json_str(&line, msg.ptr, msg.len);
    buf_putc(&line, '}');
    log_raw(line.ptr, line.len);
    buf_release(&msg);
    buf_release(&line);
}
