/*
 * ntfy_host.c - the environment the notification core expects, on the host
 * (see ntfy_host.h).
 */
#include <stdlib.h>

#include <lib/string.h>
#include <uapi/errno.h>

#include "ntfy_host.h"

struct ntfy_host_alloc ntfy_host_alloc;

/* The core's allocator (ipc/ntfy_core.h): malloc, counted, failing once on request. */
void *ntfy_core_alloc(size_t size)
{
	if (ntfy_host_alloc.fail_next) {
		ntfy_host_alloc.fail_next = false;
		return NULL;
	}
	ntfy_host_alloc.allocs++;
	return malloc(size);
}

/* The core's free (ipc/ntfy_core.h): free, counted. */
void ntfy_core_free(void *p)
{
	ntfy_host_alloc.frees++;
	free(p);
}

/* Allocations of the core not yet freed. */
uint64_t ntfy_host_live(void)
{
	return ntfy_host_alloc.allocs - ntfy_host_alloc.frees;
}

/* Copy n bytes of records to offset off, failing when the copy reaches record fault_from. */
static int ntfy_host_buf_put(void *ctx, size_t off, const void *src, size_t n)
{
	struct ntfy_host_buf *b = ctx;

	if (n > 0 && (off + n - 1) / sizeof(struct ntfy_record) >= b->fault_from)
		return -EFAULT;
	memcpy((unsigned char *)b->recs + off, src, n);
	return 0;
}

/* The ntfy_buf of n records at hb->recs. */
struct ntfy_buf ntfy_host_buf(struct ntfy_host_buf *hb, size_t n)
{
	return (struct ntfy_buf){ .put = ntfy_host_buf_put, .ctx = hb,
				  .len = n * sizeof(struct ntfy_record) };
}
