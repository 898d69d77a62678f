/*
 * chan_host.c - the environment the channel core expects, on the host (see chan_host.h).
 */
#include <stddef.h>
#include <stdlib.h>

#include <lib/string.h>
#include <uapi/errno.h>

#include "chan_host.h"
#include "host_test.h"

struct chan_host_alloc chan_host_alloc;

/* What the allocator records before each block it hands out: which core asked, and for how
 * many bytes, so that chan_core_free() can check the core says the same (the kernel's
 * allocator relies on it: it keeps a freed buffer per channel, by size). */
struct chan_host_block {
	struct chan_core *core;
	size_t size;
	_Alignas(16) unsigned char bytes[];
};

/* The core's allocator (ipc/chan_core.h): malloc, counted, failing once on request. */
void *chan_core_alloc(struct chan_core *c, size_t size)
{
	struct chan_host_block *b;

	if (chan_host_alloc.fail_next) {
		chan_host_alloc.fail_next = false;
		return NULL;
	}
	b = malloc(sizeof(*b) + size);
	if (!b)
		abort();
	b->core = c;
	b->size = size;
	chan_host_alloc.allocs++;
	return b->bytes;
}

/* The core's free (ipc/chan_core.h): free, counted, checked against the allocation. */
void chan_core_free(struct chan_core *c, void *p, size_t size)
{
	struct chan_host_block *b = (struct chan_host_block *)((unsigned char *)p -
							       offsetof(struct chan_host_block, bytes));

	CHECK_TRUE(b->core == c);
	CHECK_EQ_U64(b->size, size);
	chan_host_alloc.frees++;
	free(b);
}

/* Messages allocated and not yet freed: must equal the depth of the one live channel. */
uint64_t chan_host_live(void)
{
	return chan_host_alloc.allocs - chan_host_alloc.frees;
}

static int chan_host_buf_get(void *ctx, size_t off, void *dst, size_t n)
{
	struct chan_host_buf *b = ctx;

	if (b->fault && n > 0)
		return -EFAULT;
	memcpy(dst, b->p + off, n);
	return 0;
}

static int chan_host_buf_put(void *ctx, size_t off, const void *src, size_t n)
{
	struct chan_host_buf *b = ctx;

	if (b->fault && n > 0)
		return -EFAULT;
	memcpy(b->p + off, src, n);
	return 0;
}

static const struct chan_buf_ops chan_host_buf_ops = {
	.get = chan_host_buf_get,
	.put = chan_host_buf_put,
};

/* The chan_buf of the len bytes at hb->p. */
struct chan_buf chan_host_buf(struct chan_host_buf *hb, size_t len)
{
	return (struct chan_buf){ .ops = &chan_host_buf_ops, .ctx = hb, .len = len };
}
