/* mm/mm.h: starting memory management. */
#ifndef MM_MM_H
#define MM_MM_H

/* Build the kernel's page tables and direct map (arch_mmu_init), then hand all usable RAM
 * to the page allocator; kmalloc and vm work from then on. Called once by kmain() on the
 * boot CPU, after the per-CPU data is set up (the allocators take spinlocks). */
void mm_init(void);

#endif
