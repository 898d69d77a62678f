/* lapic.h: the local APIC, each CPU's own interrupt controller (lapic.c): it receives
 * interrupts for its CPU, sends inter-processor interrupts, and has a timer. */
#ifndef X86_LAPIC_H
#define X86_LAPIC_H

#include <stdint.h>

/* Register offsets that lapic_timer.c needs too. */
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3e0
#define LAPIC_LVT_MASKED (1U << 16)

/* Map the registers (the address is in the MADT: acpi_init() first), register the spurious
 * and error vectors, and set up the boot CPU's LAPIC. Called once, in arch_early_init(). */
void lapic_init(void);

/* Set up the calling CPU's LAPIC: enabled, spurious vector, all priorities accepted, the
 * 8259's input masked. Called by every secondary CPU as it starts. */
void lapic_init_cpu(void);

/* Read or write the calling CPU's LAPIC register at byte offset reg. */
uint32_t lapic_read(unsigned reg);
void lapic_write(unsigned reg, uint32_t v);

/* The calling CPU's LAPIC id. */
uint8_t lapic_id(void);

/* Tell the LAPIC that the interrupt in service is handled (end of interrupt). */
void lapic_eoi(void);

/* Send the CPU with LAPIC id apic_id an interrupt with the given vector. */
void lapic_send_ipi(uint8_t apic_id, uint8_t vector);

/* The start-up signals for another CPU: INIT resets it to wait for a start-up IPI; a
 * start-up IPI makes it run, in 16-bit real mode, from physical address page << 12. */
void lapic_send_init(uint8_t apic_id);
void lapic_send_startup(uint8_t apic_id, uint8_t page);

#endif
