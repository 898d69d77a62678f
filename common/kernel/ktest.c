/* ktest.c: the in-kernel test runner (see kernel/ktest.h for how tests are written).
 *
 * Tests live in the .ktests linker section, one struct ktest each, in link order. The runner
 * counts those that match, prints the TAP plan, and runs each one with an arch_setjmp() point
 * set: a failed ASSERT, a skip, or a fault inside the test arch_longjmp()s back here, so one
 * broken test never stops the run. */
#include <arch/context.h>
#include <kernel/console.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <lib/check.h>
#include <lib/fmt.h>
#include <lib/string.h>
#include <lib/tap.h>

extern const struct ktest __start_ktests[], __stop_ktests[];

/* The test running now. LAB(kernel-core): tests run on the boot CPU only. */
static struct {
	const struct ktest *test;
	bool running;
	bool failed;
	const char *skip_reason;
	struct arch_jmpbuf jb;
} ktest_cur;

static struct tap ktest_tap_stream;

/* tap.c output callback: write to the console. */
static void ktest_write(void *ctx, const char *s, size_t n)
{
	console_write(s, n);
}

/* Glob match with '*' (any run of characters) and '?' (any one character). */
static bool ktest_glob_match(const char *pat, const char *s)
{
	if (*pat == '\0')
		return *s == '\0';
	if (*pat == '*')
		return ktest_glob_match(pat + 1, s) || (*s && ktest_glob_match(pat, s + 1));
	if (*s && (*pat == '?' || *pat == *s))
		return ktest_glob_match(pat + 1, s + 1);
	return false;
}

static bool ktest_selected(const struct ktest *t, const char *glob)
{
	return !glob || !*glob || ktest_glob_match(glob, t->name);
}

bool ktest_running(void)
{
	return ktest_cur.running;
}

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ktest_cur.failed = true;
	tap_diag(&ktest_tap_stream, "%s:%d: %s", file, line, msg);
}

void ktest_abort(void)
{
	arch_longjmp(&ktest_cur.jb, 1);
}

void ktest_skip(const char *reason)
{
	ktest_cur.skip_reason = reason;
	ktest_abort();
}

bool ktest_check(bool ok, const char *expr, const char *file, int line)
{
	if (!ok)
		ktest_fail(file, line, "expected: %s", expr);
	return ok;
}

struct tap *ktest_tap(void)
{
	return &ktest_tap_stream;
}

bool ktest_check_eq(long long a, long long b, const char *ea, const char *eb,
		    const char *file, int line)
{
	char msg[CHECK_MSG_MAX];
	bool ok = check_eq(a, b, ea, eb, msg, sizeof msg);

	if (!ok)
		ktest_fail(file, line, "%s", msg);
	return ok;
}

bool ktest_check_streq(const char *a, const char *b, const char *ea, const char *eb,
		       const char *file, int line)
{
	char msg[CHECK_MSG_MAX];
	bool ok = check_streq(a, b, ea, eb, msg, sizeof msg);

	if (!ok)
		ktest_fail(file, line, "%s", msg);
	return ok;
}

/* Run one test and print its TAP line. */
static void ktest_run_one(const struct ktest *t)
{
	ktest_cur.test = t;
	ktest_cur.failed = false;
	ktest_cur.skip_reason = NULL;
	ktest_cur.running = true;
	if (arch_setjmp(&ktest_cur.jb) == 0)
		t->fn();
	ktest_cur.running = false;
	sched_pin_current(false); /* a test that pinned itself may have ended early */
	if (ktest_cur.skip_reason && !ktest_cur.failed)
		tap_skip(&ktest_tap_stream, t->name, ktest_cur.skip_reason);
	else
		tap_result(&ktest_tap_stream, !ktest_cur.failed, t->name);
}

int ktest_run_all(const char *glob)
{
	const struct ktest *t;
	unsigned n = 0;

	tap_init(&ktest_tap_stream, ktest_write, NULL);
	for (t = __start_ktests; t < __stop_ktests; t++)
		n += ktest_selected(t, glob);
	if (n == 0) {
		tap_skip_all(&ktest_tap_stream, "no test matches the ktest= pattern");
		return glob && *glob ? 1 : 0;
	}
	tap_plan(&ktest_tap_stream, n);
	for (t = __start_ktests; t < __stop_ktests; t++)
		if (ktest_selected(t, glob))
			ktest_run_one(t);
	return tap_exit_status(&ktest_tap_stream);
}
