/*
 * test-ntfy.c - host tests of the notification core (stage4/ipc/ntfy_core.c),
 * one per rule of ipc/ntfy_core.h, each named after its rule. Each rule has a
 * plain test here, readable as an example; test-ntfy-prop.c checks all of them
 * at once against the reference model (Property 2). The core's environment
 * (allocator, buffers that can fault) is ntfy_host.c.
 */
#include <stdint.h>
#include <stdlib.h>

#include <ipc/ntfy_core.h>
#include <kernel/compiler.h>
#include <lib/string.h>
#include <uapi/errno.h>
#include <uapi/ipc.h>

#include "host_test.h"
#include "ntfy_host.h"

/* --- helpers of the rule tests --- */

#define CHAN_CAP 4		/* the capacity of the channel most tests watch */

/* A channel event: what happened, the sender (READABLE) and the depth after it. */
static struct ntfy_event chan_event(uint32_t event, int uid, uint32_t depth, uint64_t time_ns)
{
	return (struct ntfy_event){ .event = event, .uid = uid, .depth = depth,
				    .capacity = CHAN_CAP, .time_ns = time_ns };
}

/* A directory event: what happened and to which name. */
static struct ntfy_event dir_event(uint32_t event, const char *name, uint64_t time_ns)
{
	return (struct ntfy_event){ .event = event, .uid = -1, .name = name, .time_ns = time_ns };
}

/* Post a channel event to s; returns what ntfy_core_post returns. */
static bool post(struct ntfy_core *q, struct ntfy_sub_core *s, uint32_t event, int uid,
		 uint32_t depth, uint64_t time_ns)
{
	struct ntfy_event e = chan_event(event, uid, depth, time_ns);

	return ntfy_core_post(q, s, &e);
}

/* Subscribe s to a channel now at depth (capacity CHAN_CAP) at time_ns; returns the id. */
static int watch_chan(struct ntfy_core *q, struct ntfy_sub_core *s, uint32_t events,
		      uint32_t flags, uint32_t threshold, uint32_t depth, uint64_t time_ns)
{
	struct ntfy_watch w = { .events = events, .flags = flags, .cookie = 0xc0de0000 + depth,
				.uid = -1, .depth = threshold };
	struct ntfy_event now = chan_event(0, -1, depth, time_ns);

	if (!CHECK_EQ_INT(ntfy_watch_check(&w, NTFY_CHAN_EVENTS, true), 0))
		return -EINVAL;
	return ntfy_core_sub_add(q, s, &w, &now);
}

/* Read up to n records into out at time now_ns: the number read, or a negative errno. */
static long read_recs(struct ntfy_core *q, struct ntfy_record *out, size_t n, uint64_t now_ns)
{
	struct ntfy_host_buf hb = { .recs = out, .fault_from = NTFY_HOST_NO_FAULT };
	struct ntfy_buf b = ntfy_host_buf(&hb, n);
	long got = ntfy_core_read(q, &b, now_ns);

	return got < 0 ? got : got / (long)sizeof(struct ntfy_record);
}

/* Check one record's kind, count, subscription and sequence number. */
static bool check_rec(const struct ntfy_record *r, uint32_t events, uint32_t count, int sub,
		      uint64_t seq)
{
	return CHECK_EQ_INT(r->events, events) && CHECK_EQ_INT(r->count, count) &&
	       CHECK_EQ_INT(r->sub, sub) && CHECK_EQ_U64(r->seq, seq);
}

/* The core's live allocations before the endpoint of the running test was made: a test
 * that failed and returned early leaks its ring, and must not fail the tests after it. */
static uint64_t live_before;

/* An endpoint of this capacity. */
static bool open_q(struct ntfy_core *q, uint32_t capacity)
{
	live_before = ntfy_host_live();
	return CHECK_EQ_INT(ntfy_core_init(q, capacity), 0);
}

/* Destroy q (its subscriptions removed) and check the ring went back. */
static void close_q(struct ntfy_core *q)
{
	CHECK_EQ_INT(q->stats.subs, 0);
	ntfy_core_destroy(q);
	CHECK_EQ_U64(ntfy_host_live(), live_before);
}

/* --- the endpoint --- */

HOST_TEST(ntfy_init_capacity_limits_and_nomem)
{
	struct ntfy_core q;

	CHECK_EQ_INT(ntfy_core_init(&q, 0), -EINVAL);
	CHECK_EQ_INT(ntfy_core_init(&q, NTFY_CAPACITY_MAX + 1), -EINVAL);
	CHECK_EQ_U64(ntfy_host_alloc.allocs, 0);
	ntfy_host_alloc.fail_next = true;
	CHECK_EQ_INT(ntfy_core_init(&q, 8), -ENOMEM);
	CHECK_EQ_U64(ntfy_host_live(), 0);
	if (!open_q(&q, NTFY_CAPACITY_MAX))
		return;
	CHECK_EQ_U64(ntfy_host_live(), 1);
	close_q(&q);
}

/* --- ntfy_watch_check --- */

/* A request, and the object it is made for. */
struct watch_case {
	struct ntfy_watch w;
	bool dir;
};

