/* utest.c: the runner of user test programs (ulib/utest.h).
 *
 * Tests are struct utest entries in the .utests section, in link order; user.ld brackets
 * them with __start_utests and __stop_utests. Each test runs to its end (ASSERT returns
 * from it), then the runner prints its TAP result. Output goes through printf's stdout
 * buffer, so TAP lines and a test's own printf() output stay in order. */
#include <uapi/syscall.h>
#include <lib/check.h>
#include <lib/prop.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/utest.h>

extern const struct utest __start_utests[], __stop_utests[];

/* The running test's verdict, and the program's TAP stream. */
static struct {
	struct tap tap;
	bool failed;
	const char *skip_reason;
} utest_cur;

/* tap.c output callback: each call is one line (or a piece of a very long one). */
static void utest_write(void *ctx, const char *s, size_t n)
{
	printf("%.*s", (int)n, s);
}

struct tap *utest_tap(void)
{
	return &utest_cur.tap;
}

void utest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	utest_cur.failed = true;
	tap_diag(&utest_cur.tap, "%s:%d: %s", file, line, msg);
}

void utest_skip(const char *reason)
{
	utest_cur.skip_reason = reason;
}

bool utest_check(bool ok, const char *expr, const char *file, int line)
{
	if (!ok)
		utest_fail(file, line, "expected: %s", expr);
	return ok;
}

bool utest_check_eq(long long a, long long b, const char *ea, const char *eb,
		    const char *file, int line)
{
	char msg[CHECK_MSG_MAX];
	bool ok = check_eq(a, b, ea, eb, msg, sizeof msg);

	if (!ok)
		utest_fail(file, line, "%s", msg);
	return ok;
}

bool utest_check_streq(const char *a, const char *b, const char *ea, const char *eb,
		       const char *file, int line)
{
	char msg[CHECK_MSG_MAX];
	bool ok = check_streq(a, b, ea, eb, msg, sizeof msg);

	if (!ok)
		utest_fail(file, line, "%s", msg);
	return ok;
}

bool utest_check_meminfo(const struct meminfo *before, const struct meminfo *after,
			 const char *file, int line)
{
	bool ok = utest_check_eq((long long)after->processes, (long long)before->processes,
				 "processes after", "before", file, line);

	ok &= utest_check_eq((long long)after->threads, (long long)before->threads,
			     "threads after", "before", file, line);
	ok &= utest_check_eq((long long)after->heap_allocs, (long long)before->heap_allocs,
			     "heap_allocs after", "before", file, line);
	ok &= utest_check_eq((long long)after->heap_bytes, (long long)before->heap_bytes,
			     "heap_bytes after", "before", file, line);
	ok &= utest_check_eq((long long)after->free_pages, (long long)before->free_pages,
			     "free_pages after", "before", file, line);
	return ok;
}

/* Apply one argument: seed=N or prop.replay=N, N decimal or hex after 0x (the kernel's
 * cmdline_parse_u64 reads the same words: a leading 0 is not octal). Returns false for
 * anything else. */
bool utest_option(const char *arg)
{
	const char *value = strchr(arg, '=');
	char *end;
	unsigned long v;

	if (!value || value[1] < '0' || value[1] > '9')
		return false;
	value++;
	v = strtoul(value, &end, value[0] == '0' && (value[1] == 'x' || value[1] == 'X') ? 16 : 10);
	if (*end != '\0')
		return false;
	if (str_starts_with(arg, "seed="))
		prop_set_seed(v);
	else if (str_starts_with(arg, "prop.replay="))
		prop_set_replay(v);
	else
		return false;
	return true;
}

static void utest_run_one(const struct utest *t)
{
	utest_cur.failed = false;
	utest_cur.skip_reason = NULL;
	t->fn();
	if (utest_cur.skip_reason && !utest_cur.failed)
		tap_skip(&utest_cur.tap, t->name, utest_cur.skip_reason);
	else
		tap_result(&utest_cur.tap, !utest_cur.failed, t->name);
}

int utest_main(int argc, char **argv)
{
	unsigned count = (unsigned)(__stop_utests - __start_utests);
	const struct utest *t;
	int i;

	tap_init(&utest_cur.tap, utest_write, NULL);
	for (i = 1; i < argc; i++) {
		if (!utest_option(argv[i])) {
			tap_bail(&utest_cur.tap, "unknown argument (want seed=N or prop.replay=N)");
			return 1;
		}
	}
	if (count == 0) {
		tap_bail(&utest_cur.tap, "this program has no UTEST");
		return 1;
	}
	tap_plan(&utest_cur.tap, count);
	for (t = __start_utests; t < __stop_utests; t++)
		utest_run_one(t);
	return tap_exit_status(&utest_cur.tap);
}
