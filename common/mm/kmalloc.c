/* kmalloc.c: the kernel heap (mm/kmalloc.h).
 *
 * Small requests (1..2048 bytes) are rounded up to a size class, a power of two from 16 to
 * 2048, and served from slabs: single pages cut into equal slots of one class. A slab
 * starts with a header (struct kmalloc_slab), so kfree() finds it by rounding the pointer
 * down to its page, with no search. Larger requests get their own block of pages straight
 * from the page allocator, with a smaller header (struct kmalloc_large) recording the order.
 * Both headers start with a magic number, which is how kfree() tells them apart, and how it
 * recognises a pointer that kmalloc never returned.
 *
 * Costs, chosen for clarity: the header takes the start of each slab, so a 2048-byte slab
 * holds one object in a 4 KiB page (kmalloc(2048) costs a page, as a large one would); each
 * slot also has a 2-byte entry recording the size asked for, which keeps the byte counter
 * exact and catches double frees. A slab whose slots are all free goes straight back to the
 * page allocator, so the heap never hoards pages. */
#include <stdbool.h>
#include <stdint.h>
#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>

#define KMALLOC_ALIGN 16
#define KMALLOC_NR_CLASSES 8 /* slots of 16, 32, ..., 2048 bytes */
#define KMALLOC_SMALL_MAX (KMALLOC_ALIGN << (KMALLOC_NR_CLASSES - 1))
#define KMALLOC_MAGIC_SLAB 0x51ab51abu
#define KMALLOC_MAGIC_LARGE 0x1a29e0b1u

/* The first bytes of every slab page. */
struct kmalloc_slab {
	uint32_t magic;          /* KMALLOC_MAGIC_SLAB; 0 once the page is given back */
	uint16_t cls;            /* its size class: slots of 16 << cls bytes */
	uint16_t nr_free;        /* free slots */
	struct list_node link;   /* on kmalloc_heap.partial[cls] while nr_free > 0 */
	void *free;              /* the first free slot; each free slot holds the next */
	uint16_t sizes[];        /* bytes requested in each slot; 0 while the slot is free */
};

/* The first bytes of every large block; the object follows, 16-byte aligned. */
struct kmalloc_large {
	uint32_t magic;          /* KMALLOC_MAGIC_LARGE; 0 once the block is given back */
	uint32_t order;          /* the block is 2^order pages */
	size_t size;             /* bytes requested */
};

_Static_assert(sizeof(struct kmalloc_large) % KMALLOC_ALIGN == 0, "large header alignment");

#define KMALLOC_LARGE_MAX ((PAGE_SIZE << PAGE_MAX_ORDER) - sizeof(struct kmalloc_large))
#define KMALLOC_PARTIAL_INIT(i) LIST_INIT(kmalloc_heap.partial[i])

static struct {
	/* One lock for the whole heap (LOCK_ORDER_ALLOC). It protects the slab lists, every
	 * slab header and large header, and the counters. It is never held while calling the
	 * page allocator, whose lock has the same order. */
	struct spinlock lock;
	struct list_node partial[KMALLOC_NR_CLASSES]; /* slabs with a free slot, per class */
	struct kmalloc_stats stats;
} kmalloc_heap = {
	.lock = SPINLOCK_INIT("kmalloc", LOCK_ORDER_ALLOC),
	.partial = {
		KMALLOC_PARTIAL_INIT(0), KMALLOC_PARTIAL_INIT(1), KMALLOC_PARTIAL_INIT(2),
		KMALLOC_PARTIAL_INIT(3), KMALLOC_PARTIAL_INIT(4), KMALLOC_PARTIAL_INIT(5),
		KMALLOC_PARTIAL_INIT(6), KMALLOC_PARTIAL_INIT(7),
	},
};

/* ---- slab layout ---- */

static size_t kmalloc_class_size(unsigned cls)
{
	return (size_t)KMALLOC_ALIGN << cls;
}

/* The smallest class whose slots hold size bytes (size <= KMALLOC_SMALL_MAX). */
static unsigned kmalloc_class_of(size_t size)
{
	unsigned cls = 0;

	while (kmalloc_class_size(cls) < size)
		cls++;
	return cls;
}

/* Slots per slab of class cls: what fits after the header, one sizes[] entry per slot and
 * at most 15 bytes of padding that align the first slot to 16. */