HOST_TEST(ntfy_watch_check_rejects_bad_requests)
{
	const struct watch_case bad[] = {
		{ { .events = 0x100 }, false },                          /* unknown bit */
		{ { .events = NTFY_READABLE | 0x80000000u }, false },
		{ { .events = 0 }, false },                              /* empty mask */
		{ { .events = 0 }, true },
		{ { .events = NTFY_GONE }, false },                      /* never asked for */
		{ { .events = NTFY_READABLE | NTFY_OVERFLOW }, false },
		{ { .events = NTFY_CREATED }, false },                   /* dir bits, channel */
		{ { .events = NTFY_READABLE | NTFY_REMOVED }, false },
		{ { .events = NTFY_READABLE }, true },                   /* channel bits, dir */
		{ { .events = NTFY_ERROR }, true },
		{ { .events = NTFY_CREATED, .flags = NTFY_DEPTH }, true }, /* depth on a dir */
		{ { .events = NTFY_READABLE, .flags = NTFY_FROM_UID, .uid = 1 }, false },
		{ { .events = NTFY_READABLE, .flags = NTFY_EDGE | NTFY_FROM_UID, .uid = -1 },
		  false },                                               /* negative uid */
		{ { .events = NTFY_READABLE, .flags = NTFY_DEPTH, .depth = CHAN_CAPACITY_MAX + 1 },
		  false },
		{ { .events = NTFY_READABLE, .flags = 0x8 }, false },    /* unknown flag */
		{ { .events = NTFY_CREATED, .flags = NTFY_EDGE | 0x100 }, true },
	};
	const struct watch_case good[] = {
		{ { .events = NTFY_CHAN_EVENTS }, false },
		{ { .events = NTFY_DIR_EVENTS, .flags = NTFY_EDGE }, true },
		{ { .events = NTFY_HUP }, true },
		{ { .events = NTFY_READABLE, .flags = NTFY_EDGE | NTFY_FROM_UID }, false },
		{ { .events = NTFY_WRITABLE, .flags = NTFY_DEPTH, .depth = CHAN_CAPACITY_MAX },
		  false },
		{ { .events = NTFY_READABLE, .uid = -5, .depth = CHAN_CAPACITY_MAX + 1 }, false },
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint32_t allowed = bad[i].dir ? NTFY_DIR_EVENTS : NTFY_CHAN_EVENTS;

		if (!CHECK_EQ_INT(ntfy_watch_check(&bad[i].w, allowed, !bad[i].dir), -EINVAL))
			host_diag("bad request %zu was accepted", i);
	}
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		uint32_t allowed = good[i].dir ? NTFY_DIR_EVENTS : NTFY_CHAN_EVENTS;

		if (!CHECK_EQ_INT(ntfy_watch_check(&good[i].w, allowed, !good[i].dir), 0))
			host_diag("good request %zu was refused", i);
	}
}

/* --- sequence numbers, coalescing, filtering --- */

HOST_TEST(ntfy_seq_starts_at_1_and_has_no_gaps)
{
	struct ntfy_sub_core a, b;
	struct ntfy_record out[4];
	uint64_t want = 1;
	struct ntfy_core q;
	long n;

	if (!open_q(&q, 3))
		return;
	watch_chan(&q, &a, NTFY_CHAN_EVENTS, NTFY_EDGE, 0, 0, 1);
	watch_chan(&q, &b, NTFY_CHAN_EVENTS, NTFY_EDGE, 0, 0, 1);
	for (int round = 0; round < 5; round++) {
		post(&q, &a, NTFY_READABLE, 1, 1, 10);
		post(&q, &b, NTFY_READABLE, 1, 1, 11);
		post(&q, &a, NTFY_WRITABLE, -1, 0, 12);
		post(&q, &b, NTFY_HUP, -1, 0, 13);      /* lost: an overflow record */
		post(&q, &a, NTFY_READABLE, 1, 1, 14);  /* coalesced: no new number */
		while ((n = read_recs(&q, out, (size_t)round % 4 + 1, 20)) > 0)
			for (long i = 0; i < n; i++)
				CHECK_EQ_U64(out[i].seq, want++);
	}
	CHECK_EQ_U64(want, 5 * 4 + 1);
	CHECK_EQ_U64(q.next_seq, want);
	ntfy_core_sub_remove(&q, &a);
	ntfy_core_sub_remove(&q, &b);
	close_q(&q);
}

