/* ioapic.h: the I/O APIC, which turns device interrupt lines into messages to a CPU's
 * LAPIC (ioapic.c). */
#ifndef X86_IOAPIC_H
#define X86_IOAPIC_H

#include <stdint.h>

/* Map the IOAPIC that serves the ISA interrupts (acpi_init() first) and mask all its
 * inputs. Called once by the boot CPU at boot. */
void ioapic_init(void);

/* Deliver ISA IRQ irq as vector to the CPU with LAPIC id apic_id, honouring the MADT's
 * interrupt source overrides (which input, which polarity and trigger mode). Only the boot
 * CPU programs the IOAPIC, so its registers need no lock. */
void ioapic_route_isa(unsigned irq, uint8_t vector, uint8_t apic_id);

#endif
