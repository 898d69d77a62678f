/*
 * port/inline.h - the host tests' stand-in for a port's inline arch functions
 * (see common/include/arch/cpu.h): one thread, no interrupts to turn off, one
 * struct cpu (CPU 0), and a user half that ends where x86_64's does.
 */
#ifndef PORT_INLINE_H
#define PORT_INLINE_H

#include <stddef.h>
#include <stdint.h>

static inline unsigned long arch_irq_save(void)
{
	return 0;
}

static inline void arch_irq_restore(unsigned long flags)
{
	(void)flags;
}

void *host_cpu_self(void); /* host_mm.c: the one struct cpu, id 0 */

static inline void *arch_cpu_self(void)
{
	return host_cpu_self();
}

static inline void *arch_cpu_current(void)
{
	return NULL; /* no threads on the host */
}

static inline uintptr_t arch_user_end(void)
{
	return 0x0000800000000000UL;
}

#endif