HOST_TEST(ntfy_coalescing_adds_counts_keeps_first_time_and_name)
{
	struct ntfy_event created_a = dir_event(NTFY_CREATED, "a", 100);
	struct ntfy_event created_b = dir_event(NTFY_CREATED, "b", 200);
	struct ntfy_watch w = { .events = NTFY_DIR_EVENTS, .flags = NTFY_EDGE, .cookie = 7 };
	struct ntfy_event now = dir_event(0, NULL, 1);
	struct ntfy_sub_core d, c;
	struct ntfy_record out[4];
	struct ntfy_core q;

	if (!open_q(&q, 1))
		return;
	CHECK_EQ_INT(ntfy_core_sub_add(&q, &d, &w, &now), 1);
	CHECK_EQ_INT(watch_chan(&q, &c, NTFY_READABLE, NTFY_EDGE, 0, 0, 1), 2);
	CHECK_TRUE(ntfy_core_post(&q, &d, &created_a));
	CHECK_TRUE(!ntfy_core_post(&q, &d, &created_b));
	CHECK_TRUE(!ntfy_core_post(&q, &d, &created_b));
	/* The queue is full, but coalescing needs no space and loses nothing. */
	CHECK_EQ_U64(q.stats.coalesced, 2);
	CHECK_EQ_U64(q.stats.lost, 0);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 300), 1))
		return;
	check_rec(&out[0], NTFY_CREATED, 3, 1, 1);
	CHECK_EQ_U64(out[0].time_ns, 100);
	CHECK_EQ_STR(out[0].name, "a");
	CHECK_EQ_U64(out[0].cookie, 7);
	/* A channel record's depth follows the last event; its time stays the first. */
	post(&q, &c, NTFY_READABLE, 3, 1, 400);
	post(&q, &c, NTFY_READABLE, 3, 2, 500);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 600), 1))
		return;
	check_rec(&out[0], NTFY_READABLE, 2, 2, 2);
	CHECK_EQ_INT(out[0].depth, 2);
	CHECK_EQ_U64(out[0].time_ns, 400);
	CHECK_EQ_STR(out[0].name, "");
	ntfy_core_sub_remove(&q, &d);
	ntfy_core_sub_remove(&q, &c);
	close_q(&q);
}

/* A record is keyed by (subscription, event): other kinds and other subscriptions get
 * their own, and a read record is no longer there to coalesce into. */
HOST_TEST(ntfy_coalescing_key_is_sub_and_event)
{
	struct ntfy_sub_core a, b;
	struct ntfy_record out[8];
	struct ntfy_core q;

	if (!open_q(&q, 8))
		return;
	watch_chan(&q, &a, NTFY_CHAN_EVENTS, NTFY_EDGE, 0, 0, 1);
	watch_chan(&q, &b, NTFY_CHAN_EVENTS, NTFY_EDGE, 0, 0, 1);
	post(&q, &a, NTFY_READABLE, 1, 1, 10);
	post(&q, &a, NTFY_WRITABLE, -1, 0, 11);
	post(&q, &b, NTFY_READABLE, 1, 1, 12);
	post(&q, &a, NTFY_READABLE, 1, 1, 13);
	CHECK_EQ_INT(q.stats.pending, 3);
	CHECK_EQ_INT(read_recs(&q, out, 1, 20), 1);
	post(&q, &a, NTFY_READABLE, 1, 1, 21);
	if (!CHECK_EQ_INT(read_recs(&q, out, 8, 30), 3))
		return;
	check_rec(&out[0], NTFY_WRITABLE, 1, 1, 2);
	check_rec(&out[1], NTFY_READABLE, 1, 2, 3);
	check_rec(&out[2], NTFY_READABLE, 1, 1, 4);
	ntfy_core_sub_remove(&q, &a);
	ntfy_core_sub_remove(&q, &b);
	close_q(&q);
}

HOST_TEST(ntfy_filtered_events_cost_no_space_and_are_counted)
{
	struct ntfy_sub_core deep, other;
	struct ntfy_record out[2];
	struct ntfy_core q;

	if (!open_q(&q, 1))
		return;
	watch_chan(&q, &deep, NTFY_READABLE, NTFY_EDGE | NTFY_DEPTH, 3, 0, 1);
	watch_chan(&q, &other, NTFY_READABLE, NTFY_EDGE, 0, 0, 1);
	CHECK_TRUE(!post(&q, &deep, NTFY_READABLE, 1, 1, 10));
	CHECK_TRUE(!post(&q, &deep, NTFY_READABLE, 1, 2, 11));
	/* Outside the mask: ignored, not "filtered". */
	CHECK_TRUE(!post(&q, &deep, NTFY_WRITABLE, -1, 1, 12));
	CHECK_EQ_U64(q.stats.filtered, 2);
	CHECK_EQ_U64(q.stats.queued, 0);
	CHECK_EQ_INT(q.stats.pending, 0);
	CHECK_EQ_U64(deep.events, 0);
	/* The one slot is still free for a record that passes. */
	CHECK_TRUE(post(&q, &other, NTFY_READABLE, 1, 3, 13));
	CHECK_EQ_U64(q.stats.lost, 0);
	if (CHECK_EQ_INT(read_recs(&q, out, 2, 20), 1))
		check_rec(&out[0], NTFY_READABLE, 1, 2, 1);
	ntfy_core_sub_remove(&q, &deep);
	ntfy_core_sub_remove(&q, &other);
	close_q(&q);
}

HOST_TEST(ntfy_uid_filter_passes_only_that_senders_messages)
{
	struct ntfy_watch w = { .events = NTFY_READABLE | NTFY_WRITABLE,
				.flags = NTFY_EDGE | NTFY_FROM_UID, .uid = 5 };
	struct ntfy_event now = chan_event(0, -1, 0, 1);
	struct ntfy_record out[4];
	struct ntfy_sub_core s;
	struct ntfy_core q;

	if (!open_q(&q, 4))
		return;
	CHECK_EQ_INT(ntfy_core_sub_add(&q, &s, &w, &now), 1);
	post(&q, &s, NTFY_READABLE, 4, 1, 10);
	post(&q, &s, NTFY_READABLE, 0, 2, 11);
	post(&q, &s, NTFY_READABLE, 5, 3, 12);
	/* The filter is on messages: a WRITABLE event has no sender and passes. */
	post(&q, &s, NTFY_WRITABLE, -1, 2, 13);
	CHECK_EQ_U64(q.stats.filtered, 2);
	CHECK_EQ_U64(s.events, 2);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 20), 2))
		return;
	check_rec(&out[0], NTFY_READABLE, 1, 1, 1);
	CHECK_EQ_INT(out[0].depth, 3);
	check_rec(&out[1], NTFY_WRITABLE, 1, 1, 2);
	ntfy_core_sub_remove(&q, &s);
	close_q(&q);
}

