/* ioapic.c: routing device interrupts through the I/O APIC (ioapic.h).
 *
 * The IOAPIC has one input per interrupt line ("GSI", global system interrupt) and, for
 * each, a 64-bit redirection entry: vector, destination LAPIC, polarity, trigger mode and
 * a mask bit. Its registers are reached indirectly: write a register number to IOREGSEL,
 * then read or write IOWIN (Intel 82093AA datasheet). */
#include <kernel/panic.h>
#include "acpi.h"
#include "ioapic.h"
#include "iomap.h"

#define IOAPIC_REGSEL 0             /* in 32-bit words */
#define IOAPIC_WINDOW 4
#define IOAPIC_SIZE 0x20
#define IOAPIC_VERSION 0x01         /* bits 16-23: the number of inputs, minus one */
#define IOAPIC_REDIRECTION 0x10     /* input n: registers 0x10 + 2n (low), + 1 (high) */
#define REDIR_ACTIVE_LOW (1U << 13)
#define REDIR_LEVEL (1U << 15)
#define REDIR_MASKED (1U << 16)
#define REDIR_DEST_SHIFT 24         /* in the high word */
#define INTI_POLARITY 0x3           /* MADT override flags (ACPI "MPS INTI flags") */
#define INTI_ACTIVE_LOW 0x3
#define INTI_TRIGGER 0xc
#define INTI_LEVEL 0xc

/* Set once by ioapic_init() on the boot CPU. */
static volatile uint32_t *ioapic_regs;
static unsigned ioapic_inputs;

static uint32_t ioapic_read(unsigned reg)
{
	ioapic_regs[IOAPIC_REGSEL] = reg;
	return ioapic_regs[IOAPIC_WINDOW];
}

static void ioapic_write(unsigned reg, uint32_t v)
{
	ioapic_regs[IOAPIC_REGSEL] = reg;
	ioapic_regs[IOAPIC_WINDOW] = v;
}

void ioapic_init(void)
{
	unsigned i;

	ioapic_regs = iomap(acpi_madt.ioapic_pa, IOAPIC_SIZE, IOMAP_DEVICE);
	ioapic_inputs = ((ioapic_read(IOAPIC_VERSION) >> 16) & 0xff) + 1;
	for (i = 0; i < ioapic_inputs; i++)
		ioapic_write(IOAPIC_REDIRECTION + 2 * i, REDIR_MASKED);
}

/* LAB(kernel-core): an ISA line is edge-triggered and active high unless the MADT says
 * otherwise; QEMU, like most PCs, overrides IRQ 0 (to input 2) and the PCI lines. */
void ioapic_route_isa(unsigned irq, uint8_t vector, uint8_t apic_id)
{
	uint32_t gsi, low = vector;
	uint16_t flags;

	acpi_isa_irq(irq, &gsi, &flags);
	if (gsi >= ioapic_inputs)
		panic("ioapic: ISA IRQ %u is input %u; the IOAPIC has %u", irq, gsi, ioapic_inputs);
	if ((flags & INTI_POLARITY) == INTI_ACTIVE_LOW)
		low |= REDIR_ACTIVE_LOW;
	if ((flags & INTI_TRIGGER) == INTI_LEVEL)
		low |= REDIR_LEVEL;
	ioapic_write(IOAPIC_REDIRECTION + 2 * gsi + 1, (uint32_t)apic_id << REDIR_DEST_SHIFT);
	ioapic_write(IOAPIC_REDIRECTION + 2 * gsi, low); /* unmasked last */
}
