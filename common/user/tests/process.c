/* process: the life of processes and threads through the real system calls: spawn and
 * wait (with pids and exit statuses), kill, the parent link, who may kill and spawn as
 * whom, threads that join with their results, a thread pinned to a CPU (SYS_affinity),
 * exit() ending every thread, and many spawn/exit/wait cycles that must leave the
 * kernel's memory as it was. The kernel runs it
 * with utest=process (utest-x86_64-process.qtest).
 *
 * The children are this same program, started as `process MODE [ARG]` (process_child);
 * a child reports through its exit status, and prints a '#' line when a check fails. The
 * test program runs as root (utest mode spawns it with uid 0) and as pid 1, init: children
 * of processes that end before their own children are handed to it, so every test here
 * waits for everything it starts, or wait(-1) in a later test would find strays. */
#include <stdbool.h>
#include <stdint.h>
#include <kernel/compiler.h>    /* only compiler macros (ARRAY_SIZE): shared with the kernel */
#include <uarch/syscall.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>
#include <ulib/utest.h>

#define PROCESS_USER 1000         /* the uid and gid of the non-root child */
#define PROCESS_THREADS 8         /* threads of threads_join_with_their_results */
#define PROCESS_SUM_TO 1000       /* what each of them adds up to */
#define PROCESS_RUNNERS 4         /* threads still running when exit() is called */
#define PROCESS_FOREVER_NS 3600000000000UL   /* an hour: "forever" for a test */
#define PROCESS_CYCLES 1000       /* spawn/exit/wait cycles of the leak test */
#define PROCESS_WARMUP 10         /* cycles before the leak test's first reading */
#define PROCESS_LAST_CODE 9       /* the code of the thread that outlives main's thread */
#define PROCESS_LAST_DELAY_NS 50000000UL     /* and how long it waits, so it ends last */
#define PROCESS_KERNEL_ADDR 0xffffffff80000000UL
#define PROCESS_SMALL_STACK 4096  /* a valid stack for a thread that must never start */
#define PROCESS_BUSY_CPU 1        /* the CPU the affinity test keeps busy */
#define PROCESS_PINNED_YIELDS 20  /* its yields, each a chance for the idle CPU to steal */
#define PROCESS_NO_CPU 1000       /* no CPU has this number */

/* ---- the children ---- */

/* A failed check in a child: say which on the console, for the log. */
static bool process_child_check(bool ok, const char *what, long got)
{
	if (!ok)
		printf("# child %d: %s failed (got %ld)\n", sys_getpid(), what, got);
	return ok;
}

/* Sleep in the kernel until killed (`process sleep`). */
static __attribute__((noreturn)) void process_sleep_forever(void)
{
	for (;;)
		sys_sleep_ns(PROCESS_FOREVER_NS);
}

/* Spawn this program as a child with argv (after the name) and attr; returns the pid or
 * a negated errno. Shared by the test and by the children that spawn. */
static int process_spawn_self(const char *a1, const char *a2, const struct spawn_attr *attr)
{
	char *argv[] = { "process", (char *)a1, (char *)a2, NULL };

	return sys_spawn("/bin/process", argv, attr);
}

/* `process as-user PID`, run as uid and gid PROCESS_USER by root: it must not kill PID
 * (root's; pid 1 in utest mode) nor spawn as root or root's group, but may kill a process
 * of its own. Returns 0 if all held. */
static int process_child_as_user(int root_pid)
{
	struct spawn_attr as_root = { 0, -1 }, in_root_group = { -1, 0 };
	int ok = 1, status = -1, pid;
	long r;

	ok &= process_child_check(sys_getuid() == PROCESS_USER, "getuid", sys_getuid());
	ok &= process_child_check(sys_getgid() == PROCESS_USER, "getgid", sys_getgid());
	r = sys_kill(root_pid);
	ok &= process_child_check(r == -EPERM, "kill(root's process) = -EPERM", r);
	r = process_spawn_self("exit", "0", &as_root);
	ok &= process_child_check(r == -EPERM, "spawn as uid 0 = -EPERM", r);
	r = process_spawn_self("exit", "0", &in_root_group);
	ok &= process_child_check(r == -EPERM, "spawn as gid 0 = -EPERM", r);
	pid = process_spawn_self("sleep", NULL, NULL);
	ok &= process_child_check(pid > 0, "spawn as itself", pid);
	r = sys_kill(pid);
	ok &= process_child_check(r == 0, "kill(own process) = 0", r);
	r = sys_wait(pid, &status);
	ok &= process_child_check(r == pid && status == EXIT_KILLED, "wait(killed child)", status);
	return ok ? 0 : 1;
}

