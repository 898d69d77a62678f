/* mmu.c: x86_64 page tables, the direct map and the usable RAM (arch/mmu.h).
 *
 * x86_64 translates a 48-bit virtual address through four levels of tables, each a 4 KiB
 * page of 512 eight-byte entries, each level using 9 bits of the address:
 *
 *   47    39 38    30 29    21 20    12 11         0
 *   | PML4  |  PDPT  |   PD   |   PT   |  offset   |      (level 4, 3, 2, 1 here)
 *
 * An entry holds the physical address of the next table (or of the page itself) and flag
 * bits: P present, W writable, U user may access, PS "this entry maps a large page" (2 MiB
 * at level 2), NX no execute. An access is allowed only when every level allows it, so the
 * tables in the middle are made permissive (P|W, plus U in the user half) and the last
 * level says what the page really permits.
 *
 * Layout of every address space:
 *   0 .. 0x0000800000000000               the user half: PML4 entries 0..255, per process
 *   0xffff800000000000 ..                 the direct map: all RAM, at DMAP_BASE + physical
 *   0xffffffff80000000 .. + 1 GiB          the kernel image (boot.S's map of the first GiB)
 *   0xffffffffc0000000 .. the end          the device window (iomap.c): LAPIC, IOAPIC, ACPI
 * The kernel half (PML4 entries 256..511) is the same in every address space: each new
 * root copies those entries from the kernel root, so they must never change afterwards.
 *
 * Locking: this file has no lock. The tables of a user half are protected by the caller
 * (struct vm_space's lock), except that arch_mmu_translate() may walk them without it;
 * the direct map is built once, on the boot CPU, before any other CPU runs, and never
 * changes. */
#include <stdbool.h>
#include <stdint.h>
#include <arch/mmu.h>
#include <kernel/compiler.h>
#include <kernel/panic.h>
#include <kernel/sections.h>
#include <lib/string.h>
#include <mm/page.h>
#include <uapi/errno.h>
#include "x86.h"

#define DMAP_BASE 0xffff800000000000UL
#define USER_END X86_USER_END
#define LOW_MEMORY_END 0x100000UL /* the first MiB: BIOS data, EBDA, ROMs, VGA */
#define BOOT_MAP_END 0x40000000UL /* boot.S maps physical [0, 1 GiB) at KERNEL_VMA */

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PS (1UL << 7)
#define PTE_NX (1UL << 63)
#define PTE_ADDR 0x000ffffffffff000UL /* bits 12..51: the physical address */

#define PT_ENTRIES 512
#define PML4_KERNEL_FIRST 256 /* PML4 entries 256..511 are the shared kernel half */
#define LARGE_PAGE_SIZE (1UL << 21)

extern uint64_t boot_pml4[];

/* A physical range [lo, hi). */
struct mmu_span {
	uint64_t lo, hi;
};

/* Set once by arch_mmu_init() on the boot CPU, read-only afterwards. */
static bool mmu_dmap_ready;      /* the direct map exists: tables are reached through it */
static uint64_t mmu_dmap_end;    /* physical end of the highest RAM range mapped */
static uint64_t mmu_early_next;  /* the next free page after the image, for early tables */
static uint64_t mmu_early_limit; /* where the early tables must stop */

/* Physical ranges never handed to the page allocator: the first MiB (firmware data, and
 * the page at 0x8000 where smp.c puts the other CPUs' 16-bit start code), then the kernel
 * image with the early page tables right after it. */
#define MMU_NR_RESERVED 2
static struct mmu_span mmu_reserved[MMU_NR_RESERVED];

/* ---- table access ---- */

/* Bytes one entry maps at level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB, 4: 512 GiB). */
static uint64_t mmu_level_size(unsigned level)
{
	return 1UL << (PAGE_SHIFT + 9 * (level - 1));
}

