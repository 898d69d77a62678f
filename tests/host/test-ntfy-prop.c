/*
 * test-ntfy-prop.c - Property 2 on the host: random sequences of operations on
 * one notification endpoint (random capacity, mostly small so that it
 * overflows) run against the core (stage4/ipc/ntfy_core.c) and against the
 * reference model (ntfy_model.c). Three channels and a directory are
 * simulated; as in the kernel, every event of an object is posted to every
 * subscription of it, and the subscription's mask and filters decide.
 * Operations: watch (random masks, edge or level, uid and depth filters,
 * cookies; some requests invalid), unwatch, events of every kind the object
 * makes, a channel's new capacity, destroying an object (GONE to each of its
 * subscriptions, then unwatch), and reads of random sizes, some of no record,
 * some faulting.
 *
 * After every step every result, every field of every record read and every
 * statistic is compared with the model, and checked from outside: sequence
 * numbers grow by one across reads; at most one overflow record is pending;
 * per subscription and event, no more counts come out than events the test
 * itself judged to pass the filters; per subscription, events that passed =
 * counts delivered + counts pending + lost. A failing case is shrunk by
 * dropping operations and printed with its seed.
 *
 * Replay one case: PROP_REPLAY=0x<case seed> tests/host/test-ntfy-prop
 */
#include <stdint.h>
#include <stdlib.h>

#include <ipc/ntfy_core.h>
#include <kernel/compiler.h>
#include <lib/fmt.h>
#include <lib/prop.h>
#include <lib/string.h>
#include <lib/tap.h>
#include <model/ntfy_model.h>
#include <uapi/errno.h>
#include <uapi/ipc.h>

#include "host_prop.h"
#include "host_test.h"
#include "ntfy_host.h"

/* --- Property 2: the core against the model --- */

#define SEQ_MAX_OPS 60          /* so a sequence makes fewer than NTFY_MODEL_SUBS watches */
#define SEQ_ITERATIONS 20000
#define SEQ_CHANS 3             /* objects 0..2 are channels */
#define SEQ_DIR SEQ_CHANS       /* object 3 is the directory */
#define SEQ_OBJECTS (SEQ_CHANS + 1)
#define SEQ_CHAN_CAP_MAX 6
#define SEQ_UIDS 4              /* senders are uids 0..3 */
#define SEQ_READ_MAX 24         /* records one read asks for at most */
#define SEQ_NO_FAULT UINT32_MAX /* a read's buffer that takes every record */

enum op_kind { OP_WATCH, OP_UNWATCH, OP_EVENT, OP_SET_CAPACITY, OP_DESTROY, OP_READ };

/* One operation of a sequence. Its fields are inputs only, so any subset of a sequence is
 * a sequence too (what shrinking needs): which subscription an unwatch removes, and
 * whether a message can arrive or leave, are decided when it runs. */
struct op {
	enum op_kind kind;
	uint32_t obj;           /* watch, event, set_capacity, destroy: the object */
	uint32_t event;         /* event: its kind */
	int uid;                /* event: READABLE's sender */
	uint32_t a;             /* read: records asked for; unwatch: which live subscription
				 * (modulo their number); set_capacity: the capacity;
				 * event on the directory: the name */
	uint32_t fault_from;    /* read: the first record the buffer cannot take */
	struct ntfy_watch w;    /* watch: the request */
};

/* A case: the endpoint's capacity, the channels' first capacities and the operations. */
struct seq {
	uint32_t capacity;
	uint32_t chan_cap[SEQ_CHANS];
	size_t n;
	struct op ops[SEQ_MAX_OPS];
};

/* A subscription as the test knows it. Its figures outlive it: its records may still be
 * pending after unwatch. */
struct tsub {
	struct ntfy_sub_core *core;     /* the caller's memory; NULL once removed and freed */
	uint32_t obj;
	struct ntfy_watch w;
	uint64_t passed[NTFY_NEVENTS];  /* events the test judged to pass mask and filters */
	uint64_t delivered[NTFY_NEVENTS];       /* counts of its records read */
	uint64_t events, lost;          /* the core's figures, kept at unwatch */
};