HOST_TEST(ntfy_depth_filter_readable_at_least_writable_at_most)
{
	struct ntfy_record out[4];
	struct ntfy_sub_core s;
	struct ntfy_core q;

	if (!open_q(&q, 4))
		return;
	watch_chan(&q, &s, NTFY_READABLE | NTFY_WRITABLE, NTFY_EDGE | NTFY_DEPTH, 2, 0, 1);
	CHECK_TRUE(!post(&q, &s, NTFY_READABLE, 1, 1, 10));    /* 1 < 2 */
	CHECK_TRUE(post(&q, &s, NTFY_READABLE, 1, 2, 11));     /* 2 >= 2 */
	CHECK_TRUE(!post(&q, &s, NTFY_WRITABLE, -1, 3, 12));   /* 3 > 2 */
	CHECK_TRUE(post(&q, &s, NTFY_WRITABLE, -1, 2, 13));    /* 2 <= 2 */
	CHECK_EQ_U64(q.stats.filtered, 2);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 20), 2))
		return;
	check_rec(&out[0], NTFY_READABLE, 1, 1, 1);
	check_rec(&out[1], NTFY_WRITABLE, 1, 1, 2);
	CHECK_EQ_INT(out[1].depth, 2);
	ntfy_core_sub_remove(&q, &s);
	close_q(&q);
}

/* --- edge and level --- */

HOST_TEST(ntfy_edge_reports_nothing_at_subscription)
{
	struct ntfy_sub_core s;
	struct ntfy_core q;

	if (!open_q(&q, 4))
		return;
	watch_chan(&q, &s, NTFY_READABLE | NTFY_WRITABLE, NTFY_EDGE, 0, 2, 1);
	CHECK_EQ_INT(q.stats.pending, 0);
	ntfy_core_sub_remove(&q, &s);
	close_q(&q);
}

HOST_TEST(ntfy_level_reports_holding_states_at_subscription)
{
	const uint32_t rw = NTFY_READABLE | NTFY_WRITABLE;
	struct ntfy_sub_core s[7];
	struct ntfy_record out[8];
	struct ntfy_core q;

	if (!open_q(&q, 8))
		return;
	watch_chan(&q, &s[0], rw, 0, 0, 2, 5);                 /* both */
	watch_chan(&q, &s[1], rw, 0, 0, 0, 5);                 /* empty: writable */
	watch_chan(&q, &s[2], rw, 0, 0, CHAN_CAP, 5);          /* full: readable */
	watch_chan(&q, &s[3], rw, NTFY_DEPTH, 2, 1, 5);        /* 1 < 2: writable */
	watch_chan(&q, &s[4], rw, NTFY_DEPTH, 2, 3, 5);        /* 3 > 2: readable */
	watch_chan(&q, &s[5], NTFY_HUP, 0, 0, 2, 5);           /* no state asked for */
	watch_chan(&q, &s[6], rw, NTFY_DEPTH, 0, 0, 5);        /* readable needs 1 still */
	if (!CHECK_EQ_INT(read_recs(&q, out, 8, 5), 7))
		return;
	check_rec(&out[0], NTFY_READABLE, 0, 1, 1);
	CHECK_EQ_INT(out[0].depth, 2);
	CHECK_EQ_U64(out[0].time_ns, 5);
	check_rec(&out[1], NTFY_WRITABLE, 0, 1, 2);
	check_rec(&out[2], NTFY_WRITABLE, 0, 2, 3);
	check_rec(&out[3], NTFY_READABLE, 0, 3, 4);
	check_rec(&out[4], NTFY_WRITABLE, 0, 4, 5);
	check_rec(&out[5], NTFY_READABLE, 0, 5, 6);
	check_rec(&out[6], NTFY_WRITABLE, 0, 7, 7);
	for (int i = 0; i < 7; i++)
		ntfy_core_sub_remove(&q, &s[i]);
	close_q(&q);
}