/* The index of va's entry in its table at level. */
static unsigned mmu_index(uintptr_t va, unsigned level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

/* A table, given its physical address. Before the direct map exists, every table lives in
 * the first GiB (the kernel image and the pages just after it), which boot.S mapped at
 * KERNEL_VMA; afterwards tables may be anywhere in RAM, and the direct map reaches them.
 * Without arch_phys_to_virt()'s check: a table's address comes from an entry this file
 * wrote, and every walk of a user copy's check passes here four times. */
static uint64_t *mmu_table(uint64_t pa)
{
	if (likely(mmu_dmap_ready))
		return (uint64_t *)(uintptr_t)(DMAP_BASE + pa);
	return x86_phys_to_kernel(pa);
}

/* LAB(kernel-core): where the direct map's own page tables come from. The page allocator
 * cannot run before the direct map exists (it returns blocks through it), so the first
 * tables are taken, one page at a time, from the RAM right after the kernel image.
 * arch_mem_ranges() then reserves them together with the image. A static pool in .bss
 * would have to be sized for the largest machine and would waste that on small ones; this
 * way the tables cost exactly what the machine's RAM map needs. */
static uint64_t mmu_early_page(void)
{
	uint64_t pa = mmu_early_next;

	if (pa + PAGE_SIZE > mmu_early_limit)
		panic("mmu: no free RAM after the kernel image (at %#lx) for page tables",
		      (unsigned long)pa);
	mmu_early_next += PAGE_SIZE;
	memset(x86_phys_to_kernel(pa), 0, PAGE_SIZE);
	return pa;
}

/* A zeroed page for a new table: from the early pages while the direct map is being
 * built, from the page allocator afterwards. Returns 0 and sets *pa, or -ENOMEM. */
static int mmu_table_alloc(uint64_t *pa)
{
	void *p;

	if (!mmu_dmap_ready) {
		*pa = mmu_early_page();
		return 0;
	}
	p = page_alloc(0);
	if (!p)
		return -ENOMEM;
	*pa = page_to_phys(p);
	return 0;
}

/* Fill the empty entry *e, on the way to va, with a new table. A new top-level entry of the
 * kernel half after boot would be missing from every address space created before it, so
 * that is a kernel bug. Returns 0 or -ENOMEM. */
static int mmu_table_add(uint64_t *e, uintptr_t va, unsigned level)
{
	uint64_t pa;

	if (level == 4 && va >= USER_END && mmu_dmap_ready)
		panic("mmu: mapping %p needs a new kernel top-level entry after boot", (void *)va);
	if (mmu_table_alloc(&pa) < 0)
		return -ENOMEM;
	*e = pa | PTE_P | PTE_W | (va < USER_END ? PTE_U : 0);
	return 0;
}

/* Find the entry for va at level (1 for a 4 KiB page, 2 for a 2 MiB page) under root,
 * adding missing tables on the way when create. Returns 0 with *out set; -ENOENT when a
 * table is missing and !create; -ENOMEM; -EEXIST when a large page already covers va. */
static int mmu_walk(uint64_t root, uintptr_t va, unsigned level, bool create, uint64_t **out)
{
	uint64_t *table = mmu_table(root);
	unsigned l;
	int err;

	for (l = 4; l > level; l--) {
		uint64_t *e = &table[mmu_index(va, l)];

		if (*e & PTE_PS)
			return -EEXIST;
		if (!(*e & PTE_P)) {
			if (!create)
				return -ENOENT;
			err = mmu_table_add(e, va, l);
			if (err)
				return err;
		}
		table = mmu_table(*e & PTE_ADDR);
	}
	*out = &table[mmu_index(va, level)];
	return 0;
}

/* The leaf flags for arch_mmu_map()'s prot. Readable is implied: x86 has no "not readable". */
static uint64_t mmu_prot_flags(unsigned prot)
{
	uint64_t f = PTE_P;

	if (prot & MMU_WRITE)
		f |= PTE_W;
	if (prot & MMU_USER)
		f |= PTE_U;
	if (!(prot & MMU_EXEC))
		f |= PTE_NX;
	return f;
}

/* ---- the direct map ---- */

/* DMAP_BASE + pa, for pa inside the RAM the direct map covers; anything else is a bug. */
void *arch_phys_to_virt(uint64_t pa)
{
	if (unlikely(pa >= mmu_dmap_end))
		panic("arch_phys_to_virt: %#lx is beyond RAM (direct map ends at %#lx)",
		      (unsigned long)pa, (unsigned long)mmu_dmap_end);
	return (void *)(uintptr_t)(DMAP_BASE + pa);
}

/* Accepts direct-map addresses and addresses in the kernel image (static data such as the
 * boot page tables); anything else has no fixed physical address, which is a kernel bug. */
uint64_t arch_virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VMA)
		return v - KERNEL_VMA;
	if (v >= DMAP_BASE && v - DMAP_BASE < mmu_dmap_end)
		return v - DMAP_BASE;
	panic("arch_virt_to_phys: %p is neither in the direct map nor in the kernel image", va);
}

