/* irq.c: from an interrupt vector to its handler (irq.h). */
#include <kernel/panic.h>
#include "irq.h"
#include "lapic.h"

#define FIRST_IRQ_VECTOR 32
#define NR_VECTORS 256

/* Filled at boot before each interrupt is enabled, read by every CPU afterwards: no lock. */
static void (*irq_handlers[NR_VECTORS])(unsigned vector);

void irq_register(unsigned vector, void (*fn)(unsigned vector))
{
	kassert(vector >= FIRST_IRQ_VECTOR && vector < NR_VECTORS && !irq_handlers[vector]);
	irq_handlers[vector] = fn;
}

/* LAB(kernel-core): the end-of-interrupt comes first. Until the LAPIC gets it, it holds back
 * every interrupt of the same or a lower priority class on this CPU. A handler may switch
 * to another thread (the timer tick, a reschedule IPI) and come back only much later, so
 * acknowledging after it would block this CPU's timer meanwhile. Acknowledging first is
 * safe: interrupts stay off (interrupt gates) until the handler returns or the thread it
 * switches to turns them on, and an interrupt raised meanwhile waits in the LAPIC. A
 * spurious interrupt is the exception: the LAPIC did not mark it in service, so it must
 * not be acknowledged. (A level-triggered line, which no device here uses yet, would still
 * be asserted at this early EOI and interrupt once more after its handler: its driver
 * would mask the line while it works, or be acknowledged last.) */
bool irq_dispatch(unsigned vector)
{
	void (*fn)(unsigned vector) = irq_handlers[vector];

	if (!fn)
		return false;
	if (vector != IRQ_VEC_SPURIOUS)
		lapic_eoi();
	fn(vector);
	return true;
}
