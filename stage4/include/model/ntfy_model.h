/* model/ntfy_model.h: the reference model of one notification endpoint, for Property 2
 * (lab-guides/stage4.md, "Notifications").
 *
 * The model states the rules of ipc/ntfy_core.h as plainly as possible: the pending records
 * in an array, oldest first; the subscriptions in an array indexed by id; each rule one
 * if-statement in the order the header gives. It shares nothing with ntfy_core.c but the
 * constants and structs of uapi/ntfy.h and the errno values, so a bug in the core's ring,
 * its constant-time lookups or its counters shows up as a disagreement. Like chan_model it
 * allocates nothing and needs nothing beyond lib/string.h, so the host test of the core
 * (tests/host/test-ntfy-prop.c) and user programs can both run it.
 *
 * Its own limits, well below the real ones so that a model fits on a small stack:
 *  - NTFY_MODEL_CAPACITY records pending at most (plus the overflow record);
 *  - NTFY_MODEL_SUBS subscriptions made in an endpoint's life, removed ones included
 *    (their records may still be pending, and their figures stay readable).
 * Asked for more, the model answers -ENOMEM ("the model is out of room"), which the core
 * never answers there: a test that outgrows the model sees a disagreement, never a
 * silently wrong answer. */
#ifndef MODEL_NTFY_MODEL_H
#define MODEL_NTFY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/ntfy.h>

#define NTFY_MODEL_CAPACITY 256 /* records pending at most, the overflow record not counted */
#define NTFY_MODEL_SUBS 64      /* subscriptions made at most: ids 1..NTFY_MODEL_SUBS */

/* What happened on a watched object, as the model is told it (the core's struct
 * ntfy_event, restated so the model does not include the core's header). */
struct ntfy_model_event {
	uint32_t event;         /* one NTFY_* bit: READABLE .. GONE */
	int uid;                /* READABLE: the sender's uid; else -1 */
	uint32_t depth;         /* a channel's depth after the event; 0 for a directory */
	uint32_t capacity;      /* a channel's capacity; 0 for a directory */
	const char *name;       /* CREATED, REMOVED: the name; else NULL */
	uint64_t time_ns;
};

/* One subscription: its request, what it last heard of its object, and its figures. */
struct ntfy_model_sub {
	bool live;              /* made and not yet removed */
	struct ntfy_watch w;
	uint32_t depth;         /* the object's depth and capacity at its last event */
	uint32_t capacity;
	uint64_t events;        /* events that passed its mask and filters */
	uint64_t lost;          /* of those, lost to overflow */
	uint64_t delivered;     /* the counts of its records read so far */
};

/* The endpoint: its pending records, its subscriptions and the counters the core's struct
 * ntfy_stats must equal (named alike). Single-threaded. */
struct ntfy_model {
	uint32_t capacity;
	struct ntfy_record recs[NTFY_MODEL_CAPACITY + 1];       /* [0, count): oldest first */
	uint32_t count;         /* records pending, the overflow record included */
	uint64_t next_seq;      /* the next record's sequence number */
	struct ntfy_model_sub subs[NTFY_MODEL_SUBS];   /* subs[id - 1] */
	int made;               /* subscriptions made so far: the last id */
	uint32_t live_subs;     /* subscriptions now */
	uint64_t queued, coalesced, filtered, lost, rearmed, read;
};

/* Start m empty with room for capacity records. Returns 0; -EINVAL outside
 * 1..NTFY_CAPACITY_MAX; -ENOMEM above NTFY_MODEL_CAPACITY (the model's own limit). */
int ntfy_model_init(struct ntfy_model *m, uint32_t capacity);

/* The rules of ntfy_watch_check (ipc/ntfy_core.h, uapi/ntfy.h) for an object producing the
 * events in allowed, with depth filters if has_depth: 0 or -EINVAL. */
int ntfy_model_watch_check(const struct ntfy_watch *w, uint32_t allowed, bool has_depth);

/* Subscribe with the checked request w to an object now at depth/capacity (capacity 0: a
 * directory) at time time_ns; a level-triggered one reports the states that hold. Returns
 * the id (1, 2, 3...), -ENOSPC with NTFY_SUBS_MAX subscriptions, or -ENOMEM beyond
 * NTFY_MODEL_SUBS made. */
int ntfy_model_sub_add(struct ntfy_model *m, const struct ntfy_watch *w, uint32_t depth,
		       uint32_t capacity, uint64_t time_ns);

/* Remove subscription id (live). Its pending records stay. */
void ntfy_model_sub_remove(struct ntfy_model *m, int id);

/* Subscription id, live or removed, or NULL if it was never made. */
const struct ntfy_model_sub *ntfy_model_sub(const struct ntfy_model *m, int id);

/* One event e on the object of live subscription id. */
void ntfy_model_post(struct ntfy_model *m, int id, const struct ntfy_model_event *e);

/* Read up to max records into out[0..max), oldest first, at time now_ns; fault says the
 * caller's buffer cannot take them. Returns the number read; -EINVAL for max 0, -EAGAIN
 * with none pending, -EFAULT (fault) with nothing removed. */
long ntfy_model_read(struct ntfy_model *m, size_t max, bool fault, struct ntfy_record *out,
		     uint64_t now_ns);

/* Records pending now (the overflow record included). */
uint32_t ntfy_model_pending(const struct ntfy_model *m);

/* The sum of the counts of subscription id's pending records. For every subscription,
 * events = delivered + this + lost. */
uint64_t ntfy_model_pending_counts(const struct ntfy_model *m, int id);

#endif /* MODEL_NTFY_MODEL_H */