HOST_TEST(ntfy_level_rearms_after_read_while_state_holds)
{
	struct ntfy_record out[4];
	struct ntfy_sub_core s;
	struct ntfy_core q;

	if (!open_q(&q, 4))
		return;
	watch_chan(&q, &s, NTFY_READABLE, 0, 0, 1, 5);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 10), 1))
		return;
	check_rec(&out[0], NTFY_READABLE, 0, 1, 1);
	/* Still readable: reported again at once, with the read's time. */
	CHECK_EQ_INT(q.stats.pending, 1);
	CHECK_EQ_U64(q.stats.rearmed, 1);
	/* A message arrives: an event, coalesced into the pending report. */
	CHECK_TRUE(!post(&q, &s, NTFY_READABLE, 0, 2, 20));
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 30), 1))
		return;
	check_rec(&out[0], NTFY_READABLE, 1, 1, 2);
	CHECK_EQ_U64(out[0].time_ns, 10);
	CHECK_EQ_INT(out[0].depth, 2);
	/* Both messages leave (WRITABLE is not in the mask, but the state follows it). */
	post(&q, &s, NTFY_WRITABLE, -1, 1, 40);
	post(&q, &s, NTFY_WRITABLE, -1, 0, 41);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 50), 1))
		return;
	check_rec(&out[0], NTFY_READABLE, 0, 1, 3);
	CHECK_EQ_U64(out[0].time_ns, 30);
	CHECK_EQ_INT(out[0].depth, 2);	/* as it was re-armed: a state has no event */
	/* No longer readable: nothing re-armed. */
	CHECK_EQ_INT(read_recs(&q, out, 4, 60), -EAGAIN);
	CHECK_EQ_U64(q.stats.rearmed, 2);
	CHECK_EQ_U64(q.stats.queued, 3);
	ntfy_core_sub_remove(&q, &s);
	close_q(&q);
}

HOST_TEST(ntfy_level_no_duplicate_while_pending)
{
	struct ntfy_record out[4];
	struct ntfy_sub_core s;
	struct ntfy_core q;

	if (!open_q(&q, 4))
		return;
	watch_chan(&q, &s, NTFY_READABLE | NTFY_WRITABLE, 0, 0, 0, 5);
	for (uint32_t depth = 1; depth <= 3; depth++)
		post(&q, &s, NTFY_READABLE, 0, depth, 10 + depth);
	CHECK_EQ_INT(q.stats.pending, 2);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 20), 2))
		return;
	check_rec(&out[0], NTFY_WRITABLE, 0, 1, 1);
	check_rec(&out[1], NTFY_READABLE, 3, 1, 2);
	/* Re-armed in the order the read removed them, after what it returned. */
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 30), 2))
		return;
	check_rec(&out[0], NTFY_WRITABLE, 0, 1, 3);
	check_rec(&out[1], NTFY_READABLE, 0, 1, 4);
	CHECK_EQ_INT(out[1].depth, 3);
	ntfy_core_sub_remove(&q, &s);
	close_q(&q);
}

/* The re-armed record takes the slot its predecessor freed, even behind an overflow. */
HOST_TEST(ntfy_level_rearm_never_overflows)
{
	struct ntfy_sub_core level, edge;
	struct ntfy_record out[4];
	struct ntfy_core q;

	if (!open_q(&q, 1))
		return;
	watch_chan(&q, &level, NTFY_READABLE, 0, 0, 1, 5);
	watch_chan(&q, &edge, NTFY_HUP, NTFY_EDGE, 0, 1, 5);
	CHECK_TRUE(post(&q, &edge, NTFY_HUP, -1, 1, 6));       /* the overflow record */
	if (!CHECK_EQ_INT(read_recs(&q, out, 1, 10), 1))
		return;
	check_rec(&out[0], NTFY_READABLE, 0, 1, 1);
	CHECK_EQ_U64(q.stats.rearmed, 1);
	CHECK_EQ_U64(q.stats.lost, 1);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 20), 2))
		return;
	check_rec(&out[0], NTFY_OVERFLOW, 1, 0, 2);
	check_rec(&out[1], NTFY_READABLE, 0, 1, 3);
	CHECK_EQ_U64(out[1].time_ns, 10);
	ntfy_core_sub_remove(&q, &level);
	ntfy_core_sub_remove(&q, &edge);
	close_q(&q);
}

/* HUP, ERROR and GONE are events for a level-triggered subscription too. */
HOST_TEST(ntfy_level_events_other_than_states_are_events)
{
	struct ntfy_record out[4];
	struct ntfy_sub_core s;
	struct ntfy_core q;

	if (!open_q(&q, 4))
		return;
	watch_chan(&q, &s, NTFY_HUP | NTFY_ERROR, 0, 0, 0, 5);
	post(&q, &s, NTFY_ERROR, -1, 0, 10);
	post(&q, &s, NTFY_ERROR, -1, 0, 11);
	post(&q, &s, NTFY_HUP, -1, 0, 12);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 20), 2))
		return;
	check_rec(&out[0], NTFY_ERROR, 2, 1, 1);
	check_rec(&out[1], NTFY_HUP, 1, 1, 2);
	CHECK_EQ_INT(read_recs(&q, out, 4, 30), -EAGAIN);
	ntfy_core_sub_remove(&q, &s);
	close_q(&q);
}

HOST_TEST(ntfy_gone_is_delivered_even_if_not_asked_for)
{
	struct ntfy_record out[4];
	struct ntfy_sub_core s;
	struct ntfy_core q;

	if (!open_q(&q, 4))
		return;
	watch_chan(&q, &s, NTFY_READABLE, NTFY_EDGE, 0, 0, 5);
	CHECK_TRUE(!post(&q, &s, NTFY_HUP, -1, 0, 10));
	CHECK_TRUE(post(&q, &s, NTFY_GONE, -1, 0, 11));
	ntfy_core_sub_remove(&q, &s);
	CHECK_EQ_U64(q.stats.filtered, 0);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 20), 1))
		return;
	check_rec(&out[0], NTFY_GONE, 1, 1, 1);
	CHECK_EQ_U64(out[0].cookie, s.w.cookie);
	close_q(&q);
}

