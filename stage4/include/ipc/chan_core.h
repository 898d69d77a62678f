/* ipc/chan_core.h: the core of an IPC channel: its message queue and the rules of reading
 * and writing it, with no locking, sleeping or user memory of its own.
 *
 * A channel (lab-guides/stage4.md, "Channels") is a named mailbox under /ipc. The kernel's
 * channel object wraps one struct chan_core: it holds the channel's spinlock around every
 * call below, and when a call answers -EAGAIN ("would block") it sleeps on a wait queue and
 * tries again, or passes -EAGAIN on under O_NONBLOCK. Keeping the rules here, free of
 * locks and threads, lets the very same file run on the host under AddressSanitizer
 * against a reference model (tests/host/test-chan.c, Property 1).
 *
 * The semantics (each one is tested by name in tests/host/test-chan.c):
 *  - One write is one message; one read returns one whole message. Messages leave in the
 *    order they came (one FIFO), so each writer's order is kept, and each message goes to
 *    exactly one reader: the read that removes it.
 *  - A read buffer smaller than the next message: -EMSGSIZE, and the message stays queued,
 *    so nothing is lost. The metadata then gives the message's length, so the reader can
 *    retry with a buffer big enough (POSIX mq_receive does the same; truncating, as
 *    datagram sockets do, would destroy data silently).
 *  - Zero-length messages are allowed. Their read returns 0, like end of file; the
 *    metadata tells them apart (eof is false).
 *  - Empty queue: with a writer open, -EAGAIN (the wrapper sleeps); with no writer open,
 *    end of file: 0 with eof set. So `cat` ends when its producers are gone. A reader that
 *    must wait for writers yet to come opens for reading and writing, as a Unix FIFO
 *    server does.
 *  - Full queue: -EAGAIN (the wrapper sleeps unless O_NONBLOCK).
 *  - A write with no reader open is accepted: the channel is a mailbox, like Plan 9's /srv
 *    or a POSIX message queue, not a Unix pipe. So `echo hello > /ipc/demo` works before
 *    `cat /ipc/demo` starts, and a service can post to a client that has not opened yet.
 *    The one write that fails with -EPIPE is one nobody could ever read: the channel is
 *    unlinked and no reader has it open (after unlink nobody can open it again).
 *  - The checks of a write come in this order: too long for the channel (-EMSGSIZE, which
 *    waiting cannot cure, so a blocking writer never sleeps on it), no reader possible
 *    (-EPIPE), full (-EAGAIN), out of memory (-ENOMEM), bad buffer (-EFAULT). A failed
 *    write queues nothing; a failed read removes nothing.
 *  - Each message carries its sender's pid and uid; a read returns them in struct
 *    chan_msg_info (for a recv-style system call).
 *
 * Memory: queued messages are allocated with chan_core_alloc() and freed with
 * chan_core_free(), which the environment defines: the kernel with kmalloc/kfree and one
 * buffer kept back per channel for its next message, the host test with malloc/free plus
 * counters and failure injection. There is exactly one allocator per build, so a function
 * pointer per channel would be a pointer that never changes; binding at link time costs
 * nothing and a missing definition fails the link. Both are told which core asks, so an
 * environment can keep memory per channel.
 *
 * Bytes: a struct chan_buf is the caller's buffer seen through two copy functions. The
 * kernel points them at iobuf_get/iobuf_put (kernel/iobuf.h), so a message is copied
 * straight between user memory and its queued copy, once each way; the host uses plain
 * memory. */
#ifndef IPC_CHAN_CORE_H
#define IPC_CHAN_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/ipc.h> /* struct chan_attr, struct chan_msg_info, the limits */
#include <kernel/list.h>

/* How a handle uses the channel: it counts as a reader, a writer, or both. */
enum chan_mode {
	CHAN_MODE_READ = 1,
	CHAN_MODE_WRITE = 2,
	CHAN_MODE_RDWR = 3,
};

/* Flag of chan_core_read/write: the caller will not sleep, so -EAGAIN is its answer and
 * counts as an error; without it -EAGAIN only tells the wrapper to sleep. */
#define CHAN_NONBLOCK 0x1

/* Which side of the channel waits, for chan_core_note_blocked(). */
enum chan_side {
	CHAN_SIDE_READ,
	CHAN_SIDE_WRITE,
	CHAN_SIDES,
};

/* Errors counted in the statistics, one counter per kind. */
enum chan_err {
	CHAN_ERR_AGAIN,         /* -EAGAIN returned to a non-blocking caller */
	CHAN_ERR_MSGSIZE,       /* message too long to write, or buffer too small to read */
	CHAN_ERR_PIPE,          /* write that no reader could ever read */
	CHAN_ERR_NOMEM,         /* no memory for the message */
	CHAN_ERR_FAULT,         /* the caller's buffer could not be copied */
	CHAN_ERRS,
};

/* The caller's buffer: len bytes that get/put copy at offset off, returning 0 or -EFAULT.
 * get copies out of the buffer (a write's source), put into it (a read's destination). */
struct chan_buf_ops {
	int (*get)(void *ctx, size_t off, void *dst, size_t n);
	int (*put)(void *ctx, size_t off, const void *src, size_t n);
};

