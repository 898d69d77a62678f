/* arch/mmu.h: the arch interface to the MMU: page tables, the direct map, TLBs.
 *
 * Every address space has a root page table, named by its physical address. The kernel half
 * (the image, the direct map of all RAM, kernel heaps) is shared by every address space; the
 * user half [0, arch_user_end()) belongs to one process. Generic code (common/mm/) decides
 * what to map; the port only edits page tables. Pages are 4 KiB on every port. */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Protection bits for arch_mmu_map(); a mapping is always readable. */
#define MMU_WRITE 0x1u
#define MMU_EXEC 0x2u
#define MMU_USER 0x4u

/* One range of usable RAM, as the boot loader or firmware described it. */
struct mem_range {
	uint64_t base;
	uint64_t size;
};

/* Fill out[] with the usable RAM ranges, with the kernel image, page tables built at boot
 * and boot data already taken out. Returns the number of ranges (at most max). */
size_t arch_mem_ranges(struct mem_range *out, size_t max);

/* Map all RAM at its direct-map address and set up the kernel's own page tables. Called
 * once by mm_init() before any page is allocated from the direct map. */
void arch_mmu_init(void);

/* The direct map: every physical page of RAM at a fixed kernel virtual address. */
void *arch_phys_to_virt(uint64_t pa);
uint64_t arch_virt_to_phys(const void *va);

/* The first address above the user half of every address space:
 *   uintptr_t arch_user_end(void);
 * static inline in the port's <port/inline.h> (see arch/cpu.h): every user copy checks
 * its range against it. */
#include <port/inline.h>

/* The kernel's own root table (the address space of kernel threads). */
uint64_t arch_mmu_kernel_root(void);

/* A new address space: an empty user half and the shared kernel half. Returns 0 and sets
 * *root, or -ENOMEM. */
int arch_mmu_create(uint64_t *root);

/* Free the page tables of root's user half and root itself. The pages they mapped are not
 * freed: that is the caller's job (it knows which are its own). */
void arch_mmu_destroy(uint64_t root);

/* Map the 4 KiB page at va (page-aligned, in the user half or a kernel heap) to physical
 * page pa with prot. Returns 0, -EEXIST when va is mapped already, or -ENOMEM. Does not
 * flush TLBs: a new mapping is never cached. */
int arch_mmu_map(uint64_t root, uintptr_t va, uint64_t pa, unsigned prot);

/* Remove the mapping of va. Returns 0 and sets *pa to the page it mapped, or -ENOENT. The
 * caller flushes TLBs (locally and, for shared address spaces, on other CPUs). */
int arch_mmu_unmap(uint64_t root, uintptr_t va, uint64_t *pa);

/* Look va up in root: true with *pa (the physical address of va itself, offset included)
 * and *prot when it is mapped. Safe while another CPU maps or unmaps in root (it reads
 * each entry once, and a table lives until arch_mmu_destroy()): vm_user_ok() walks so. */
bool arch_mmu_translate(uint64_t root, uintptr_t va, uint64_t *pa, unsigned *prot);

/* Find the lowest mapped page in [va, end) of root's user half (va page-aligned). Returns
 * true with *found and *pa (its physical page), or false when there is none. Skips whole
 * empty tables, so unmapping or freeing a large, sparse range does not visit every page. */
bool arch_mmu_next_mapped(uint64_t root, uintptr_t va, uintptr_t end, uintptr_t *found,
			  uint64_t *pa);

/* Switch this CPU to address space root. */
void arch_mmu_activate(uint64_t root);

/* Forget cached translations on this CPU: of one page, or of the whole user half. */
void arch_tlb_flush_page(uintptr_t va);
void arch_tlb_flush_all(void);

#endif
