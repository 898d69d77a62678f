/* arch/cpu.h: the arch interface to the running CPU: interrupts on/off, waiting, stopping. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdbool.h>
#include <kernel/compiler.h>

/* Disable interrupts on this CPU and return the previous state, for arch_irq_restore().
 * Save/restore pairs nest: the innermost restore leaves interrupts as they were.
 *   unsigned long arch_irq_save(void);
 *   void arch_irq_restore(unsigned long flags);
 * The one exception to "declarations only": every spinlock calls these twice, so each
 * port defines them static inline in its own <port/inline.h>, with arch_cpu_self(). */
#include <port/inline.h>

void arch_irq_enable(void);
void arch_irq_disable(void);
bool arch_irqs_enabled(void);

/* A hint inside spin-wait loops (pause / yield); no other effect. */
void arch_cpu_relax(void);

/* Wait for the next interrupt: enable interrupts and halt in one step, so an interrupt
 * that arrives between the decision to wait and the halt still ends the wait. Returns
 * with interrupts on. For the idle loop. */
void arch_cpu_idle(void);

/* Stop this CPU for good: interrupts off, wait forever. */
__noreturn void arch_halt(void);

#endif
