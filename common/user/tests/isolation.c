/* isolation: a process can touch only its own memory, and only as its pages allow. Each
 * forbidden access (reading, writing or jumping into kernel memory, reading memory of
 * another process, writing its own read-only text or data, running code from a page
 * mapped without execute permission) is made by a child, which the kernel must kill: the
 * parent's wait() sees EXIT_KILLED, and the parent, like every other process, goes on.
 * The kernel runs it with utest=isolation (utest-x86_64-isolation.qtest).
 *
 * The children are this same program, started as `isolation crash MODE [ADDRESS]`. Each
 * kill also makes the kernel print one line naming the process, the fault and the address
 * (common/kernel/trap.c, trap_user_fault); the harness shows those lines in the log.
 *
 * A child whose forbidden access did not fault goes on and exits with a status saying so
 * (ISOLATION_SURVIVED, or ISOLATION_LEAKED if it even read the parent's secret), so a
 * broken kernel fails a test with a clear number instead of hanging it. */
#include <stdbool.h>
#include <stdint.h>
#include <kernel/compiler.h>    /* only compiler macros (ARRAY_SIZE): shared with the kernel */
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/utest.h>

#define ISOLATION_KERNEL_ADDR 0xffffffff80000000UL
#define ISOLATION_PAGE 4096
#define ISOLATION_MAGIC 0x5ec12e7c0ffee000UL  /* the parent's secret */
#define ISOLATION_SURVIVED 3      /* a child's status when its forbidden access worked */
#define ISOLATION_LEAKED 4        /* ... and it read the parent's secret */
#define ISOLATION_HEALTHY 42      /* the healthy child's status when all its checks held */
#define ISOLATION_HEALTHY_NS 1000000000L  /* how long the healthy child works: 1 s */
#define ISOLATION_PROBE_BYTES 64  /* bytes of isolation_probe() copied to a data page */
#define ISOLATION_LEAK_ROUNDS 2   /* rounds of every crash in the leak test */

/* A tiny leaf function: its machine code does not depend on where it sits, so a copy of
 * it placed in data memory would run, and return 7, if that memory were executable. */
static __attribute__((noinline)) int isolation_probe(void)
{
	return 7;
}

/* Read-only data (.rodata): the write-rodata child writes it. */
static const int isolation_constant = 1;

/* ---- the crash modes: each makes its forbidden access and returns only if that did
 * not fault ---- */

/* Load from the kernel's half: its pages are mapped, but not for user mode. */
static int isolation_read_kernel(const char *arg)
{
	(void)*(volatile unsigned long *)ISOLATION_KERNEL_ADDR;
	return ISOLATION_SURVIVED;
}

/* Store into the kernel's half (a kernel that allowed it would lose a word of its image). */
static int isolation_write_kernel(const char *arg)
{
	*(volatile unsigned long *)ISOLATION_KERNEL_ADDR = 0;
	return ISOLATION_SURVIVED;
}

/* Call into the kernel's half: fetching an instruction there is just as forbidden. */
static int isolation_jump_kernel(const char *arg)
{
	void (*volatile fn)(void) = (void (*)(void))ISOLATION_KERNEL_ADDR;

	fn();
	return ISOLATION_SURVIVED;
}

/* arg is the address, in hex, where the parent keeps ISOLATION_MAGIC. This child maps
 * nothing before it reads, so the address is mapped in the parent only. */
static int isolation_read_other(const char *arg)
{
	unsigned long v = *(volatile unsigned long *)strtoul(arg, NULL, 16);

	return v == ISOLATION_MAGIC ? ISOLATION_LEAKED : ISOLATION_SURVIVED;
}

/* Write a byte of the program's own code (mapped read and execute), with the value it
 * already has, so that a kernel that allowed it breaks nothing else. */
static int isolation_write_text(const char *arg)
{
	volatile unsigned char *code = (volatile unsigned char *)(uintptr_t)isolation_probe;

	*code = *code;
	return ISOLATION_SURVIVED;
}

/* Store into the program's read-only data, the segment the loader maps read-only. */
static int isolation_write_rodata(const char *arg)
{
	*(volatile int *)(uintptr_t)&isolation_constant = 1;
	return ISOLATION_SURVIVED;
}

