/*
 * setup: process-wide settings for the unit-test binary. The server's log lines (schema
 * migrated, expected constraint failures) would bury Criterion's report, so logging is off
 * unless LIANJIE_TEST_LOG names a level (debug, info, warn, error).
 */
#include "util/log.h"

#include <stdlib.h>

__attribute__((constructor)) static void unit_quiet_logs(void)
{
    const char *lvl = getenv("LIANJIE_TEST_LOG");
    if (!lvl || log_parse_level(lvl, &log_threshold) != 0)
        log_threshold = LOG_OFF;
}
