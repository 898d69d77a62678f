/* ipc/ntfy_core.h: the core of a notification endpoint: its queue of records, its
 * subscriptions and the rules of filtering, coalescing and overflow, with no locking,
 * sleeping or user memory of its own (like ipc/chan_core.h for channels).
 *
 * The kernel's endpoint (ipc/ntfy.c) wraps one struct ntfy_core and holds its lock around
 * every call; the watched objects (channels, directories of channels) tell it what
 * happened with ntfy_core_post(). The very same file runs on the host under
 * AddressSanitizer against the reference model (stage4/model/ntfy_model.c, Property 2).
 *
 * The rules (lab-guides/stage4.md, "Notifications"; each one is checked by the model):
 *  - An event is one thing that happened on a watched object: one message arrived
 *    (READABLE), one message left (WRITABLE), the last writer closed or the name went
 *    (HUP), a read or write failed (ERROR), a name was made or removed in a directory
 *    (CREATED, REMOVED), the object was destroyed (GONE).
 *  - Filtering, per subscription, before anything is queued: the event must be in the
 *    subscription's mask (GONE always is); with NTFY_FROM_UID a READABLE event must come
 *    from a message of that uid; with NTFY_DEPTH a READABLE event needs depth >= threshold
 *    and a WRITABLE one depth <= threshold (the depth after the event). An event that
 *    passes the mask but not a filter is counted as filtered and costs no queue space.
 *  - Coalescing: a record is keyed by (subscription, event). An event whose key already
 *    has a record pending (queued, not yet read) adds one to that record's count and sets
 *    its depth; its time stays the first event's; its name stays the first event's. Such
 *    an event is counted as coalesced and needs no space, so it is never lost.
 *  - Otherwise the event needs a new record: with fewer than capacity records pending
 *    (the overflow record not counted) it is appended with count 1, the next sequence
 *    number and the event's time, depth and name; counted as queued.
 *  - Overflow: with capacity records pending, the event is lost: if an overflow record is
 *    pending its count grows by one; else an overflow record with count 1 is appended
 *    (next sequence number, sub 0, cookie 0, the event's time). Counted as lost; a lost
 *    event (not a lost level report, which is no event) also in the subscription's own
 *    lost. At most one overflow record is ever pending; once read, the next loss starts
 *    a new one. So for every subscription:
 *        events that passed its filters = sum of its records' counts + its events lost.
 *  - Level-triggered subscriptions (no NTFY_EDGE) treat READABLE and WRITABLE as states:
 *    readable = depth >= max(1, threshold or 1); writable = depth < capacity and, with
 *    NTFY_DEPTH, depth <= threshold. The state is kept per subscription from every event
 *    the object posts (all events carry the depth and capacity, whatever their kind).
 *    (a) When the subscription is made, each state in its mask that holds is reported by
 *        a record of count 0 (a state, not an event), READABLE before WRITABLE, queued as
 *        a new record would be (if the queue is full, it is lost and counted in the
 *        overflow record; the subscription hears of that state again only at its next
 *        event of that kind).
 *    (b) When a read removes a READABLE or WRITABLE record of a level-triggered
 *        subscription that still exists, and that state still holds (as of the last
 *        event posted), a record of count 0 is appended at once with the read's time and
 *        the last event's depth. It lands after every record the read returns, and the
 *        slot just freed gives it room, so re-arming never overflows. Records appear in
 *        the order the read removed their predecessors.
 *    Edge-triggered subscriptions get one record per event and nothing at subscription.
 *    HUP, ERROR, CREATED, REMOVED and GONE are events for both kinds.
 *  - Sequence numbers start at 1 and grow by one per appended record (the overflow
 *    record included), so a reader sees them strictly increasing with no gaps.
 *  - Removing a subscription (unwatch) leaves its pending records in the queue; they are
 *    read as usual (their sub id no longer exists). The object's destruction posts GONE to
 *    each subscription, then removes it.
 *  - read returns up to the number of records asked for, oldest first, and removes them;
 *    none pending is -EAGAIN (the wrapper sleeps unless O_NONBLOCK). If copying to the
 *    caller fails, nothing is removed (-EFAULT).
 *
 * Memory: the record ring is allocated at init with ntfy_core_alloc (defined by the
 * environment, like chan_core_alloc); subscriptions are the caller's memory. */
#ifndef IPC_NTFY_CORE_H
#define IPC_NTFY_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/ntfy.h>
#include <kernel/list.h>

/* What happened on a watched object: one event, and the object's state after it. */
struct ntfy_event {
	uint32_t event;         /* one NTFY_* bit (not OVERFLOW) */
	int uid;                /* READABLE: the message's sender; else -1 */
	uint32_t depth;         /* a channel's depth after the event (0 for a directory) */
	uint32_t capacity;      /* a channel's capacity (0 for a directory) */
	const char *name;       /* CREATED, REMOVED: the name; else NULL */
	uint64_t time_ns;
};

