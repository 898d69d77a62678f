/* mm/kmalloc.h: the kernel heap: small objects from size-class slabs, large ones straight
 * from the page allocator. */
#ifndef MM_KMALLOC_H
#define MM_KMALLOC_H

#include <stddef.h>

/* Counters of the heap, for /kfs and leak tests. */
struct kmalloc_stats {
	size_t bytes_in_use;  /* bytes requested by live allocations */
	size_t allocs_in_use; /* live allocations */
	size_t pages;         /* pages the heap holds (slabs and large blocks) */
	size_t failures;      /* kmalloc() calls that returned NULL */
};

/* Allocate size bytes (zeroed), aligned to 16 bytes. NULL when out of memory or size is 0
 * or absurd; never panics. Safe from any context that may take a spinlock. */
void *kmalloc(size_t size);

/* Free what kmalloc() returned; NULL is ignored. */
void kfree(void *p);

/* A snapshot of the counters. */
void kmalloc_stats(struct kmalloc_stats *out);

#endif
