/* trap.c: what the kernel does with a CPU exception it did not expect in kernel mode.
 *
 * Every port's trap handler turns a kernel-mode fault into a struct trap_info and calls
 * trap_kernel_fault(). That prints one report line, the registers and a backtrace, then
 *   - resumes the innermost trap_catch_run() if one is active (a test provoking a fault);
 *   - or fails the running test and goes on with the next one (ktest);
 *   - or panics. */
#include <uapi/syscall.h>
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/traps.h>
#include <kernel/backtrace.h>
#include <kernel/ktest.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/trap.h>
#include <mm/vm.h>

struct trap_catch {
	struct arch_jmpbuf jb;
	struct trap_info info;
};


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
	struct trap_catch *c = cpu_self()->catch;
	struct arch_frame f;

	trap_report(ti, tf);
	if (c) {
		cpu_self()->catch = NULL;
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
	unsigned long flags = arch_irq_save(); /* stay on this CPU: the catch is per-CPU */
	struct trap_catch *outer = cpu_self()->catch;
	bool faulted = arch_setjmp(&c.jb) != 0;

	if (!faulted) {
		cpu_self()->catch = &c;
		fn(arg);
	} else {
		*caught = c.info;
	}
	cpu_self()->catch = outer;
	arch_irq_restore(flags);
	return faulted;
}

/* Why a faulting data address was bad, in a few words. */
static const char *trap_user_reason(const struct trap_info *ti, struct vm_space *vm)
{
	if (!ti->has_fault_addr)
		return NULL;
	if (!vm_range_ok(ti->fault_addr, 1))
		return "kernel address";
	return vm_user_ok(vm, ti->fault_addr, 1, false) ? "not mapped" : "protection";
}

void trap_user_fault(const struct trap_info *ti)
{
	struct process *p = process_current();
	const char *why = trap_user_reason(ti, p->vm);

	if (why)
		printk("pid %d (%s): %s at pc %p, address %p (%s): killed\n", p->pid, p->name,
		       ti->name, (void *)ti->pc, (void *)ti->fault_addr, why);
	else
		printk("pid %d (%s): %s at pc %p: killed\n", p->pid, p->name, ti->name,
		       (void *)ti->pc);
	process_exit(EXIT_KILLED);
}
