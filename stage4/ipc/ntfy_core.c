/* ntfy_core.c: a notification endpoint's queue and its rules (ipc/ntfy_core.h).
 *
 * The queue is a ring of capacity + 1 slots: capacity for ordinary records and one for the
 * overflow record. Records are appended with consecutive sequence numbers and removed from
 * the head, so the record of sequence number s sits (s - head's seq) slots after the head:
 * that is how a subscription finds its pending record to coalesce into, in constant time.
 *
 * Every function runs with the owner's lock held and never sleeps. */
#include <uapi/errno.h>
#include <uapi/ipc.h>
#include <ipc/ntfy_core.h>
#include <lib/string.h>

/* The index (0..NTFY_NEVENTS-1) of a one-bit event. */
static unsigned ntfy_event_index(uint32_t event)
{
	return (unsigned)__builtin_ctz(event);
}

int ntfy_core_init(struct ntfy_core *q, uint32_t capacity)
{
	if (capacity < 1 || capacity > NTFY_CAPACITY_MAX)
		return -EINVAL;
	*q = (struct ntfy_core){ .capacity = capacity, .next_seq = 1, .next_id = 1 };
	list_init(&q->subs);
	q->ring = ntfy_core_alloc((capacity + 1) * sizeof *q->ring);
	return q->ring ? 0 : -ENOMEM;
}

void ntfy_core_destroy(struct ntfy_core *q)
{
	ntfy_core_free(q->ring);
	q->ring = NULL;
	q->count = q->ordinary = 0;
	q->stats.pending = 0;
}

int ntfy_watch_check(const struct ntfy_watch *w, uint32_t allowed, bool has_depth)
{
	if (w->events == 0 || (w->events & ~allowed) || (w->flags & ~NTFY_FLAGS))
		return -EINVAL;
	if ((w->flags & NTFY_FROM_UID) && (!(w->flags & NTFY_EDGE) || w->uid < 0))
		return -EINVAL;
	if ((w->flags & NTFY_DEPTH) && (!has_depth || w->depth > CHAN_CAPACITY_MAX))
		return -EINVAL;
	return 0;
}

/* The level states that hold for s after event e (NTFY_READABLE / NTFY_WRITABLE bits). */
static uint32_t ntfy_state_of(const struct ntfy_sub_core *s, const struct ntfy_event *e)
{
	bool depth_filter = (s->w.flags & NTFY_DEPTH) != 0;
	uint32_t low = depth_filter && s->w.depth > 1 ? s->w.depth : 1;
	uint32_t state = 0;

	if (e->capacity == 0)           /* a directory: no states */
		return 0;
	if (e->depth >= low)
		state |= NTFY_READABLE;
	if (e->depth < e->capacity && (!depth_filter || e->depth <= s->w.depth))
		state |= NTFY_WRITABLE;
	return state;
}

/* True when event e passes s's content filters (the mask was checked already). */
static bool ntfy_filter_pass(const struct ntfy_sub_core *s, const struct ntfy_event *e)
{
	if (e->event == NTFY_READABLE) {
		if ((s->w.flags & NTFY_FROM_UID) && e->uid != s->w.uid)
			return false;
		if ((s->w.flags & NTFY_DEPTH) && e->depth < s->w.depth)
			return false;
	}
	if (e->event == NTFY_WRITABLE && (s->w.flags & NTFY_DEPTH) && e->depth > s->w.depth)
		return false;
	return true;
}

/* The slot of the pending record with sequence number seq. */
static struct ntfy_entry *ntfy_slot_of(struct ntfy_core *q, uint64_t seq)
{
	uint64_t head_seq = q->ring[q->head].rec.seq;

	return &q->ring[(q->head + (uint32_t)(seq - head_seq)) % (q->capacity + 1)];
}

/* Append a record at the tail with the next sequence number. Room has been checked. */
static struct ntfy_entry *ntfy_append(struct ntfy_core *q, struct ntfy_sub_core *s,
				      uint32_t event, uint32_t count, const struct ntfy_event *e)
{
	struct ntfy_entry *x = &q->ring[(q->head + q->count) % (q->capacity + 1)];

	memset(x, 0, sizeof *x);
	x->sub = s;
	x->rec.seq = q->next_seq++;
	x->rec.time_ns = e->time_ns;
	x->rec.events = event;
	x->rec.count = count;
	x->rec.depth = event == NTFY_OVERFLOW ? 0 : e->depth;
	if (s) {
		x->rec.cookie = s->w.cookie;
		x->rec.sub = s->id;
		s->pend_seq[ntfy_event_index(event)] = x->rec.seq;
	}
	if (e->name && event != NTFY_OVERFLOW)
		strlcpy(x->rec.name, e->name, sizeof x->rec.name);
	q->count++;
	q->stats.pending = q->count;
	if (event == NTFY_OVERFLOW)
		q->overflow_seq = x->rec.seq;
	else
		q->ordinary++;
	return x;
}

/* A new record for s (an event of count 1, or a level report of count 0), or the loss of
 * one into the overflow record. Returns true when a record was appended. */
static bool ntfy_new_record(struct ntfy_core *q, struct ntfy_sub_core *s, uint32_t event,
			    uint32_t count, const struct ntfy_event *e)
{
	/* BEGIN EXERCISE(stage4.ntfy-overflow) */
	if (q->ordinary < q->capacity) {
		ntfy_append(q, s, event, count, e);
		q->stats.queued++;
		return true;
	}
	q->stats.lost++;
	s->lost += count;
	if (q->overflow_seq) {
		ntfy_slot_of(q, q->overflow_seq)->rec.count++;
		return false;
	}
	ntfy_append(q, NULL, NTFY_OVERFLOW, 1, e);
	return true;
	/* END EXERCISE */
}