/* Copy isolation_probe's code to where and call the copy. */
static int isolation_run_copy(void *where)
{
	int (*volatile fn)(void) = (int (*)(void))(uintptr_t)where;

	memcpy(where, (const void *)(uintptr_t)isolation_probe, ISOLATION_PROBE_BYTES);
	return fn();
}

/* SYS_map gives memory without execute permission: no-execute (NX) pages on x86_64. */
static int isolation_exec_data(const char *arg)
{
	long page = sys_map(ISOLATION_PAGE, PROT_READ | PROT_WRITE);

	if (page < 0)
		return EXIT_FAILURE;
	isolation_run_copy((void *)page);
	return ISOLATION_SURVIVED;
}

/* The stack is mapped writable and not executable too (kernel/process.c). */
static int isolation_exec_stack(const char *arg)
{
	unsigned char code[ISOLATION_PROBE_BYTES];

	isolation_run_copy(code);
	return ISOLATION_SURVIVED;
}

/* One forbidden access, as a child runs it: `isolation crash MODE`. */
struct isolation_crash {
	const char *mode;
	int (*fn)(const char *arg);  /* returns the status to exit with if it survives */
};

static const struct isolation_crash isolation_crashes[] = {
	{ "read-kernel", isolation_read_kernel },
	{ "write-kernel", isolation_write_kernel },
	{ "jump-kernel", isolation_jump_kernel },
	{ "read-other", isolation_read_other },
	{ "write-text", isolation_write_text },
	{ "write-rodata", isolation_write_rodata },
	{ "exec-data", isolation_exec_data },
	{ "exec-stack", isolation_exec_stack },
};

/* The healthy child: work for ISOLATION_HEALTHY_NS, filling a buffer with a pattern that
 * changes every round and reading it back, yielding between rounds so that the crashing
 * children run meanwhile even on one CPU. Returns ISOLATION_HEALTHY if every round read
 * back what it wrote and the system calls kept answering. */
static int isolation_healthy(void)
{
	long start = sys_clock_ns(), rounds = 0;
	unsigned char *buf = malloc(ISOLATION_PAGE);
	size_t i;

	if (!buf)
		return EXIT_FAILURE;
	while (sys_clock_ns() - start < ISOLATION_HEALTHY_NS) {
		unsigned char seed = (unsigned char)rounds++;

		for (i = 0; i < ISOLATION_PAGE; i++)
			buf[i] = (unsigned char)(seed + i * 31);
		sys_yield();
		for (i = 0; i < ISOLATION_PAGE; i++)
			if (buf[i] != (unsigned char)(seed + i * 31))
				return EXIT_FAILURE;
	}
	free(buf);
	return rounds > 0 ? ISOLATION_HEALTHY : EXIT_FAILURE;
}

/* What a child does: `isolation crash MODE [ARG]` or `isolation healthy`. Returns its exit
 * status, or -1 when argv names no child mode (then this is the test program itself). */
static int isolation_child(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && strcmp(argv[1], "healthy") == 0)
		return isolation_healthy();
	if (argc < 3 || strcmp(argv[1], "crash") != 0)
		return -1;
	for (i = 0; i < ARRAY_SIZE(isolation_crashes); i++)
		if (strcmp(argv[2], isolation_crashes[i].mode) == 0)
			return isolation_crashes[i].fn(argc > 3 ? argv[3] : "0");
	return EXIT_FAILURE;
}

/* Start this program as a child with up to three arguments after its name (a NULL ends
 * them). Returns its pid, or a negated errno. */
static int isolation_spawn(const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { "isolation", (char *)a1, (char *)a2, (char *)a3, NULL };

	return sys_spawn("/bin/isolation", argv, NULL);
}

/* Wait for child pid. Returns its exit status, or -1 (with a diagnostic) if wait fails. */
static int isolation_wait(int pid)
{
	int status = -1, r = sys_wait(pid, &status);

	if (r != pid) {
		utest_fail(__FILE__, __LINE__, "wait(%d) returned %d", pid, r);
		return -1;
	}
	return status;
}

/* The parent's secret: a page of its own with ISOLATION_MAGIC at its start, mapped on
 * first use. Returns its address in hex, for the read-other child's argument. */
