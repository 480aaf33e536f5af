/*
 * clock: the one clock of the server. Everything that expires asks clock_now().
 * With --test-clock the operator can move it forward (never back); the offset is kept in the
 * database (api_admin.c), so every node of a platform shares it and a restart keeps it.
 */
#ifndef LJ_CLOCK_H
#define LJ_CLOCK_H

#include <stdint.h>

int64_t clock_now(void);     /* Unix seconds, offset included */
int64_t clock_now_ms(void);  /* Unix milliseconds, offset included */
int64_t clock_mono_ns(void); /* monotonic, for durations only (never offset) */
void clock_enable_test(void);
int clock_test_enabled(void);
/* moves the clock forward by secs (> 0); returns the new now */
int64_t clock_advance(int64_t secs);
int64_t clock_offset(void);
/* raises the offset to `offset` (never lowers it): another node moved the clock */
void clock_set_offset(int64_t offset);
/* day and month numbers of the clock, in China Standard Time (UTC+8) as WeChat counts them */
int64_t clock_day(int64_t t);
int64_t clock_month(int64_t t);

#endif