/* Report the level states of s in mask that hold (rule (a) and (b) of ntfy_core.h) and
 * have no record pending. Returns true when a record was appended. */
static bool ntfy_report_states(struct ntfy_core *q, struct ntfy_sub_core *s, uint32_t mask,
			       const struct ntfy_event *e)
{
	uint32_t states = s->state & s->w.events & mask;
	bool appended = false;
	uint32_t bit;

	if (s->w.flags & NTFY_EDGE)
		return false;
	for (bit = NTFY_READABLE; bit <= NTFY_WRITABLE; bit <<= 1)
		if ((states & bit) && !s->pend_seq[ntfy_event_index(bit)])
			appended |= ntfy_new_record(q, s, bit, 0, e);
	return appended;
}

int ntfy_core_sub_add(struct ntfy_core *q, struct ntfy_sub_core *s, const struct ntfy_watch *w,
		      const struct ntfy_event *now)
{
	if (q->stats.subs >= NTFY_SUBS_MAX)
		return -ENOSPC;
	memset(s, 0, sizeof *s);
	s->w = *w;
	s->id = q->next_id++;
	s->state = ntfy_state_of(s, now);
	s->depth = now->depth;
	list_add_tail(&q->subs, &s->link);
	q->stats.subs++;
	ntfy_report_states(q, s, NTFY_READABLE | NTFY_WRITABLE, now);
	return s->id;
}

void ntfy_core_sub_remove(struct ntfy_core *q, struct ntfy_sub_core *s)
{
	unsigned i;

	for (i = 0; i < NTFY_NEVENTS; i++)
		if (s->pend_seq[i])
			ntfy_slot_of(q, s->pend_seq[i])->sub = NULL;
	list_remove(&s->link);
	q->stats.subs--;
}

struct ntfy_sub_core *ntfy_core_sub_find(struct ntfy_core *q, int id)
{
	struct list_node *pos;

	list_for_each(pos, &q->subs) {
		struct ntfy_sub_core *s = list_entry(pos, struct ntfy_sub_core, link);

		if (s->id == id)
			return s;
	}
	return NULL;
}

bool ntfy_core_post(struct ntfy_core *q, struct ntfy_sub_core *s, const struct ntfy_event *e)
{
	/* BEGIN EXERCISE(stage4.ntfy-post) */
	uint64_t pend;

	s->state = ntfy_state_of(s, e);
	s->depth = e->depth;
	if (!(e->event & (s->w.events | NTFY_GONE)))
		return false;
	if (!ntfy_filter_pass(s, e)) {
		q->stats.filtered++;
		return false;
	}
	s->events++;
	pend = s->pend_seq[ntfy_event_index(e->event)];
	if (pend) {
		struct ntfy_entry *x = ntfy_slot_of(q, pend);

		x->rec.count++;
		x->rec.depth = e->depth;
		q->stats.coalesced++;
		return false;
	}
	return ntfy_new_record(q, s, e->event, 1, e);
	/* END EXERCISE */
}

/* Take the head record off the queue (its copy has been made). */
static void ntfy_remove_head(struct ntfy_core *q)
{
	struct ntfy_entry *x = &q->ring[q->head];

	if (x->rec.events == NTFY_OVERFLOW)
		q->overflow_seq = 0;
	else
		q->ordinary--;
	if (x->sub)
		x->sub->pend_seq[ntfy_event_index(x->rec.events)] = 0;
	q->head = (q->head + 1) % (q->capacity + 1);
	q->count--;
	q->stats.pending = q->count;
	q->stats.read++;
}

long ntfy_core_read(struct ntfy_core *q, const struct ntfy_buf *dst, uint64_t now_ns)
{
	size_t n = dst->len / sizeof(struct ntfy_record), i;

	if (n == 0)
		return -EINVAL;
	if (q->count == 0)
		return -EAGAIN;
	if (n > q->count)
		n = q->count;
	/* LAB(stage4): copy every record first, remove after: a bad buffer loses nothing. */
	for (i = 0; i < n; i++) {
		const struct ntfy_entry *x = &q->ring[(q->head + i) % (q->capacity + 1)];

		if (dst->put(dst->ctx, i * sizeof x->rec, &x->rec, sizeof x->rec))
			return -EFAULT;
	}
	/* Remove them one by one; a level state read is re-armed at once (rule (b)). The
	 * re-armed record goes to the tail, after the records this read still removes, and
	 * the slot just freed guarantees it room. */
	for (i = 0; i < n; i++) {
		struct ntfy_entry *x = &q->ring[q->head];
		struct ntfy_sub_core *s = x->sub;
		uint32_t event = x->rec.events;

		ntfy_remove_head(q);
		if (s && (event == NTFY_READABLE || event == NTFY_WRITABLE)) {
			struct ntfy_event e = { .depth = s->depth, .time_ns = now_ns };

			if (ntfy_report_states(q, s, event, &e))
				q->stats.rearmed++;
		}
	}
	return (long)(n * sizeof(struct ntfy_record));
}

void ntfy_stats_add(struct ntfy_stats *sum, const struct ntfy_stats *s)
{
	sum->queued += s->queued;
	sum->coalesced += s->coalesced;
	sum->filtered += s->filtered;
	sum->lost += s->lost;
	sum->rearmed += s->rearmed;
	sum->read += s->read;
	sum->woken += s->woken;
	sum->pending += s->pending;
	sum->subs += s->subs;
}
