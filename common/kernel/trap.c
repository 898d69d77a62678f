/* trap.c: what the kernel does with a CPU exception it did not expect in kernel mode.
 *
 * Every port's trap handler turns a kernel-mode fault into a struct trap_info and calls
 * trap_kernel_fault(). That prints one report line, the registers and a backtrace, then
 *   - resumes the innermost trap_catch_run() if one is active (a test provoking a fault);
 *   - or fails the running test and goes on with the next one (ktest);
 *   - or panics. */
#include <arch/context.h>
#include <arch/traps.h>
#include <kernel/backtrace.h>
#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/trap.h>

struct trap_catch {
	struct arch_jmpbuf jb;
	struct trap_info info;
};

/* The active catch of the boot CPU. LAB(kernel-core): becomes per-CPU with SMP. */
static struct trap_catch *trap_active_catch;

/* Print the one-line report, the registers and the backtrace of a kernel-mode fault. */
static void trap_report(const struct trap_info *ti, const struct trap_frame *tf)
{
	struct arch_frame f;

	printk("kernel fault: %s (vector %u, error 0x%lx) at pc %p", ti->name, ti->vector,
	       (unsigned long)ti->error_code, (void *)ti->pc);
	if (ti->has_fault_addr)
		printk(", address %p", (void *)ti->fault_addr);
	printk("\n");
	arch_trap_dump(tf);
	arch_frame_from_trap(tf, &f);
	printk("backtrace:\n");
	backtrace_print(&f);
}

void trap_kernel_fault(const struct trap_info *ti, const struct trap_frame *tf)
{
	struct trap_catch *c = trap_active_catch;
	struct arch_frame f;

	trap_report(ti, tf);
	if (c) {
		trap_active_catch = NULL;
		c->info = *ti;
		arch_longjmp(&c->jb, 1);
	}
	if (ktest_running()) {
		ktest_fail(__FILE__, __LINE__, "unexpected %s at pc %p", ti->name, (void *)ti->pc);
		ktest_abort();
	}
	arch_frame_from_trap(tf, &f);
	panic_at(&f, "unexpected %s in kernel mode at pc %p", ti->name, (void *)ti->pc);
}

bool trap_catch_run(void (*fn)(void *arg), void *arg, struct trap_info *caught)
{
	struct trap_catch c;
	struct trap_catch *outer = trap_active_catch;

	if (arch_setjmp(&c.jb) != 0) {
		trap_active_catch = outer;
		*caught = c.info;
		return true;
	}
	trap_active_catch = &c;
	fn(arg);
	trap_active_catch = outer;
	return false;
}
