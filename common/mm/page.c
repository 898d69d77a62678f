/* page.c: the physical page allocator, a binary buddy system (mm/page.h).
 *
 * Free memory is kept as blocks of 2^order pages, each aligned to its own size in physical
 * memory, on one free list per order. To allocate order k, take a block from the smallest
 * non-empty list of order >= k and split it in halves until it is order k; every half not
 * used goes on the list one order down. The two halves of a block are "buddies": the buddy
 * of the order-k block at physical address pa is at pa ^ (PAGE_SIZE << k). To free, look at
 * the buddy: if it is free and of the same order, take it off its list and merge, and try
 * again one order up. So free memory never stays cut into pieces that could be whole.
 *
 * Bookkeeping: one byte per page of the physical span the RAM ranges cover, saying whether
 * the page is the first of a free block, of an allocated block, or neither, and the block's
 * order. The free lists themselves cost nothing: their nodes live inside the free blocks,
 * which nobody else uses. The byte array is carved out of the first usable RAM range large
 * enough to hold it, before the rest is handed out. */
#include <stdbool.h>
#include <stdint.h>
#include <arch/mmu.h>
#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <lib/string.h>
#include <mm/page.h>

#define PAGE_MAX_RANGES 64
#define PAGE_STATE_FREE 0x40  /* the first page of a free block; low bits: its order */
#define PAGE_STATE_USED 0x80  /* the first page of an allocated block; low bits: its order */
#define PAGE_STATE_ORDER 0x3f /* any other page (inside a block, or not RAM) is 0 */

static struct {
	/* Set by page_init() on the boot CPU before any allocation; read-only afterwards. */
	uint8_t *state;  /* one PAGE_STATE_* byte per page of [base, end) */
	uint64_t base;   /* physical span covered by state[] */
	uint64_t end;
	struct spinlock lock;
	/* Protected by lock: the free lists, every byte of state[] and the counters. Order
	 * LOCK_ORDER_ALLOC: the allocator may be called with any other lock held. */
	struct list_node free[PAGE_MAX_ORDER + 1]; /* free blocks, by order */
	struct page_stats stats;
} page_pool = {
	.lock = SPINLOCK_INIT("page", LOCK_ORDER_ALLOC),
};

/* The physical address of a direct-map (or kernel image) address. */
uint64_t page_to_phys(const void *p)
{
	return arch_virt_to_phys(p);
}

/* The direct-map address of physical address pa. */
void *page_from_phys(uint64_t pa)
{
	return arch_phys_to_virt(pa);
}

/* The state byte of the page at physical address pa (inside [base, end)). */
static uint8_t *page_state(uint64_t pa)
{
	return &page_pool.state[(pa - page_pool.base) >> PAGE_SHIFT];
}

/* The free-list node of the free block at pa: it lives in the block's first bytes. */
static struct list_node *page_node(uint64_t pa)
{
	return page_from_phys(pa);
}

/* Put the block at pa on the free list of its order. Locks: page_pool.lock held. */
static void page_list_add(uint64_t pa, unsigned order)
{
	kassert(spin_held(&page_pool.lock));
	*page_state(pa) = PAGE_STATE_FREE | order;
	list_add_head(&page_pool.free[order], page_node(pa));
}

/* Take the free block at pa off its list. Locks: page_pool.lock held. */
static void page_list_remove(uint64_t pa)
{
	kassert(spin_held(&page_pool.lock));
	*page_state(pa) = 0;
	list_remove(page_node(pa));
}

/* True when the buddy at pa is a free block of exactly this order, so the two can merge.
 * A buddy outside the span, or not RAM, has state 0 and never merges. */
static bool page_buddy_free(uint64_t pa, unsigned order)
{
	return pa >= page_pool.base && pa < page_pool.end &&
	       *page_state(pa) == (PAGE_STATE_FREE | order);
}

/* LAB(kernel-core): freeing with merging. Give the block at pa back, merging it with its
 * buddy as long as the buddy is free too. Locks: page_pool.lock held. */
static void page_release(uint64_t pa, unsigned order)
{
	while (order < PAGE_MAX_ORDER) {
		uint64_t buddy = pa ^ (PAGE_SIZE << order);

		if (!page_buddy_free(buddy, order))
			break;
		page_list_remove(buddy);
		pa &= ~(PAGE_SIZE << order); /* the merged block starts at the lower half */
		order++;
	}
	page_list_add(pa, order);
}

/* LAB(kernel-core): allocating with splitting. Take a block of the given order from the
 * smallest free list that has one, splitting a larger block if needed. Returns true and
 * sets *pa, or false when no block is large enough. Locks: page_pool.lock held. */
static bool page_take(unsigned order, uint64_t *pa)
{
	unsigned k = order;

	kassert(spin_held(&page_pool.lock));
	while (k <= PAGE_MAX_ORDER && list_empty(&page_pool.free[k]))
		k++;
	if (k > PAGE_MAX_ORDER)
		return false;
	*pa = page_to_phys(page_pool.free[k].next);
	page_list_remove(*pa);
	while (k > order) {
		k--;
		page_list_add(*pa + (PAGE_SIZE << k), k); /* keep the lower half, free the upper */
	}
	*page_state(*pa) = PAGE_STATE_USED | order;
	return true;
}

