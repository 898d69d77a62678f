/* irq.h: interrupt vectors of the x86_64 port and the table of their handlers (irq.c).
 *
 * Vectors 0-31 are the CPU's exceptions. The LAPIC delivers an interrupt only when its
 * priority class (vector / 16) is above that of the one in service, so the timer and the
 * IPIs sit in the highest class and device interrupts below them. */
#ifndef X86_IRQ_H
#define X86_IRQ_H

#include <stdbool.h>

#define IRQ_VEC_PIC_BASE 0x20   /* the two 8259s, moved here and masked (pic.c) */
#define IRQ_VEC_ISA_BASE 0x30   /* ISA IRQ n arrives through the IOAPIC as 0x30 + n */
#define IRQ_VEC_TIMER 0xf0      /* each CPU's LAPIC timer (lapic_timer.c) */
#define IRQ_VEC_IPI_BASE 0xf1   /* IPI of kind k (enum ipi_kind) arrives as 0xf1 + k */
#define IRQ_VEC_APIC_ERROR 0xfe /* the LAPIC found an error (lapic.c) */
#define IRQ_VEC_SPURIOUS 0xff   /* the LAPIC's "never mind": no handler, no EOI */

/* Make fn the handler of vector (32..255), called with interrupts off and the vector as
 * argument. Each vector gets one handler, set before its interrupt is enabled. */
void irq_register(unsigned vector, void (*fn)(unsigned vector));

/* Run the handler of vector, if it has one, after acknowledging the interrupt at the
 * LAPIC. Returns false when vector has no handler. Called by x86_trap_dispatch(). */
bool irq_dispatch(unsigned vector);

#endif