/* Map physical [pa, end) at DMAP_BASE + pa: 2 MiB pages where a whole aligned 2 MiB fits,
 * 4 KiB pages at the unaligned edges. Readable and writable, never executable. */
static void mmu_dmap_range(uint64_t pa, uint64_t end)
{
	uint64_t root = arch_mmu_kernel_root();
	uint64_t *e;

	while (pa < end) {
		bool large = (pa & (LARGE_PAGE_SIZE - 1)) == 0 && end - pa >= LARGE_PAGE_SIZE;
		uint64_t size = large ? LARGE_PAGE_SIZE : PAGE_SIZE;

		if (mmu_walk(root, DMAP_BASE + pa, large ? 2 : 1, true, &e) < 0)
			panic("mmu: cannot map RAM at %#lx in the direct map", (unsigned long)pa);
		*e = pa | PTE_P | PTE_W | PTE_NX | (large ? PTE_PS : 0);
		pa += size;
	}
}

/* The early page tables go right after the image, in the RAM range holding its end, and
 * must stay inside the first GiB (the only RAM reachable before the direct map exists). */
static void mmu_early_setup(void)
{
	uint64_t image_end = PAGE_ALIGN_UP((uintptr_t)__kernel_end - KERNEL_VMA);
	unsigned i;

	mmu_early_next = image_end;
	for (i = 0; i < x86_boot.nr_ram; i++) {
		const struct mem_range *r = &x86_boot.ram[i];

		if (r->base <= image_end && image_end < r->base + r->size)
			mmu_early_limit = PAGE_ALIGN_DOWN(r->base + r->size);
	}
	if (mmu_early_limit > BOOT_MAP_END)
		mmu_early_limit = BOOT_MAP_END;
}

/* LAB(kernel-core): building the direct map. Every whole page of every RAM range the boot
 * loader reported is mapped, the kernel image and low memory included, so that any
 * physical page can be reached by adding DMAP_BASE. */
void arch_mmu_init(void)
{
	unsigned i;

	mmu_early_setup();
	for (i = 0; i < x86_boot.nr_ram; i++) {
		const struct mem_range *r = &x86_boot.ram[i];
		uint64_t base = PAGE_ALIGN_UP(r->base), end = PAGE_ALIGN_DOWN(r->base + r->size);

		if (base >= end)
			continue;
		mmu_dmap_range(base, end);
		if (end > mmu_dmap_end)
			mmu_dmap_end = end;
	}
	if (mmu_dmap_end == 0)
		panic("mmu: the boot loader reported no RAM");
	mmu_reserved[0] = (struct mmu_span){ 0, LOW_MEMORY_END };
	mmu_reserved[1] = (struct mmu_span){ PAGE_ALIGN_DOWN((uintptr_t)__kernel_start - KERNEL_VMA),
					     mmu_early_next };
	mmu_dmap_ready = true;
}