/* The threads of `process exit-with-threads`: odd ones sleep, even ones spin in user mode
 * without a system call, so that exit() must end threads both in the kernel and in user
 * space. Each counts itself in process_started first. */
static volatile int process_started;
static volatile unsigned long process_spins;

/* Run in user mode until killed, making no system call. */
static __attribute__((noreturn)) void process_spin_forever(void)
{
	for (;;)
		process_spins++;
}

/* A runner: count itself, then sleep (odd index) or spin (even) until the process ends. */
static int process_runner(void *arg)
{
	__atomic_fetch_add(&process_started, 1, __ATOMIC_SEQ_CST);
	if ((uintptr_t)arg % 2)
		process_sleep_forever();
	process_spin_forever();
}

/* `process exit-with-threads N`: start the runners, wait until all run, then exit(N)
 * while they still do. */
static int process_child_exit_with_threads(int status)
{
	struct uthread t[PROCESS_RUNNERS];
	unsigned i;

	for (i = 0; i < PROCESS_RUNNERS; i++)
		if (uthread_create(&t[i], process_runner, (void *)(uintptr_t)i) != 0)
			return EXIT_FAILURE;
	while (__atomic_load_n(&process_started, __ATOMIC_SEQ_CST) < PROCESS_RUNNERS)
		sys_yield();
	exit(status);
}

/* The thread that outlives the main thread of `process main-thread-exits`. */
static int process_last_thread(void *arg)
{
	sys_sleep_ns(PROCESS_LAST_DELAY_NS);
	return PROCESS_LAST_CODE;
}

/* `process main-thread-exits`: the main thread ends first with code 0; the process lives
 * on in its other thread, whose code becomes the exit status. */
static int process_child_main_thread_exits(void)
{
	struct uthread t;

	if (uthread_create(&t, process_last_thread, NULL) != 0)
		return EXIT_FAILURE;
	stdout_flush();
	sys_thread_exit(0);
}

/* What a child does for argv; -1 when argv names no child mode (the test program). */
static int process_child(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "", *arg = argc > 2 ? argv[2] : "0";

	if (strcmp(mode, "exit") == 0)
		return atoi(arg);
	if (strcmp(mode, "sleep") == 0)
		process_sleep_forever();
	if (strcmp(mode, "ppid") == 0)
		return process_child_check(sys_getppid() == atoi(arg), "getppid",
					   sys_getppid()) ? 0 : 1;
	if (strcmp(mode, "wait-for") == 0)
		return sys_wait(atoi(arg), NULL) == -ECHILD ? 0 : 1;
	if (strcmp(mode, "as-user") == 0)
		return process_child_as_user(atoi(arg));
	if (strcmp(mode, "exit-with-threads") == 0)
		return process_child_exit_with_threads(atoi(arg));
	if (strcmp(mode, "main-thread-exits") == 0)
		return process_child_main_thread_exits();
	return -1;
}

/* ---- the tests ---- */

/* Start child `process MODE ARG`, with this process's uid and gid, and return its pid; a
 * failure to start fails the test and returns a negated errno. */
static int process_start_child(const char *mode, const char *arg)
{
	int pid = process_spawn_self(mode, arg, NULL);

	if (pid <= 0)
		utest_fail(__FILE__, __LINE__, "spawn %s %s: %d", mode, arg ? arg : "", pid);
	return pid;
}

/* Wait for child pid and return its exit status; -1 (failing the test) if wait does not
 * return pid. */
static int process_wait_child(int pid)
{
	int status = -1, r = sys_wait(pid, &status);

	if (r != pid) {
		utest_fail(__FILE__, __LINE__, "wait(%d) returned %d", pid, r);
		return -1;
	}
	return status;
}

/* Run child `process MODE ARG` to its end and return its exit status. */
static int process_run_child(const char *mode, const char *arg)
{
	int pid = process_start_child(mode, arg);

	return pid > 0 ? process_wait_child(pid) : -1;
}

UTEST(wait_returns_pid_and_exit_status)
{
	static const char *const statuses[] = { "0", "1", "42", "255" };
	int pid;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(statuses); i++)
		UTEST_EXPECT_EQ(process_run_child("exit", statuses[i]), atoi(statuses[i]));
	pid = process_start_child("exit", "5");
	UTEST_ASSERT(pid > 0);
	UTEST_EXPECT_EQ(sys_wait(pid, NULL), pid);   /* the status is optional */
	UTEST_EXPECT_EQ(sys_wait(pid, NULL), -ECHILD);   /* and collected only once */
}

/* wait(-1) collects each child once, whichever ends first, with its own status; then
 * there is no child left. */