static unsigned kmalloc_slots(unsigned cls)
{
	return (PAGE_SIZE - sizeof(struct kmalloc_slab) - (KMALLOC_ALIGN - 1)) /
	       (kmalloc_class_size(cls) + sizeof(uint16_t));
}

/* Offset of slot 0 from the start of the slab. */
static size_t kmalloc_first_slot(unsigned cls)
{
	size_t hdr = sizeof(struct kmalloc_slab) + kmalloc_slots(cls) * sizeof(uint16_t);

	return (hdr + KMALLOC_ALIGN - 1) & ~(size_t)(KMALLOC_ALIGN - 1);
}

static void *kmalloc_slot(struct kmalloc_slab *s, unsigned i)
{
	return (char *)s + kmalloc_first_slot(s->cls) + i * kmalloc_class_size(s->cls);
}

/* True when p is exactly the start of one of s's slots; sets *i to its index. */
static bool kmalloc_slot_index(struct kmalloc_slab *s, const void *p, unsigned *i)
{
	uintptr_t first = (uintptr_t)kmalloc_slot(s, 0), off = (uintptr_t)p - first;

	if ((uintptr_t)p < first || off % kmalloc_class_size(s->cls))
		return false;
	*i = off / kmalloc_class_size(s->cls);
	return *i < kmalloc_slots(s->cls);
}

/* A new slab of class cls from a fresh (zeroed) page, every slot on its free list, lowest
 * address first. Returns NULL when the page allocator has no page. */
static struct kmalloc_slab *kmalloc_slab_new(unsigned cls)
{
	struct kmalloc_slab *s = page_alloc(0);
	unsigned i;

	if (!s)
		return NULL;
	s->magic = KMALLOC_MAGIC_SLAB;
	s->cls = cls;
	s->nr_free = kmalloc_slots(cls);
	list_init(&s->link);
	for (i = s->nr_free; i-- > 0;) {
		void **slot = kmalloc_slot(s, i);

		*slot = s->free;
		s->free = slot;
	}
	return s;
}

/* ---- small objects ---- */

/* Take the first free slot of s for an object of size bytes. The slot must really be a
 * free slot of s: if it is not, a write after kfree() has overwritten the free list.
 * Locks: kmalloc_heap.lock held. */
static void *kmalloc_slab_take(struct kmalloc_slab *s, size_t size)
{
	void **slot = s->free;
	unsigned i;

	kassert(spin_held(&kmalloc_heap.lock));
	if (!kmalloc_slot_index(s, slot, &i) || s->sizes[i] != 0)
		panic("kmalloc: the free list of slab %p is corrupt (a write after kfree?)", s);
	s->free = *slot;
	s->sizes[i] = size;
	if (--s->nr_free == 0)
		list_remove(&s->link);
	return slot;
}

/* LAB(kernel-core): the slab fast path. When the class has no slab with a free slot, drop
 * the lock to get a page (the page allocator's lock may not be taken inside ours), then
 * take a slot from whichever slab is first: another CPU may have added one meanwhile. */
static void *kmalloc_small(size_t size)
{
	unsigned cls = kmalloc_class_of(size);
	struct list_node *partial = &kmalloc_heap.partial[cls];
	struct kmalloc_slab *fresh;
	void *p;

	spin_lock(&kmalloc_heap.lock);
	if (list_empty(partial)) {
		spin_unlock(&kmalloc_heap.lock);
		fresh = kmalloc_slab_new(cls);
		if (!fresh)
			return NULL;
		spin_lock(&kmalloc_heap.lock);
		list_add_head(partial, &fresh->link);
		kmalloc_heap.stats.pages++;
	}
	p = kmalloc_slab_take(list_first_entry(partial, struct kmalloc_slab, link), size);
	kmalloc_heap.stats.bytes_in_use += size;
	kmalloc_heap.stats.allocs_in_use++;
	spin_unlock(&kmalloc_heap.lock);
	memset(p, 0, kmalloc_class_size(cls)); /* a reused slot holds old data and a link */
	return p;
}

/* Give the slot at p back to slab s. Returns s when that left it empty (unlinked, its
 * magic cleared: the caller frees the page once the lock is dropped), NULL otherwise.
 * Locks: kmalloc_heap.lock held. */
static struct kmalloc_slab *kmalloc_slab_put(struct kmalloc_slab *s, void *p)
{
	unsigned i;

