/* ktest.h: in-kernel tests that report in TAP.
 *
 *   KTEST(printk_formats_int_min)
 *   {
 *           char buf[16];
 *           snprintf(buf, sizeof buf, "%d", INT_MIN);
 *           KTEST_ASSERT_STREQ(buf, "-2147483648");
 *   }
 *
 * KTEST(name) defines a test and registers it in the .ktests linker section; the kernel runs
 * them all when booted with `ktest` on its command line (or those matching `ktest=GLOB`) and
 * prints "ok N - name" or "not ok N - name" with '#' diagnostics for each (lab-guides/
 * 00-getting-started.md, "Reading TAP output"). KTEST_EXPECT_* record a failure and go on;
 * KTEST_ASSERT_* record it and end the test at once. An unexpected CPU exception, or a UBSan
 * report, inside a test fails that test and the run goes on with the next one. */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include <kernel/compiler.h>

struct ktest {
	const char *name;
	void (*fn)(void);
	const char *file;
};

#define KTEST(tname) \
	static void ktest_fn_##tname(void); \
	static const struct ktest ktest_desc_##tname __used __section(".ktests") __aligned(8) = { \
		#tname, ktest_fn_##tname, __FILE__ }; \
	static void ktest_fn_##tname(void)

/* Run every registered test whose name matches glob ('*' and '?'; NULL or "" = all) and print
 * TAP version 13. Returns 0 when all passed, 1 otherwise. */
int ktest_run_all(const char *glob);

/* The TAP stream the runner prints, for tests that report more than one result line's
 * worth (property tests print their seed, replay line and digest through it). */
struct tap *ktest_tap(void);

/* True while a test is running on this CPU (trap and UBSan handlers use it). */
bool ktest_running(void);

/* Mark the running test failed with a diagnostic; the test goes on. */
void ktest_fail(const char *file, int line, const char *fmt, ...) __printf(3, 4);

/* End the running test now (after a failed ASSERT, a caught fault or a skip). */
__noreturn void ktest_abort(void);

/* Mark the running test skipped with a reason and end it. */
__noreturn void ktest_skip(const char *reason);

bool ktest_check(bool ok, const char *expr, const char *file, int line);
bool ktest_check_eq(long long a, long long b, const char *ea, const char *eb,
		    const char *file, int line);
bool ktest_check_streq(const char *a, const char *b, const char *ea, const char *eb,
		       const char *file, int line);

#define KTEST_EXPECT(cond) ktest_check(!!(cond), #cond, __FILE__, __LINE__)
#define KTEST_EXPECT_EQ(a, b) \
	ktest_check_eq((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define KTEST_EXPECT_STREQ(a, b) ktest_check_streq((a), (b), #a, #b, __FILE__, __LINE__)

#define KTEST_ASSERT(cond) do { if (!KTEST_EXPECT(cond)) ktest_abort(); } while (0)
#define KTEST_ASSERT_EQ(a, b) do { if (!KTEST_EXPECT_EQ(a, b)) ktest_abort(); } while (0)
#define KTEST_ASSERT_STREQ(a, b) do { if (!KTEST_EXPECT_STREQ(a, b)) ktest_abort(); } while (0)
#define KTEST_SKIP(reason) ktest_skip(reason)

#endif
