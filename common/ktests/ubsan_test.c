/* ubsan_test.c: the kernel's UBSan runtime reports undefined behaviour with file and line.
 * Meaningful only in kernels built with ./configure --enable-ubsan; skipped otherwise. */
#include <kernel/limits.h>
#include <kernel/ktest.h>
#include <kernel/ubsan.h>

/* Results go here, so the compiler must compute them (and run the checks). */
static volatile int ubsan_sink;

KTEST(ubsan_reports_signed_overflow)
{
	volatile int big = INT_MAX, one = 1;
	unsigned long before = ubsan_report_count();

	if (!ubsan_enabled())
		KTEST_SKIP("kernel built without --enable-ubsan");
	ubsan_expect(1);
	ubsan_sink = big + one;
	KTEST_EXPECT_EQ(ubsan_report_count() - before, 1);
}

KTEST(ubsan_reports_out_of_bounds_index)
{
	/* The stray read lands in the guard: memory of this test, never anything else. */
	struct {
		int table[4];
		int guard[4];
	} s = { { 0 }, { 0 } };
	volatile int index = 4;
	unsigned long before = ubsan_report_count();

	if (!ubsan_enabled())
		KTEST_SKIP("kernel built without --enable-ubsan");
	ubsan_expect(1);
	ubsan_sink = s.table[index & 7];
	KTEST_EXPECT_EQ(ubsan_report_count() - before, 1);
}
