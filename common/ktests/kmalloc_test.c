/* kmalloc_test.c: the kernel heap: every size class, large blocks, alignment, zeroing, exact
 * counters, and no pages kept once everything is freed. */
#include <stdbool.h>
#include <stdint.h>
#include <kernel/ktest.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>

#define KMALLOC_TEST_MANY 1000

/* True when the n bytes at p are all zero. */
static bool kmalloc_test_zeroed(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Expect the heap and the page allocator to be back where they were. */
static void kmalloc_test_expect_back(const struct kmalloc_stats *heap,
				     const struct page_stats *pages)
{
	struct kmalloc_stats h;
	struct page_stats p;

	kmalloc_stats(&h);
	page_stats(&p);
	KTEST_EXPECT_EQ(h.bytes_in_use, heap->bytes_in_use);
	KTEST_EXPECT_EQ(h.allocs_in_use, heap->allocs_in_use);
	KTEST_EXPECT_EQ(h.pages, heap->pages);
	KTEST_EXPECT_EQ(p.free_pages, pages->free_pages);
}

/* Allocate size bytes and check the block: 16-byte aligned, zeroed, counted exactly; then
 * scribble over all of it (a wrong size class would overrun into a neighbour) and free. */
static void kmalloc_test_one(size_t size)
{
	struct kmalloc_stats before, during;
	unsigned char *p;

	kmalloc_stats(&before);
	p = kmalloc(size);
	KTEST_ASSERT(p != NULL);
	kmalloc_stats(&during);
	KTEST_EXPECT_EQ((uintptr_t)p % 16, 0);
	KTEST_EXPECT(kmalloc_test_zeroed(p, size));
	KTEST_EXPECT_EQ(during.bytes_in_use - before.bytes_in_use, size);
	KTEST_EXPECT_EQ(during.allocs_in_use - before.allocs_in_use, 1);
	memset(p, 0x5a, size);
	kfree(p);
}

KTEST(kmalloc_every_size_class)
{
	struct kmalloc_stats heap;
	struct page_stats pages;
	size_t size;

	kmalloc_stats(&heap);
	page_stats(&pages);
	for (size = 16; size <= 2048; size *= 2) {
		kmalloc_test_one(size / 2 + 1); /* the smallest size of the class (1 for 16) */
		kmalloc_test_one(size - 1);
		kmalloc_test_one(size);
	}
	kmalloc_test_one(1);
	kmalloc_test_expect_back(&heap, &pages);
}

KTEST(kmalloc_large_sizes)
{
	static const size_t sizes[] = {
		2049, PAGE_SIZE - 16, PAGE_SIZE, 3 * PAGE_SIZE + 5, 1UL << 20,
		(PAGE_SIZE << PAGE_MAX_ORDER) - 16,
	};
	struct kmalloc_stats heap;
	struct page_stats pages;
	size_t i;

	kmalloc_stats(&heap);
	page_stats(&pages);
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		kmalloc_test_one(sizes[i]);
	kmalloc_test_expect_back(&heap, &pages);
}

KTEST(kmalloc_zero_and_absurd_sizes_return_null)
{
	struct kmalloc_stats before, after;

	kmalloc_stats(&before);
	KTEST_EXPECT(kmalloc(0) == NULL);
	KTEST_EXPECT(kmalloc((PAGE_SIZE << PAGE_MAX_ORDER) - 15) == NULL);
	KTEST_EXPECT(kmalloc(SIZE_MAX) == NULL);
	kfree(NULL);
	kmalloc_stats(&after);
	KTEST_EXPECT_EQ(after.failures - before.failures, 3);
	KTEST_EXPECT_EQ(after.allocs_in_use, before.allocs_in_use);
	KTEST_EXPECT_EQ(after.bytes_in_use, before.bytes_in_use);
}

KTEST(kmalloc_reused_slot_comes_back_zeroed)
{
	unsigned char *p = kmalloc(100), *q;

	KTEST_ASSERT(p != NULL);
	memset(p, 0xff, 100);
	kfree(p);
	q = kmalloc(100);
	KTEST_ASSERT(q != NULL);
	KTEST_EXPECT(kmalloc_test_zeroed(q, 128));
	kfree(q);
}

/* Many small objects fill several slabs. Each holds its own index, so overlapping objects
 * would show. Freeing the odd ones first leaves every slab partly used; once all are
 * freed, the slabs' pages must have gone back to the page allocator. */
KTEST(kmalloc_many_objects_fill_and_release_slabs)
{
	static uint32_t *obj[KMALLOC_TEST_MANY];
	struct kmalloc_stats heap, full;
	struct page_stats pages;
	unsigned i, odd;

	kmalloc_stats(&heap);
	page_stats(&pages);
	for (i = 0; i < KMALLOC_TEST_MANY; i++) {
		obj[i] = kmalloc(24);
		KTEST_ASSERT(obj[i] != NULL);
		*obj[i] = i;
	}
	kmalloc_stats(&full);
	KTEST_EXPECT_EQ(full.bytes_in_use - heap.bytes_in_use, 24 * KMALLOC_TEST_MANY);
	KTEST_EXPECT(full.pages - heap.pages >= KMALLOC_TEST_MANY * 32 / PAGE_SIZE);
	for (odd = 1; odd <= 2; odd++)
		for (i = odd % 2; i < KMALLOC_TEST_MANY; i += 2) {
			KTEST_EXPECT_EQ(*obj[i], i);
			kfree(obj[i]);
		}
	kmalloc_test_expect_back(&heap, &pages);
}