/* ---- usable RAM ---- */

/* Append [base, end) minus the reserved ranges i.. to out[n..max). Returns the new count. */
static size_t mmu_emit_range(struct mem_range *out, size_t n, size_t max, uint64_t base,
			     uint64_t end, unsigned i)
{
	uint64_t lo, hi;

	if (base >= end || n == max)
		return n;
	if (i == MMU_NR_RESERVED) {
		out[n].base = base;
		out[n].size = end - base;
		return n + 1;
	}
	lo = mmu_reserved[i].lo;
	hi = mmu_reserved[i].hi;
	n = mmu_emit_range(out, n, max, base, end < lo ? end : lo, i + 1);
	return mmu_emit_range(out, n, max, base > hi ? base : hi, end, i + 1);
}

/* Valid after arch_mmu_init(), which decides how many early page tables are reserved. */
size_t arch_mem_ranges(struct mem_range *out, size_t max)
{
	size_t n = 0;
	unsigned i;

	kassert(mmu_dmap_ready);
	for (i = 0; i < x86_boot.nr_ram; i++) {
		const struct mem_range *r = &x86_boot.ram[i];

		n = mmu_emit_range(out, n, max, PAGE_ALIGN_UP(r->base),
				   PAGE_ALIGN_DOWN(r->base + r->size), 0);
	}
	return n;
}

/* ---- address spaces ---- */

/* The user half ends where the lower canonical half of the address space does: USER_END,
 * which arch_user_end() returns (inline, include/port/inline.h). */

/* The kernel's root is boot.S's PML4, which lives in the image. */
uint64_t arch_mmu_kernel_root(void)
{
	return arch_virt_to_phys(boot_pml4);
}

/* A zeroed root whose kernel half points at the very same tables as the kernel root's. */
int arch_mmu_create(uint64_t *root)
{
	uint64_t *pml4 = page_alloc(0);
	const uint64_t *kernel = mmu_table(arch_mmu_kernel_root());

	if (!pml4)
		return -ENOMEM;
	memcpy(&pml4[PML4_KERNEL_FIRST], &kernel[PML4_KERNEL_FIRST],
	       (PT_ENTRIES - PML4_KERNEL_FIRST) * sizeof *pml4);
	*root = page_to_phys(pml4);
	return 0;
}

/* Free the table at table_pa (of level) and, above level 1, the tables below it. Leaf
 * pages are not touched: they belong to the caller. */
static void mmu_free_table(uint64_t table_pa, unsigned level)
{
	const uint64_t *t = mmu_table(table_pa);
	unsigned i;

	for (i = 0; level > 1 && i < PT_ENTRIES; i++)
		if (t[i] & PTE_P)
			mmu_free_table(t[i] & PTE_ADDR, level - 1);
	page_free(page_from_phys(table_pa), 0);
}

/* Free the user half's tables and the root itself; the kernel half's tables are shared
 * with every other space and stay. */
void arch_mmu_destroy(uint64_t root)
{
	const uint64_t *pml4 = mmu_table(root);
	unsigned i;

	kassert(root != arch_mmu_kernel_root());
	for (i = 0; i < PML4_KERNEL_FIRST; i++)
		if (pml4[i] & PTE_P)
			mmu_free_table(pml4[i] & PTE_ADDR, 3);
	page_free(page_from_phys(root), 0);
}

/* Point va's level-1 entry at pa with prot, adding tables on the way. Returns 0, -EEXIST
 * or -ENOMEM (tables added before running out stay; arch_mmu_destroy frees them). */
int arch_mmu_map(uint64_t root, uintptr_t va, uint64_t pa, unsigned prot)
{
	uint64_t *pte;
	int err;

	kassert((va & (PAGE_SIZE - 1)) == 0 && (pa & (PAGE_SIZE - 1)) == 0);
	err = mmu_walk(root, va, 1, true, &pte);
	if (err)
		return err;
	if (*pte & PTE_P)
		return -EEXIST;
	*pte = pa | mmu_prot_flags(prot);
	return 0;
}

