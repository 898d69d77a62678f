/*
 * test-kmalloc.c - host tests of the kernel heap (common/mm/kmalloc.c, on
 * the real page allocator over fake RAM): seeded random runs that check
 * alignment, zeroing, disjoint objects and exact counters, and the panics
 * of a bad kfree().
 */
#include <stdbool.h>
#include <stdint.h>

#include <lib/prop.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>

#include "host_mm.h"
#include "host_prop.h"
#include "host_test.h"

#define LIVE_MAX 256
#define STEPS 600

/* One live object: where, how big, its fill byte. */
struct object {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

static bool object_intact(const struct object *o)
{
	for (size_t i = 0; i < o->size; i++)
		if (o->p[i] != o->tag)
			return false;
	return true;
}

/* Mostly small sizes (every class), some large, a few very large (yet small enough that
 * the live objects always fit in the fake RAM). */
static size_t random_size(struct prop_case *c)
{
	unsigned kind = prng_below(&c->rng, 100);

	if (kind < 75)
		return prng_range(&c->rng, 1, 2048);
	if (kind < 97)
		return prng_range(&c->rng, 2049, 5 * PAGE_SIZE);
	return prng_range(&c->rng, 5 * PAGE_SIZE, 256UL << 10);
}

/* Allocate an object, check it (failing c if it is misaligned or not zeroed) and fill it.
 * Returns false, failing c, when kmalloc returned NULL: the runs never fill the fake RAM. */
static bool object_take(struct prop_case *c, struct object *o, unsigned step)
{
	o->size = random_size(c);
	o->tag = (unsigned char)(step | 1);
	o->p = kmalloc(o->size);
	if (!o->p) {
		prop_fail(c, "step %u: kmalloc(%zu) failed", step, o->size);
		return false;
	}
	if ((uintptr_t)o->p % 16)
		prop_fail(c, "step %u: %p not 16-byte aligned", step, o->p);
	for (size_t i = 0; i < o->size; i++) {
		if (o->p[i]) {
			prop_fail(c, "step %u: kmalloc(%zu) not zeroed", step, o->size);
			break;
		}
	}
	prop_observe(c, o->size);
	memset(o->p, o->tag, o->size);
	return true;
}

/* Random kmalloc/kfree; objects never overlap, the counters are exact at every step,
 * and once all is freed the heap holds no pages and the page allocator has them back. */
static int prop_random_objects(struct prop_case *c, void *arg)
{
	struct object live[LIVE_MAX];
	struct kmalloc_stats base, s;
	struct page_stats pbase, p;
	size_t n = 0, bytes = 0;

	(void)arg;
	kmalloc_stats(&base);
	page_stats(&pbase);
	for (unsigned step = 0; step < STEPS && !c->failure[0]; step++) {
		if (n < LIVE_MAX && prng_chance(&c->rng, 55)) {
			if (object_take(c, &live[n], step))
				bytes += live[n++].size;
		} else if (n > 0) {
			size_t i = prng_below(&c->rng, n);

			if (!object_intact(&live[i]))
				return prop_fail(c, "step %u: object %p overwritten", step, live[i].p);
			kfree(live[i].p);
			bytes -= live[i].size;
			live[i] = live[--n];
		}
		kmalloc_stats(&s);
		if (s.bytes_in_use - base.bytes_in_use != bytes ||
		    s.allocs_in_use - base.allocs_in_use != n)
			return prop_fail(c, "step %u: counters %zu bytes, %zu allocs; want %zu, %zu",
					 step, s.bytes_in_use, s.allocs_in_use, bytes, n);
	}
	while (n > 0)
		kfree(live[--n].p);
	kmalloc_stats(&s);
	page_stats(&p);
	if (!c->failure[0] && (s.pages != base.pages || p.free_pages != pbase.free_pages))
		return prop_fail(c, "heap kept %zu pages after freeing everything", s.pages);
	return c->failure[0] != 0;
}

HOST_TEST(kmalloc_random_objects_exact_counters)
{
	host_mm_init();
	CHECK_TRUE(host_prop("kmalloc_random_objects", 100, prop_random_objects, NULL));
}

HOST_TEST(kmalloc_fills_memory_then_fails_cleanly)
{
	struct kmalloc_stats before, after;
	void *head = NULL, *p;
	size_t n = 0;

	kmalloc_stats(&before);
	while ((p = kmalloc(1000)) != NULL) {
		*(void **)p = head;
		head = p;
		n++;
	}
	CHECK_TRUE(n > 1000);
	while (head) {
		p = *(void **)head;
		kfree(head);
		head = p;
	}
	kmalloc_stats(&after);
	CHECK_EQ_U64(after.failures - before.failures, 1);
	CHECK_EQ_U64(after.pages, before.pages);
	CHECK_EQ_U64(after.bytes_in_use, before.bytes_in_use);
}

static void do_kfree(void *p)
{
	kfree(p);
}

/* kfree(p) must panic with a message containing what. */
static void expect_kfree_panics(void *p, const char *what)
{
	char msg[256];

	CHECK_TRUE(host_mm_catch_panic(do_kfree, p, msg, sizeof(msg)));
	if (!CHECK_TRUE(strstr(msg, what) != NULL))
		host_diag("panic message: %s", msg);
}

HOST_TEST(kfree_of_a_bad_pointer_panics)
{
	struct kmalloc_stats before, after;
	unsigned char *small = kmalloc(100), *keep = kmalloc(100), *large = kmalloc(10000);
	unsigned char *page = page_alloc(0);

	if (!CHECK_TRUE(small && keep && large && page))
		return;
	kmalloc_stats(&before);
	expect_kfree_panics(small + 1, "not 16-byte aligned");
	expect_kfree_panics(small + 16, "not the start of an object");
	expect_kfree_panics(large + 16, "inside a large block");
	expect_kfree_panics(page, "no kmalloc header");
	kmalloc_stats(&after);
	CHECK_EQ_U64(after.allocs_in_use, before.allocs_in_use);
	kfree(small);
	expect_kfree_panics(small, "freed twice"); /* keep holds the slab */
	kfree(large);
	expect_kfree_panics(large, "no kmalloc header");
	kfree(keep);
	page_free(page, 0);
}