UTEST(wait_any_collects_every_child_once)
{
	static const char *const statuses[] = { "10", "11", "12" };
	int pid[ARRAY_SIZE(statuses)], got, status;
	size_t i, j, seen = 0;

	for (i = 0; i < ARRAY_SIZE(statuses); i++)
		UTEST_ASSERT((pid[i] = process_start_child("exit", statuses[i])) > 0);
	for (i = 0; i < ARRAY_SIZE(statuses); i++) {
		got = sys_wait(-1, &status);
		for (j = 0; j < ARRAY_SIZE(statuses); j++) {
			if (got != pid[j])
				continue;
			UTEST_EXPECT_EQ(status, atoi(statuses[j]));
			pid[j] = 0;
			seen++;
		}
	}
	UTEST_EXPECT_EQ(seen, ARRAY_SIZE(statuses));
	UTEST_EXPECT_EQ(sys_wait(-1, &status), -ECHILD);
}

/* A process may wait only for its own children: not itself, not a pid nobody has, and not
 * a live process that is its sibling. */
UTEST(wait_rejects_non_children)
{
	char pid_text[16];
	int sibling;

	UTEST_EXPECT_EQ(sys_wait(sys_getpid(), NULL), -ECHILD);
	UTEST_EXPECT_EQ(sys_wait(1000000, NULL), -ECHILD);
	sibling = process_start_child("sleep", NULL);
	UTEST_ASSERT(sibling > 0);
	snprintf(pid_text, sizeof pid_text, "%d", sibling);
	UTEST_EXPECT_EQ(process_run_child("wait-for", pid_text), 0);
	UTEST_EXPECT_EQ(sys_kill(sibling), 0);
	UTEST_EXPECT_EQ(process_wait_child(sibling), EXIT_KILLED);
}

/* A child sleeping in the kernel is woken and ended by kill; afterwards there is no such
 * process to kill. */
UTEST(kill_ends_a_sleeping_child)
{
	int pid = process_start_child("sleep", NULL);

	UTEST_ASSERT(pid > 0);
	UTEST_EXPECT_EQ(sys_kill(pid), 0);
	UTEST_EXPECT_EQ(process_wait_child(pid), EXIT_KILLED);
	UTEST_EXPECT_EQ(sys_kill(pid), -ESRCH);
}

UTEST(getppid_names_the_parent)
{
	char pid_text[16];

	snprintf(pid_text, sizeof pid_text, "%d", sys_getpid());
	UTEST_EXPECT_EQ(process_run_child("ppid", pid_text), 0);
}

/* Root may spawn a child as another user; that child may not kill root's processes nor
 * spawn as root (it checks and reports, process_child_as_user). */
UTEST(non_root_cannot_kill_or_spawn_as_root)
{
	struct spawn_attr as_user = { PROCESS_USER, PROCESS_USER };
	char pid_text[16];
	int pid;

	UTEST_ASSERT_EQ(sys_getuid(), 0);
	snprintf(pid_text, sizeof pid_text, "%d", sys_getpid());
	pid = process_spawn_self("as-user", pid_text, &as_user);
	UTEST_ASSERT(pid > 0);
	UTEST_EXPECT_EQ(process_wait_child(pid), 0);
}

/* What thread index of threads_join_with_their_results computes: the sum of 1 to
 * PROCESS_SUM_TO plus its index, by a loop, so that each thread does some work of its own
 * (the test checks it against Gauss's formula). */
static int process_sum_thread(void *arg)
{
	int index = (int)(uintptr_t)arg, sum = 0, i;

	for (i = 1; i <= PROCESS_SUM_TO; i++)
		sum += i;
	return sum + index;
}

UTEST(threads_join_with_their_results)
{
	struct uthread t[PROCESS_THREADS];
	int code, i;

	for (i = 0; i < PROCESS_THREADS; i++)
		UTEST_ASSERT_EQ(uthread_create(&t[i], process_sum_thread, (void *)(uintptr_t)i), 0);
	for (i = PROCESS_THREADS - 1; i >= 0; i--) {
		int tid = t[i].tid;

		code = -1;
		UTEST_EXPECT_EQ(uthread_join(&t[i], &code), 0);
		UTEST_EXPECT_EQ(code, PROCESS_SUM_TO * (PROCESS_SUM_TO + 1) / 2 + i);
		UTEST_EXPECT_EQ(sys_thread_join(tid, NULL), -ESRCH);   /* joined once only */
	}
	UTEST_EXPECT_EQ(sys_thread_join(sys_gettid(), NULL), -ESRCH);   /* not itself */
}

/* A thread must start in user memory, on a stack in user memory: the kernel checks both
 * before it starts anything (kernel/process.c, process_thread_create). */
