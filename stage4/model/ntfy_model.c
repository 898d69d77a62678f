/* ntfy_model.c: the reference model of a notification endpoint (model/ntfy_model.h).
 *
 * Written from the list of rules in ipc/ntfy_core.h, not from ntfy_core.c: records in an
 * array kept oldest first (a read shifts the rest down) instead of a ring; a pending record
 * found by searching the array instead of remembered by sequence number; a level state
 * computed from the object's last depth and capacity when needed instead of kept as bits;
 * counters kept by name. Slow and obvious on purpose. */
#include <lib/string.h>
#include <model/ntfy_model.h>
#include <uapi/errno.h>
#include <uapi/ipc.h>

#define NTFY_MODEL_KNOWN_EVENTS ((1u << NTFY_NEVENTS) - 1)

/* Start m empty with room for capacity records. */
int ntfy_model_init(struct ntfy_model *m, uint32_t capacity)
{
	memset(m, 0, sizeof(*m));
	if (capacity < 1 || capacity > NTFY_CAPACITY_MAX)
		return -EINVAL;
	if (capacity > NTFY_MODEL_CAPACITY)
		return -ENOMEM;
	m->capacity = capacity;
	m->next_seq = 1;
	return 0;
}

/* The rules of a subscription request, in the order uapi/ntfy.h lists them. */
int ntfy_model_watch_check(const struct ntfy_watch *w, uint32_t allowed, bool has_depth)
{
	if (w->events & ~NTFY_MODEL_KNOWN_EVENTS)
		return -EINVAL;         /* an unknown event bit */
	if (w->flags & ~NTFY_FLAGS)
		return -EINVAL;         /* an unknown flag */
	if (w->events == 0)
		return -EINVAL;         /* an empty mask */
	if (w->events & (NTFY_GONE | NTFY_OVERFLOW))
		return -EINVAL;         /* delivered always, never asked for */
	if (w->events & ~allowed)
		return -EINVAL;         /* a bit the object never produces */
	if ((w->flags & NTFY_DEPTH) && !has_depth)
		return -EINVAL;         /* a depth filter on a directory */
	if ((w->flags & NTFY_FROM_UID) && !(w->flags & NTFY_EDGE))
		return -EINVAL;         /* a sender filter on a state */
	if ((w->flags & NTFY_FROM_UID) && w->uid < 0)
		return -EINVAL;         /* no message comes from a negative uid */
	if ((w->flags & NTFY_DEPTH) && w->depth > CHAN_CAPACITY_MAX)
		return -EINVAL;         /* a threshold no channel can reach */
	return 0;
}

/* The live subscription id, for the caller's own operations. */
static struct ntfy_model_sub *ntfy_model_live(struct ntfy_model *m, int id)
{
	if (id < 1 || id > m->made || !m->subs[id - 1].live)
		return NULL;
	return &m->subs[id - 1];
}

/* Subscription id, live or removed, or NULL if it was never made. */
const struct ntfy_model_sub *ntfy_model_sub(const struct ntfy_model *m, int id)
{
	if (id < 1 || id > m->made)
		return NULL;
	return &m->subs[id - 1];
}

/* Records pending now (the overflow record included). */
uint32_t ntfy_model_pending(const struct ntfy_model *m)
{
	return m->count;
}

/* The sum of the counts of subscription id's pending records. */
uint64_t ntfy_model_pending_counts(const struct ntfy_model *m, int id)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < m->count; i++)
		if (m->recs[i].sub == id && m->recs[i].events != NTFY_OVERFLOW)
			sum += m->recs[i].count;
	return sum;
}

/* Pending records that are not the overflow record: what the capacity limits. */
static uint32_t ntfy_model_ordinary(const struct ntfy_model *m)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < m->count; i++)
		if (m->recs[i].events != NTFY_OVERFLOW)
			n++;
	return n;
}

/* The pending record of this kind for subscription id (0: the overflow record), or NULL. */
static struct ntfy_record *ntfy_model_find(struct ntfy_model *m, int id, uint32_t event)
{
	for (uint32_t i = 0; i < m->count; i++)
		if (m->recs[i].sub == id && m->recs[i].events == event)
			return &m->recs[i];
	return NULL;
}

/* Append a record at the end with the next sequence number. */
static void ntfy_model_append(struct ntfy_model *m, uint64_t cookie, int id, uint32_t event,
			      uint32_t count, uint32_t depth, const char *name,
			      uint64_t time_ns)
{
	struct ntfy_record *r = &m->recs[m->count++];

	memset(r, 0, sizeof(*r));
	r->cookie = cookie;
	r->seq = m->next_seq++;
	r->time_ns = time_ns;
	r->events = event;
	r->count = count;
	r->sub = id;
	r->depth = depth;
	if (name != NULL)
		strlcpy(r->name, name, sizeof(r->name));
}

/* A new record for subscription id: an event (count 1) or a level report (count 0). With
 * the queue full it is lost instead, into the one overflow record. */
static void ntfy_model_new_record(struct ntfy_model *m, int id, uint32_t event, uint32_t count,
				  uint32_t depth, const char *name, uint64_t time_ns)
{
	struct ntfy_model_sub *s = &m->subs[id - 1];
	struct ntfy_record *overflow;

	if (ntfy_model_ordinary(m) < m->capacity) {
		ntfy_model_append(m, s->w.cookie, id, event, count, depth, name, time_ns);
		m->queued++;
		return;
	}
	m->lost++;
	s->lost += count;       /* an event is one of its own; a level report is none */
	overflow = ntfy_model_find(m, 0, NTFY_OVERFLOW);
	if (overflow != NULL) {
		overflow->count++;
		return;
	}
	ntfy_model_append(m, 0, 0, NTFY_OVERFLOW, 1, 0, NULL, time_ns);
}