/* A simulated channel (the directory has neither depth nor capacity). */
struct tobj {
	uint32_t depth, capacity;
};

/* One run of a sequence: the core, the model, the objects and the test's own ledger. */
struct run {
	struct ntfy_core core;
	struct ntfy_model *model;
	struct tobj objs[SEQ_OBJECTS];
	struct tsub subs[NTFY_MODEL_SUBS];      /* subs[id - 1] */
	int nsubs;
	uint64_t last_seq;      /* the sequence number of the last record read */
	uint64_t now;           /* the clock: grows by 10 per step */
	struct prop_case *c;    /* digest observations go here; NULL while shrinking */
	char why[160];
};

static const char *const dir_names[] = {
	"a", "bb", "ccc", "a-name-of-exactly-sixty-three-characters-which-is-NAME_MAX-long",
};

/* The endpoint's capacity: mostly tiny so that it overflows, sometimes invalid. */
static uint32_t gen_capacity(struct prng *r)
{
	switch (prng_below(r, 50)) {
	case 0:
		return 0;
	case 1:
		return NTFY_CAPACITY_MAX + 1;
	default:
		return prng_chance(r, 70) ? (uint32_t)prng_range(r, 1, 4)
					  : (uint32_t)prng_range(r, 5, 16);
	}
}

/* A random non-empty subset of bits. */
static uint32_t gen_subset(struct prng *r, uint32_t bits)
{
	uint32_t mask;

	do
		mask = (uint32_t)prng_next(r) & bits;
	while (mask == 0);
	return mask;
}

/* A request for object obj: mostly valid, one time in ten anything at all. */
static struct ntfy_watch gen_watch(struct prng *r, uint32_t obj)
{
	bool chan = obj != SEQ_DIR;
	struct ntfy_watch w = { .cookie = prng_next(r), .uid = (int)prng_below(r, SEQ_UIDS),
				.depth = (uint32_t)prng_range(r, 0, SEQ_CHAN_CAP_MAX + 1) };

	if (prng_chance(r, 10)) {
		w.events = (uint32_t)prng_next(r) & (prng_chance(r, 50) ? 0xff : 0xffffffffu);
		w.flags = (uint32_t)prng_below(r, 16);
		w.uid = (int)prng_range(r, 0, SEQ_UIDS + 1) - 1;
		if (prng_chance(r, 20))
			w.depth = CHAN_CAPACITY_MAX + (uint32_t)prng_below(r, 2);
		return w;
	}
	w.events = gen_subset(r, chan ? NTFY_CHAN_EVENTS : NTFY_DIR_EVENTS);
	if (prng_chance(r, 50))
		w.flags |= NTFY_EDGE;
	if (chan && (w.flags & NTFY_EDGE) && prng_chance(r, 30))
		w.flags |= NTFY_FROM_UID;
	if (chan && prng_chance(r, 30))
		w.flags |= NTFY_DEPTH;
	return w;
}

/* An event on obj: any kind the object makes, READABLE and WRITABLE most often. */
static void gen_event(struct prng *r, struct op *op)
{
	static const uint32_t chan_kinds[] = { NTFY_READABLE, NTFY_READABLE, NTFY_READABLE,
					       NTFY_WRITABLE, NTFY_WRITABLE, NTFY_WRITABLE,
					       NTFY_HUP, NTFY_ERROR };
	static const uint32_t dir_kinds[] = { NTFY_CREATED, NTFY_CREATED, NTFY_REMOVED,
					      NTFY_HUP };

	if (op->obj == SEQ_DIR)
		op->event = dir_kinds[prng_below(r, ARRAY_SIZE(dir_kinds))];
	else
		op->event = chan_kinds[prng_below(r, ARRAY_SIZE(chan_kinds))];
	op->uid = (int)prng_below(r, SEQ_UIDS);
	op->a = (uint32_t)prng_below(r, ARRAY_SIZE(dir_names));
}