/* Clear va's level-1 entry and report the page it held. Tables that become empty stay
 * until arch_mmu_destroy(). Returns 0 or -ENOENT. */
int arch_mmu_unmap(uint64_t root, uintptr_t va, uint64_t *pa)
{
	uint64_t *pte;

	if (mmu_walk(root, va, 1, false, &pte) < 0 || !(*pte & PTE_P))
		return -ENOENT;
	*pa = *pte & PTE_ADDR;
	*pte = 0;
	return 0;
}

/* Walk down to va's last entry, combining the levels' rights as the CPU does: writable and
 * user only when every level says so, executable unless any level says NX. */
bool arch_mmu_translate(uint64_t root, uintptr_t va, uint64_t *pa, unsigned *prot)
{
	const uint64_t *table = mmu_table(root);
	uint64_t all = PTE_W | PTE_U, nx = 0, e;
	unsigned l;

	for (l = 4;; l--) {
		e = READ_ONCE(table[mmu_index(va, l)]);
		if (!(e & PTE_P))
			return false;
		all &= e;
		nx |= e & PTE_NX;
		if (l == 1 || (e & PTE_PS))
			break;
		table = mmu_table(e & PTE_ADDR);
	}
	*pa = (e & PTE_ADDR & ~(mmu_level_size(l) - 1)) | (va & (mmu_level_size(l) - 1));
	*prot = (all & PTE_W ? MMU_WRITE : 0) | (all & PTE_U ? MMU_USER : 0) |
		(nx ? 0 : MMU_EXEC);
	return true;
}

/* Search the table at table_pa (of level) for the first mapped page at or above *va and
 * below end, skipping whole empty tables. On success *va is that page and *pa its
 * physical address; otherwise *va has moved past this table's part of the range. The user
 * half has no large pages, so every mapping ends at level 1. */
static bool mmu_find(uint64_t table_pa, unsigned level, uintptr_t *va, uintptr_t end,
		     uint64_t *pa)
{
	const uint64_t *t = mmu_table(table_pa);
	uint64_t size = mmu_level_size(level);
	uintptr_t table_end = (*va | (size * PT_ENTRIES - 1)) + 1;
	uintptr_t stop = end < table_end ? end : table_end;

	while (*va < stop) {
		uint64_t e = t[mmu_index(*va, level)];
		uintptr_t next = (*va & ~(size - 1)) + size;

		if ((e & PTE_P) && level == 1) {
			*pa = e & PTE_ADDR;
			return true;
		}
		if ((e & PTE_P) && mmu_find(e & PTE_ADDR, level - 1, va, end, pa))
			return true;
		*va = next;
	}
	return false;
}

/* Search the user half of root from va (page-aligned) to end, skipping empty tables. */
bool arch_mmu_next_mapped(uint64_t root, uintptr_t va, uintptr_t end, uintptr_t *found,
			  uint64_t *pa)
{
	kassert(end <= USER_END && (va & (PAGE_SIZE - 1)) == 0);
	if (!mmu_find(root, 4, &va, end, pa))
		return false;
	*found = va;
	return true;
}

/* Load root into CR3, unless it is loaded already: every load flushes the TLB. */
void arch_mmu_activate(uint64_t root)
{
	if (read_cr3() != root)
		write_cr3(root);
}

/* invlpg drops this CPU's cached translation of va's page. */
void arch_tlb_flush_page(uintptr_t va)
{
	invlpg(va);
}

/* Reloading CR3 drops every cached translation that is not global; this kernel marks no
 * page global, so the user half is flushed (and the kernel half too, harmlessly). */
void arch_tlb_flush_all(void)
{
	write_cr3(read_cr3());
}
