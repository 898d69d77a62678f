/* trap.h: what generic code knows about a CPU exception, and how a test catches one. */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/context.h>
#include <kernel/compiler.h>

struct trap_frame; /* the registers saved on entry; each port defines it (arch/traps.h) */

/* A CPU exception, described by the port in arch-neutral terms. */
struct trap_info {
	unsigned vector;         /* the architecture's exception number or class */
	const char *name;        /* "page fault", "divide error", ... */
	uint64_t error_code;     /* the hardware's error code or syndrome, 0 if none */
	uintptr_t pc;            /* the faulting instruction */
	uintptr_t fault_addr;    /* the data address, when has_fault_addr */
	bool has_fault_addr;
};

/* A kernel-mode exception the kernel did not expect: print a report with the registers, then
 * either hand it to the innermost trap_catch_run() on this CPU (a test that provokes a fault
 * on purpose) or panic. Called by the port's trap handler; returns only through a catch. */
__noreturn void trap_kernel_fault(const struct trap_info *ti, const struct trap_frame *tf);

/* An exception in user mode: print one line naming the process, the fault, the address
 * and why it is bad ("not mapped", "kernel address", "protection"), then kill the process.
 * Called by the port's trap handler; never returns. */
__noreturn void trap_user_fault(const struct trap_info *ti);

/* Run fn(arg) and catch any CPU exception it raises in kernel mode. Returns false when fn
 * returned normally; true when it faulted, with *caught describing the fault. Used by tests
 * to prove that faults are caught, reported and recovered from. */
bool trap_catch_run(void (*fn)(void *arg), void *arg, struct trap_info *caught);

#endif
