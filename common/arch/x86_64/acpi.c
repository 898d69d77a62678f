/* acpi.c: finding the CPUs and interrupt controllers in the ACPI tables (acpi.h).
 *
 * The firmware leaves a chain of tables in memory (ACPI specification, chapter 5.2):
 *   RSDP  "RSD PTR ", a root pointer (PVH boot hands us its address) to
 *   RSDT  a list of 32-bit table addresses (or the XSDT, with 64-bit ones, ACPI 2.0+),
 *   MADT  the table with signature "APIC": one entry per processor (its LAPIC id), per
 *         IOAPIC, and per "interrupt source override" (an ISA IRQ that the board wires to a
 *         different IOAPIC input, or with another polarity or trigger mode).
 * Each table starts with the same 36-byte header, whose bytes, like all of the table's,
 * sum to 0 modulo 256: the checksum. A table that fails it is not used.
 *
 * The tables are mapped through the device window (iomap.c): they may lie above the first
 * GiB, and this runs before the direct map exists. */
#include <stddef.h>
#include <kernel/compiler.h>
#include <kernel/printk.h>
#include <lib/string.h>
#include "acpi.h"
#include "iomap.h"
#include "x86.h"

#define ACPI_DEFAULT_LAPIC 0xfee00000UL
#define ACPI_DEFAULT_IOAPIC 0xfec00000UL
#define ACPI_RSDP_V1_LEN 20       /* the bytes the first checksum covers */
#define ACPI_TABLE_MAX (1U << 20) /* larger than any MADT or RSDT: a corrupt length */
#define MADT_PCAT_COMPAT 0x1      /* MADT flags: the board also has two 8259 PICs */
#define MADT_LAPIC 0
#define MADT_IOAPIC 1
#define MADT_OVERRIDE 2
#define MADT_LAPIC_ADDRESS 5
#define MADT_LAPIC_ENABLED 0x1
#define CPUID_APIC_ID_SHIFT 24    /* CPUID leaf 1: ebx[31:24] is the initial LAPIC id */

struct acpi_rsdp {
	char signature[8];
	uint8_t checksum;
	char oem_id[6];
	uint8_t revision;         /* 0: ACPI 1.0 (RSDT only); 2 and up: the fields below */
	uint32_t rsdt_pa;
	uint32_t length;
	uint64_t xsdt_pa;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_header {
	char signature[4];
	uint32_t length;          /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed));

struct acpi_madt_table {
	struct acpi_header h;
	uint32_t lapic_pa;
	uint32_t flags;
	uint8_t entries[];        /* variable-length entries, each starting type, length */
} __attribute__((packed));

struct madt_lapic {
	uint8_t type, length;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));

struct madt_ioapic {
	uint8_t type, length;
	uint8_t id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));

struct madt_override {
	uint8_t type, length;
	uint8_t bus;              /* 0: ISA */
	uint8_t source;           /* the ISA IRQ */
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));

struct madt_lapic_address {
	uint8_t type, length;
	uint16_t reserved;
	uint64_t address;
} __attribute__((packed));

struct acpi_madt_info acpi_madt;

/* True when the len bytes at p sum to 0 modulo 256. */
static bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

/* Map the table at pa whole, after reading its length from its header. NULL when the
 * length is implausible or the checksum fails. */
static const struct acpi_header *acpi_map_table(uint64_t pa)
{
	const struct acpi_header *h = iomap(pa, sizeof *h, IOMAP_RAM);
	uint32_t len = h->length;

	if (len < sizeof *h || len > ACPI_TABLE_MAX)
		return NULL;
	h = iomap(pa, len, IOMAP_RAM);
	if (!acpi_checksum_ok(h, len)) {
		printk("acpi: table %.4s at %#lx fails its checksum; ignored\n", h->signature,
		       (unsigned long)pa);
		return NULL;
	}
	return h;
}

/* The RSDT or XSDT that the RSDP at pa points to, with its entry size; NULL if invalid. */
static const struct acpi_header *acpi_root_table(uint64_t pa, size_t *entry_size)
{
	const struct acpi_rsdp *rsdp = iomap(pa, sizeof *rsdp, IOMAP_RAM);

	if (memcmp(rsdp->signature, "RSD PTR ", 8) != 0 ||
	    !acpi_checksum_ok(rsdp, ACPI_RSDP_V1_LEN)) {
		printk("acpi: no valid RSDP at %#lx\n", (unsigned long)pa);
		return NULL;
	}
	if (rsdp->revision >= 2 && rsdp->xsdt_pa && acpi_checksum_ok(rsdp, sizeof *rsdp)) {
		*entry_size = sizeof(uint64_t);
		return acpi_map_table(rsdp->xsdt_pa);
	}
	*entry_size = sizeof(uint32_t);
	return acpi_map_table(rsdp->rsdt_pa);
}

