/* acpi.h: what the port learns from the ACPI tables (acpi.c): the CPUs and the interrupt
 * controllers, as the MADT ("APIC" table) lists them. */
#ifndef X86_ACPI_H
#define X86_ACPI_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/smp.h>

#define ACPI_MAX_OVERRIDES 16

/* An interrupt source override: ISA IRQ `irq` is wired to IOAPIC input `gsi`, with the
 * polarity and trigger mode in `flags` (ACPI "MPS INTI flags"). */
struct acpi_override {
	uint8_t irq;
	uint32_t gsi;
	uint16_t flags;
};

/* The machine as the MADT describes it. Written once by acpi_init() on the boot CPU,
 * read-only afterwards: no lock. */
struct acpi_madt_info {
	unsigned nr_cpus;                 /* CPUs the kernel uses: min(madt_cpus, MAX_CPUS) */
	unsigned madt_cpus;               /* enabled processors the MADT lists */
	uint8_t apic_ids[MAX_CPUS];       /* LAPIC id of CPU i; CPU 0 is the boot CPU */
	uint64_t lapic_pa;                /* physical address of every CPU's LAPIC registers */
	uint64_t ioapic_pa;               /* the IOAPIC whose inputs start at GSI 0 (ISA) */
	bool has_8259;                    /* legacy PICs present: they must be silenced */
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	unsigned nr_overrides;
};

extern struct acpi_madt_info acpi_madt;

/* Find the MADT through the RSDP that the boot loader passed (x86_boot.rsdp_paddr), check
 * the checksum of every table read on the way, and fill acpi_madt; the calling CPU becomes
 * CPU 0. Without usable tables the machine is taken to have that one CPU and the LAPIC and
 * IOAPIC at their standard addresses. Called once, by the boot CPU at boot. */
void acpi_init(void);

/* The IOAPIC input and flags of ISA IRQ irq: its override, or the ISA defaults (same
 * number, edge-triggered, active high) when it has none. */
void acpi_isa_irq(unsigned irq, uint32_t *gsi, uint16_t *flags);

#endif