/* A read: no record, a few, or more than can be pending; now and then a faulting buffer. */
static void gen_read(struct prng *r, struct op *op)
{
	uint64_t roll = prng_below(r, 10);

	op->a = roll == 0 ? 0 : roll == 1 ? SEQ_READ_MAX : (uint32_t)prng_range(r, 1, 4);
	op->fault_from = SEQ_NO_FAULT;
	if (prng_chance(r, 12))
		op->fault_from = (uint32_t)prng_below(r, op->a + 1);
}

static struct op gen_op(struct prng *r)
{
	struct op op = { .obj = (uint32_t)prng_below(r, SEQ_OBJECTS) };
	uint64_t roll = prng_below(r, 100);

	if (roll < 22) {
		op.kind = OP_WATCH;
		op.w = gen_watch(r, op.obj);
	} else if (roll < 28) {
		op.kind = OP_UNWATCH;
		op.a = (uint32_t)prng_next(r);
	} else if (roll < 65) {
		op.kind = OP_EVENT;
		gen_event(r, &op);
	} else if (roll < 68) {
		op.kind = OP_SET_CAPACITY;
		op.obj %= SEQ_CHANS;
		op.a = (uint32_t)prng_range(r, 1, SEQ_CHAN_CAP_MAX);
	} else if (roll < 71) {
		op.kind = OP_DESTROY;
	} else {
		op.kind = OP_READ;
		gen_read(r, &op);
	}
	return op;
}

/* Build a case from the rng alone, so that its seed replays it. */
static void gen_seq(struct prng *r, struct seq *s)
{
	s->capacity = gen_capacity(r);
	for (int i = 0; i < SEQ_CHANS; i++)
		s->chan_cap[i] = (uint32_t)prng_range(r, 1, SEQ_CHAN_CAP_MAX);
	s->n = (size_t)prng_range(r, 1, SEQ_MAX_OPS);
	for (size_t i = 0; i < s->n; i++)
		s->ops[i] = gen_op(r);
}

/* Print op into buf as one line of a failing sequence. */
static void op_describe(const struct op *op, char *buf, size_t size)
{
	static const char *const names[] = { "watch", "unwatch", "event", "set_capacity",
					     "destroy", "read" };

	if (op->kind == OP_WATCH)
		snprintf(buf, size, "watch obj=%u events=0x%x flags=0x%x uid=%d depth=%u", op->obj,
			 op->w.events, op->w.flags, op->w.uid, op->w.depth);
	else if (op->kind == OP_EVENT)
		snprintf(buf, size, "event obj=%u event=0x%x uid=%d name=%u", op->obj, op->event,
			 op->uid, op->a);
	else if (op->kind == OP_READ && op->fault_from == SEQ_NO_FAULT)
		snprintf(buf, size, "read %u records", op->a);
	else if (op->kind == OP_READ)
		snprintf(buf, size, "read %u records, faulting from record %u", op->a,
			 op->fault_from);
	else
		snprintf(buf, size, "%s obj=%u a=%u", names[op->kind], op->obj, op->a);
}

/* Record a mismatch in r->why and return true (so callers can `return mismatch(...)`). */
static bool mismatch(struct run *r, const char *what, long long got, long long want)
{
	snprintf(r->why, sizeof(r->why), "%s: core %lld, model %lld", what, got, want);
	return true;
}

/* Fold one observable value into the digest (first runs only, not while shrinking). */
static void observe(struct run *r, uint64_t value)
{
	if (r->c != NULL)
		prop_observe(r->c, value);
}

/* The index (0..NTFY_NEVENTS-1) of a one-bit event, for the test's tallies. */
static unsigned event_index(uint32_t event)
{
	unsigned i = 0;

	while (event > 1) {
		event >>= 1;
		i++;
	}
	return i;
}