/* Find the table with signature sig among those the RSDT/XSDT lists; NULL if none. */
static const struct acpi_header *acpi_find_table(const char *sig)
{
	size_t entry_size, i, n;
	const struct acpi_header *root;
	const uint8_t *entries;

	if (!x86_boot.rsdp_paddr)
		return NULL;
	root = acpi_root_table(x86_boot.rsdp_paddr, &entry_size);
	if (!root)
		return NULL;
	entries = (const uint8_t *)(root + 1);
	n = (root->length - sizeof *root) / entry_size;
	for (i = 0; i < n; i++) {
		uint64_t pa = 0;
		const struct acpi_header *h;

		memcpy(&pa, entries + i * entry_size, entry_size); /* little-endian, unaligned */
		h = iomap(pa, sizeof *h, IOMAP_RAM);
		if (memcmp(h->signature, sig, 4) == 0)
			return acpi_map_table(pa);
	}
	return NULL;
}

/* An enabled processor: count it, and give it the next CPU number unless it is the boot
 * CPU (already CPU 0) or MAX_CPUS are taken. x2APIC entries (type 9) are not read: QEMU and
 * firmware use them only for LAPIC ids above 254, which xAPIC mode cannot address. */
static void acpi_add_cpu(const struct madt_lapic *e)
{
	if (!(e->flags & MADT_LAPIC_ENABLED))
		return;
	acpi_madt.madt_cpus++;
	if (e->apic_id == acpi_madt.apic_ids[0] || acpi_madt.nr_cpus == MAX_CPUS)
		return;
	acpi_madt.apic_ids[acpi_madt.nr_cpus++] = e->apic_id;
}

/* Keep the IOAPIC whose inputs start at GSI 0: it is the one the ISA interrupts reach. */
static void acpi_add_ioapic(const struct madt_ioapic *e)
{
	if (e->gsi_base != 0)
		return;
	acpi_madt.ioapic_pa = e->address;
}

static void acpi_add_override(const struct madt_override *e)
{
	struct acpi_override *o;

	if (e->bus != 0 || acpi_madt.nr_overrides == ACPI_MAX_OVERRIDES)
		return;
	o = &acpi_madt.overrides[acpi_madt.nr_overrides++];
	o->irq = e->source;
	o->gsi = e->gsi;
	o->flags = e->flags;
}

/* Walk the MADT's entries. Each says its own length, so unknown types are skipped. */
static void acpi_parse_madt(const struct acpi_madt_table *m)
{
	const uint8_t *p = m->entries, *end = (const uint8_t *)m + m->h.length;

	acpi_madt.lapic_pa = m->lapic_pa;
	acpi_madt.has_8259 = m->flags & MADT_PCAT_COMPAT;
	while (p + 2 <= end && p[1] >= 2 && p + p[1] <= end) {
		if (p[0] == MADT_LAPIC && p[1] >= sizeof(struct madt_lapic))
			acpi_add_cpu((const struct madt_lapic *)p);
		else if (p[0] == MADT_IOAPIC && p[1] >= sizeof(struct madt_ioapic))
			acpi_add_ioapic((const struct madt_ioapic *)p);
		else if (p[0] == MADT_OVERRIDE && p[1] >= sizeof(struct madt_override))
			acpi_add_override((const struct madt_override *)p);
		else if (p[0] == MADT_LAPIC_ADDRESS && p[1] >= sizeof(struct madt_lapic_address))
			acpi_madt.lapic_pa = ((const struct madt_lapic_address *)p)->address;
		p += p[1];
	}
}

/* One line for the boot log: what was found. */
static void acpi_report(void)
{
	unsigned i;

	printk("acpi: %u CPUs (LAPIC ids", acpi_madt.nr_cpus);
	for (i = 0; i < acpi_madt.nr_cpus; i++)
		printk(" %u", acpi_madt.apic_ids[i]);
	printk("), IOAPIC at %#lx, %u interrupt overrides\n", (unsigned long)acpi_madt.ioapic_pa,
	       acpi_madt.nr_overrides);
	if (acpi_madt.madt_cpus > acpi_madt.nr_cpus)
		printk("acpi: the MADT lists %u CPUs; using %u (MAX_CPUS)\n", acpi_madt.madt_cpus,
		       acpi_madt.nr_cpus);
}

void acpi_init(void)
{
	uint32_t regs[4];
	const struct acpi_header *madt;

	cpuid(1, regs);
	acpi_madt.apic_ids[0] = (uint8_t)(regs[1] >> CPUID_APIC_ID_SHIFT);
	acpi_madt.nr_cpus = 1;
	acpi_madt.lapic_pa = ACPI_DEFAULT_LAPIC;
	acpi_madt.ioapic_pa = ACPI_DEFAULT_IOAPIC;
	acpi_madt.has_8259 = true;
	madt = acpi_find_table("APIC");
	if (madt && madt->length >= sizeof(struct acpi_madt_table))
		acpi_parse_madt((const struct acpi_madt_table *)madt);
	else
		printk("acpi: no usable MADT; running on the boot CPU alone\n");
	acpi_report();
}

void acpi_isa_irq(unsigned irq, uint32_t *gsi, uint16_t *flags)
{
	unsigned i;

	*gsi = irq;
	*flags = 0;
	for (i = 0; i < acpi_madt.nr_overrides; i++) {
		if (acpi_madt.overrides[i].irq == irq) {
			*gsi = acpi_madt.overrides[i].gsi;
			*flags = acpi_madt.overrides[i].flags;
		}
	}
}
