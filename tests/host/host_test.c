/*
 * host_test.c - main() and the checks of the host test framework.
 *
 * Output is the kernel's own TAP emitter (common/lib/tap.c) writing to
 * stdout with write(2), so host tests also exercise the code that reports
 * kernel test results.
 */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>

#include <lib/fmt.h>
#include <lib/string.h>
#include <lib/tap.h>

#include "host_test.h"

/* Plenty for one program; exceeding it bails out rather than dropping tests. */
#define HOST_TEST_MAX 64

struct host_test {
	const char *name;
	void (*fn)(void);
	int line;
};

static struct host_test host_tests[HOST_TEST_MAX];
static unsigned host_test_count;
static bool host_test_overflow;
static bool host_test_failed;
static struct tap host_tap;

/* Record test fn under name, defined at line of its file. Called by HOST_TEST's constructor. */
void host_test_register(const char *name, void (*fn)(void), int line)
{
	if (host_test_count == HOST_TEST_MAX) {
		host_test_overflow = true;
		return;
	}
	host_tests[host_test_count++] = (struct host_test){ .name = name, .fn = fn, .line = line };
}

/* Constructors run in no promised order, so put the tests back in file order. */
static void host_test_sort(void)
{
	for (unsigned i = 1; i < host_test_count; i++) {
		struct host_test t = host_tests[i];
		unsigned j = i;

		for (; j > 0 && host_tests[j - 1].line > t.line; j--)
			host_tests[j] = host_tests[j - 1];
		host_tests[j] = t;
	}
}

/* TAP write callback: all of s to stdout, retrying short writes. */
void host_write(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	while (n > 0) {
		ssize_t done = write(STDOUT_FILENO, s, n);

		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return;
		s += done;
		n -= (size_t)done;
	}
}

/* TAP write callback appending s[0..n) to the struct host_capture ctx. */
void host_capture_write(void *ctx, const char *s, size_t n)
{
	struct host_capture *cap = ctx;

	cap->writes++;
	for (size_t i = 0; i < n && cap->len + 1 < sizeof(cap->text); i++)
		cap->text[cap->len++] = s[i];
	cap->text[cap->len] = '\0';
}

/* Print a '#' diagnostic into the program's TAP stream. */
void host_diag(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tap_diag(&host_tap, "%s", msg);
}

/* Pass if ok; else print where and what failed, and fail the current test. */
bool host_check_true(const char *file, int line, const char *expr, bool ok)
{
	if (!ok) {
		host_diag("%s:%d: CHECK_TRUE(%s) failed", file, line, expr);
		host_test_failed = true;
	}
	return ok;
}

/* Pass if got == want; else print both as signed decimals and fail the current test. */
bool host_check_eq_int(const char *file, int line, const char *got_expr, const char *want_expr,
		       long long got, long long want)
{
	if (got == want)
		return true;
	host_diag("%s:%d: CHECK_EQ_INT(%s, %s) failed\n  got:  %lld\n  want: %lld",
		  file, line, got_expr, want_expr, got, want);
	host_test_failed = true;
	return false;
}

/* Pass if got == want; else print both in hex and decimal and fail the current test. */
bool host_check_eq_u64(const char *file, int line, const char *got_expr, const char *want_expr,
		       unsigned long long got, unsigned long long want)
{
	if (got == want)
		return true;
	host_diag("%s:%d: CHECK_EQ_U64(%s, %s) failed\n  got:  0x%llx (%llu)\n  want: 0x%llx (%llu)",
		  file, line, got_expr, want_expr, got, got, want, want);
	host_test_failed = true;
	return false;
}

/* Pass if both strings are equal (or both NULL); else print both quoted and fail the current test. */
bool host_check_eq_str(const char *file, int line, const char *got_expr, const char *want_expr,
		       const char *got, const char *want)
{
	bool same = got == NULL || want == NULL ? got == want : strcmp(got, want) == 0;

	if (same)
		return true;
	host_diag("%s:%d: CHECK_EQ_STR(%s, %s) failed\n  got:  \"%s\"\n  want: \"%s\"",
		  file, line, got_expr, want_expr, got, want);
	host_test_failed = true;
	return false;
}

/* Run every registered test in file order as one TAP result each; exit 0 only if all passed. */
int main(void)
{
	tap_init(&host_tap, host_write, NULL);
	if (host_test_overflow) {
		tap_bail(&host_tap, "more tests than HOST_TEST_MAX in tests/host/host_test.c");
		return 1;
	}
	host_test_sort();
	tap_plan(&host_tap, host_test_count);
	for (unsigned i = 0; i < host_test_count; i++) {
		host_test_failed = false;
		host_tests[i].fn();
		tap_result(&host_tap, !host_test_failed, host_tests[i].name);
	}
	return tap_exit_status(&host_tap);
}
