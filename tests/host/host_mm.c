/*
 * host_mm.c - the fake kernel services of host_mm.h, for the host tests of
 * the page allocator and the heap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <arch/mmu.h>
#include <kernel/panic.h>
#include <kernel/spinlock.h>
#include <lib/fmt.h>
#include <lib/string.h>
#include <mm/page.h>

#include "host_mm.h"
#include "host_test.h"

/* 24 MiB of "physical" address space, aligned like the largest buddy block. Small, so
 * that the many random runs stay fast: every large block handed out is zeroed. */
#define HOST_MM_PHYS_SIZE (24UL << 20)
#define HOST_MM_ALIGN (PAGE_SIZE << PAGE_MAX_ORDER)
#define HOST_MM_MAX_HELD 16

/* Low memory with ragged ends, the bulk after it, and more RAM after a hole. */
static const struct mem_range host_mm_ranges[] = {
	{ 0x3000, 0x9c400 },
	{ 0x105000, 0xefb000 },
	{ 0x1400000, 0x400000 },
};

static unsigned char *host_mm_ram;

/* The locks taken and not yet released, so a caught panic can let them go. */
static struct spinlock *host_mm_held[HOST_MM_MAX_HELD];
static unsigned host_mm_nr_held;

/* The innermost host_mm_catch_panic(), and where its message goes. */
static jmp_buf *host_mm_catch;
static char host_mm_panic_msg[256];

/* The fake firmware map, host_mm_ranges. */
size_t arch_mem_ranges(struct mem_range *out, size_t max)
{
	size_t n = sizeof(host_mm_ranges) / sizeof(host_mm_ranges[0]);

	for (size_t i = 0; i < n && i < max; i++)
		out[i] = host_mm_ranges[i];
	return n < max ? n : max;
}

/* Whole pages in the fake map: what page_init() can hand out, before its own array. */
size_t host_mm_ram_pages(void)
{
	size_t pages = 0;

	for (size_t i = 0; i < sizeof(host_mm_ranges) / sizeof(host_mm_ranges[0]); i++) {
		uint64_t b = PAGE_ALIGN_UP(host_mm_ranges[i].base);
		uint64_t e = PAGE_ALIGN_DOWN(host_mm_ranges[i].base + host_mm_ranges[i].size);

		pages += (e - b) / PAGE_SIZE;
	}
	return pages;
}

/* The fake direct map: physical address pa is byte pa of the buffer. */
void *arch_phys_to_virt(uint64_t pa)
{
	if (pa >= HOST_MM_PHYS_SIZE)
		panic("arch_phys_to_virt(%#lx): beyond the fake RAM", (unsigned long)pa);
	return host_mm_ram + pa;
}

/* Its inverse, for pointers into the buffer only. */
uint64_t arch_virt_to_phys(const void *va)
{
	const unsigned char *p = va;

	if (p < host_mm_ram || p >= host_mm_ram + HOST_MM_PHYS_SIZE)
		panic("arch_virt_to_phys(%p): not in the fake RAM", va);
	return (uint64_t)(p - host_mm_ram);
}

/* Allocate the buffer, aligned so that buddy alignment holds in host addresses too. */
void host_mm_init(void)
{
	host_mm_ram = aligned_alloc(HOST_MM_ALIGN, HOST_MM_PHYS_SIZE);
	if (!host_mm_ram)
		abort();
	page_init();
}

/* One thread, so taking a lock never waits; but recursion and release by a
 * non-holder are still kernel bugs, and are reported as the kernel would. */
void spin_lock_at(struct spinlock *l, const char *file, int line)
{
	if (l->owner_cpu == 0)
		panic("spinlock %s: taken again at %s:%d", l->name, file, line);
	if (host_mm_nr_held == HOST_MM_MAX_HELD)
		panic("spinlock %s: too many locks held", l->name);
	l->owner_cpu = 0;
	l->owner_file = file;
	l->owner_line = line;
	host_mm_held[host_mm_nr_held++] = l;
}

/* Release l, which must be the lock taken last. */
void spin_unlock(struct spinlock *l)
{
	if (host_mm_nr_held == 0 || host_mm_held[host_mm_nr_held - 1] != l)
		panic("spinlock %s: released out of order", l->name);
	host_mm_nr_held--;
	l->owner_cpu = -1;
}

/* The one CPU, number 0: spin_held() (kernel/spinlock.h) compares a lock's owner with
 * its id, which is what spin_lock_at() above records. */
static struct cpu host_mm_cpu = { .id = 0 };

void *host_cpu_self(void)
{
	return &host_mm_cpu;
}

/* Keep the message; return to the innermost catch, or abort the program if none. */
void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_mm_panic_msg, sizeof(host_mm_panic_msg), fmt, ap);
	va_end(ap);
	if (host_mm_catch)
		longjmp(*host_mm_catch, 1);
	write(STDERR_FILENO, "KERNEL PANIC: ", 14);
	write(STDERR_FILENO, host_mm_panic_msg, strlen(host_mm_panic_msg));
	write(STDERR_FILENO, "\n", 1);
	abort();
}

/* Run fn with a catch point set (see host_mm.h). */
bool host_mm_catch_panic(void (*fn)(void *arg), void *arg, char *msg, size_t size)
{
	jmp_buf jb, *outer = host_mm_catch;
	unsigned held = host_mm_nr_held;

	host_mm_catch = &jb;
	if (setjmp(jb) != 0) {
		host_mm_catch = outer;
		while (host_mm_nr_held > held)
			host_mm_held[--host_mm_nr_held]->owner_cpu = -1;
		strlcpy(msg, host_mm_panic_msg, size);
		return true;
	}
	fn(arg);
	host_mm_catch = outer;
	return false;
}