/* --- unwatch --- */

/* The subscription's memory is freed right after unwatch; reading its records later, and
 * re-arming (it was level-triggered), must not touch it: ASan watches. */
HOST_TEST(ntfy_unwatch_leaves_pending_records)
{
	struct ntfy_sub_core *s = malloc(sizeof(*s)), *t = malloc(sizeof(*t));
	struct ntfy_record out[4];
	struct ntfy_core q;
	int id;

	if (!CHECK_TRUE(s != NULL && t != NULL) || !open_q(&q, 4))
		return;
	id = watch_chan(&q, s, NTFY_READABLE | NTFY_HUP, 0, 0, 1, 5);
	post(&q, s, NTFY_HUP, -1, 1, 6);
	ntfy_core_sub_remove(&q, s);
	free(s);
	CHECK_EQ_INT(q.stats.subs, 0);
	CHECK_TRUE(ntfy_core_sub_find(&q, id) == NULL);
	/* A new subscription in new memory gets a new id and its own records. */
	CHECK_EQ_INT(watch_chan(&q, t, NTFY_READABLE, 0, 0, 1, 7), id + 1);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 10), 3))
		return;
	check_rec(&out[0], NTFY_READABLE, 0, id, 1);
	CHECK_EQ_U64(out[0].cookie, 0xc0de0001);
	check_rec(&out[1], NTFY_HUP, 1, id, 2);
	check_rec(&out[2], NTFY_READABLE, 0, id + 1, 3);
	/* Only the live subscription's state is re-armed. */
	CHECK_EQ_U64(q.stats.rearmed, 1);
	CHECK_EQ_INT(q.stats.pending, 1);
	ntfy_core_sub_remove(&q, t);
	free(t);
	close_q(&q);
}

HOST_TEST(ntfy_sub_find_by_id)
{
	struct ntfy_sub_core a, b;
	struct ntfy_core q;

	if (!open_q(&q, 4))
		return;
	watch_chan(&q, &a, NTFY_HUP, 0, 0, 0, 1);
	watch_chan(&q, &b, NTFY_HUP, 0, 0, 0, 1);
	CHECK_TRUE(ntfy_core_sub_find(&q, 1) == &a);
	CHECK_TRUE(ntfy_core_sub_find(&q, 2) == &b);
	CHECK_TRUE(ntfy_core_sub_find(&q, 3) == NULL);
	ntfy_core_sub_remove(&q, &a);
	CHECK_TRUE(ntfy_core_sub_find(&q, 1) == NULL);
	ntfy_core_sub_remove(&q, &b);
	close_q(&q);
}

/* --- read --- */

HOST_TEST(ntfy_read_copies_then_removes)
{
	struct ntfy_host_buf hb = { .fault_from = 1 };
	struct ntfy_record out[4];
	struct ntfy_sub_core s;
	struct ntfy_core q;
	struct ntfy_buf b;

	if (!open_q(&q, 4))
		return;
	watch_chan(&q, &s, NTFY_CHAN_EVENTS, NTFY_EDGE, 0, 0, 1);
	post(&q, &s, NTFY_READABLE, 0, 1, 10);
	post(&q, &s, NTFY_WRITABLE, -1, 0, 11);
	post(&q, &s, NTFY_HUP, -1, 0, 12);
	/* The second record faults: the first was copied, yet nothing is removed. */
	hb.recs = out;
	b = ntfy_host_buf(&hb, 4);
	CHECK_EQ_INT(ntfy_core_read(&q, &b, 20), -EFAULT);
	CHECK_EQ_INT(q.stats.pending, 3);
	CHECK_EQ_U64(q.stats.read, 0);
	/* A fault beyond what is returned is no fault. */
	hb.fault_from = 2;
	b = ntfy_host_buf(&hb, 2);
	CHECK_EQ_INT(ntfy_core_read(&q, &b, 20), 2 * (long)sizeof(struct ntfy_record));
	check_rec(&out[0], NTFY_READABLE, 1, 1, 1);
	check_rec(&out[1], NTFY_WRITABLE, 1, 1, 2);
	if (CHECK_EQ_INT(read_recs(&q, out, 4, 30), 1))
		check_rec(&out[0], NTFY_HUP, 1, 1, 3);
	CHECK_EQ_U64(q.stats.read, 3);
	ntfy_core_sub_remove(&q, &s);
	close_q(&q);
}