/* Whether a level state (READABLE or WRITABLE) holds for s at its object's last event. */
static bool ntfy_model_holds(const struct ntfy_model_sub *s, uint32_t state)
{
	bool depth_filter = (s->w.flags & NTFY_DEPTH) != 0;
	uint32_t low = 1;

	if (depth_filter && s->w.depth > 1)
		low = s->w.depth;
	if (state == NTFY_READABLE)
		return s->depth >= low;
	return s->depth < s->capacity && (!depth_filter || s->depth <= s->w.depth);
}

/* Report one level state of subscription id by a record of count 0, if it is
 * level-triggered, asked for that state and the state holds. True when reported. */
static bool ntfy_model_report(struct ntfy_model *m, int id, uint32_t state, uint64_t time_ns)
{
	struct ntfy_model_sub *s = &m->subs[id - 1];

	if (s->w.flags & NTFY_EDGE)
		return false;
	if (!(s->w.events & state))
		return false;
	if (!ntfy_model_holds(s, state))
		return false;
	ntfy_model_new_record(m, id, state, 0, s->depth, NULL, time_ns);
	return true;
}

/* Subscribe; a level-triggered subscription reports its states at once (rule (a)). */
int ntfy_model_sub_add(struct ntfy_model *m, const struct ntfy_watch *w, uint32_t depth,
		       uint32_t capacity, uint64_t time_ns)
{
	struct ntfy_model_sub *s;
	int id;

	if (m->live_subs >= NTFY_SUBS_MAX)
		return -ENOSPC;
	if (m->made == NTFY_MODEL_SUBS)
		return -ENOMEM;
	id = ++m->made;
	s = &m->subs[id - 1];
	memset(s, 0, sizeof(*s));
	s->live = true;
	s->w = *w;
	s->depth = depth;
	s->capacity = capacity;
	m->live_subs++;
	ntfy_model_report(m, id, NTFY_READABLE, time_ns);
	ntfy_model_report(m, id, NTFY_WRITABLE, time_ns);
	return id;
}

/* Remove subscription id; its records stay pending, so nothing else changes. */
void ntfy_model_sub_remove(struct ntfy_model *m, int id)
{
	struct ntfy_model_sub *s = ntfy_model_live(m, id);

	if (s == NULL)
		return;
	s->live = false;
	m->live_subs--;
}

/* True when e passes the content filters of s (NTFY_FROM_UID, NTFY_DEPTH). */
static bool ntfy_model_passes(const struct ntfy_model_sub *s, const struct ntfy_model_event *e)
{
	if ((s->w.flags & NTFY_FROM_UID) && e->event == NTFY_READABLE && e->uid != s->w.uid)
		return false;
	if ((s->w.flags & NTFY_DEPTH) && e->event == NTFY_READABLE && e->depth < s->w.depth)
		return false;
	if ((s->w.flags & NTFY_DEPTH) && e->event == NTFY_WRITABLE && e->depth > s->w.depth)
		return false;
	return true;
}

/* One event on the object of subscription id: the rules of ipc/ntfy_core.h in order. */
void ntfy_model_post(struct ntfy_model *m, int id, const struct ntfy_model_event *e)
{
	struct ntfy_model_sub *s = ntfy_model_live(m, id);
	struct ntfy_record *pending;

	if (s == NULL)
		return;
	/* Every event carries the object's state; a level subscription keeps it. */
	s->depth = e->depth;
	s->capacity = e->capacity;
	/* The mask: GONE passes always. */
	if (e->event != NTFY_GONE && !(s->w.events & e->event))
		return;
	/* The content filters: counted, and costing no space. */
	if (!ntfy_model_passes(s, e)) {
		m->filtered++;
		return;
	}
	s->events++;
	/* Coalescing into the pending record of the same (subscription, event). */
	pending = ntfy_model_find(m, id, e->event);
	if (pending != NULL) {
		pending->count++;
		pending->depth = e->depth;
		m->coalesced++;
		return;
	}
	/* A new record, or a loss when the queue is full. */
	ntfy_model_new_record(m, id, e->event, 1, e->depth, e->name, e->time_ns);
}

/* Take the oldest record off and re-arm a level state it reported (rule (b)). */
static void ntfy_model_take_oldest(struct ntfy_model *m, uint64_t now_ns)
{
	struct ntfy_record r = m->recs[0];

	memmove(&m->recs[0], &m->recs[1], (m->count - 1) * sizeof(m->recs[0]));
	m->count--;
	m->read++;
	if (r.events == NTFY_OVERFLOW)
		return;
	m->subs[r.sub - 1].delivered += r.count;
	if (r.events != NTFY_READABLE && r.events != NTFY_WRITABLE)
		return;
	if (ntfy_model_live(m, r.sub) == NULL)
		return;
	if (ntfy_model_report(m, r.sub, r.events, now_ns))
		m->rearmed++;
}

/* Read up to max records: copy them all first, then remove them one by one. */
long ntfy_model_read(struct ntfy_model *m, size_t max, bool fault, struct ntfy_record *out,
		     uint64_t now_ns)
{
	size_t n = max;

	if (max == 0)
		return -EINVAL;
	if (m->count == 0)
		return -EAGAIN;
	if (n > m->count)
		n = m->count;
	if (fault)
		return -EFAULT;
	memcpy(out, m->recs, n * sizeof(m->recs[0]));
	for (size_t i = 0; i < n; i++)
		ntfy_model_take_oldest(m, now_ns);
	return (long)n;
}
