/* syscalls: every system call, fed bad values for each of its arguments, must answer with
 * the right error and nothing else: no crash of the kernel, no kill of the caller, no
 * partial effect. The kernel runs it with utest=syscalls (utest-x86_64-syscalls.qtest).
 *
 * The test is driven by the kernel's own description of its calls: SYS_syscall_info(nr)
 * says what kind of value each argument is (uapi/syscall.h, enum syscall_arg). So a call
 * added to the kernel's table is tested the day it is added, with no change here. The
 * table is scanned from 0 up to 64 numbers past the highest known one.
 *
 * The bad values, by kind:
 *   pointers (ARG_UIN, ARG_UOUT, ARG_USTR and the _OPT ones): NULL (not for _OPT), a
 *     kernel address, the first address past the user half, a page that was mapped and
 *     unmapped again, the end of the user half with a length that wraps around, a range
 *     that starts in a mapped page and runs into an unmapped one (for a string: no NUL
 *     before the unmapped page), and, where the kernel writes, a read-only page. Each must
 *     give -EFAULT.
 *   descriptors (ARG_FD): -1, 3 (never opened) and 1000000: -EBADF.
 * Every other argument meanwhile gets a harmless value of its kind, chosen so that the
 * call, if it got past its checks, would fail early or do nothing (syscalls_fill_args).
 *
 * The test calls by number through the port's arch_syscall6(), as the library's wrappers
 * do: a table-driven test cannot use a wrapper per call. Survival is the "kernel stays up"
 * check: a kernel that faulted on a bad pointer would panic, one that killed the caller
 * would end the program before its TAP plan is complete. */
#include <stdbool.h>
#include <stdint.h>
#include <kernel/compiler.h>    /* only compiler macros (ARRAY_SIZE): shared with the kernel */
#include <uarch/syscall.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/utest.h>

#define SYSCALLS_SCAN_MIN 64          /* numbers below this are always asked about */
#define SYSCALLS_SCAN_SLACK 64        /* and so are this many past the highest known one */
#define SYSCALLS_SCAN_LIMIT 4096      /* a table this long is a broken SYS_syscall_info */
#define SYSCALLS_MAX_KNOWN 256        /* calls this test can hold */
#define SYSCALLS_PAGE 4096            /* every port's page size (SYS_map rounds to it) */
#define SYSCALLS_BUF_SIZE SYSCALLS_PAGE  /* a valid buffer per argument */
#define SYSCALLS_LEN 8                /* the valid length that goes with a buffer */
#define SYSCALLS_FD 1                 /* the harmless descriptor: stdout */
#define SYSCALLS_STR "/nonexistent/nonexistent"   /* the harmless string (syscalls_fill_args) */
#define SYSCALLS_KERNEL_ADDR 0xffffffff80000000UL
/* Addresses at the end of x86_64's user half (the other ports' user halves end lower, so
 * these are no user addresses there either): the first address past it (non-canonical),
 * and its last page, which is never mapped (kernel/process.c keeps it as a guard above
 * the stack). */
#define SYSCALLS_PAST_USER 0x0000800000000000UL
#define SYSCALLS_USER_TOP 0x00007ffffffff000UL
#define SYSCALLS_WRAP_LEN (~0UL)      /* with SYSCALLS_USER_TOP: wraps past the end */
#define SYSCALLS_STRADDLE 1           /* bytes of a straddling range in its mapped page */
#define SYSCALLS_FILL 'x'             /* what the page before the unmapped one holds */
#define SYSCALLS_NR_BAD_PTRS 7

/* One known system call, as SYS_syscall_info describes it. */
struct syscalls_call {
	unsigned long nr;
	struct syscall_info info;
};

/* The kernel's table as the first test found it (tests run in the order written). */
static struct {
	struct syscalls_call calls[SYSCALLS_MAX_KNOWN];
	unsigned count;
	unsigned long scanned;        /* numbers 0 .. scanned - 1 were asked about */
} syscalls_table;