HOST_TEST(ntfy_read_needs_room_for_a_record_and_eagain_when_empty)
{
	struct ntfy_host_buf hb = { .fault_from = NTFY_HOST_NO_FAULT };
	struct ntfy_record out[2];
	struct ntfy_sub_core s;
	struct ntfy_core q;
	struct ntfy_buf b;

	if (!open_q(&q, 4))
		return;
	hb.recs = out;
	b = ntfy_host_buf(&hb, 1);
	CHECK_EQ_INT(ntfy_core_read(&q, &b, 1), -EAGAIN);
	watch_chan(&q, &s, NTFY_HUP, NTFY_EDGE, 0, 0, 1);
	post(&q, &s, NTFY_HUP, -1, 0, 10);
	b.len = sizeof(struct ntfy_record) - 1;
	CHECK_EQ_INT(ntfy_core_read(&q, &b, 20), -EINVAL);
	b.len = 0;
	CHECK_EQ_INT(ntfy_core_read(&q, &b, 20), -EINVAL);
	CHECK_EQ_INT(q.stats.pending, 1);
	/* One and a half records' room returns one record. */
	b.len = sizeof(struct ntfy_record) * 3 / 2;
	CHECK_EQ_INT(ntfy_core_read(&q, &b, 20), (long)sizeof(struct ntfy_record));
	CHECK_EQ_INT(ntfy_core_read(&q, &b, 30), -EAGAIN);
	ntfy_core_sub_remove(&q, &s);
	close_q(&q);
}

/* --- overflow --- */

#define LOSS_SUBS 1000
#define LOSS_CAPACITY 8

/* Post one READABLE event at time t to each of subs[from..to). */
static void post_each(struct ntfy_core *q, struct ntfy_sub_core *subs, int from, int to,
		      uint64_t t)
{
	for (int i = from; i < to; i++)
		post(q, &subs[i], NTFY_READABLE, 0, 1, t + (uint64_t)i);
}

/* Per subscription: events that passed = counts delivered + counts pending + lost. */
static void check_sub_accounting(struct ntfy_sub_core *subs, int n, const uint64_t *delivered)
{
	for (int i = 0; i < n; i++)
		if (!CHECK_EQ_U64(subs[i].events, delivered[i] + subs[i].lost))
			return;
}

HOST_TEST(ntfy_overflow_1000_events_into_8_slots)
{
	struct ntfy_sub_core *subs = calloc(LOSS_SUBS, sizeof(*subs));
	uint64_t *delivered = calloc(LOSS_SUBS, sizeof(*delivered));
	struct ntfy_record out[16];
	struct ntfy_core q;
	long n;

	if (!CHECK_TRUE(subs != NULL && delivered != NULL) || !open_q(&q, LOSS_CAPACITY))
		return;
	for (int i = 0; i < LOSS_SUBS; i++)
		watch_chan(&q, &subs[i], NTFY_READABLE, NTFY_EDGE, 0, 0, 1);
	post_each(&q, subs, 0, LOSS_SUBS, 1000);
	CHECK_EQ_INT(q.stats.pending, LOSS_CAPACITY + 1);
	n = read_recs(&q, out, 16, 5000);
	if (!CHECK_EQ_INT(n, LOSS_CAPACITY + 1))
		return;
	for (int i = 0; i < LOSS_CAPACITY; i++) {
		check_rec(&out[i], NTFY_READABLE, 1, i + 1, (uint64_t)i + 1);
		delivered[i] += out[i].count;
	}
	check_rec(&out[8], NTFY_OVERFLOW, LOSS_SUBS - LOSS_CAPACITY, 0, 9);
	CHECK_EQ_U64(out[8].cookie, 0);
	CHECK_EQ_U64(out[8].time_ns, 1000 + LOSS_CAPACITY);
	CHECK_EQ_U64(q.stats.lost, LOSS_SUBS - LOSS_CAPACITY);
	CHECK_EQ_U64(q.stats.queued, LOSS_CAPACITY);
	CHECK_EQ_U64(subs[LOSS_CAPACITY].lost, 1);
	check_sub_accounting(subs, LOSS_SUBS, delivered);
	/* Once the overflow record is read, a new loss starts a new one. */
	post_each(&q, subs, 100, 100 + LOSS_CAPACITY + 1, 6000);
	n = read_recs(&q, out, 16, 7000);
	if (CHECK_EQ_INT(n, LOSS_CAPACITY + 1)) {
		check_rec(&out[0], NTFY_READABLE, 1, 101, 10);
		check_rec(&out[8], NTFY_OVERFLOW, 1, 0, 18);
	}
	for (int i = 0; i < LOSS_SUBS; i++)
		ntfy_core_sub_remove(&q, &subs[i]);
	close_q(&q);
	free(subs);
	free(delivered);
}

/* Only one overflow record is pending: losses after records that follow it still add to
 * it, and it never takes an ordinary record's slot. */
HOST_TEST(ntfy_overflow_one_record_pending_at_most)
{
	struct ntfy_sub_core subs[6];
	struct ntfy_record out[8];
	struct ntfy_core q;

	if (!open_q(&q, 2))
		return;
	for (int i = 0; i < 6; i++)
		watch_chan(&q, &subs[i], NTFY_READABLE, NTFY_EDGE, 0, 0, 1);
	CHECK_TRUE(post(&q, &subs[0], NTFY_READABLE, 0, 1, 10));
	CHECK_TRUE(post(&q, &subs[1], NTFY_READABLE, 0, 1, 11));
	CHECK_TRUE(post(&q, &subs[2], NTFY_READABLE, 0, 1, 12));   /* a new overflow record */
	CHECK_TRUE(!post(&q, &subs[3], NTFY_READABLE, 0, 1, 13));  /* added to it */
	CHECK_EQ_INT(read_recs(&q, out, 1, 20), 1);
	CHECK_TRUE(post(&q, &subs[4], NTFY_READABLE, 0, 1, 21));   /* after the overflow */
	CHECK_TRUE(!post(&q, &subs[5], NTFY_READABLE, 0, 1, 22));  /* lost again */
	CHECK_EQ_INT(q.stats.pending, 3);
	if (!CHECK_EQ_INT(read_recs(&q, out, 8, 30), 3))
		return;
	check_rec(&out[0], NTFY_READABLE, 1, 2, 2);
	check_rec(&out[1], NTFY_OVERFLOW, 3, 0, 3);
	CHECK_EQ_U64(out[1].time_ns, 12);
	check_rec(&out[2], NTFY_READABLE, 1, 5, 4);
	for (int i = 0; i < 6; i++)
		ntfy_core_sub_remove(&q, &subs[i]);
	close_q(&q);
}