/* The test's own judgement: does e pass the mask and filters of request w? */
static bool test_passes(const struct ntfy_watch *w, const struct ntfy_event *e)
{
	if (e->event != NTFY_GONE && !(w->events & e->event))
		return false;
	if (e->event == NTFY_READABLE && (w->flags & NTFY_FROM_UID) && e->uid != w->uid)
		return false;
	if (e->event == NTFY_READABLE && (w->flags & NTFY_DEPTH) && e->depth < w->depth)
		return false;
	return !(e->event == NTFY_WRITABLE && (w->flags & NTFY_DEPTH) && e->depth > w->depth);
}

/* Post e to subscription id on both; the core says whether it appended a record. */
static bool post_one(struct run *r, int id, const struct ntfy_event *e)
{
	struct tsub *t = &r->subs[id - 1];
	const struct ntfy_model_event me = { e->event, e->uid, e->depth, e->capacity, e->name,
					     e->time_ns };
	uint32_t before = ntfy_core_pending(&r->core);
	bool appended = ntfy_core_post(&r->core, t->core, e);

	ntfy_model_post(r->model, id, &me);
	if (test_passes(&t->w, e))
		t->passed[event_index(e->event)]++;
	if (appended != (ntfy_core_pending(&r->core) > before))
		return mismatch(r, "post's result vs a record appended", appended,
				ntfy_core_pending(&r->core) > before);
	return false;
}

/* An event of kind event on object obj, to every live subscription of it in order. */
static bool post_all(struct run *r, uint32_t obj, uint32_t event, int uid, const char *name)
{
	const struct ntfy_event e = { .event = event, .uid = uid, .depth = r->objs[obj].depth,
				      .capacity = r->objs[obj].capacity, .name = name,
				      .time_ns = r->now };

	for (int id = 1; id <= r->nsubs; id++) {
		if (r->subs[id - 1].core != NULL && r->subs[id - 1].obj == obj &&
		    post_one(r, id, &e))
			return true;
	}
	return false;
}

/* Check a request on both; if valid, subscribe both and compare the ids. */
static bool step_watch(struct run *r, const struct op *op)
{
	bool chan = op->obj != SEQ_DIR;
	uint32_t allowed = chan ? NTFY_CHAN_EVENTS : NTFY_DIR_EVENTS;
	const struct tobj *o = &r->objs[op->obj];
	struct ntfy_event now = { .uid = -1, .depth = o->depth, .capacity = o->capacity,
				  .time_ns = r->now };
	int got = ntfy_watch_check(&op->w, allowed, chan);
	int want = ntfy_model_watch_check(&op->w, allowed, chan);

	observe(r, (uint64_t)got);
	if (got != want)
		return mismatch(r, "watch check", got, want);
	if (got != 0)
		return false;
	struct tsub *t = &r->subs[r->nsubs];
	*t = (struct tsub){ .core = malloc(sizeof(*t->core)), .obj = op->obj, .w = op->w };
	got = ntfy_core_sub_add(&r->core, t->core, &op->w, &now);
	want = ntfy_model_sub_add(r->model, &op->w, o->depth, o->capacity, r->now);
	observe(r, (uint64_t)got);
	if (got > 0)
		r->nsubs++;     /* on the core's list, whatever its id: unwatched at the end */
	else
		free(t->core);
	if (got != want || got != r->nsubs)
		return mismatch(r, "watch id", got, want);
	return false;
}

/* Unwatch subscription id on both; the core's subscription memory is freed at once. */
static void unwatch(struct run *r, int id)
{
	struct tsub *t = &r->subs[id - 1];

	ntfy_core_sub_remove(&r->core, t->core);
	ntfy_model_sub_remove(r->model, id);
	t->events = t->core->events;
	t->lost = t->core->lost;
	free(t->core);
	t->core = NULL;
}

