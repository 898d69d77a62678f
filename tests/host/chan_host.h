/*
 * chan_host.h - what the channel core (stage4/ipc/chan_core.c) needs from its
 * environment, defined on the host for test-chan and test-chan-prop: its
 * allocator on malloc, with counters that make a leak visible and a switch
 * that makes the next allocation fail, and caller buffers in plain memory
 * that can be made to fault. Single-threaded, like the tests.
 */
#ifndef CHAN_HOST_H
#define CHAN_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include <ipc/chan_core.h>

/* Allocations by the core (chan_core_alloc/free), and a switch to make the next one fail. */
struct chan_host_alloc {
	uint64_t allocs, frees;
	bool fail_next;
};

extern struct chan_host_alloc chan_host_alloc;

/* Messages allocated and not yet freed: must equal the depth of the one live channel. */
uint64_t chan_host_live(void);

/* A caller's buffer in host memory; fault makes every copy of 1 byte or more fail, as an
 * unmapped user page would (a copy of 0 bytes touches no memory). */
struct chan_host_buf {
	unsigned char *p;
	bool fault;
};

/* The chan_buf of the len bytes at hb->p. */
struct chan_buf chan_host_buf(struct chan_host_buf *hb, size_t len);

#endif /* CHAN_HOST_H */