	kassert(spin_held(&kmalloc_heap.lock));
	if (!kmalloc_slot_index(s, p, &i))
		panic("kfree(%p): not the start of an object of its slab (class %zu bytes)", p,
		      kmalloc_class_size(s->cls));
	if (s->sizes[i] == 0)
		panic("kfree(%p): freed twice", p);
	kmalloc_heap.stats.bytes_in_use -= s->sizes[i];
	kmalloc_heap.stats.allocs_in_use--;
	s->sizes[i] = 0;
	*(void **)p = s->free;
	s->free = p;
	if (s->nr_free++ == 0)
		list_add_head(&kmalloc_heap.partial[s->cls], &s->link);
	if (s->nr_free < kmalloc_slots(s->cls))
		return NULL;
	list_remove(&s->link);
	s->magic = 0;
	kmalloc_heap.stats.pages--;
	return s;
}

/* ---- large objects ---- */

/* A block of 2^order pages holding the header and size bytes (size <= KMALLOC_LARGE_MAX). */
static void *kmalloc_large(size_t size)
{
	struct kmalloc_large *h;
	unsigned order = 0;

	while ((PAGE_SIZE << order) < size + sizeof *h)
		order++;
	h = page_alloc(order);
	if (!h)
		return NULL;
	h->magic = KMALLOC_MAGIC_LARGE;
	h->order = order;
	h->size = size;
	spin_lock(&kmalloc_heap.lock);
	kmalloc_heap.stats.bytes_in_use += size;
	kmalloc_heap.stats.allocs_in_use++;
	kmalloc_heap.stats.pages += 1UL << order;
	spin_unlock(&kmalloc_heap.lock);
	return h + 1;
}

/* Retire the large block h that p points into. Returns its order, for page_free() once the
 * lock is dropped. Locks: kmalloc_heap.lock held. */
static unsigned kmalloc_large_put(struct kmalloc_large *h, void *p)
{
	kassert(spin_held(&kmalloc_heap.lock));
	if (p != h + 1)
		panic("kfree(%p): points inside a large block, not at its start %p", p, h + 1);
	kmalloc_heap.stats.bytes_in_use -= h->size;
	kmalloc_heap.stats.allocs_in_use--;
	kmalloc_heap.stats.pages -= 1UL << h->order;
	h->magic = 0;
	return h->order;
}

/* ---- the interface ---- */

static void kmalloc_count_failure(void)
{
	spin_lock(&kmalloc_heap.lock);
	kmalloc_heap.stats.failures++;
	spin_unlock(&kmalloc_heap.lock);
}

/* Small sizes take the slab fast path; size 0 and sizes no block can hold get NULL. */
void *kmalloc(size_t size)
{
	void *p;

	if (unlikely(size == 0 || size > KMALLOC_LARGE_MAX))
		p = NULL;
	else if (unlikely(size > KMALLOC_SMALL_MAX))
		p = kmalloc_large(size);
	else
		p = kmalloc_small(size);
	if (unlikely(!p))
		kmalloc_count_failure();
	return p;
}

/* The header at the start of p's page says what p is; a pointer whose page has neither
 * magic number was never returned by kmalloc (or its memory was given back already). */
void kfree(void *p)
{
	void *page = (void *)PAGE_ALIGN_DOWN((uintptr_t)p);
	void *release = NULL;
	unsigned order = 0;

	if (!p)
		return;
	if ((uintptr_t)p & (KMALLOC_ALIGN - 1))
		panic("kfree(%p): not 16-byte aligned, so not from kmalloc", p);
	spin_lock(&kmalloc_heap.lock);
	if (*(uint32_t *)page == KMALLOC_MAGIC_SLAB) {
		release = kmalloc_slab_put(page, p);
	} else if (*(uint32_t *)page == KMALLOC_MAGIC_LARGE) {
		order = kmalloc_large_put(page, p);
		release = page;
	} else {
		panic("kfree(%p): no kmalloc header in its page (freed already, or not from "
		      "kmalloc)", p);
	}
	spin_unlock(&kmalloc_heap.lock);
	if (release)
		page_free(release, order);
}

/* Copy the counters out under the lock, so they are consistent with each other. */
void kmalloc_stats(struct kmalloc_stats *out)
{
	spin_lock(&kmalloc_heap.lock);
	*out = kmalloc_heap.stats;
	spin_unlock(&kmalloc_heap.lock);
}
