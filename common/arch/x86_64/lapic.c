/* lapic.c: the local APIC in xAPIC mode (lapic.h): 4 KiB of registers at the same physical
 * address on every CPU, each CPU reaching its own (Intel SDM vol. 3, chapter 11). The
 * registers are 32 bits wide, 16 bytes apart, and must be accessed as whole 32-bit words.
 *
 * The x2APIC mode (registers as MSRs) would spare the uncached MMIO accesses; xAPIC is
 * enough for the CPU counts of this kernel and is what every x86_64 CPU has. */
#include <arch/cpu.h>
#include <kernel/printk.h>
#include "acpi.h"
#include "iomap.h"
#include "irq.h"
#include "lapic.h"
#include "x86.h"

#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080           /* task priority: accept interrupts above this class */
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0           /* spurious vector, and the software enable bit */
#define LAPIC_ESR 0x280           /* error status */
#define LAPIC_ICR_LOW 0x300       /* interrupt command: writing it sends the IPI */
#define LAPIC_ICR_HIGH 0x310      /* interrupt command: destination in bits 24-31 */
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_SIZE 0x400

#define SVR_ENABLE (1U << 8)
#define LVT_NMI (4U << 8)
#define ICR_FIXED (0U << 8)
#define ICR_INIT (5U << 8)
#define ICR_STARTUP (6U << 8)
#define ICR_PENDING (1U << 12)    /* delivery status: the last IPI is not accepted yet */
#define ICR_ASSERT (1U << 14)
#define ICR_DEST_SHIFT 24
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1UL << 11)

/* Set once by lapic_init() on the boot CPU, before any other CPU starts. */
static volatile uint32_t *lapic_regs;

uint32_t lapic_read(unsigned reg)
{
	return lapic_regs[reg / sizeof(uint32_t)];
}

void lapic_write(unsigned reg, uint32_t v)
{
	lapic_regs[reg / sizeof(uint32_t)] = v;
}

uint8_t lapic_id(void)
{
	return (uint8_t)(lapic_read(LAPIC_ID) >> 24);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* Spurious interrupt: the LAPIC withdrew an interrupt it had begun to deliver. Nothing to
 * do, not even an EOI (irq.c). */
static void lapic_spurious(unsigned vector)
{
}

/* The LAPIC saw an error (an IPI to a LAPIC id nobody has, an illegal vector...). The error
 * status register latches them; writing it first makes it show the latest. */
static void lapic_error(unsigned vector)
{
	uint32_t esr;

	lapic_write(LAPIC_ESR, 0);
	esr = lapic_read(LAPIC_ESR);
	printk("lapic: error status %#x on the CPU with LAPIC id %u\n", esr, lapic_id());
}

/* LAB(kernel-core): what each LVT entry is for. LINT0 is where the 8259 PICs' output
 * arrives (in "virtual wire" mode the firmware leaves behind): masked, so the PICs can
 * never interrupt. LINT1 carries the board's NMI, which the MADTs of PCs (QEMU's too)
 * route to every CPU. */
void lapic_init_cpu(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
	lapic_write(LAPIC_LVT_ERROR, IRQ_VEC_APIC_ERROR);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | IRQ_VEC_SPURIOUS);
}

void lapic_init(void)
{
	lapic_regs = iomap(acpi_madt.lapic_pa, LAPIC_SIZE, IOMAP_DEVICE);
	irq_register(IRQ_VEC_SPURIOUS, lapic_spurious);
	irq_register(IRQ_VEC_APIC_ERROR, lapic_error);
	lapic_init_cpu();
}

/* Write the interrupt command register: destination first, then the low half, whose
 * write sends. Interrupts are off meanwhile, so that no handler sending an IPI of its own
 * can change the destination between the two writes. */
static void lapic_send(uint8_t apic_id, uint32_t command)
{
	unsigned long flags = arch_irq_save();

	while (lapic_read(LAPIC_ICR_LOW) & ICR_PENDING)
		arch_cpu_relax();
	lapic_write(LAPIC_ICR_HIGH, (uint32_t)apic_id << ICR_DEST_SHIFT);
	lapic_write(LAPIC_ICR_LOW, command);
	arch_irq_restore(flags);
}

void lapic_send_ipi(uint8_t apic_id, uint8_t vector)
{
	lapic_send(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_init(uint8_t apic_id)
{
	lapic_send(apic_id, ICR_INIT | ICR_ASSERT);
}

void lapic_send_startup(uint8_t apic_id, uint8_t page)
{
	lapic_send(apic_id, ICR_STARTUP | ICR_ASSERT | page);
}