/* A level report that finds the queue full is lost like an event, in the overflow record,
 * but is no event of the subscription's. */
HOST_TEST(ntfy_overflow_counts_lost_level_reports)
{
	struct ntfy_sub_core edge, level;
	struct ntfy_record out[4];
	struct ntfy_core q;

	if (!open_q(&q, 1))
		return;
	watch_chan(&q, &edge, NTFY_HUP, NTFY_EDGE, 0, 1, 1);
	post(&q, &edge, NTFY_HUP, -1, 1, 2);
	watch_chan(&q, &level, NTFY_READABLE | NTFY_WRITABLE, 0, 0, 1, 3);
	CHECK_EQ_U64(q.stats.lost, 2);
	CHECK_EQ_U64(level.lost, 0);
	CHECK_EQ_U64(level.events, 0);
	if (!CHECK_EQ_INT(read_recs(&q, out, 4, 10), 2))
		return;
	check_rec(&out[1], NTFY_OVERFLOW, 2, 0, 2);
	CHECK_EQ_U64(out[1].time_ns, 3);
	ntfy_core_sub_remove(&q, &edge);
	ntfy_core_sub_remove(&q, &level);
	close_q(&q);
}

/* --- subscriptions and memory --- */

HOST_TEST(ntfy_subs_max_is_enospc)
{
	struct ntfy_sub_core *subs = calloc(NTFY_SUBS_MAX + 1, sizeof(*subs));
	struct ntfy_core q;

	if (!CHECK_TRUE(subs != NULL) || !open_q(&q, 4))
		return;
	for (int i = 0; i < NTFY_SUBS_MAX; i++)
		if (!CHECK_EQ_INT(watch_chan(&q, &subs[i], NTFY_HUP, 0, 0, 0, 1), i + 1))
			break;
	CHECK_EQ_INT(watch_chan(&q, &subs[NTFY_SUBS_MAX], NTFY_HUP, 0, 0, 0, 1), -ENOSPC);
	CHECK_EQ_INT(q.stats.subs, NTFY_SUBS_MAX);
	ntfy_core_sub_remove(&q, &subs[0]);
	CHECK_EQ_INT(watch_chan(&q, &subs[NTFY_SUBS_MAX], NTFY_HUP, 0, 0, 0, 1),
		     NTFY_SUBS_MAX + 1);
	for (int i = 1; i <= NTFY_SUBS_MAX; i++)
		ntfy_core_sub_remove(&q, &subs[i]);
	close_q(&q);
	free(subs);
}

/* Subscriptions are the caller's memory: the core allocates its ring once and nothing per
 * subscription, so 10,000 cycles leave the allocation counters where they were. */
HOST_TEST(ntfy_memory_back_to_baseline_after_10000_subscriptions)
{
	struct ntfy_record out[4];
	struct ntfy_core q;
	uint64_t allocs;

	if (!open_q(&q, 2))
		return;
	allocs = ntfy_host_alloc.allocs;
	for (int i = 0; i < 10000; i++) {
		struct ntfy_sub_core *s = malloc(sizeof(*s));
		bool level = i % 2 != 0;

		watch_chan(&q, s, NTFY_READABLE, level ? 0 : NTFY_EDGE, 0, 1, (uint64_t)i);
		post(&q, s, NTFY_GONE, -1, 1, (uint64_t)i);
		ntfy_core_sub_remove(&q, s);
		free(s);
		if (!CHECK_EQ_INT(read_recs(&q, out, 4, (uint64_t)i), level ? 2 : 1))
			break;
	}
	CHECK_EQ_U64(ntfy_host_alloc.allocs, allocs);
	CHECK_EQ_U64(ntfy_host_live(), live_before + 1);
	CHECK_EQ_INT(q.stats.pending, 0);
	close_q(&q);
}

HOST_TEST(ntfy_stats_add_sums_every_counter)
{
	struct ntfy_stats a = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct ntfy_stats sum = a;

	ntfy_stats_add(&sum, &a);
	CHECK_EQ_U64(sum.queued, 2);
	CHECK_EQ_U64(sum.coalesced, 4);
	CHECK_EQ_U64(sum.filtered, 6);
	CHECK_EQ_U64(sum.lost, 8);
	CHECK_EQ_U64(sum.rearmed, 10);
	CHECK_EQ_U64(sum.read, 12);
	CHECK_EQ_U64(sum.woken, 14);
	CHECK_EQ_INT(sum.pending, 16);
	CHECK_EQ_INT(sum.subs, 18);
}
