/* ulib/utest.h: user test programs that report in TAP, written like kernel tests
 * (kernel/ktest.h).
 *
 *   UTEST(getpid_is_positive)
 *   {
 *           UTEST_EXPECT(sys_getpid() > 0);
 *   }
 *
 *   int main(int argc, char **argv)
 *   {
 *           return utest_main(argc, argv);
 *   }
 *
 * UTEST(name) defines a test and registers it in the .utests section (user.ld);
 * utest_main() runs every test in the order they are written and prints TAP version 13 on
 * stdout, "ok N - name" or "not ok N - name" with '#' diagnostics. Booted with utest=NAME
 * on its command line, the kernel runs /bin/NAME and powers off with its exit status; the
 * program's TAP is then the test stream of `make check` (common/kernel/utest.c).
 *
 * UTEST_EXPECT_* record a failure and go on. UTEST_ASSERT_* and UTEST_SKIP also end the
 * test, by returning from the function they are written in: use them in the test's own
 * body (KTEST_ASSERT can end a test from any depth; user programs have no longjmp). A test
 * that faults ends the whole program, and the kernel says why on the console.
 *
 * Property tests run with prop_check(utest_tap(), ...) (lib/prop.h). The arguments seed=N
 * and prop.replay=N choose their base seed or replay one case, as on the kernel command
 * line, which passes them on to the program in utest mode. */
#ifndef ULIB_UTEST_H
#define ULIB_UTEST_H

#include <stdbool.h>
#include <lib/tap.h>

struct utest {
	const char *name;
	void (*fn)(void);
};

#define UTEST(tname) \
	static void utest_fn_##tname(void); \
	static const struct utest utest_desc_##tname \
		__attribute__((used, section(".utests"), aligned(8))) = { #tname, utest_fn_##tname }; \
	static void utest_fn_##tname(void)

/* Read the arguments (seed=N, prop.replay=N), run every test, print TAP. Returns 0 when
 * all passed, 1 otherwise: return it from main(). */
int utest_main(int argc, char **argv);

/* Apply one argument as utest_main does: seed=N or prop.replay=N (N decimal, or hex after
 * 0x). Returns false for anything else. For helper processes of a property test, which
 * get the test's seed handed on in the same words. */
bool utest_option(const char *arg);

/* The TAP stream of the running program, for prop_check() and tap_diag(). */
struct tap *utest_tap(void);

/* Mark the running test failed with a diagnostic; the test goes on. */
void utest_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Mark the running test skipped with a reason (it still fails if it failed already). */
void utest_skip(const char *reason);

/* The checks behind the EXPECT macros: each returns whether it held, after marking the
 * test failed with a diagnostic that names the expressions when it did not. */
bool utest_check(bool ok, const char *expr, const char *file, int line);
bool utest_check_eq(long long a, long long b, const char *ea, const char *eb,
		    const char *file, int line);
bool utest_check_streq(const char *a, const char *b, const char *ea, const char *eb,
		       const char *file, int line);

struct meminfo;

/* Leak check: every counter of two SYS_meminfo snapshots (processes, threads, heap bytes
 * and allocations, free pages) is the same. Fails the test naming each that differs. */
bool utest_check_meminfo(const struct meminfo *before, const struct meminfo *after,
			 const char *file, int line);

#define UTEST_EXPECT(cond) utest_check(!!(cond), #cond, __FILE__, __LINE__)
#define UTEST_EXPECT_EQ(a, b) \
	utest_check_eq((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define UTEST_EXPECT_MEMINFO_EQ(before, after) \
	utest_check_meminfo((before), (after), __FILE__, __LINE__)
#define UTEST_EXPECT_STREQ(a, b) utest_check_streq((a), (b), #a, #b, __FILE__, __LINE__)

#define UTEST_ASSERT(cond) do { if (!UTEST_EXPECT(cond)) return; } while (0)
#define UTEST_ASSERT_EQ(a, b) do { if (!UTEST_EXPECT_EQ(a, b)) return; } while (0)
#define UTEST_ASSERT_STREQ(a, b) do { if (!UTEST_EXPECT_STREQ(a, b)) return; } while (0)
#define UTEST_SKIP(reason) do { utest_skip(reason); return; } while (0)

#endif
