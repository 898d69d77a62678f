/* uapi/ntfy.h: stage 4's asynchronous notifications, shared by the kernel and user space:
 * notification endpoints, subscriptions ("watches"), the records an endpoint delivers, and
 * poll. The semantics, rule by rule, are in ipc/ntfy_core.h; the lesson is
 * lab-guides/stage4.md, "Notifications".
 *
 * In short: ntfy_new() makes an endpoint, a descriptor of type S_IFNTFY. watch() subscribes
 * it to a channel or a directory of channels by path, with an event mask, a cookie and
 * filters, and returns the subscription's id. Whatever then happens on the watched object
 * becomes a record in the endpoint's bounded queue; read() on the endpoint returns whole
 * records (O_NONBLOCK: -EAGAIN when there are none). Nothing is ever lost without an
 * overflow record that says how many notifications were lost. poll() waits on several
 * descriptors at once, with a timeout. fstat() on an endpoint gives S_IFNTFY, st_size the
 * records pending, st_extra[0] the capacity, [1] the subscriptions, [2] the threads asleep
 * in read(). */
#ifndef UAPI_NTFY_H
#define UAPI_NTFY_H

#include <stdint.h>

/*      name              number   arguments -> result */
#define SYS_ntfy_new      66    /* (unsigned capacity or 0, int flags: O_NONBLOCK) -> fd */
#define SYS_watch         67    /* (int nfd, const char *path, const struct ntfy_watch *w) -> id */
#define SYS_unwatch       68    /* (int nfd, int id) -> 0 */
#define SYS_poll          69    /* (struct pollfd *fds, unsigned n, long timeout_ns or -1) -> ready */

/* An endpoint's queue: records pending at most (the overflow record comes on top). */
#define NTFY_CAPACITY_DEFAULT 64
#define NTFY_CAPACITY_MAX 4096
#define NTFY_SUBS_MAX 4096      /* subscriptions per endpoint; one more is -ENOSPC */

/* Events: one bit each. A record carries exactly one of them. */
#define NTFY_READABLE 0x01      /* channel: a message arrived (level: messages are queued) */
#define NTFY_WRITABLE 0x02      /* channel: a message left, so there is room (level: room) */
#define NTFY_HUP      0x04      /* channel: the last writer closed, the name was removed, or
				 * the last reader closed after that; directory: the
				 * directory itself was removed */
#define NTFY_ERROR    0x08      /* channel: a read or write failed (too long, no reader
				 * possible, no memory, bad buffer; not "would block") */
#define NTFY_CREATED  0x10      /* directory: a name was made in it (record's name) */
#define NTFY_REMOVED  0x20      /* directory: a name was removed from it (record's name) */
#define NTFY_GONE     0x40      /* the watched object was destroyed: the subscription's last
				 * record; it passes every mask and filter and cannot be asked
				 * for; like any record it can be lost to a full queue (the
				 * overflow record counts it), and the subscription ends */
#define NTFY_OVERFLOW 0x80      /* the queue was full: count notifications were lost since
				 * the last overflow record was read; sub and cookie are 0 */
#define NTFY_NEVENTS 8          /* bit i is 1 << i */

#define NTFY_CHAN_EVENTS (NTFY_READABLE | NTFY_WRITABLE | NTFY_HUP | NTFY_ERROR)
#define NTFY_DIR_EVENTS (NTFY_CREATED | NTFY_REMOVED | NTFY_HUP)

/* Flags of a subscription. */
#define NTFY_EDGE     0x1       /* a record per event; without it, level-triggered: READABLE
				 * and WRITABLE are states, reported while they hold */
#define NTFY_FROM_UID 0x2       /* content filter: READABLE only for messages from w->uid
				 * (edge-triggered subscriptions only) */
#define NTFY_DEPTH    0x4       /* content filter: READABLE only when the depth after the
				 * message is >= w->depth; WRITABLE only when it is <= w->depth */
#define NTFY_FLAGS (NTFY_EDGE | NTFY_FROM_UID | NTFY_DEPTH)

/* What watch() asks for. Unknown bits in events or flags, an empty mask, a bit the object
 * never produces (NTFY_CHAN_EVENTS, NTFY_DIR_EVENTS), a filter that does not apply (NTFY_DEPTH
 * on a directory, NTFY_FROM_UID without NTFY_EDGE) or has a bad value (NTFY_FROM_UID with a
 * negative uid, NTFY_DEPTH with a depth above CHAN_CAPACITY_MAX) are -EINVAL. A field whose
 * flag is not set is ignored. */
struct ntfy_watch {
	uint32_t events;        /* NTFY_* event bits */
	uint32_t flags;         /* NTFY_EDGE, NTFY_FROM_UID, NTFY_DEPTH */
	uint64_t cookie;        /* returned in every record of this subscription */
	int32_t uid;            /* NTFY_FROM_UID: the sender's uid */
	uint32_t depth;         /* NTFY_DEPTH: the threshold */
};

#define NTFY_NAME_MAX 64        /* a name in a record, NUL-terminated (NAME_MAX + 1) */

/* One record. read() on an endpoint returns whole records: the buffer must hold at least
 * one (else -EINVAL), and as many as fit and are pending are returned, oldest first. */
struct ntfy_record {
	uint64_t cookie;        /* the subscription's cookie */
	uint64_t seq;           /* 1, 2, 3... per endpoint: strictly increasing, no gaps */
	uint64_t time_ns;       /* clock_ns() when it was appended: its first event's time */
	uint32_t events;        /* exactly one NTFY_* bit */
	uint32_t count;         /* events coalesced into this record; 0 for a level-triggered
				 * report of a state with no new event; OVERFLOW: lost */
	int32_t sub;            /* the subscription's id (0 for OVERFLOW) */
	uint32_t depth;         /* a channel's depth after the last event of this record (every
				 * channel event carries it); 0 for a directory and OVERFLOW */
	char name[NTFY_NAME_MAX];       /* CREATED, REMOVED: the first event's name; else "" */
};

/* poll(): the descriptors to wait on, and what to wait for. revents gets what holds when
 * poll returns: the bits of events that hold, plus POLLHUP and POLLERR always, or POLLNVAL
 * alone for a descriptor that is not open. A negative fd is skipped (revents 0). Channels
 * and endpoints say what holds; every other file (devices, RAM files, directories) is
 * always ready, the console too, even before a line is typed: poll cannot wait for it. */
#define POLLIN   0x1            /* a read would not block (an endpoint: records pending) */
#define POLLOUT  0x2            /* a write would not block */
#define POLLHUP  0x4            /* the other side is gone */
#define POLLERR  0x8
#define POLLNVAL 0x10           /* fd is not an open descriptor */
#define POLL_MAX 64             /* descriptors in one call; more is -EINVAL */

struct pollfd {
	int32_t fd;
	uint16_t events;
	uint16_t revents;
};

#endif
