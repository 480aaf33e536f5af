/* test_clock: src/core/clock.c: the test clock only moves forward; days and months in UTC+8 */
#include "helpers.h"
#include "core/clock.h"

Test(clock, advance_moves_forward_only)
{
    int64_t t0 = clock_now();
    cr_assert_eq(clock_offset(), 0);
    int64_t t1 = clock_advance(3600);
    cr_assert_geq(t1, t0 + 3600);
    cr_assert_eq(clock_offset(), 3600);
    clock_advance(0);
    clock_advance(-100);
    cr_assert_eq(clock_offset(), 3600, "never back");
    cr_assert_geq(clock_now_ms() / 1000, t0 + 3600);
    ASSERT_NO_LEAKS();
}

Test(clock, monotonic_does_not_jump_with_the_offset)
{
    int64_t m0 = clock_mono_ns();
    clock_advance(86400);
    int64_t m1 = clock_mono_ns();
    cr_assert_geq(m1, m0);
    cr_assert_lt(m1 - m0, (int64_t)3600 * 1000000000);
    ASSERT_NO_LEAKS();
}

Test(clock, day_changes_at_midnight_china_time)
{
    /* 1970-01-01 16:00:00 UTC is midnight in UTC+8 */
    cr_assert_eq(clock_day(0), 0);
    cr_assert_eq(clock_day(16 * 3600 - 1), 0);
    cr_assert_eq(clock_day(16 * 3600), 1);
    cr_assert_eq(clock_day(16 * 3600 + 86399), 1);
    cr_assert_eq(clock_day(16 * 3600 + 86400), 2);
    ASSERT_NO_LEAKS();
}

Test(clock, month_changes_at_midnight_china_time)
{
    /* 2024-01-31 16:00:00 UTC = 2024-02-01 00:00 in UTC+8 (epoch 1706716800) */
    cr_assert_eq(clock_month(1706716800 - 1), 2024 * 12 + 0);
    cr_assert_eq(clock_month(1706716800), 2024 * 12 + 1);
    /* 2024-12-31 16:00:00 UTC = 2025-01-01 00:00 in UTC+8 (epoch 1735660800) */
    cr_assert_eq(clock_month(1735660800 - 1), 2024 * 12 + 11);
    cr_assert_eq(clock_month(1735660800), 2025 * 12 + 0);
    ASSERT_NO_LEAKS();
}
