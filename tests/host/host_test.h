/*
 * host_test.h - a tiny framework for host tests that speaks TAP.
 *
 * A test program is one .c file of HOST_TEST(name) { ... } functions linked
 * with host_test.c, which provides main(): it prints the plan, runs every
 * test in the order written and reports one TAP result per test. Checks
 * print file:line and both values as '#' diagnostics and mark the current
 * test failed; they return whether they passed, so a test can stop early
 * with "if (!CHECK_TRUE(p != NULL)) return;".
 *
 * These programs are built with the kernel library's names renamed (see
 * Makefile.am), so they must not include <string.h> or <stdio.h>.
 */
#ifndef HOST_TEST_H
#define HOST_TEST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Define and register a test. The constructor runs before main() and
 * records the test with its line number; main() sorts by line, so tests run
 * and are numbered in the order they appear in the file.
 */
#define HOST_TEST(name)							\
	static void host_test_##name(void);				\
	__attribute__((constructor)) static void host_test_register_##name(void) \
	{								\
		host_test_register(#name, host_test_##name, __LINE__);	\
	}								\
	static void host_test_##name(void)

#define CHECK_TRUE(cond) host_check_true(__FILE__, __LINE__, #cond, (cond))

#define CHECK_EQ_INT(got, want)						\
	host_check_eq_int(__FILE__, __LINE__, #got, #want, (long long)(got), (long long)(want))

#define CHECK_EQ_U64(got, want)						\
	host_check_eq_u64(__FILE__, __LINE__, #got, #want,		\
			  (unsigned long long)(got), (unsigned long long)(want))

#define CHECK_EQ_STR(got, want) host_check_eq_str(__FILE__, __LINE__, #got, #want, (got), (want))

/* Record test fn under name, defined at line of its file. Called by HOST_TEST's constructor. */
void host_test_register(const char *name, void (*fn)(void), int line);

/* Pass if ok; else print where and what failed, and fail the current test. */
bool host_check_true(const char *file, int line, const char *expr, bool ok);

/* Pass if got == want; else print both as signed decimals and fail the current test. */
bool host_check_eq_int(const char *file, int line, const char *got_expr, const char *want_expr,
		       long long got, long long want);

/* Pass if got == want; else print both in hex and decimal and fail the current test. */
bool host_check_eq_u64(const char *file, int line, const char *got_expr, const char *want_expr,
		       unsigned long long got, unsigned long long want);

/* Pass if both strings are equal (or both NULL); else print both quoted and fail the current test. */
bool host_check_eq_str(const char *file, int line, const char *got_expr, const char *want_expr,
		       const char *got, const char *want);

/* TAP write callback: all of s to this program's stdout (ctx unused). */
void host_write(void *ctx, const char *s, size_t n);

/* Output of a TAP stream under test, collected by host_capture_write(). */
struct host_capture {
	char text[4096];	/* always NUL-terminated; output beyond it is dropped */
	size_t len;
	unsigned writes;	/* calls of the write callback */
};

/* TAP write callback appending s[0..n) to the struct host_capture ctx. */
void host_capture_write(void *ctx, const char *s, size_t n);

/* Print a '#' diagnostic into the program's TAP stream. */
void host_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* HOST_TEST_H */
