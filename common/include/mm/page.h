/* mm/page.h: the physical page allocator (a buddy allocator over the boot memory map).
 *
 * Memory is handed out in blocks of 2^order contiguous 4 KiB pages (order 0 .. PAGE_MAX_ORDER).
 * Blocks are returned through their direct-map address (arch_phys_to_virt), so the kernel
 * can use them at once; page_to_phys() gives the physical address for page tables. */
#ifndef MM_PAGE_H
#define MM_PAGE_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MAX_ORDER 10 /* 4 MiB blocks */
#define PAGE_ALIGN_UP(x) (((x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_ALIGN_DOWN(x) ((x) & ~(PAGE_SIZE - 1))

/* Counters of the page allocator, for /kfs and leak tests. */
struct page_stats {
	size_t total_pages; /* pages managed */
	size_t free_pages;  /* pages free now */
	size_t allocs;      /* successful page_alloc() calls since boot */
	size_t frees;       /* page_free() calls since boot */
	size_t failures;    /* page_alloc() calls that found no block */
};

/* Hand every usable RAM range (arch_mem_ranges) to the allocator. Called once at boot. */
void page_init(void);

/* Allocate 2^order contiguous zeroed pages. Returns their direct-map address, or NULL when
 * no block that large is free (never panics). */
void *page_alloc(unsigned order);

/* Return a block from page_alloc() with the same order. */
void page_free(void *p, unsigned order);

/* Physical address of a direct-map address, and back (arch_virt_to_phys and its inverse). */
uint64_t page_to_phys(const void *p);
void *page_from_phys(uint64_t pa);

/* A snapshot of the counters. */
void page_stats(struct page_stats *out);

#endif
