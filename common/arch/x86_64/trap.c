/* trap.c: x86_64 exceptions and interrupts, from the stubs in vectors.S to generic code. */
#include <arch/mmu.h>
#include <arch/traps.h>
#include <kernel/compiler.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/trap.h>
#include "irq.h"
#include "trap_frame.h"
#include "x86.h"

#define VEC_PAGE_FAULT 14
#define RFLAGS_IF 0x200
#define FIRST_IRQ_VECTOR 32

static const char *const trap_names[FIRST_IRQ_VECTOR] = {
	"divide error", "debug", "non-maskable interrupt", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack-segment fault", "general protection fault", "page fault", "reserved (15)",
	"x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point error", "virtualization exception", "control protection",
	"reserved (22)", "reserved (23)", "reserved (24)", "reserved (25)", "reserved (26)",
	"reserved (27)", "hypervisor injection", "VMM communication", "security exception",
	"reserved (31)",
};

/* Describe an exception in arch-neutral terms for trap_kernel_fault(). */
static void trap_describe(const struct trap_frame *tf, struct trap_info *ti)
{
	ti->vector = (unsigned)tf->vector;
	ti->name = trap_names[tf->vector];
	ti->error_code = tf->error_code;
	ti->pc = tf->rip;
	ti->has_fault_addr = tf->vector == VEC_PAGE_FAULT;
	ti->fault_addr = ti->has_fault_addr ? read_cr2() : 0;
}

/* True when the trap came from user mode (the saved code selector has RPL 3). */
static bool trap_from_user(const struct trap_frame *tf)
{
	return (tf->cs & 3) == 3;
}

/* The instructions of uaccess.S that touch user memory, and where a fault on each one
 * resumes: an exit of its function that reports the fault to the caller. */
extern const char x86_user_copy_quads[], x86_user_copy_quads_fault[];
extern const char x86_user_copy_bytes[], x86_user_copy_bytes_fault[];
extern const char x86_user_probe_read[], x86_user_probe_write[], x86_user_probe_fault[];

static const struct {
	const char *pc, *resume;
} x86_user_fixups[] = {
	{ x86_user_copy_quads, x86_user_copy_quads_fault },
	{ x86_user_copy_bytes, x86_user_copy_bytes_fault },
	{ x86_user_probe_read, x86_user_probe_fault },
	{ x86_user_probe_write, x86_user_probe_fault },
};

/* LAB(kernel-core): a page fault on a user address in arch_user_copy() or
 * arch_user_probe() is the user's bad pointer, not a kernel bug: resume at the function's
 * fault exit, which tells its caller, and copy_to_user() turns that into -EFAULT. True
 * when tf was such a fault (it then resumes there); any other kernel-mode fault is a
 * kernel bug, reported as one. */
static bool x86_user_fixup(struct trap_frame *tf, const struct trap_info *ti)
{
	size_t i;

	if (ti->vector != VEC_PAGE_FAULT || ti->fault_addr >= arch_user_end())
		return false;
	for (i = 0; i < ARRAY_SIZE(x86_user_fixups); i++) {
		if (tf->rip == (uintptr_t)x86_user_fixups[i].pc) {
			tf->rip = (uintptr_t)x86_user_fixups[i].resume;
			return true;
		}
	}
	return false;
}

void x86_trap_dispatch(struct trap_frame *tf)
{
	struct trap_info ti;

	if (tf->vector < FIRST_IRQ_VECTOR) {
		trap_describe(tf, &ti);
		if (trap_from_user(tf))
			trap_user_fault(&ti);
		if (x86_user_fixup(tf, &ti))
			return;
		trap_kernel_fault(&ti, tf);
	}
	if (!irq_dispatch((unsigned)tf->vector))
		printk("x86_64: unexpected interrupt, vector %lu\n", (unsigned long)tf->vector);
	/* The interrupted code had interrupts on, so it held no spinlock: a safe point to
	 * switch threads (kernel preemption), and for user mode the place to act on a kill. */
	if (trap_from_user(tf))
		process_return_to_user();
	else if (tf->rflags & RFLAGS_IF)
		sched_preempt_point();
}

void arch_trap_dump(const struct trap_frame *tf)
{
	printk("  rip %016lx  cs %04lx  rflags %08lx  rsp %016lx  ss %04lx\n",
	       tf->rip, tf->cs, tf->rflags, tf->rsp, tf->ss);
	printk("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", tf->rax, tf->rbx, tf->rcx,
	       tf->rdx);
	printk("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", tf->rsi, tf->rdi, tf->rbp,
	       tf->r8);
	printk("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", tf->r9, tf->r10, tf->r11,
	       tf->r12);
	printk("  r13 %016lx  r14 %016lx  r15 %016lx  cr2 %016lx  cr3 %016lx\n", tf->r13,
	       tf->r14, tf->r15, read_cr2(), read_cr3());
}

void arch_trigger_bad_access(void)
{
	/* Address 8 is never mapped: arch_early_init() removes the boot identity map. */
	__asm__ volatile("movq 0x8, %%rax" : : : "rax", "memory");
}

void arch_trigger_undefined(void)
{
	__asm__ volatile("ud2");
}
