/*
 * host_mm.h - what the kernel's memory code (common/mm/page.c, kmalloc.c)
 * needs from the rest of the kernel, faked on the host: RAM, the direct map,
 * spinlocks for a single thread, and a panic() that a test can catch.
 *
 * "Physical memory" is one host buffer; physical address pa lives at
 * buffer + pa, which makes that the direct map. The RAM ranges handed to
 * page_init() have holes and unaligned ends, like a real firmware map.
 */
#ifndef HOST_MM_H
#define HOST_MM_H

#include <stdbool.h>
#include <stddef.h>

/* Allocate the fake RAM and run page_init() on it. Call once per program. */
void host_mm_init(void);

/* Pages of fake RAM that page_init() can hand out at most (before its own bookkeeping). */
size_t host_mm_ram_pages(void);

/*
 * Run fn(arg) and catch a panic() inside it. Returns true when fn panicked,
 * with the message in msg[size]; any spinlock fn held is released. Returns
 * false when fn returned normally.
 */
bool host_mm_catch_panic(void (*fn)(void *arg), void *arg, char *msg, size_t size);

#endif /* HOST_MM_H */