/* Unwatch the (op->a modulo their number)-th live subscription, if there is one. */
static bool step_unwatch(struct run *r, const struct op *op)
{
	int live = 0, k;

	for (int id = 1; id <= r->nsubs; id++)
		live += r->subs[id - 1].core != NULL;
	if (live == 0)
		return false;
	k = (int)(op->a % (uint32_t)live);
	for (int id = 1; id <= r->nsubs; id++) {
		if (r->subs[id - 1].core != NULL && k-- == 0) {
			observe(r, (uint64_t)id);
			unwatch(r, id);
			break;
		}
	}
	return false;
}

/* An event on an object. A message arrives only if there is room and leaves only if
 * there is one; otherwise nothing happened and nothing is posted. */
static bool step_event(struct run *r, const struct op *op)
{
	struct tobj *o = &r->objs[op->obj];
	const char *name = NULL;

	if (op->event == NTFY_READABLE) {
		if (o->depth == o->capacity)
			return false;
		o->depth++;
	} else if (op->event == NTFY_WRITABLE) {
		if (o->depth == 0)
			return false;
		o->depth--;
	} else if (op->event == NTFY_CREATED || op->event == NTFY_REMOVED) {
		name = dir_names[op->a];
	}
	return post_all(r, op->obj, op->event, op->event == NTFY_READABLE ? op->uid : -1, name);
}

/* A channel's capacity changes (never below its depth); it posts no event, so level
 * subscriptions learn it from the next one. */
static bool step_set_capacity(struct run *r, const struct op *op)
{
	struct tobj *o = &r->objs[op->obj];

	o->capacity = op->a > o->depth ? op->a : (o->depth > 0 ? o->depth : 1);
	return false;
}

/* The object is destroyed: GONE to each of its subscriptions, then each is removed; a
 * new object of the same kind takes its place, empty. */
static bool step_destroy(struct run *r, uint32_t obj)
{
	if (post_all(r, obj, NTFY_GONE, -1, NULL))
		return true;
	for (int id = 1; id <= r->nsubs; id++)
		if (r->subs[id - 1].core != NULL && r->subs[id - 1].obj == obj)
			unwatch(r, id);
	r->objs[obj].depth = 0;
	return false;
}

/* Compare one record read from the core with the model's, field by field. */
static bool record_differs(struct run *r, size_t i, const struct ntfy_record *got,
			   const struct ntfy_record *want)
{
	const struct { const char *name; uint64_t got, want; } fields[] = {
		{ "record seq", got->seq, want->seq },
		{ "record cookie", got->cookie, want->cookie },
		{ "record time", got->time_ns, want->time_ns },
		{ "record events", got->events, want->events },
		{ "record count", got->count, want->count },
		{ "record sub", (uint64_t)(int64_t)got->sub, (uint64_t)(int64_t)want->sub },
		{ "record depth", got->depth, want->depth },
		{ "record name equal", strcmp(got->name, want->name) == 0, 1 },
	};

	for (size_t f = 0; f < ARRAY_SIZE(fields); f++)
		if (fields[f].got != fields[f].want) {
			snprintf(r->why, sizeof(r->why), "%s of record %zu: core %lld, model %lld",
				 fields[f].name, i, (long long)fields[f].got,
				 (long long)fields[f].want);
			return true;
		}
	return false;
}

/* What a record read says about itself, checked from outside: the next sequence number,
 * a count of 0 only for a level report, an overflow record with no subscription. */
static bool record_wrong(struct run *r, const struct ntfy_record *rec)
{
	bool state = rec->events == NTFY_READABLE || rec->events == NTFY_WRITABLE;

	if (rec->seq != r->last_seq + 1)
		return mismatch(r, "sequence number after the last read", (long long)rec->seq,
				(long long)r->last_seq + 1);
	r->last_seq = rec->seq;
	if (rec->events == NTFY_OVERFLOW)
		return (rec->sub != 0 || rec->cookie != 0 || rec->count == 0) &&
		       mismatch(r, "overflow record's sub (or no count)", rec->sub, 0);
	if (rec->count == 0 && (!state || (r->subs[rec->sub - 1].w.flags & NTFY_EDGE)))
		return mismatch(r, "count 0 on an edge or non-state record", rec->events, 0);
	r->subs[rec->sub - 1].delivered[event_index(rec->events)] += rec->count;
	return false;
}

