/*
 * ntfy_host.h - what the notification core (stage4/ipc/ntfy_core.c) needs from
 * its environment, defined on the host for test-ntfy and test-ntfy-prop: its
 * allocator on malloc, with counters that make a leak (or an allocation per
 * subscription) visible and a switch that makes the next allocation fail, and
 * a reader's buffer in plain memory that can be made to fault from a given
 * record on. Single-threaded, like the tests.
 */
#ifndef NTFY_HOST_H
#define NTFY_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ipc/ntfy_core.h>

/* Allocations by the core (ntfy_core_alloc/free), and a switch to make the next one fail. */
struct ntfy_host_alloc {
	uint64_t allocs, frees;
	bool fail_next;
};

extern struct ntfy_host_alloc ntfy_host_alloc;

/* Allocations of the core not yet freed: 1 (the ring) per live endpoint. */
uint64_t ntfy_host_live(void);

/* A reader's buffer of records in host memory. A copy that reaches record fault_from or
 * beyond fails, as an unmapped user page would; NTFY_HOST_NO_FAULT never fails. */
#define NTFY_HOST_NO_FAULT SIZE_MAX

struct ntfy_host_buf {
	struct ntfy_record *recs;
	size_t fault_from;
};

/* The ntfy_buf of n records at hb->recs. */
struct ntfy_buf ntfy_host_buf(struct ntfy_host_buf *hb, size_t n);

#endif /* NTFY_HOST_H */
