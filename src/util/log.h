/*
 * log: one-line JSON records on stderr. The level is tested before formatting.
 * Never pass secrets, tokens or request bodies to these functions.
 */
#ifndef LJ_LOG_H
#define LJ_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3, LOG_OFF = 4 };

extern enum log_level log_threshold;

int log_parse_level(const char *s, enum log_level *out);
void log_write(enum log_level lvl, const char *module, const char *rid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* writes an already-formed JSON object line (no trailing newline in `line`) */
void log_raw(const char *line, unsigned long len);

#define log_at(lvl, module, rid, ...)                       \
    do {                                                    \
        if ((lvl) >= log_threshold)                         \
            log_write((lvl), (module), (rid), __VA_ARGS__); \
    } while (0)

#define log_info(module, ...)  log_at(LOG_INFO, module, NULL, __VA_ARGS__)
#define log_warn(module, ...)  log_at(LOG_WARN, module, NULL, __VA_ARGS__)
#define log_error(module, ...) log_at(LOG_ERROR, module, NULL, __VA_ARGS__)

#endif
