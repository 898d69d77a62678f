/*
 * test-page.c - host tests of the buddy page allocator (common/mm/page.c)
 * on fake RAM (host_mm.c): many seeded random runs under ASan and UBSan,
 * and the panics that catch a bad page_free().
 */
#include <stdbool.h>
#include <stdint.h>

#include <lib/prop.h>
#include <lib/string.h>
#include <mm/page.h>

#include "host_mm.h"
#include "host_prop.h"
#include "host_test.h"

#define LIVE_MAX 128
#define STEPS 400

/* How many blocks of the largest order the allocator can hand out now. */
static size_t count_max_order_blocks(void)
{
	void *head = NULL, *p;
	size_t n = 0;

	while ((p = page_alloc(PAGE_MAX_ORDER)) != NULL) {
		*(void **)p = head;
		head = p;
		n++;
	}
	while (head) {
		p = *(void **)head;
		page_free(head, PAGE_MAX_ORDER);
		head = p;
	}
	return n;
}

/* Blocks free right after boot: the tests must leave memory merged this well. */
static size_t max_blocks_at_boot;
static size_t free_at_boot;

HOST_TEST(page_init_takes_every_whole_page)
{
	struct page_stats s;

	host_mm_init();
	page_stats(&s);
	free_at_boot = s.free_pages;
	max_blocks_at_boot = count_max_order_blocks();
	/* Only the state array (one byte per page of the span) is kept back. */
	CHECK_TRUE(s.total_pages <= host_mm_ram_pages());
	CHECK_TRUE(s.total_pages + 16 >= host_mm_ram_pages());
	CHECK_EQ_U64(s.free_pages, s.total_pages);
	CHECK_TRUE(max_blocks_at_boot > 0);
}

/* One live block of the random runs: where, which order, and its fill byte. */
struct block {
	unsigned char *p;
	unsigned order;
	unsigned char tag;
};

/*
 * The bytes of each page that the checks look at: the first 16 (where the allocator keeps
 * a free block's list links) and the last. Looking at every byte would find nothing more
 * (blocks start on page boundaries, and a block left unzeroed is stale all over) but
 * would make the runs many times slower.
 */
#define SAMPLE_HEAD 16

/* True when every sampled byte of b equals v. */
static bool block_samples_are(const struct block *b, unsigned char v)
{
	for (size_t pg = 0; pg < (1UL << b->order); pg++) {
		const unsigned char *page = b->p + pg * PAGE_SIZE;

		for (size_t i = 0; i < SAMPLE_HEAD; i++)
			if (page[i] != v)
				return false;
		if (page[PAGE_SIZE - 1] != v)
			return false;
	}
	return true;
}

/* Set every sampled byte of b to its tag. */
static void block_tag(const struct block *b)
{
	for (size_t pg = 0; pg < (1UL << b->order); pg++) {
		memset(b->p + pg * PAGE_SIZE, b->tag, SAMPLE_HEAD);
		b->p[pg * PAGE_SIZE + PAGE_SIZE - 1] = b->tag;
	}
}

/* Allocate a block of a random (mostly small) order, check that it is zeroed (failing c
 * if not) and fill it with its tag. Returns false when no block was free. */
static bool block_take(struct prop_case *c, struct block *b, unsigned step)
{
	b->order = prng_chance(&c->rng, 90) ? prng_below(&c->rng, 4)
					    : prng_below(&c->rng, PAGE_MAX_ORDER + 1);
	b->tag = (unsigned char)(step | 1);
	b->p = page_alloc(b->order);
	if (!b->p)
		return false;
	prop_observe(c, page_to_phys(b->p));
	if (!block_samples_are(b, 0))
		prop_fail(c, "step %u: order-%u block not zeroed", step, b->order);
	block_tag(b);
	return true;
}

/* Random allocations and frees; every block keeps its fill until freed, the free page
 * count always matches the live blocks, and freeing everything merges back to boot. */
static int prop_random_blocks(struct prop_case *c, void *arg)
{
	struct block live[LIVE_MAX];
	size_t n = 0, pages = 0;
	struct page_stats s;

	(void)arg;
	for (unsigned step = 0; step < STEPS && !c->failure[0]; step++) {
		if (n < LIVE_MAX && prng_chance(&c->rng, 60)) {
			if (block_take(c, &live[n], step)) {
				if ((page_to_phys(live[n].p) & ((PAGE_SIZE << live[n].order) - 1)))
					return prop_fail(c, "step %u: misaligned block", step);
				pages += 1UL << live[n++].order;
			}
		} else if (n > 0) {
			size_t i = prng_below(&c->rng, n);

			if (!block_samples_are(&live[i], live[i].tag))
				return prop_fail(c, "step %u: block %p overwritten", step, live[i].p);
			page_free(live[i].p, live[i].order);
			pages -= 1UL << live[i].order;
			live[i] = live[--n];
		}
		page_stats(&s);
		if (s.free_pages + pages != free_at_boot)
			return prop_fail(c, "step %u: %zu free + %zu live != %zu", step,
					 s.free_pages, pages, free_at_boot);
	}
	while (n > 0) {
		n--;
		page_free(live[n].p, live[n].order);
	}
	if (!c->failure[0] && count_max_order_blocks() != max_blocks_at_boot)
		return prop_fail(c, "freed blocks did not merge back");
	return c->failure[0] != 0;
}

HOST_TEST(page_random_blocks_disjoint_and_merge_back)
{
	CHECK_TRUE(host_prop("page_random_blocks", 200, prop_random_blocks, NULL));
}

HOST_TEST(page_exhaustion_returns_null)
{
	struct page_stats before, empty;
	void *head = NULL, *p;
	size_t n = 0;

	page_stats(&before);
	while ((p = page_alloc(0)) != NULL) {
		*(void **)p = head;
		head = p;
		n++;
	}
	page_stats(&empty);
	CHECK_EQ_U64(empty.free_pages, 0);
	CHECK_EQ_U64(n, before.free_pages);
	CHECK_EQ_U64(empty.failures - before.failures, 1);
	while (head) {
		p = *(void **)head;
		page_free(head, 0);
		head = p;
	}
	CHECK_EQ_U64(count_max_order_blocks(), max_blocks_at_boot);
}

/* What a bad page_free() is asked to do. */
struct bad_free {
	void *p;
	unsigned order;
};

static void do_page_free(void *arg)
{
	struct bad_free *f = arg;

	page_free(f->p, f->order);
}

/* page_free(p, order) must panic, naming page_free. */
static void expect_free_panics(void *p, unsigned order)
{
	struct bad_free f = { p, order };
	char msg[256];

	CHECK_TRUE(host_mm_catch_panic(do_page_free, &f, msg, sizeof(msg)));
	CHECK_TRUE(strstr(msg, "page_free") != NULL);
}

HOST_TEST(page_free_of_a_bad_block_panics)
{
	struct page_stats before, after;
	unsigned char *a = page_alloc(1), *b = page_alloc(0);

	if (!CHECK_TRUE(a != NULL && b != NULL))
		return;
	page_stats(&before);
	expect_free_panics(a, 0);             /* wrong order */
	expect_free_panics(a, 2);             /* wrong order, maybe misaligned too */
	expect_free_panics(a + PAGE_SIZE, 0); /* inside a block */
	expect_free_panics(a + 8, 1);         /* not page-aligned */
	page_free(b, 0);
	expect_free_panics(b, 0);             /* freed twice */
	page_stats(&after);
	CHECK_EQ_U64(after.free_pages, before.free_pages + 1);
	page_free(a, 1);
}