struct chan_buf {
	const struct chan_buf_ops *ops;
	void *ctx;              /* the kernel's struct iobuf, the host's memory */
	size_t len;
};

/* What a channel has done, for /kfs/ipc and ipcstat. Counters only grow; depth, bytes
 * queued and high_water describe the queue. */
struct chan_stats {
	uint64_t msgs_written, bytes_written;
	uint64_t msgs_read, bytes_read;
	uint32_t depth;         /* messages queued now */
	uint32_t high_water;    /* the most ever queued at once */
	uint64_t bytes_queued;  /* bytes of the messages queued now */
	uint64_t blocked[CHAN_SIDES];   /* times a reader / writer went to sleep */
	uint64_t errors[CHAN_ERRS];
	uint64_t handed;        /* messages handed straight to a waiting call, never queued
				 * (chan_core_pass): counted in msgs_written and msgs_read too */
};

/* One channel's queue and rules.
 * Locks: none of its own. Every field is protected by the lock of the object that owns the
 * core (the kernel channel's spinlock, LOCK_ORDER_OBJECT), held around every call. */
struct chan_core {
	struct chan_attr attr;
	struct list_node queue;         /* struct chan_msg, oldest first */
	uint32_t readers, writers;      /* handles open for reading / writing */
	bool unlinked;                  /* the name is gone: nobody can open it again */
	struct chan_stats stats;
};

/* Provided by the environment (see the top of this file): allocate size bytes for a
 * message of c or return NULL; free p, of size bytes, that chan_core_alloc returned for c.
 * Called with the owner's lock held. */
void *chan_core_alloc(struct chan_core *c, size_t size);
void chan_core_free(struct chan_core *c, void *p, size_t size);

/* Check attributes against the hard limits. Returns 0 or -EINVAL. */
int chan_attr_check(const struct chan_attr *a);

/* Make c an empty channel with attributes a, no handles open. Returns 0 or -EINVAL. */
int chan_core_init(struct chan_core *c, const struct chan_attr *a);

/* Free every message still queued; c must be initialised again before any other use. */
void chan_core_destroy(struct chan_core *c);

/* Change the attributes of a live channel. A capacity below the messages queued now is
 * refused (-EBUSY), so nothing is dropped; a smaller message size applies to later writes
 * only. Returns 0, -EINVAL or -EBUSY. */
int chan_core_set_attr(struct chan_core *c, const struct chan_attr *a);

/* Count a new handle in mode. Returns 0, -EINVAL (not a mode) or -ENOENT (unlinked). */
int chan_core_open(struct chan_core *c, enum chan_mode mode);

/* Forget a handle opened in mode. Returns 0, or -EINVAL when no such handle is open (a bug
 * of the caller; nothing changes). */
int chan_core_close(struct chan_core *c, enum chan_mode mode);

/* Record that the channel's name is gone: no new handles, and writes fail with -EPIPE
 * once no reader is left. */
void chan_core_unlink(struct chan_core *c);

/* True when the channel can be freed: unlinked and no handle open (the last close). */
bool chan_core_unused(const struct chan_core *c);

/* Queue the src->len bytes of src as one message from sender. flags: CHAN_NONBLOCK.
 * Returns src->len, or -EMSGSIZE, -EPIPE, -EAGAIN, -ENOMEM, -EFAULT (in that order of
 * checking); on error nothing is queued. */
long chan_core_write(struct chan_core *c, const struct chan_buf *src,
		     const struct chan_sender *sender, unsigned flags);

/* Move the oldest message into dst and remove it. flags: CHAN_NONBLOCK. Returns its
 * length; 0 with info->eof at end of file; -EAGAIN when empty with writers open;
 * -EMSGSIZE when dst is too small (info->len says how big it must be); -EFAULT. On error
 * the message stays queued. *info is always filled in (zero when no message is involved). */
long chan_core_read(struct chan_core *c, const struct chan_buf *dst,
		    struct chan_msg_info *info, unsigned flags);

/* Hand the src->len bytes of src from sender straight to a reader waiting on an empty
 * queue, into land (cap bytes the reader offered): the same checks, errors and counts as
 * chan_core_write() followed at once by a chan_core_read() into a buffer of cap bytes, but
 * the message is never queued, so no memory is needed (the fast path of a call,
 * lab-guides/stage4.md). Returns src->len with *info filled in as the read would; a
 * write's error, counted, with nothing handed over; or -EAGAIN, not counted, when it
 * cannot be handed: a message is queued (it must go first) or src is longer than cap
 * (then the caller writes as usual, and the reader finds -EMSGSIZE). */
long chan_core_pass(struct chan_core *c, const struct chan_buf *src,
		    const struct chan_sender *sender, void *land, size_t cap,
		    struct chan_msg_info *info);

/* Add the figures of s to sum, for totals over channels: counters, depth and bytes queued
 * add up; the high-water mark is the highest of the two. */
void chan_stats_add(struct chan_stats *sum, const struct chan_stats *s);

/* Count one sleep of a reader or writer (the wrapper calls this before each sleep). */
static inline void chan_core_note_blocked(struct chan_core *c, enum chan_side side)
{
	c->stats.blocked[side]++;
}

#endif
