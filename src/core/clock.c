/* clock: see clock.h */
#include "clock.h"

#include <stdatomic.h>
#include <time.h>

static atomic_llong offset_s;
static int test_enabled;

int64_t clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + atomic_load(&offset_s) * 1000;
}

int64_t clock_now(void)
{
    return (int64_t)time(NULL) + atomic_load(&offset_s);
}

int64_t clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void clock_enable_test(void)
{
    test_enabled = 1;
}

int clock_test_enabled(void)
{
    return test_enabled;
}

int64_t clock_advance(int64_t secs)
{
    if (secs > 0)
        atomic_fetch_add(&offset_s, secs);
    return clock_now();
}

void clock_set_offset(int64_t offset)
{
    long long cur = atomic_load(&offset_s);
    while (offset > cur && !atomic_compare_exchange_weak(&offset_s, &cur, offset))
        ;
}

int64_t clock_offset(void)
{
    return atomic_load(&offset_s);
}

int64_t clock_day(int64_t t)
{
    return (t + 8 * 3600) / 86400;
}

int64_t clock_month(int64_t t)
{
    time_t cst = (time_t)(t + 8 * 3600);
    struct tm tm;
    gmtime_r(&cst, &tm);
    return (int64_t)(tm.tm_year + 1900) * 12 + tm.tm_mon;
}