/* A hash of a record's name, for the digest. */
static uint64_t name_hash(const char *name)
{
	uint64_t hash = 0;

	while (*name != '\0')
		hash = hash * 31 + (unsigned char)*name++;
	return hash;
}

/* Observe a read: its result and every field of every record. */
static void observe_read(struct run *r, long got, const struct ntfy_record *recs)
{
	observe(r, (uint64_t)got);
	for (long i = 0; i < got; i++) {
		observe(r, recs[i].seq);
		observe(r, recs[i].cookie);
		observe(r, recs[i].time_ns);
		observe(r, (uint64_t)recs[i].events << 32 | recs[i].count);
		observe(r, (uint64_t)(uint32_t)recs[i].sub << 32 | recs[i].depth);
		observe(r, name_hash(recs[i].name));
	}
}

/* Read on both into buffers of op->a records (the core's faulting from op->fault_from). */
static bool step_read(struct run *r, const struct op *op)
{
	struct ntfy_record got_recs[SEQ_READ_MAX], want_recs[SEQ_READ_MAX];
	size_t fault_from = op->fault_from == SEQ_NO_FAULT ? NTFY_HOST_NO_FAULT : op->fault_from;
	struct ntfy_host_buf hb = { .recs = got_recs, .fault_from = fault_from };
	struct ntfy_buf b = ntfy_host_buf(&hb, op->a);
	uint32_t pending = ntfy_model_pending(r->model);
	bool fault = op->fault_from < (op->a < pending ? op->a : pending);

	long got = ntfy_core_read(&r->core, &b, r->now);
	long want = ntfy_model_read(r->model, op->a, fault, want_recs, r->now);
	if (got > 0)
		got /= (long)sizeof(struct ntfy_record);
	observe_read(r, got, got_recs);
	if (got != want)
		return mismatch(r, "read result (records)", got, want);
	for (long i = 0; i < got; i++)
		if (record_differs(r, (size_t)i, &got_recs[i], &want_recs[i]) ||
		    record_wrong(r, &got_recs[i]))
			return true;
	return false;
}

/* One statistic as the core and the model count it. */
struct stat_pair {
	const char *name;
	uint64_t core, model;
};

