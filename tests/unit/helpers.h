/*
 * helpers: shared by the unit tests. Criterion forks one process per test and a leak that
 * LeakSanitizer reports when that process exits does not fail the test, so every test ends
 * with ASSERT_NO_LEAKS(), which runs the leak check while the test can still fail.
 * Outside an ASan build the LSan symbol is absent (weak, NULL) and the check is a no-op.
 */
#ifndef LJ_TEST_HELPERS_H
#define LJ_TEST_HELPERS_H

#include <criterion/criterion.h>

extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

static inline void assert_no_leaks(void)
{
    if (__lsan_do_recoverable_leak_check)
        cr_assert_eq(__lsan_do_recoverable_leak_check(), 0,
                     "LeakSanitizer found leaks in this test (details on stderr)");
}

#define ASSERT_NO_LEAKS() assert_no_leaks()

#endif
