/* mm.c: starting memory management (mm/mm.h).
 *
 * The order matters: the page allocator hands out memory through the direct map, so the
 * direct map must exist first; kmalloc and vm take their pages from the allocator and need
 * no set-up of their own. */
#include <arch/mmu.h>
#include <mm/mm.h>
#include <mm/page.h>

/* The direct map first (arch_mmu_init), then the page allocator on top of it. */
void mm_init(void)
{
	arch_mmu_init();
	page_init();
}
