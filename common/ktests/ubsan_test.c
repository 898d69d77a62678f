/* ubsan_test.c: the kernel's UBSan runtime reports undefined behaviour with file and line.
 * Meaningful only in kernels built with ./configure --enable-ubsan; skipped otherwise. */
#include <kernel/limits.h>
#include <kernel/ktest.h>
#include <kernel/ubsan.h>

KTEST(ubsan_reports_signed_overflow)
{
	volatile int big = INT_MAX, one = 1;
	unsigned long before = ubsan_report_count();
	int sum;

	if (!ubsan_enabled())
		KTEST_SKIP("kernel built without --enable-ubsan");
	ubsan_expect(1);
	sum = big + one;
	(void)sum;
	KTEST_EXPECT_EQ(ubsan_report_count() - before, 1);
}

KTEST(ubsan_reports_out_of_bounds_index)
{
	/* The guard takes the stray store, so nothing else on the stack is hit. */
	struct {
		int table[4];
		int guard[4];
	} s = { { 0 }, { 0 } };
	volatile int index = 4;
	unsigned long before = ubsan_report_count();

	if (!ubsan_enabled())
		KTEST_SKIP("kernel built without --enable-ubsan");
	ubsan_expect(1);
	s.table[index & 7] = 1;
	KTEST_EXPECT_EQ(ubsan_report_count() - before, 1);
	KTEST_EXPECT_EQ(s.guard[0], 1);
}