static const char *isolation_secret(void)
{
	static char hex[24];
	long page;

	if (hex[0])
		return hex;
	page = sys_map(ISOLATION_PAGE, PROT_READ | PROT_WRITE);
	if (page < 0)
		return "0";
	*(unsigned long *)page = ISOLATION_MAGIC;
	snprintf(hex, sizeof hex, "%lx", (unsigned long)page);
	return hex;
}

/* Run the child of crash mode and return its exit status (-1 if it could not run). */
static int isolation_crash_status(const char *mode)
{
	int pid = isolation_spawn("crash", mode, isolation_secret());

	if (pid < 0) {
		utest_fail(__FILE__, __LINE__, "spawn crash %s: %d", mode, pid);
		return -1;
	}
	return isolation_wait(pid);
}

/* The test of one crash mode: its child must be killed. */
static void isolation_expect_killed(const char *mode)
{
	int status = isolation_crash_status(mode);

	if (status != EXIT_KILLED)
		utest_fail(__FILE__, __LINE__, "crash %s: exit status %d, want %d (killed)", mode,
			   status, EXIT_KILLED);
}

UTEST(read_kernel_memory_is_killed)
{
	isolation_expect_killed("read-kernel");
}

UTEST(write_kernel_memory_is_killed)
{
	isolation_expect_killed("write-kernel");
}

UTEST(jump_to_kernel_is_killed)
{
	isolation_expect_killed("jump-kernel");
}

/* The secret is really there in the parent; in the child the same address is unmapped. */
UTEST(read_other_process_memory_is_killed)
{
	unsigned long addr = strtoul(isolation_secret(), NULL, 16);

	UTEST_ASSERT(addr != 0);
	UTEST_EXPECT_EQ(*(unsigned long *)addr, ISOLATION_MAGIC);
	isolation_expect_killed("read-other");
}

UTEST(write_own_text_is_killed)
{
	isolation_expect_killed("write-text");
}

UTEST(write_own_rodata_is_killed)
{
	isolation_expect_killed("write-rodata");
}

/* A control first: the copy of the probe is correct code, since it runs (and returns 7)
 * when executed where code may run, in the text it was copied from. */
UTEST(execute_data_is_killed)
{
	UTEST_EXPECT_EQ(isolation_probe(), 7);
	isolation_expect_killed("exec-data");
}

UTEST(execute_stack_is_killed)
{
	isolation_expect_killed("exec-stack");
}

/* A healthy child works while every crash mode is killed beside it, and ends normally.
 * The crashes must all be over before the healthy child's working time is, or they did
 * not really run beside it. */
UTEST(healthy_child_runs_on_beside_crashes)
{
	long t0 = sys_clock_ns(), elapsed;
	int healthy = isolation_spawn("healthy", NULL, NULL);
	size_t i;

	UTEST_ASSERT(healthy > 0);
	for (i = 0; i < ARRAY_SIZE(isolation_crashes); i++)
		isolation_expect_killed(isolation_crashes[i].mode);
	elapsed = sys_clock_ns() - t0;
	tap_diag(utest_tap(), "%zu crashes in %ld ms beside the healthy child",
		 ARRAY_SIZE(isolation_crashes), elapsed / 1000000);
	UTEST_EXPECT(elapsed < ISOLATION_HEALTHY_NS);
	UTEST_EXPECT_EQ(isolation_wait(healthy), ISOLATION_HEALTHY);
}

/* One round of every crash mode; returns how many children were not killed. */
static unsigned isolation_crash_round(void)
{
	unsigned failed = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(isolation_crashes); i++)
		failed += isolation_crash_status(isolation_crashes[i].mode) != EXIT_KILLED;
	return failed;
}

/* A killed process leaves nothing behind: after rounds of every crash, the kernel's
 * counters are back where they were (one round first, so that whatever the kernel sets up
 * on first use is there in both readings). */
UTEST(killed_children_leave_nothing_behind)
{
	struct meminfo before, after;
	unsigned round, failed = 0;

	failed += isolation_crash_round();
	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	for (round = 0; round < ISOLATION_LEAK_ROUNDS; round++)
		failed += isolation_crash_round();
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_EQ(failed, 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

int main(int argc, char **argv)
{
	int status = isolation_child(argc, argv);

	return status >= 0 ? status : utest_main(argc, argv);
}