UTEST(thread_create_rejects_kernel_addresses)
{
	char *stack_top = malloc(PROCESS_SMALL_STACK);

	UTEST_ASSERT(stack_top != NULL);
	stack_top += PROCESS_SMALL_STACK;
	UTEST_EXPECT_EQ(sys_thread_create((void (*)(void *))PROCESS_KERNEL_ADDR, NULL, stack_top),
			-EINVAL);
	UTEST_EXPECT_EQ(sys_thread_create(uthread_entry, NULL, (void *)PROCESS_KERNEL_ADDR),
			-EINVAL);
	free(stack_top - PROCESS_SMALL_STACK);
}

/* A thread that keeps its CPU busy (pinned there), until told to stop. */
static int process_spin_thread(void *arg)
{
	volatile int *stop = arg;

	if (sys_affinity(PROCESS_BUSY_CPU) != PROCESS_BUSY_CPU)
		return 1;
	while (!*stop)
		;
	return 0;
}

/* SYS_affinity moves the caller to the CPU it names, and keeps it there: pinned to a CPU
 * that a spinning thread keeps busy, the caller waits in that CPU's queue at every yield
 * while the other CPU idles, and an idle CPU takes any thread that is not pinned
 * (kernel/sched.c, sched_steal). Then -1 unpins it, and CPUs that do not exist are
 * refused. Needs 2 CPUs (utest boots have 2). */
UTEST(affinity_moves_the_caller_and_keeps_it_there)
{
	volatile int stop = 0;
	struct uthread spinner;
	int i, moved = 0, code = -1;

	UTEST_EXPECT_EQ(sys_affinity(0), 0);
	UTEST_EXPECT_EQ(sys_affinity(PROCESS_BUSY_CPU), PROCESS_BUSY_CPU);
	UTEST_ASSERT_EQ(uthread_create(&spinner, process_spin_thread, (void *)&stop), 0);
	for (i = 0; i < PROCESS_PINNED_YIELDS; i++) {
		sys_yield();
		moved += sys_affinity(PROCESS_BUSY_CPU) != PROCESS_BUSY_CPU;
	}
	UTEST_EXPECT_EQ(moved, 0);
	UTEST_EXPECT_EQ(sys_affinity(-1), PROCESS_BUSY_CPU);
	stop = 1;
	UTEST_EXPECT_EQ(uthread_join(&spinner, &code), 0);
	UTEST_EXPECT_EQ(code, 0);
	UTEST_EXPECT_EQ(sys_affinity(-2), -EINVAL);
	UTEST_EXPECT_EQ(sys_affinity(PROCESS_NO_CPU), -EINVAL);
	UTEST_EXPECT_EQ(arch_syscall6(SYS_affinity, 1L << 32, 0, 0, 0, 0, 0), -EINVAL);
}

/* exit() from the main thread ends the process with its status, with threads still
 * sleeping in the kernel and spinning in user space (if it did not end them, wait would
 * never return). */
UTEST(exit_ends_every_thread)
{
	UTEST_EXPECT_EQ(process_run_child("exit-with-threads", "77"), 77);
}

/* When the main thread ends by itself, the process goes on in its other thread; the last
 * thread's code is the exit status. */
UTEST(process_ends_with_its_last_thread)
{
	UTEST_EXPECT_EQ(process_run_child("main-thread-exits", NULL), PROCESS_LAST_CODE);
}

/* cycles runs of /bin/true, each spawned and waited for. Returns how many failed. */
static unsigned process_true_cycles(unsigned cycles)
{
	char *argv[] = { "true", NULL };
	unsigned failed = 0;
	int pid, status;

	while (cycles--) {
		status = -1;
		pid = sys_spawn("/bin/true", argv, NULL);
		failed += pid <= 0 || sys_wait(pid, &status) != pid || status != 0;
	}
	return failed;
}

/* Processes that come and go leave nothing behind: after PROCESS_CYCLES runs of
 * /bin/true, the kernel's free pages, heap and thread and process counts are what they
 * were before (a few cycles first, so that what the kernel sets up on first use, and this
 * program's own memory, are in place in both readings). */
UTEST(spawn_exit_wait_cycles_leak_nothing)
{
	struct meminfo before, after;
	unsigned failed;
	long t0;

	UTEST_ASSERT_EQ(process_true_cycles(PROCESS_WARMUP), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	t0 = sys_clock_ns();
	failed = process_true_cycles(PROCESS_CYCLES);
	tap_diag(utest_tap(), "%d cycles in %ld ms", PROCESS_CYCLES,
		 (sys_clock_ns() - t0) / 1000000);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_EQ(failed, 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

int main(int argc, char **argv)
{
	int status = process_child(argc, argv);

	return status >= 0 ? status : utest_main(argc, argv);
}