/* Take a block of 2^order pages off the free lists and return it zeroed, or NULL (counted
 * as a failure) when no block that large is free or order is above PAGE_MAX_ORDER. */
void *page_alloc(unsigned order)
{
	uint64_t pa;
	bool ok;
	void *p;

	spin_lock(&page_pool.lock);
	ok = order <= PAGE_MAX_ORDER && page_take(order, &pa);
	if (ok) {
		page_pool.stats.free_pages -= 1UL << order;
		page_pool.stats.allocs++;
	} else {
		page_pool.stats.failures++;
	}
	spin_unlock(&page_pool.lock);
	if (!ok)
		return NULL;
	/* Zero outside the lock: it is our block now, and 4 MiB of memset with interrupts off
	 * would delay every other CPU waiting for the allocator. */
	p = page_from_phys(pa);
	memset(p, 0, PAGE_SIZE << order);
	return p;
}

/* Freeing something that is not an allocated block of this order would corrupt the free
 * lists silently and much later, so it is caught here and reported as the kernel bug it is. */
void page_free(void *p, unsigned order)
{
	uint64_t pa = page_to_phys(p);

	spin_lock(&page_pool.lock);
	if (order > PAGE_MAX_ORDER || (pa & ((PAGE_SIZE << order) - 1)) || pa < page_pool.base ||
	    pa >= page_pool.end || *page_state(pa) != (PAGE_STATE_USED | order))
		panic("page_free(%p, order %u): not an allocated block of that order "
		      "(freed twice, wrong order, or never from page_alloc)", p, order);
	*page_state(pa) = 0;
	page_release(pa, order);
	page_pool.stats.free_pages += 1UL << order;
	page_pool.stats.frees++;
	spin_unlock(&page_pool.lock);
}

/* Copy the counters out under the lock, so they are consistent with each other. */
void page_stats(struct page_stats *out)
{
	spin_lock(&page_pool.lock);
	*out = page_pool.stats;
	spin_unlock(&page_pool.lock);
}

/* ---- boot ---- */

/* The largest order whose aligned block starts at pa and ends by end. */
static unsigned page_fit_order(uint64_t pa, uint64_t end)
{
	unsigned order = PAGE_MAX_ORDER;

	while (order > 0 && ((pa & ((PAGE_SIZE << order) - 1)) || pa + (PAGE_SIZE << order) > end))
		order--;
	return order;
}

/* Hand the pages of [base, end) to the free lists, as the largest aligned blocks that fit.
 * Locks: page_pool.lock held. */
static void page_add_range(uint64_t base, uint64_t end)
{
	while (base < end) {
		unsigned order = page_fit_order(base, end);

		page_release(base, order);
		page_pool.stats.total_pages += 1UL << order;
		page_pool.stats.free_pages += 1UL << order;
		base += PAGE_SIZE << order;
	}
}

/* Trim each range to whole pages and compute the span [base, end) they cover. */
static void page_span(struct mem_range *r, size_t n)
{
	size_t i;

	page_pool.base = UINT64_MAX;
	for (i = 0; i < n; i++) {
		uint64_t b = PAGE_ALIGN_UP(r[i].base), e = PAGE_ALIGN_DOWN(r[i].base + r[i].size);

		r[i].base = b;
		r[i].size = e > b ? e - b : 0;
		if (r[i].size && b < page_pool.base)
			page_pool.base = b;
		if (r[i].size && e > page_pool.end)
			page_pool.end = e;
	}
}

/* Carve the state array, one byte per page of the span, out of the start of the first
 * range large enough to hold it, and shrink that range. */
static void page_state_place(struct mem_range *r, size_t n)
{
	uint64_t bytes = PAGE_ALIGN_UP((page_pool.end - page_pool.base) >> PAGE_SHIFT);
	size_t i;

	for (i = 0; i < n && r[i].size < bytes; i++)
		;
	if (i == n)
		panic("page_init: no RAM range can hold the %lu-byte page state array",
		      (unsigned long)bytes);
	page_pool.state = page_from_phys(r[i].base);
	memset(page_pool.state, 0, bytes);
	r[i].base += bytes;
	r[i].size -= bytes;
}

/* Build the free lists from arch_mem_ranges(), after carving the state array out of them.
 * Runs once, on the boot CPU, before any allocation. */
void page_init(void)
{
	struct mem_range r[PAGE_MAX_RANGES];
	size_t n = arch_mem_ranges(r, PAGE_MAX_RANGES), i;

	page_span(r, n);
	if (page_pool.base >= page_pool.end)
		panic("page_init: no usable RAM");
	page_state_place(r, n);
	for (i = 0; i <= PAGE_MAX_ORDER; i++)
		list_init(&page_pool.free[i]);
	spin_lock(&page_pool.lock);
	for (i = 0; i < n; i++)
		page_add_range(r[i].base, r[i].base + r[i].size);
	spin_unlock(&page_pool.lock);
}
