/* malloc.c: the heap of a user program (ulib/stdlib.h): a first-fit free list with
 * coalescing, on memory from SYS_map.
 *
 * Every block, free or in use, starts with a 16-byte header (struct malloc_block) and is a
 * multiple of 16 bytes long, so every payload is 16-byte aligned. Free blocks are kept in
 * one list sorted by address: malloc takes the first block that is large enough, cutting
 * what it needs off its end; free puts a block back in address order and merges it with a
 * free neighbour on either side, so freed memory becomes one block again and large
 * requests can reuse it. When no free block fits, the heap grows by a region from SYS_map
 * (at least MALLOC_GROW bytes).
 *
 * Limits, chosen for simplicity: malloc and free walk the free list (slow with thousands
 * of free blocks); memory is never given back to the kernel; regions from separate
 * SYS_map calls never merge (the kernel leaves an unmapped page between them); one lock
 * serialises all threads. */
#include <stdint.h>
#include <lib/string.h>
#include <ulib/lock.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/syscall.h>

#define MALLOC_ALIGN 16
#define MALLOC_MIN_BLOCK (2 * MALLOC_ALIGN)   /* a header and 16 bytes of payload */
#define MALLOC_GROW (64 * 1024)               /* the smallest region the heap grows by */
#define MALLOC_PAGE 4096                      /* every port's page size; SYS_map rounds to it */
#define MALLOC_MAX ((size_t)1 << 40)          /* larger requests fail at once */

/* Marks a block in use: free lists never hold this address. */
#define MALLOC_IN_USE ((struct malloc_block *)0xa110ca7edb10c000UL)

struct malloc_block {
	size_t size;                 /* bytes, header included; a multiple of MALLOC_ALIGN */
	struct malloc_block *next;   /* free: the next free block by address; else MALLOC_IN_USE */
};

_Static_assert(sizeof(struct malloc_block) == MALLOC_ALIGN, "payloads must stay aligned");

/* Locks: malloc_lock protects the free list and every free block. */
static struct ulock malloc_lock;
static struct malloc_block *malloc_free_list;

/* The block size that holds n bytes of payload. Expects n <= MALLOC_MAX. */
static size_t malloc_block_size(size_t n)
{
	size_t size = (n + sizeof(struct malloc_block) + MALLOC_ALIGN - 1) &
		      ~(size_t)(MALLOC_ALIGN - 1);

	return size < MALLOC_MIN_BLOCK ? MALLOC_MIN_BLOCK : size;
}

/* Put free block b into the list in address order and merge it with the free blocks just
 * before and after it when they touch. Locks: malloc_lock held. */
static void malloc_insert(struct malloc_block *b)
{
	struct malloc_block *prev = NULL, *next = malloc_free_list;

	while (next && next < b) {
		prev = next;
		next = next->next;
	}
	b->next = next;
	if (next && (char *)b + b->size == (char *)next) {
		b->size += next->size;
		b->next = next->next;
	}
	if (prev && (char *)prev + prev->size == (char *)b) {
		prev->size += b->size;
		prev->next = b->next;
	} else if (prev) {
		prev->next = b;
	} else {
		malloc_free_list = b;
	}
}

/* Take a block of size bytes from the first free block large enough: all of it when the
 * rest would be too small to be a block, else its end. Returns NULL when none fits.
 * Locks: malloc_lock held. */
static struct malloc_block *malloc_take(size_t size)
{
	struct malloc_block **link, *b;

	for (link = &malloc_free_list; (b = *link) != NULL; link = &b->next) {
		if (b->size < size)
			continue;
		if (b->size - size < MALLOC_MIN_BLOCK) {
			*link = b->next;
		} else {
			b->size -= size;
			b = (struct malloc_block *)((char *)b + b->size);
			b->size = size;
		}
		b->next = MALLOC_IN_USE;
		return b;
	}
	return NULL;
}

/* Add a new region of at least size bytes to the free list. Returns 0 or -ENOMEM.
 * Locks: malloc_lock held. */
static int malloc_grow(size_t size)
{
	size_t len = size < MALLOC_GROW ? MALLOC_GROW : size;
	long addr;

	len = (len + MALLOC_PAGE - 1) & ~(size_t)(MALLOC_PAGE - 1);
	addr = sys_map(len, PROT_READ | PROT_WRITE);
	if (addr < 0)
		return -ENOMEM;
	((struct malloc_block *)addr)->size = len;
	malloc_insert((struct malloc_block *)addr);
	return 0;
}

void *malloc(size_t n)
{
	struct malloc_block *b;
	size_t size;

	if (n > MALLOC_MAX)
		return NULL;
	size = malloc_block_size(n);
	ulock_acquire(&malloc_lock);
	b = malloc_take(size);
	if (!b && malloc_grow(size) == 0)
		b = malloc_take(size);
	ulock_release(&malloc_lock);
	return b ? b + 1 : NULL;
}

/* The header of p, a pointer malloc returned and free has not taken back yet; anything
 * else ends the program (reading a wild p's header may fault first: that ends it too). */
static struct malloc_block *malloc_block_of(void *p, const char *caller)
{
	struct malloc_block *b = (struct malloc_block *)p - 1;

	if ((uintptr_t)p % MALLOC_ALIGN != 0 || b->next != MALLOC_IN_USE) {
		dprintf(2, "%s(%p): not a block from malloc, or freed already\n", caller, p);
		abort();
	}
	return b;
}

void free(void *p)
{
	struct malloc_block *b;

	if (!p)
		return;
	b = malloc_block_of(p, "free");
	ulock_acquire(&malloc_lock);
	malloc_insert(b);
	ulock_release(&malloc_lock);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

void *realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p)
		return malloc(n);
	have = malloc_block_of(p, "realloc")->size - sizeof(struct malloc_block);
	if (n == 0) {
		free(p);
		return NULL;
	}
	if (n <= have)
		return p;
	q = malloc(n);
	if (q) {
		memcpy(q, p, have);
		free(p);
	}
	return q;
}
