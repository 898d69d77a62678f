/* start.c: the x86_64 port's C entry and early setup (arch/boot.h).
 *
 * boot.S calls x86_64_start() with the physical address of the PVH start info that QEMU
 * built: the command line, the memory map and where the ACPI tables are. We copy what we
 * need into x86_boot (x86.h), since the pages it lives in will later be handed to the page
 * allocator, and call the generic kmain(). */
#include <stdint.h>
#include <arch/boot.h>
#include <arch/console.h>
#include <lib/string.h>
#include "platform.h"
#include "x86.h"

#define HVM_START_MAGIC 0x336ec578
#define HVM_MEMMAP_TYPE_RAM 1
#define CMDLINE_MAX 512

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;   /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

static char start_cmdline[CMDLINE_MAX];
struct x86_boot_info x86_boot;

extern uint64_t boot_pml4[];

void x86_64_start(uint64_t start_info_paddr);

/* Keep the usable (type 1) RAM ranges of the PVH memory map. */
static void start_copy_memmap(const struct hvm_memmap_entry *e, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && x86_boot.nr_ram < X86_MAX_RAM_RANGES; i++) {
		if (e[i].type != HVM_MEMMAP_TYPE_RAM)
			continue;
		x86_boot.ram[x86_boot.nr_ram].base = e[i].addr;
		x86_boot.ram[x86_boot.nr_ram].size = e[i].size;
		x86_boot.nr_ram++;
	}
}

void x86_64_start(uint64_t start_info_paddr)
{
	const struct hvm_start_info *si = x86_phys_to_kernel(start_info_paddr);

	if (si->magic == HVM_START_MAGIC) {
		if (si->cmdline_paddr)
			strlcpy(start_cmdline, x86_phys_to_kernel(si->cmdline_paddr),
				sizeof start_cmdline);
		x86_boot.rsdp_paddr = si->rsdp_paddr;
		if (si->version >= 1)
			start_copy_memmap(x86_phys_to_kernel(si->memmap_paddr), si->memmap_entries);
	}
	kmain();
}

void arch_early_init(void)
{
	arch_console_init();
	gdt_init(0);
	idt_init();
	x86_syscall_init();
	/* Drop the identity map boot.S needed for the switch to the higher half: from now on
	 * a NULL pointer (or any low address) faults, as it must. */
	boot_pml4[0] = 0;
	write_cr3(read_cr3());
	platform_init();
}

const char *arch_boot_cmdline(void)
{
	return start_cmdline;
}

const char *arch_name(void)
{
	return "x86_64 (PVH boot)";
}