/* A bad pointer value and the kinds of argument it is bad for. */
struct syscalls_bad_ptr {
	const char *what;
	uintptr_t addr;
	bool wrap_len;                /* the ARG_LEN after the pointer gets SYSCALLS_WRAP_LEN */
	bool writes_only;             /* bad only where the kernel writes (read-only memory) */
	bool null;                    /* bad only where NULL is not allowed */
};

/* The memory the cases need, mapped once by syscalls_env_ready(). */
static struct {
	bool ready;
	char *bufs;                   /* SYSCALL_MAX_ARGS valid buffers, one per argument */
	const char *before_edge;      /* the page before the unmapped one, all SYSCALLS_FILL */
	const char *readonly;         /* a read-only page: all zero */
	struct syscalls_bad_ptr bad[SYSCALLS_NR_BAD_PTRS];
} syscalls_env;

/* Make system call nr with the six arguments of a. */
static long syscalls_call(unsigned long nr, const long a[SYSCALL_MAX_ARGS])
{
	return arch_syscall6((long)nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* SYS_syscall_info(nr, info): 0, -ENOSYS for a number that is no call, or -EFAULT. */
static long syscalls_info(unsigned long nr, struct syscall_info *info)
{
	long a[SYSCALL_MAX_ARGS] = { (long)nr, (long)(uintptr_t)info };

	return syscalls_call(SYS_syscall_info, a);
}

/* Is an argument of kind a user pointer? */
static bool syscalls_is_pointer(unsigned kind)
{
	return kind == ARG_UIN || kind == ARG_UOUT || kind == ARG_UIN_OPT ||
	       kind == ARG_UOUT_OPT || kind == ARG_USTR;
}

/* Is kind a pointer that may be NULL? */
static bool syscalls_is_optional(unsigned kind)
{
	return kind == ARG_UIN_OPT || kind == ARG_UOUT_OPT;
}

/* Does the kernel write through a pointer of kind? */
static bool syscalls_kernel_writes(unsigned kind)
{
	return kind == ARG_UOUT || kind == ARG_UOUT_OPT;
}

/* Does some argument of info have this kind? */
static bool syscalls_has_kind(const struct syscall_info *info, unsigned kind)
{
	unsigned i;

	for (i = 0; i < SYSCALL_MAX_ARGS; i++)
		if (info->args[i] == kind)
			return true;
	return false;
}

/* Map what the bad values point at: a page whose successor is unmapped (mapped as two
 * pages, the second unmapped again) and a read-only page. The first page is filled with
 * SYSCALLS_FILL, so a string that starts in it has no NUL before the unmapped page.
 * Returns false when SYS_map or SYS_unmap fails. */
static bool syscalls_env_map(uintptr_t *edge, uintptr_t *readonly)
{
	long two = sys_map(2 * SYSCALLS_PAGE, PROT_READ | PROT_WRITE);
	long ro = sys_map(SYSCALLS_PAGE, PROT_READ);

	if (two < 0 || ro < 0 || sys_unmap((void *)(two + SYSCALLS_PAGE), SYSCALLS_PAGE) != 0)
		return false;
	memset((void *)two, SYSCALLS_FILL, SYSCALLS_PAGE);
	*edge = (uintptr_t)two + SYSCALLS_PAGE;
	*readonly = (uintptr_t)ro;
	return true;
}

/* Set up the buffers and the bad pointer values once. Returns false if it cannot. */
static bool syscalls_env_ready(void)
{
	uintptr_t edge, ro;
	long bufs;

	if (syscalls_env.ready)
		return true;
	bufs = sys_map(SYSCALL_MAX_ARGS * SYSCALLS_BUF_SIZE, PROT_READ | PROT_WRITE);
	if (bufs < 0 || !syscalls_env_map(&edge, &ro))
		return false;
	syscalls_env.bufs = (char *)bufs;
	syscalls_env.before_edge = (const char *)(edge - SYSCALLS_PAGE);
	syscalls_env.readonly = (const char *)ro;
	syscalls_env.bad[0] = (struct syscalls_bad_ptr){ .what = "NULL", .null = true };
	syscalls_env.bad[1] = (struct syscalls_bad_ptr){ .what = "kernel address",
							  .addr = SYSCALLS_KERNEL_ADDR };
	syscalls_env.bad[2] = (struct syscalls_bad_ptr){ .what = "past the user half",
							  .addr = SYSCALLS_PAST_USER };
	syscalls_env.bad[3] = (struct syscalls_bad_ptr){ .what = "unmapped page", .addr = edge };
	syscalls_env.bad[4] = (struct syscalls_bad_ptr){ .what = "wrapping range",
							  .addr = SYSCALLS_USER_TOP,
							  .wrap_len = true };
	syscalls_env.bad[5] = (struct syscalls_bad_ptr){ .what = "straddles into unmapped",
							  .addr = edge - SYSCALLS_STRADDLE };
	syscalls_env.bad[6] = (struct syscalls_bad_ptr){ .what = "read-only page", .addr = ro,
							  .writes_only = true };
	syscalls_env.ready = true;
	return true;
}

/* Fill a with the harmless value of each argument's kind, fd for descriptors. The values,
 * and why each is harmless for every call that has it:
 *   ARG_INT 0: wait(0) and kill(0) name no process (pids start at 1: -ECHILD, -ESRCH),
 *     thread_join(0) no thread of ours (-ESRCH), map(0) and unmap(0, 0) an empty range
 *     (-EINVAL), thread_create(0, 0, 0) a stack top of 0 (-EINVAL), sleep_ns(0) no sleep,
 *     syscall_info(0) the unused number 0, console_fg(0) no process; open's flags 0 are
 *     O_RDONLY without O_CREAT, and the modes and owners of mkdir, chmod and chown apply
 *     to a path that does not exist (below). dup2(fd, 0) would replace stdin, but its fd
 *     is only ever a bad one here. exit, thread_exit and poweroff are never called.
 *   ARG_FD SYSCALLS_FD unless the caller picks another (syscalls_accepted_fd).
 *   ARG_UIN, ARG_UOUT and the _OPT ones: a zeroed buffer of its own, SYSCALLS_BUF_SIZE
 *     bytes (zeroed again before each call: a zero struct asks for nothing special, a
 *     zero argv is an empty list).
 *   ARG_USTR SYSCALLS_STR, a path in a directory that does not exist: nothing can be
 *     found, made or removed there, so spawn, open, stat, mkdir, unlink... answer -ENOENT.
 *   ARG_LEN SYSCALLS_LEN: a few bytes of the buffer before it. */
static void syscalls_fill_args(const struct syscall_info *info, long fd,
			       long a[SYSCALL_MAX_ARGS])
{
	unsigned i;

	memset(syscalls_env.bufs, 0, SYSCALL_MAX_ARGS * SYSCALLS_BUF_SIZE);
	for (i = 0; i < SYSCALL_MAX_ARGS; i++) {
		unsigned kind = info->args[i];

		if (kind == ARG_FD)
			a[i] = fd;
		else if (kind == ARG_USTR)
			a[i] = (long)(uintptr_t)SYSCALLS_STR;
		else if (syscalls_is_pointer(kind))
			a[i] = (long)(uintptr_t)(syscalls_env.bufs + i * SYSCALLS_BUF_SIZE);
		else if (kind == ARG_LEN)
			a[i] = SYSCALLS_LEN;
		else
			a[i] = 0;
	}
}

/* A call that reads or writes through a descriptor checks it before the memory (as POSIX
 * read(2) answers EBADF first), so a pointer case needs a descriptor the call accepts: the
 * first of 0, 1, 2 (stdin, stdout, stderr) that it does not answer -EBADF for, asked with
 * every length 0 so that nothing is read or written. Returns SYSCALLS_FD for a call with
 * no descriptor, -1 if none is accepted. */
static long syscalls_accepted_fd(const struct syscalls_call *c)
{
	long a[SYSCALL_MAX_ARGS], fd;
	unsigned i;

	if (!syscalls_has_kind(&c->info, ARG_FD))
		return SYSCALLS_FD;
	for (fd = 0; fd <= 2; fd++) {
		syscalls_fill_args(&c->info, fd, a);
		for (i = 0; i < SYSCALL_MAX_ARGS; i++)
			if (c->info.args[i] == ARG_LEN)
				a[i] = 0;
		if (syscalls_call(c->nr, a) != -EBADF)
			return fd;
	}
	return -1;
}

/* Check the shape of one description: known kinds only, ARG_NONE only after the last
 * argument, ARG_LEN only right after a pointer, a non-empty name. */
static void syscalls_check_info(const struct syscalls_call *c)
{
	const struct syscall_info *info = &c->info;
	bool ended = false;
	unsigned i;

	if (strnlen(info->name, sizeof info->name) == sizeof info->name || info->name[0] == '\0')
		utest_fail(__FILE__, __LINE__, "call %lu: bad name", c->nr);
	for (i = 0; i < SYSCALL_MAX_ARGS; i++) {
		unsigned kind = info->args[i];

		if (kind > ARG_LEN || (ended && kind != ARG_NONE) ||
		    (kind == ARG_LEN && (i == 0 || !syscalls_is_pointer(info->args[i - 1]))))
			utest_fail(__FILE__, __LINE__, "call %lu (%.24s): argument %u has kind %u",
				   c->nr, info->name, i, kind);
		ended |= kind == ARG_NONE;
	}
}

/* The highest number known so far, or 0 before any. */
static unsigned long syscalls_highest(void)
{
	return syscalls_table.count ? syscalls_table.calls[syscalls_table.count - 1].nr : 0;
}

/* Ask about number nr and record it if it is a call. Returns false (having said why)
 * when the answer is neither 0 nor -ENOSYS, or the table is full. */
static bool syscalls_scan_one(unsigned long nr)
{
	struct syscalls_call c = { .nr = nr };
	long r = syscalls_info(nr, &c.info);

	if (r == -ENOSYS)
		return true;
	if (r != 0 || syscalls_table.count == SYSCALLS_MAX_KNOWN) {
		utest_fail(__FILE__, __LINE__, "syscall_info(%lu) returned %ld with %u calls known",
			   nr, r, syscalls_table.count);
		return false;
	}
	syscalls_check_info(&c);
	syscalls_table.calls[syscalls_table.count++] = c;
	return true;
}

/* The known call nr, or NULL. */
static const struct syscalls_call *syscalls_find(unsigned long nr)
{
	unsigned i;

	for (i = 0; i < syscalls_table.count; i++)
		if (syscalls_table.calls[i].nr == nr)
			return &syscalls_table.calls[i];
	return NULL;
}

/* Scan the table and check each description, and that write, the call every program
 * makes, is described as it is declared (uapi/syscall.h). */
UTEST(syscall_info_describes_the_table)
{
	const struct syscalls_call *w;
	unsigned long nr;

	for (nr = 0; nr < SYSCALLS_SCAN_MIN || nr <= syscalls_highest() + SYSCALLS_SCAN_SLACK;
	     nr++) {
		UTEST_ASSERT(nr < SYSCALLS_SCAN_LIMIT);
		UTEST_ASSERT(syscalls_scan_one(nr));
	}
	syscalls_table.scanned = nr;
	tap_diag(utest_tap(), "%u system calls among numbers 0 to %lu", syscalls_table.count,
		 nr - 1);
	UTEST_ASSERT((w = syscalls_find(SYS_write)) != NULL);
	UTEST_EXPECT_STREQ(w->info.name, "write");
	UTEST_EXPECT_EQ(w->info.args[0], ARG_FD);
	UTEST_EXPECT_EQ(w->info.args[1], ARG_UIN);
	UTEST_EXPECT_EQ(w->info.args[2], ARG_LEN);
	UTEST_EXPECT_EQ(w->info.noreturn, 0);
	UTEST_EXPECT(syscalls_find(SYS_syscall_info) != NULL);
	UTEST_EXPECT(syscalls_find(SYS_exit) != NULL && syscalls_find(SYS_exit)->info.noreturn);
}

/* Numbers far outside the table: above 32 bits, one whose low 32 bits are getpid's (a
 * kernel that truncated the number would run getpid), the sign bit, all ones. */
static const unsigned long syscalls_huge_numbers[] = {
	1UL << 40, (1UL << 32) | SYS_getpid, 1UL << 63, ~0UL,
};

/* Call number nr with all arguments 0 and ask about it: both must answer -ENOSYS. */
static void syscalls_expect_enosys(unsigned long nr)
{
	long a[SYSCALL_MAX_ARGS] = { 0 };
	struct syscall_info info;
	long r = syscalls_call(nr, a);

	if (r != -ENOSYS)
		utest_fail(__FILE__, __LINE__, "call %#lx returned %ld, want -ENOSYS", nr, r);
	r = syscalls_info(nr, &info);
	if (r != -ENOSYS)
		utest_fail(__FILE__, __LINE__, "syscall_info(%#lx) returned %ld, want -ENOSYS",
			   nr, r);
}

UTEST(unknown_numbers_return_enosys)
{
	unsigned long nr, tried = 0;
	size_t i;

	UTEST_ASSERT(syscalls_table.scanned >= SYSCALLS_SCAN_MIN);
	for (nr = 0; nr < syscalls_table.scanned; nr++) {
		if (syscalls_find(nr))
			continue;
		syscalls_expect_enosys(nr);
		tried++;
	}
	for (i = 0; i < ARRAY_SIZE(syscalls_huge_numbers); i++, tried++)
		syscalls_expect_enosys(syscalls_huge_numbers[i]);
	tap_diag(utest_tap(), "%lu unknown numbers tried", tried);
	UTEST_EXPECT(tried > ARRAY_SIZE(syscalls_huge_numbers));
}

/* Is bad value v a bad value for an argument of kind? */
static bool syscalls_bad_for(const struct syscalls_bad_ptr *v, unsigned kind)
{
	if (!syscalls_is_pointer(kind))
		return false;
	if (v->null && syscalls_is_optional(kind))
		return false;
	return !v->writes_only || syscalls_kernel_writes(kind);
}

/* One case: call c with argument i set to bad value v, everything else valid (fd for a
 * descriptor), and expect -EFAULT. */
static void syscalls_try_pointer(const struct syscalls_call *c, unsigned i, long fd,
				 const struct syscalls_bad_ptr *v)
{
	long a[SYSCALL_MAX_ARGS], r;

	syscalls_fill_args(&c->info, fd, a);
	a[i] = (long)v->addr;
	if (v->wrap_len && i + 1 < SYSCALL_MAX_ARGS && c->info.args[i + 1] == ARG_LEN)
		a[i + 1] = (long)SYSCALLS_WRAP_LEN;
	r = syscalls_call(c->nr, a);
	if (r != -EFAULT)
		utest_fail(__FILE__, __LINE__, "%.24s: argument %u = %s (%#lx): got %ld, want -EFAULT",
			   c->info.name, i, v->what, (unsigned long)v->addr, r);
}

/* Every case of call c: each bad value for each pointer argument. Returns the count. */
static unsigned syscalls_pointer_cases(const struct syscalls_call *c)
{
	long fd = syscalls_accepted_fd(c);
	unsigned i, j, tried = 0;

	if (fd < 0) {
		utest_fail(__FILE__, __LINE__, "%.24s accepts none of the descriptors 0, 1, 2",
			   c->info.name);
		return 0;
	}
	for (i = 0; i < SYSCALL_MAX_ARGS; i++) {
		for (j = 0; j < SYSCALLS_NR_BAD_PTRS; j++) {
			if (!syscalls_bad_for(&syscalls_env.bad[j], c->info.args[i]))
				continue;
			syscalls_try_pointer(c, i, fd, &syscalls_env.bad[j]);
			tried++;
		}
	}
	return tried;
}

/* How many of the n bytes at p differ from byte. */
static size_t syscalls_count_not(const char *p, size_t n, char byte)
{
	size_t differ = 0;

	while (n--)
		differ += *p++ != byte;
	return differ;
}

/* Besides answering -EFAULT, a failed call must have had no effect: the kernel wrote
 * nothing into the mapped part of a straddling range, nor into the read-only page. */
UTEST(bad_pointers_fail_with_efault)
{
	unsigned i, tried = 0;

	UTEST_ASSERT(syscalls_env_ready());
	for (i = 0; i < syscalls_table.count; i++)
		if (!syscalls_table.calls[i].info.noreturn)
			tried += syscalls_pointer_cases(&syscalls_table.calls[i]);
	tap_diag(utest_tap(), "%u (call, argument, value) cases tried", tried);
	UTEST_EXPECT(tried > 0);
	UTEST_EXPECT_EQ(syscalls_count_not(syscalls_env.before_edge, SYSCALLS_PAGE, SYSCALLS_FILL), 0);
	UTEST_EXPECT_EQ(syscalls_count_not(syscalls_env.readonly, SYSCALLS_PAGE, 0), 0);
}

static const long syscalls_bad_fds[] = { -1, 3, 1000000 };

/* Every case of call c: each bad descriptor for each ARG_FD argument, all else valid, and
 * expect -EBADF. Returns the count. */
static unsigned syscalls_fd_cases(const struct syscalls_call *c)
{
	long a[SYSCALL_MAX_ARGS], r;
	unsigned i, j, tried = 0;

	for (i = 0; i < SYSCALL_MAX_ARGS; i++) {
		for (j = 0; c->info.args[i] == ARG_FD && j < ARRAY_SIZE(syscalls_bad_fds); j++) {
			syscalls_fill_args(&c->info, SYSCALLS_FD, a);
			a[i] = syscalls_bad_fds[j];
			r = syscalls_call(c->nr, a);
			if (r != -EBADF)
				utest_fail(__FILE__, __LINE__, "%.24s: argument %u = fd %ld: got %ld, "
					   "want -EBADF", c->info.name, i, syscalls_bad_fds[j], r);
			tried++;
		}
	}
	return tried;
}

UTEST(bad_descriptors_fail_with_ebadf)
{
	unsigned i, tried = 0;

	UTEST_ASSERT(syscalls_env_ready());
	for (i = 0; i < syscalls_table.count; i++)
		if (!syscalls_table.calls[i].info.noreturn)
			tried += syscalls_fd_cases(&syscalls_table.calls[i]);
	tap_diag(utest_tap(), "%u (call, argument, value) cases tried", tried);
	UTEST_EXPECT(tried > 0);
}

/* Call c with its optional pointer argument i NULL, all else valid: "not wanted" is no
 * fault, so the call may succeed or fail for another reason, but not with -EFAULT. */
static void syscalls_try_null_optional(const struct syscalls_call *c, unsigned i)
{
	long a[SYSCALL_MAX_ARGS], r;

	syscalls_fill_args(&c->info, SYSCALLS_FD, a);
	a[i] = 0;
	r = syscalls_call(c->nr, a);
	tap_diag(utest_tap(), "%.24s with argument %u NULL: %ld", c->info.name, i, r);
	if (r == -EFAULT || r < -ERRNO_MAX)
		utest_fail(__FILE__, __LINE__, "%.24s: NULL for optional argument %u: got %ld",
			   c->info.name, i, r);
}

UTEST(null_optional_pointers_are_no_fault)
{
	unsigned i, j, tried = 0;

	UTEST_ASSERT(syscalls_env_ready());
	for (i = 0; i < syscalls_table.count; i++) {
		const struct syscalls_call *c = &syscalls_table.calls[i];

		for (j = 0; j < SYSCALL_MAX_ARGS && !c->info.noreturn; j++) {
			if (!syscalls_is_optional(c->info.args[j]))
				continue;
			syscalls_try_null_optional(c, j);
			tried++;
		}
	}
	tap_diag(utest_tap(), "%u (call, argument, value) cases tried", tried);
	UTEST_EXPECT(tried > 0);
}

int main(int argc, char **argv)
{
	return utest_main(argc, argv);
}
