/* port/inline.h: the x86_64 functions of the arch interface that every spinlock or every
 * user copy calls, defined here as static inline functions (arch/cpu.h, arch/smp.h and
 * arch/mmu.h say what they do and include this file).
 *
 * Each is one to three instructions. A spinlock takes the interrupt state and this CPU's
 * struct cpu when it is taken and when it is released, and the IPC path takes a dozen
 * locks per message: as calls, these cost more than the work they do, and they make
 * every caller save registers around them (lab-guides/benchmarking.md, "Where the
 * instructions go"). Every port has this header, in common/arch/<port>/include/port/. */
#ifndef PORT_INLINE_H
#define PORT_INLINE_H

#include <stdint.h>

#define X86_RFLAGS_IF 0x200
#define X86_USER_END 0x0000800000000000UL /* the canonical lower half: PML4 entries 0..255 */

static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & X86_RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

/* This core's struct cpu: its GS base points at it, and its first word points to itself
 * (percpu.c), so one %gs-relative load finds it. */
static inline void *arch_cpu_self(void)
{
	void *self;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(self));
	return self;
}

/* The thread running on this core, struct cpu's current (arch/smp.h), in one load through
 * %gs. Being one instruction, it cannot see one CPU's struct cpu and then, moved by an
 * interrupt, read another's: so it needs no interrupts off, which cpu_self()->current,
 * two loads, would. */
static inline void *arch_cpu_current(void)
{
	void *t;

	__asm__ volatile("movq %%gs:24, %0" : "=r"(t));
	return t;
}

static inline uintptr_t arch_user_end(void)
{
	return X86_USER_END;
}

#endif