/* Compare the core's statistics with the model's counters, one by one. */
static bool stats_differ(struct run *r)
{
	const struct ntfy_stats *s = &r->core.stats;
	const struct ntfy_model *m = r->model;
	const struct stat_pair pairs[] = {
		{ "queued", s->queued, m->queued },
		{ "coalesced", s->coalesced, m->coalesced },
		{ "filtered", s->filtered, m->filtered },
		{ "lost", s->lost, m->lost },
		{ "rearmed", s->rearmed, m->rearmed },
		{ "read", s->read, m->read },
		{ "pending", s->pending, ntfy_model_pending(m) },
		{ "pending (ntfy_core_pending)", ntfy_core_pending(&r->core), s->pending },
		{ "subs", s->subs, m->live_subs },
		{ "woken (the wrapper's)", s->woken, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++)
		if (pairs[i].core != pairs[i].model)
			return mismatch(r, pairs[i].name, (long long)pairs[i].core,
					(long long)pairs[i].model);
	return false;
}

/* The counts of id's pending records of each kind, from the core's ring; returns how many
 * overflow records are pending. */
static unsigned core_pending_counts(const struct ntfy_core *q, int id, uint64_t *counts)
{
	unsigned overflows = 0;

	memset(counts, 0, NTFY_NEVENTS * sizeof(*counts));
	for (uint32_t i = 0; i < q->count; i++) {
		const struct ntfy_record *rec = &q->ring[(q->head + i) % (q->capacity + 1)].rec;

		if (rec->events == NTFY_OVERFLOW)
			overflows++;
		else if (rec->sub == id)
			counts[event_index(rec->events)] += rec->count;
	}
	return overflows;
}

/* Subscription id's figures: the core's equal the model's, and add up. */
static bool sub_accounting_broken(struct run *r, int id)
{
	struct tsub *t = &r->subs[id - 1];
	const struct ntfy_model_sub *ms = ntfy_model_sub(r->model, id);
	uint64_t events = t->core ? t->core->events : t->events;
	uint64_t lost = t->core ? t->core->lost : t->lost;
	uint64_t pending[NTFY_NEVENTS], passed = 0, delivered = 0, queued = 0;

	if (ms == NULL)
		return mismatch(r, "a subscription the model never made", id, 0);
	if (ms->events != events)
		return mismatch(r, "a subscription's events", (long long)events,
				(long long)ms->events);
	if (ms->lost != lost)
		return mismatch(r, "a subscription's lost", (long long)lost, (long long)ms->lost);
	core_pending_counts(&r->core, id, pending);
	for (unsigned k = 0; k < NTFY_NEVENTS; k++) {
		if (t->delivered[k] + pending[k] > t->passed[k])
			return mismatch(r, "counts out vs events that passed, event index", k,
					(long long)t->passed[k]);
		passed += t->passed[k];
		delivered += t->delivered[k];
		queued += pending[k];
	}
	if (ms->delivered != delivered || ntfy_model_pending_counts(r->model, id) != queued)
		return mismatch(r, "a subscription's counts delivered", (long long)delivered,
				(long long)ms->delivered);
	if (passed != events || events != delivered + queued + lost)
		return mismatch(r, "events vs delivered + pending + lost",
				(long long)events, (long long)(delivered + queued + lost));
	return false;
}

/* The invariants, checked from outside after every step. */
static bool invariants_broken(struct run *r)
{
	uint64_t counts[NTFY_NEVENTS];

	if (core_pending_counts(&r->core, 0, counts) > 1)
		return mismatch(r, "overflow records pending", 2, 1);
	if (r->core.ordinary > r->core.capacity)
		return mismatch(r, "ordinary records vs capacity", r->core.ordinary,
				r->core.capacity);
	if (ntfy_host_live() != 1)
		return mismatch(r, "live allocations of the core", (long long)ntfy_host_live(), 1);
	for (int id = 1; id <= r->nsubs; id++)
		if (sub_accounting_broken(r, id))
			return true;
	return stats_differ(r);
}

/* Run one operation and check everything after it. Returns true on a failure. */
static bool run_step(struct run *r, const struct op *op)
{
	bool bad;

	r->now += 10;
	switch (op->kind) {
	case OP_WATCH:
		bad = step_watch(r, op);
		break;
	case OP_UNWATCH:
		bad = step_unwatch(r, op);
		break;
	case OP_EVENT:
		bad = step_event(r, op);
		break;
	case OP_SET_CAPACITY:
		bad = step_set_capacity(r, op);
		break;
	case OP_DESTROY:
		bad = step_destroy(r, op->obj);
		break;
	default:
		bad = step_read(r, op);
		break;
	}
	return bad || invariants_broken(r);
}

/* After the sequence, destroy every object and read everything left: then every event
 * that passed is delivered or counted lost (checked by invariants_broken). */
static bool run_drain(struct run *r)
{
	struct op destroy = { .kind = OP_DESTROY };
	struct op drain = { .kind = OP_READ, .a = SEQ_READ_MAX, .fault_from = SEQ_NO_FAULT };

	for (destroy.obj = 0; destroy.obj < SEQ_OBJECTS; destroy.obj++)
		if (run_step(r, &destroy))
			return true;
	while (ntfy_core_pending(&r->core) > 0)
		if (run_step(r, &drain))
			return true;
	return false;
}

/* The objects at the start: empty channels of the case's capacities, and the directory. */
static void objects_init(struct run *r, const struct seq *s)
{
	for (int i = 0; i < SEQ_CHANS; i++)
		r->objs[i] = (struct tobj){ .depth = 0, .capacity = s->chan_cap[i] };
	r->objs[SEQ_DIR] = (struct tobj){ 0, 0 };
}

/*
 * Run ops[0..n) on an endpoint made as s says, against the model. Returns true when the
 * core and the model disagree or an invariant breaks, with the reason in why (prefixed by
 * the step). Observations go to c's digest unless c is NULL.
 */
static bool run_ops(const struct seq *s, const struct op *ops, size_t n, struct prop_case *c,
		    char *why, size_t why_size)
{
	struct run *r = calloc(1, sizeof(*r));
	size_t step = 0;
	bool bad;

	r->model = calloc(1, sizeof(*r->model));
	r->c = c;
	objects_init(r, s);
	long got = ntfy_core_init(&r->core, s->capacity);
	long want = ntfy_model_init(r->model, s->capacity);
	observe(r, (uint64_t)got);
	bad = got != want && mismatch(r, "init", got, want);
	for (; !bad && got == 0 && step < n; step++)
		bad = run_step(r, &ops[step]);
	if (!bad && got == 0)
		bad = run_drain(r);
	if (bad)
		snprintf(why, why_size, "step %zu of %zu: %s", step, n, r->why);
	for (int id = 1; id <= r->nsubs; id++)
		if (r->subs[id - 1].core != NULL)
			unwatch(r, id);
	if (got == 0)
		ntfy_core_destroy(&r->core);
	bad = bad || !CHECK_EQ_U64(ntfy_host_live(), 0);
	free(r->model);
	free(r);
	return bad;
}

/* The shrinker's question: does this shorter list of operations still fail? */
static bool seq_fails(const void *ops, size_t n, void *arg)
{
	const struct seq *s = arg;
	char why[200];

	return run_ops(s, ops, n, NULL, why, sizeof(why));
}

/* Shrink a failing case and print the shortest failing sequence found. */
static void report_shortest(const struct seq *s, uint64_t seed)
{
	struct seq *small = malloc(sizeof(*small));
	struct op *scratch = malloc(sizeof(small->ops));
	char why[200], line[120];

	*small = *s;
	small->n = prop_shrink(small->ops, small->n, sizeof(small->ops[0]), scratch, seq_fails,
			       small);
	run_ops(small, small->ops, small->n, NULL, why, sizeof(why));
	host_diag("ntfy_model: shortest failing sequence, %zu of %zu operations, capacity %u, "
		  "channels of %u, %u and %u: %s", small->n, s->n, small->capacity,
		  small->chan_cap[0], small->chan_cap[1], small->chan_cap[2], why);
	for (size_t i = 0; i < small->n; i++) {
		op_describe(&small->ops[i], line, sizeof(line));
		host_diag("  %zu: %s", i, line);
	}
	free(scratch);
	host_diag("replay on the host: PROP_REPLAY=0x%016llx tests/host/test-ntfy-prop",
		  (unsigned long long)seed);
	free(small);
}

/* Property 2: one random sequence, the same on the core and the model. */
static int prop_ntfy_matches_model(struct prop_case *c, void *arg)
{
	struct seq *s = malloc(sizeof(*s));
	char why[200];

	(void)arg;
	gen_seq(&c->rng, s);
	bool bad = run_ops(s, s->ops, s->n, c, why, sizeof(why));
	if (bad)
		report_shortest(s, c->seed);
	free(s);
	return bad ? prop_fail(c, "%s", why) : 0;
}

HOST_TEST(ntfy_prop_core_matches_model)
{
	CHECK_TRUE(host_prop("ntfy_matches_model", SEQ_ITERATIONS, prop_ntfy_matches_model, NULL));
}