/* An endpoint's figures (/kfs/ipc/notify). Counters only grow. */
struct ntfy_stats {
	uint64_t queued;        /* new records appended (level reports included, overflow
				 * records not: they count in lost) */
	uint64_t coalesced;     /* events added to a pending record */
	uint64_t filtered;      /* events that passed the mask but not a filter */
	uint64_t lost;          /* events and level reports lost to overflow */
	uint64_t rearmed;       /* level reports appended after a read (rule (b)) */
	uint64_t read;          /* records read, the overflow records included */
	uint64_t woken;         /* waiters woken (kept by the kernel's wrapper) */
	uint32_t pending;       /* records pending now (the overflow record included) */
	uint32_t subs;          /* subscriptions now */
};

/* One subscription, as the endpoint's core sees it. The caller owns the memory (the
 * kernel embeds it in its own struct); it is on the core's list from ntfy_core_sub_add to
 * ntfy_core_sub_remove. */
struct ntfy_sub_core {
	struct list_node link;          /* in ntfy_core.subs */
	int id;
	struct ntfy_watch w;
	uint32_t state;                 /* level: NTFY_READABLE / NTFY_WRITABLE now holding */
	uint32_t depth;                 /* the depth of the object's last event */
	uint64_t pend_seq[NTFY_NEVENTS];        /* seq of the pending record of each event, or 0 */
	uint64_t events, lost;          /* events that passed its filters; of them lost */
};

/* One queued record and the subscription it belongs to (NULL once removed). */
struct ntfy_entry {
	struct ntfy_record rec;
	struct ntfy_sub_core *sub;
};

/* An endpoint's queue. Locks: none of its own; every field is protected by the lock of
 * the endpoint that owns it, held around every call. (The kernel also walks subs holding
 * only the lock it takes to add and remove subscriptions, ipc/ntfy.c's ntfy_subs_lock.) */
struct ntfy_core {
	uint32_t capacity;              /* ordinary records pending at most */
	struct ntfy_entry *ring;        /* capacity + 1 slots (the overflow record's) */
	uint32_t head, count;           /* oldest slot; records pending (overflow included) */
	uint32_t ordinary;              /* records pending, the overflow record not counted */
	uint64_t next_seq;              /* the next record's sequence number (from 1) */
	uint64_t overflow_seq;          /* seq of the pending overflow record, or 0 */
	struct list_node subs;          /* struct ntfy_sub_core, oldest first */
	int next_id;                    /* the next subscription's id (from 1) */
	struct ntfy_stats stats;
};

/* Provided by the environment: allocate / free memory for the ring. */
void *ntfy_core_alloc(size_t size);
void ntfy_core_free(void *p);

/* Make q an empty endpoint holding capacity records (1..NTFY_CAPACITY_MAX). Returns 0,
 * -EINVAL or -ENOMEM. */
int ntfy_core_init(struct ntfy_core *q, uint32_t capacity);

/* Free the ring. Every subscription must have been removed first. */
void ntfy_core_destroy(struct ntfy_core *q);

/* Check a subscription request against an object that produces the events in `allowed`
 * (NTFY_CHAN_EVENTS or NTFY_DIR_EVENTS) and has depth filters if `has_depth`. 0 or -EINVAL. */
int ntfy_watch_check(const struct ntfy_watch *w, uint32_t allowed, bool has_depth);

/* Add s, filled in by the caller with a checked request w, to q: gives it the next id,
 * computes its state from now (an event of the object's current state: depth and capacity;
 * its `event` is ignored) and reports the states that hold if it is level-triggered.
 * Returns the id, or -ENOSPC with NTFY_SUBS_MAX subscriptions already. */
int ntfy_core_sub_add(struct ntfy_core *q, struct ntfy_sub_core *s, const struct ntfy_watch *w,
		      const struct ntfy_event *now);

/* Remove s from q. Its pending records stay queued, no longer tied to it. */
void ntfy_core_sub_remove(struct ntfy_core *q, struct ntfy_sub_core *s);

/* The subscription of q with this id, or NULL. */
struct ntfy_sub_core *ntfy_core_sub_find(struct ntfy_core *q, int id);

/* One event e for subscription s of q. Returns true when a record was appended (a reader
 * may need waking), false when the event was ignored, filtered, coalesced or lost. */
bool ntfy_core_post(struct ntfy_core *q, struct ntfy_sub_core *s, const struct ntfy_event *e);

/* The caller's buffer for whole records: put copies n bytes at offset off into it,
 * returning 0 or -EFAULT (the kernel's iobuf, the host's memory). */
struct ntfy_buf {
	int (*put)(void *ctx, size_t off, const void *src, size_t n);
	void *ctx;
	size_t len;
};

/* Read up to dst->len / sizeof(struct ntfy_record) records into dst, oldest first, and
 * re-arm level-triggered states (rule (b)) with time now_ns. Returns the bytes read; -EINVAL when dst holds
 * no whole record; -EAGAIN when none is pending; -EFAULT with nothing removed. */
long ntfy_core_read(struct ntfy_core *q, const struct ntfy_buf *dst, uint64_t now_ns);

/* Records pending now (the overflow record included). */
static inline uint32_t ntfy_core_pending(const struct ntfy_core *q)
{
	return q->count;
}

/* Add the counters of s into sum (pending and subs add up too). */
void ntfy_stats_add(struct ntfy_stats *sum, const struct ntfy_stats *s);

#endif
