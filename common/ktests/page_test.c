/* page_test.c: the buddy page allocator: every order, exhaustion, merging, no leaks. */
#include <stdbool.h>
#include <stdint.h>
#include <kernel/ktest.h>
#include <lib/prng.h>
#include <lib/string.h>
#include <mm/page.h>
#include "mm_test.h"

#define PAGE_TEST_SEED 0x9a6e5eedULL
#define PAGE_TEST_LIVE 64
#define PAGE_TEST_STEPS 3000
#define PAGE_TEST_MAX_RANDOM_ORDER 5

/* True when the n bytes at p are all zero. */
static bool page_test_zeroed(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Expect the counters that must come back after a test (free pages) to be back, and the
 * ones that only grow to have grown by exactly what the test did. */
static void page_test_expect_back(const struct page_stats *before, size_t allocs,
				  size_t failures)
{
	struct page_stats now;

	page_stats(&now);
	KTEST_EXPECT_EQ(now.total_pages, before->total_pages);
	KTEST_EXPECT_EQ(now.free_pages, before->free_pages);
	KTEST_EXPECT_EQ(now.allocs - before->allocs, allocs);
	KTEST_EXPECT_EQ(now.frees - before->frees, allocs);
	KTEST_EXPECT_EQ(now.failures - before->failures, failures);
}

KTEST(page_alloc_every_order_aligned_and_zeroed)
{
	struct page_stats before;
	unsigned order;

	page_stats(&before);
	for (order = 0; order <= PAGE_MAX_ORDER; order++) {
		size_t bytes = PAGE_SIZE << order;
		void *p = page_alloc(order);

		KTEST_ASSERT(p != NULL);
		KTEST_EXPECT_EQ(page_to_phys(p) & (bytes - 1), 0);
		KTEST_EXPECT(page_test_zeroed(p, bytes));
		memset(p, 0xa5, bytes);
		page_free(p, order);
		/* The freed block is dirty now; a new allocation must still come zeroed. */
		p = page_alloc(order);
		KTEST_ASSERT(p != NULL);
		KTEST_EXPECT(page_test_zeroed(p, bytes));
		page_free(p, order);
	}
	page_test_expect_back(&before, 2 * (PAGE_MAX_ORDER + 1), 0);
}

KTEST(page_alloc_counts_pages_taken)
{
	struct page_stats before, during;
	void *a, *b;

	page_stats(&before);
	a = page_alloc(0);
	b = page_alloc(3);
	KTEST_ASSERT(a != NULL && b != NULL);
	page_stats(&during);
	KTEST_EXPECT_EQ(before.free_pages - during.free_pages, 1 + 8);
	KTEST_EXPECT(during.free_pages < during.total_pages);
	page_free(b, 3);
	page_free(a, 0);
	page_test_expect_back(&before, 2, 0);
}

KTEST(page_alloc_rejects_order_above_max)
{
	struct page_stats before;

	page_stats(&before);
	KTEST_EXPECT(page_alloc(PAGE_MAX_ORDER + 1) == NULL);
	page_test_expect_back(&before, 0, 1);
}

KTEST(page_phys_and_direct_map_round_trip)
{
	void *p = page_alloc(1);
	uint64_t pa;

	KTEST_ASSERT(p != NULL);
	pa = page_to_phys(p);
	KTEST_EXPECT_EQ(pa & (PAGE_SIZE - 1), 0);
	KTEST_EXPECT(page_from_phys(pa) == p);
	KTEST_EXPECT(page_from_phys(pa + PAGE_SIZE) == (char *)p + PAGE_SIZE);
	page_free(p, 1);
}

/* Take every free page, one at a time, until the allocator says no, then give them all
 * back. The allocator must return NULL rather than panic, count the failure, and merge
 * the single pages back into as many largest blocks as before. */
KTEST(page_exhaustion_returns_null_and_buddies_merge_back)
{
	struct page_stats before, empty;
	size_t big_before, big_after, pages;
	void *chain;

	page_stats(&before);
	mm_test_free_some(mm_test_take_all(PAGE_MAX_ORDER, &big_before), PAGE_MAX_ORDER, SIZE_MAX);
	KTEST_ASSERT(big_before > 0);

	chain = mm_test_take_all(0, &pages);
	page_stats(&empty);
	KTEST_EXPECT_EQ(empty.free_pages, 0);
	KTEST_EXPECT_EQ(pages, before.free_pages);
	KTEST_EXPECT(page_alloc(0) == NULL);
	mm_test_free_some(chain, 0, SIZE_MAX);

	mm_test_free_some(mm_test_take_all(PAGE_MAX_ORDER, &big_after), PAGE_MAX_ORDER, SIZE_MAX);
	KTEST_EXPECT_EQ(big_after, big_before);
	page_test_expect_back(&before, 2 * big_before + pages, 4);
}

/* A block of the random test: where it is, its order, and the byte it was filled with. */
struct page_test_block {
	unsigned char *p;
	unsigned order;
	unsigned char tag;
};

/* True when the whole block still holds its tag: no other block overlapped it. */
static bool page_test_intact(const struct page_test_block *b)
{
	size_t i;

	for (i = 0; i < (PAGE_SIZE << b->order); i++)
		if (b->p[i] != b->tag)
			return false;
	return true;
}

/* A seeded random mix of allocations and frees of orders 0..5. Every block is filled with
 * its own byte and checked when freed, so two blocks handed out over each other would
 * show; at the end the free page count must be what it was. */
KTEST(page_random_mix_keeps_blocks_disjoint)
{
	struct page_test_block live[PAGE_TEST_LIVE];
	struct page_stats before;
	struct prng r;
	size_t n = 0, allocs = 0;
	unsigned step;

	page_stats(&before);
	prng_seed(&r, PAGE_TEST_SEED);
	for (step = 0; step < PAGE_TEST_STEPS; step++) {
		if (n < PAGE_TEST_LIVE && (n == 0 || prng_chance(&r, 55))) {
			struct page_test_block *b = &live[n];

			b->order = prng_below(&r, PAGE_TEST_MAX_RANDOM_ORDER + 1);
			b->tag = (unsigned char)(step | 1);
			b->p = page_alloc(b->order);
			KTEST_ASSERT(b->p != NULL);
			KTEST_ASSERT(page_test_zeroed(b->p, PAGE_SIZE << b->order));
			memset(b->p, b->tag, PAGE_SIZE << b->order);
			n++;
			allocs++;
		} else {
			size_t i = prng_below(&r, n);

			if (!page_test_intact(&live[i]))
				ktest_fail(__FILE__, __LINE__, "seed %#llx step %u: block %p overwritten",
					   PAGE_TEST_SEED, step, live[i].p);
			page_free(live[i].p, live[i].order);
			live[i] = live[--n];
		}
	}
	while (n > 0) {
		n--;
		KTEST_EXPECT(page_test_intact(&live[n]));
		page_free(live[n].p, live[n].order);
	}
	page_test_expect_back(&before, allocs, 0);
}
