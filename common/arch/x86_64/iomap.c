/* iomap.c: the device window (iomap.h).
 *
 * The LAPIC and IOAPIC registers sit at physical 0xfee00000 and 0xfec00000, above any RAM
 * the kernel maps; the ACPI tables may lie above the first GiB, which is all boot.S maps.
 * The direct map (mmu.c) covers RAM only, and must: device registers need uncached
 * accesses, RAM cached ones. So the port maps such ranges here, 4 KiB pages taken one
 * after the other from a window of its own.
 *
 * Where the window lives: boot.S's top-level entry 511 points at a PDPT whose entry 510 maps
 * the kernel image (0xffffffff80000000). Its entry 511, the last GiB, was unused: iomap_init()
 * points it at iomap_pd, whose first entry points at iomap_pt, one table of 512 pages. The
 * window thus adds no top-level entry, and every address space, which shares the kernel's
 * top-level entries (mmu.c), sees it on every CPU.
 *
 * Locking: none. Only the boot CPU maps, at boot (iomap.h); afterwards the tables only
 * change by new entries, which no TLB can hold yet, so no flush is ever needed. */
#include <arch/mmu.h>
#include <kernel/compiler.h>
#include <kernel/panic.h>
#include <mm/page.h>
#include "iomap.h"
#include "x86.h"

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000ffffffffff000UL
#define IOMAP_PDPT_SLOT 511  /* the window's entry in the kernel image's PDPT */
#define KERNEL_PML4_SLOT 511 /* the top-level entry of the kernel image and the window */

static uint64_t iomap_pd[512] __aligned(PAGE_SIZE);
static uint64_t iomap_pt[IOMAP_PAGES] __aligned(PAGE_SIZE);
static unsigned iomap_used; /* pages of the window handed out so far */

void iomap_init(void)
{
	const uint64_t *pml4 = x86_phys_to_kernel(read_cr3() & PTE_ADDR);
	uint64_t *pdpt = x86_phys_to_kernel(pml4[KERNEL_PML4_SLOT] & PTE_ADDR);

	iomap_pd[0] = arch_virt_to_phys(iomap_pt) | PTE_P | PTE_W;
	pdpt[IOMAP_PDPT_SLOT] = arch_virt_to_phys(iomap_pd) | PTE_P | PTE_W;
}

/* LAB(kernel-core): memory types. With PCD and PWT set, the default PAT makes the page
 * uncacheable (UC): each load and store goes to the device, in program order. RAM must
 * stay write-back: mapping one physical page with two different types is undefined. */
void *iomap(uint64_t pa, size_t size, enum iomap_type type)
{
	uint64_t first = PAGE_ALIGN_DOWN(pa);
	size_t pages = (PAGE_ALIGN_UP(pa + size) - first) >> PAGE_SHIFT, i;
	uint64_t flags = PTE_P | PTE_W | PTE_NX | (type == IOMAP_DEVICE ? PTE_PCD | PTE_PWT : 0);
	uintptr_t va = IOMAP_BASE + ((uintptr_t)iomap_used << PAGE_SHIFT);

	if (pages > IOMAP_PAGES - iomap_used)
		panic("iomap: the device window is full (%u pages) mapping %#lx", IOMAP_PAGES,
		      (unsigned long)pa);
	for (i = 0; i < pages; i++)
		iomap_pt[iomap_used + i] = (first + (i << PAGE_SHIFT)) | flags;
	iomap_used += pages;
	return (void *)(va + (pa - first));
}
