/* cpu.c: interrupt state and stopping the CPU on x86_64 (arch/cpu.h). */
#include <arch/cpu.h>

/* arch_irq_save() and arch_irq_restore() are inline, in include/port/inline.h. */

void arch_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

bool arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return flags & X86_RFLAGS_IF;
}

void arch_cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

void arch_cpu_idle(void)
{
	/* sti takes effect after the next instruction, so no interrupt can slip in between
	 * and be handled before the hlt: it will wake the hlt instead. */
	__asm__ volatile("sti; hlt" : : : "memory");
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
