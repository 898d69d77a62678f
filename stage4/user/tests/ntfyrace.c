/* ntfyrace: notifications under concurrent producers, through the real system calls
 * (lab-guides/stage4.md, "Notifications"): every event is accounted for when the posts of
 * several processes on several CPUs race each other and the reader.
 *
 * One endpoint watches three channels written at once by four producers (two root, two
 * alice; a few hundred messages each) and drained by a consumer, while the test reads
 * records with blocking reads and poll: edge subscriptions with no filter, NTFY_FROM_UID
 * for each uid on the channel both write, NTFY_DEPTH, a level one. The events each must
 * see follow from what the producers wrote; the depth-filtered one's from the endpoint's
 * filtered figure. With a small capacity (overflow): no subscription gets more counts than
 * events passed, and counts delivered plus the overflow records' counts are every event
 * that passed; with the default one (which cannot overflow with so few subscriptions):
 * each gets exactly what passed. The endpoint's line of /kfs/ipc/notify must agree with
 * the records read (ulib/ntfystat.h).
 *
 * Why apart from ntfyprop: ntfyprop runs sequences whose every result the reference model
 * predicts, step by step, so it can shrink a failure to a few operations. Here what comes
 * out depends on how the processes interleave, which no model replays: the test checks
 * conservation laws instead, and only what does not depend on timing (messages per
 * producer, capacity, the events each subscription must pass but the depth-filtered one,
 * the verdict) goes into its digest. Apart, each boots, replays and takes its time on its
 * own, and a replay of one runs none of the other's cases.
 *
 *   ntfyrace                        the test (utest=ntfyrace; seed=N, prop.replay=N)
 *   ntfyrace producer K N           producer K writes N messages
 *   ntfyrace consumer N             read N messages, then write one to "done"
 *
 * A failure prints the case seed and the line that replays it: the replay runs that case
 * seed in both properties of the program. */
#include <stdbool.h>
#include <stdint.h>
#include <lib/prop.h>
#include <lib/tap.h>
#include <ulib/args.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/ntfystat.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/utest.h>

#define NPC_DIR "/ipc/npc"
#define NPC_PRODUCERS 4         /* 0 and 1 as root, 2 and 3 as alice */
#define NPC_ALICE 1000          /* alice's uid */
#define NPC_CASES 3             /* per UTEST */
#define NPC_CHAN_CAP 4          /* small: producers wait for the consumer */
#define NPC_DEPTH 2             /* the depth filter's threshold */
#define NPC_READ_MAX 8

/* Producers write to their uid's channel (r: root, u: alice) and to m, which both share;
 * the consumer writes one message to done when it has read them all. */
enum { NPC_R, NPC_U, NPC_M, NPC_DONE, NPC_CHANS };
static const char *const npc_names[NPC_CHANS] = { NPC_DIR "/r", NPC_DIR "/u", NPC_DIR "/m",
						  NPC_DIR "/done" };

/* The subscriptions, ids 1, 2, 3... in this order. */
enum { NPC_R_IN, NPC_R_OUT, NPC_U_IN, NPC_M_ALICE, NPC_M_ROOT, NPC_M_ALL, NPC_M_DEEP,
	NPC_DONE_IN, NPC_U_LEVEL, NPC_SUBS };
static const struct { int chan; struct ntfy_watch w; } npc_subs[NPC_SUBS] = {
	[NPC_R_IN] = { NPC_R, { .events = NTFY_READABLE, .flags = NTFY_EDGE } },
	[NPC_R_OUT] = { NPC_R, { .events = NTFY_WRITABLE, .flags = NTFY_EDGE } },
	[NPC_U_IN] = { NPC_U, { .events = NTFY_READABLE, .flags = NTFY_EDGE } },
	[NPC_M_ALICE] = { NPC_M, { .events = NTFY_READABLE, .flags = NTFY_EDGE | NTFY_FROM_UID,
				   .uid = NPC_ALICE } },
	[NPC_M_ROOT] = { NPC_M, { .events = NTFY_READABLE, .flags = NTFY_EDGE | NTFY_FROM_UID,
				  .uid = 0 } },
	[NPC_M_ALL] = { NPC_M, { .events = NTFY_READABLE, .flags = NTFY_EDGE } },
	[NPC_M_DEEP] = { NPC_M, { .events = NTFY_READABLE, .flags = NTFY_EDGE | NTFY_DEPTH,
				  .depth = NPC_DEPTH } },
	[NPC_DONE_IN] = { NPC_DONE, { .events = NTFY_READABLE, .flags = NTFY_EDGE } },
	[NPC_U_LEVEL] = { NPC_U, { .events = NTFY_READABLE } },
};

/* One run: what was read, and what must have passed each subscription. */
struct npc_run {
	int nfd;
	uint64_t last_seq, records, overflow_records, lost_seen, zero_reports;
	uint64_t passed[NPC_SUBS], delivered[NPC_SUBS];
	struct ntfy_record recs[NPC_READ_MAX];
	char why[160];
};

static int npc_uid(int producer)
{
	return producer < NPC_PRODUCERS / 2 ? 0 : NPC_ALICE;
}

/* Producer mode: message i (8 bytes: producer << 32 | i) goes to the producer's own
 * channel when i is even, to m when odd. Exit status 0 when every write went. */
static int npc_producer(int k, long n)
{
	int own = sys_open(npc_names[npc_uid(k) ? NPC_U : NPC_R], O_WRONLY, 0);
	int mixed = sys_open(npc_names[NPC_M], O_WRONLY, 0);

	for (long i = 0; i < n; i++) {
		uint64_t tag = (uint64_t)k << 32 | (uint64_t)i;

		if (sys_write(i % 2 ? mixed : own, &tag, sizeof tag) != sizeof tag)
			return 1;
	}
	return own < 0 || mixed < 0;
}

/* Whether message tag on channel chan is right: a producer's, of the sender's uid, on the
 * channel its number says, after that producer's earlier ones on chan. */
static bool npc_message_ok(int chan, uint64_t tag, const struct chan_msg_info *info,
			   long long last[NPC_CHANS][NPC_PRODUCERS])
{
	int k = (int)(tag >> 32);
	long long i = (long long)(uint32_t)tag;

	if (k < 0 || k >= NPC_PRODUCERS || info->from.uid != npc_uid(k) || i <= last[chan][k])
		return false;
	last[chan][k] = i;
	return chan == (i % 2 ? NPC_M : npc_uid(k) ? NPC_U : NPC_R);
}

/* Consumer mode: read total messages from r, u and m as poll finds them, then write one
 * to done. As a writer of each channel itself, it never sees end of file. */
static int npc_consumer(long total)
{
	long long last[NPC_CHANS][NPC_PRODUCERS];
	struct pollfd pfd[NPC_M + 1];
	struct chan_msg_info info;
	uint64_t tag;
	long got = 0;
	int done;

	memset(last, 0xff, sizeof last);        /* -1: nothing read yet */
	for (int c = NPC_R; c <= NPC_M; c++) {
		pfd[c] = (struct pollfd){ sys_open(npc_names[c], O_RDWR | O_NONBLOCK, 0), POLLIN, 0 };
		if (pfd[c].fd < 0)
			return 4;
	}
	while (got < total) {
		if (sys_poll(pfd, NPC_M + 1, -1) < 1)
			return 1;
		for (int c = NPC_R; c <= NPC_M; c++) {
			if (!(pfd[c].revents & POLLIN))
				continue;
			if (sys_recv(pfd[c].fd, &tag, sizeof tag, &info) != sizeof tag ||
			    !npc_message_ok(c, tag, &info, last))
				return 2;
			got++;
		}
	}
	done = sys_open(npc_names[NPC_DONE], O_WRONLY, 0);
	return sys_write(done, "done", 4) == 4 ? 0 : 3;
}

/* Record a failure in r->why; returns true. */
static bool npc_fail(struct npc_run *r, const char *what, long long got, long long want)
{
	snprintf(r->why, sizeof r->why, "%s: %lld, expected %lld", what, got, want);
	return true;
}

/* What one record read says: the next sequence number, a time not in the future; an
 * overflow record of no subscription; else a subscription's event, of count 0 only for
 * the level one, of a depth its filter lets through. */
static bool npc_record_wrong(struct npc_run *r, const struct ntfy_record *rec, uint64_t now)
{
	int i = rec->sub - 1;

	if (rec->seq != r->last_seq + 1)
		return npc_fail(r, "sequence number after the last one read", (long long)rec->seq,
				(long long)r->last_seq + 1);
	r->last_seq = rec->seq;
	r->records++;
	if (rec->time_ns > now)
		return npc_fail(r, "a record's time in the future, by", (long long)(rec->time_ns - now), 0);
	if (rec->events == NTFY_OVERFLOW) {
		r->overflow_records++;
		r->lost_seen += rec->count;
		return (rec->sub != 0 || rec->cookie != 0 || rec->count == 0) &&
		       npc_fail(r, "an overflow record's sub (or no count)", rec->sub, 0);
	}
	if (i < 0 || i >= NPC_SUBS || rec->cookie != (uint64_t)i ||
	    !(rec->events & npc_subs[i].w.events))
		return npc_fail(r, "a record's sub, cookie or event", rec->sub, rec->events);
	if (rec->count == 0 && i != NPC_U_LEVEL)
		return npc_fail(r, "a count of 0 for an edge subscription", rec->sub, 0);
	if (rec->events == NTFY_READABLE &&
	    (rec->depth < (i == NPC_M_DEEP ? NPC_DEPTH : 1) || rec->depth > NPC_CHAN_CAP))
		return npc_fail(r, "a readable record's depth, of subscription", rec->sub,
				rec->depth);
	r->zero_reports += rec->count == 0;
	r->delivered[i] += rec->count;
	return false;
}

/* Read records one of three ways (the case's rng picks): a blocking read, poll with no
 * timeout then read, or a poll that only looks. Then yield: a level subscription re-armed
 * at every read would otherwise keep a lone CPU reading. */
static bool npc_read_some(struct npc_run *r, struct prng *rng)
{
	struct pollfd pfd = { .fd = r->nfd, .events = POLLIN };
	size_t want = (size_t)prng_range(rng, 1, NPC_READ_MAX);
	uint64_t way = prng_below(rng, 3);
	long n;

	if (way == 1 && (sys_poll(&pfd, 1, -1) != 1 || pfd.revents != POLLIN))
		return npc_fail(r, "poll with no timeout, revents", pfd.revents, POLLIN);
	if (way == 2 && sys_poll(&pfd, 1, 0) == 0) {
		sys_yield();
		return false;
	}
	n = sys_read(r->nfd, r->recs, want * sizeof r->recs[0]);
	sys_yield();
	if (n <= 0 || n % (long)sizeof r->recs[0] != 0)
		return npc_fail(r, "a read of an endpoint with records", n, 1);
	for (long i = 0; i < n / (long)sizeof r->recs[0]; i++) {
		if (npc_record_wrong(r, &r->recs[i], (uint64_t)sys_clock_ns()))
			return true;
	}
	return false;
}

/* The channels and the endpoint, subscribed in npc_subs' order. */
static bool npc_setup(struct npc_run *r, uint32_t capacity)
{
	struct chan_attr attr = { NPC_CHAN_CAP, 16 };
	struct ntfy_watch w;

	if (sys_mkdir(NPC_DIR, 0755) != 0)
		return npc_fail(r, "mkdir " NPC_DIR, -1, 0);
	for (int c = 0; c < NPC_CHANS; c++) {
		if (sys_mkchan(npc_names[c], c == NPC_DONE ? 0600 : 0666, &attr) != 0)
			return npc_fail(r, "mkchan, channel", c, 0);
	}
	r->nfd = sys_ntfy_new(capacity, 0);
	if (r->nfd < 0)
		return npc_fail(r, "ntfy_new", r->nfd, 0);
	for (int i = 0; i < NPC_SUBS; i++) {
		w = npc_subs[i].w;
		w.cookie = (uint64_t)i;
		if (sys_watch(r->nfd, npc_names[npc_subs[i].chan], &w) != i + 1)
			return npc_fail(r, "watch, subscription", i + 1, 0);
	}
	return false;
}

/* Start the producers and the consumer; their pids in pid[0..NPC_PRODUCERS]. */
static bool npc_start(struct npc_run *r, long n, int *pid)
{
	char k_arg[8], n_arg[16], total[16];
	char *argv[] = { "ntfyrace", "producer", k_arg, n_arg, NULL };
	char *cargv[] = { "ntfyrace", "consumer", total, NULL };

	snprintf(n_arg, sizeof n_arg, "%ld", n);
	snprintf(total, sizeof total, "%ld", n * NPC_PRODUCERS);
	for (int k = 0; k < NPC_PRODUCERS; k++) {
		struct spawn_attr attr = { npc_uid(k), npc_uid(k) };

		snprintf(k_arg, sizeof k_arg, "%d", k);
		pid[k] = sys_spawn("/bin/ntfyrace", argv, &attr);
	}
	pid[NPC_PRODUCERS] = sys_spawn("/bin/ntfyrace", cargv, NULL);
	for (int k = 0; k <= NPC_PRODUCERS; k++) {
		if (pid[k] <= 0)
			return npc_fail(r, "spawn, process", k, 0);
	}
	return false;
}

/* Read records until the consumer is done, then wait for everyone and read the rest. */
static bool npc_collect(struct npc_run *r, struct prng *rng, const int *pid)
{
	struct stat st;
	bool bad = false;
	int status;

	while (!bad && sys_stat(npc_names[NPC_DONE], &st) == 0 && st.st_size == 0)
		bad = npc_read_some(r, rng);
	for (int k = 0; k <= NPC_PRODUCERS; k++) {
		status = -1;
		if (sys_wait(pid[k], &status) != pid[k] || status != 0)
			bad = bad || npc_fail(r, "exit status of process", k, 0);
	}
	while (!bad && sys_fstat(r->nfd, &st) == 0 && st.st_size > 0)
		bad = npc_read_some(r, rng);
	return bad;
}

/* What each subscription must have passed, from what the producers wrote (n messages
 * each); the depth-filtered one's from the endpoint's filtered figure: the uid filters
 * turned away every message of m once between them, the depth filter the rest. */
static bool npc_expect(struct npc_run *r, long n, unsigned long long filtered)
{
	uint64_t own = 2 * (uint64_t)((n + 1) / 2), mixed = 2 * (uint64_t)(n / 2);

	r->passed[NPC_R_IN] = r->passed[NPC_R_OUT] = own;
	r->passed[NPC_U_IN] = r->passed[NPC_U_LEVEL] = own;
	r->passed[NPC_M_ALICE] = r->passed[NPC_M_ROOT] = mixed;
	r->passed[NPC_M_ALL] = 2 * mixed;
	r->passed[NPC_DONE_IN] = 1;
	if (filtered < 2 * mixed || filtered > 4 * mixed)
		return npc_fail(r, "events filtered", (long long)filtered, (long long)(2 * mixed));
	r->passed[NPC_M_DEEP] = 4 * mixed - filtered;
	return false;
}

/* The laws, from the endpoint's figures f (queued coalesced filtered lost rearmed read)
 * and what was read: every record counted, every event that passed delivered or lost, no
 * subscription given more than passed it (with exact: given exactly that, none lost). */
static bool npc_laws_broken(struct npc_run *r, long n, const unsigned long long *f, bool exact)
{
	uint64_t passed = 0, delivered = 0;

	if (npc_expect(r, n, f[2]))
		return true;
	for (int i = 0; i < NPC_SUBS; i++) {
		if (r->delivered[i] > r->passed[i] || (exact && r->delivered[i] != r->passed[i])) {
			snprintf(r->why, sizeof r->why, "subscription %d: counts delivered %llu, "
				 "events passed %llu", i + 1, (unsigned long long)r->delivered[i],
				 (unsigned long long)r->passed[i]);
			return true;
		}
		passed += r->passed[i];
		delivered += r->delivered[i];
	}
	if (f[3] != r->lost_seen || (exact && f[3] != 0))
		return npc_fail(r, "lost vs the overflow records' counts", (long long)f[3],
				(long long)r->lost_seen);
	if (delivered + f[3] != passed)
		return npc_fail(r, "counts delivered + lost vs events passed",
				(long long)(delivered + f[3]), (long long)passed);
	if (f[0] != r->records - r->overflow_records || f[5] != r->records)
		return npc_fail(r, "records queued vs read (not overflow)", (long long)f[0],
				(long long)(r->records - r->overflow_records));
	/* every event that passed was coalesced, queued or lost; every level report was
	 * queued: re-armed ones have the room their read made, and there was none at first
	 * (u was empty). A report read with count 0 is one of them. */
	if (passed + f[4] != f[0] + f[1] + f[3] || f[4] < r->zero_reports)
		return npc_fail(r, "passed + rearmed vs queued + coalesced + lost",
				(long long)(passed + f[4]), (long long)(f[0] + f[1] + f[3]));
	return false;
}

/* The endpoint's figures from /kfs/ipc/notify: f[] gets queued coalesced filtered lost
 * rearmed read; nothing may be pending, and every subscription must still be there. */
static bool npc_figures(struct npc_run *r, unsigned long long *f)
{
	static const char *const columns[] = { "queued", "coalesced", "filtered", "lost",
					       "rearmed", "read", "pending", "subs" };
	static char table[NTFYSTAT_MAX + 1];
	unsigned long long v[8];
	struct stat st;

	if (sys_fstat(r->nfd, &st) != 0 || ntfystat_read(table) < 0)
		return npc_fail(r, "reading " NTFYSTAT_PATH, -1, 0);
	for (int c = 0; c < 8; c++) {
		if (ntfystat_field(table, st.st_ino, columns[c], &v[c]) != 0)
			return npc_fail(r, "a column of " NTFYSTAT_PATH ", number", c, 0);
	}
	if (v[6] != 0 || v[7] != NPC_SUBS)
		return npc_fail(r, "records pending * 1000 + subscriptions at the end",
				(long long)(v[6] * 1000 + v[7]), NPC_SUBS);
	memcpy(f, v, 6 * sizeof *f);
	return false;
}

/* Remove the endpoint (first: its subscriptions end without a GONE), channels, directory. */
static void npc_cleanup(struct npc_run *r)
{
	if (r->nfd >= 0)
		sys_close(r->nfd);
	for (int c = 0; c < NPC_CHANS; c++)
		sys_unlink(npc_names[c]);
	sys_rmdir(NPC_DIR);
}

/* One concurrent run: producers of n messages each, an endpoint of capacity (0: the
 * default, which cannot overflow with NPC_SUBS subscriptions). exact is arg. */
static int npc_case(struct prop_case *c, void *arg)
{
	bool exact = *(const bool *)arg;
	long n = (long)prng_range(&c->rng, 250, 400);
	uint32_t capacity = exact ? 0 : (uint32_t)prng_range(&c->rng, 1, 4);
	struct npc_run *r = calloc(1, sizeof *r);
	unsigned long long f[6];
	int pid[NPC_PRODUCERS + 1];
	bool bad;

	r->nfd = -1;
	bad = npc_setup(r, capacity) || npc_start(r, n, pid) || npc_collect(r, &c->rng, pid) ||
	      npc_figures(r, f) || npc_laws_broken(r, n, f, exact);
	prop_observe(c, (uint64_t)n << 32 | capacity);
	for (int i = 0; i < NPC_SUBS; i++)
		prop_observe(c, i == NPC_M_DEEP ? 0 : r->passed[i]);
	prop_observe(c, bad);
	npc_cleanup(r);
	if (bad)
		prop_fail(c, "%ld messages per producer, capacity %u: %s", n, capacity, r->why);
	else
		tap_diag(utest_tap(), "ntfyrace: %ld messages per producer, capacity %u: %llu "
			 "records, %llu events lost, %llu coalesced, %llu re-armed", n, capacity,
			 (unsigned long long)r->records, f[3], f[1], f[4]);
	free(r);
	return bad;
}

/* Four producers at once and a small endpoint: it overflows, and still every event that
 * passed a subscription is delivered or counted lost, and none that did not. */
UTEST(concurrent_producers_overflow_counts_every_lost_event)
{
	bool exact = false;

	UTEST_EXPECT_EQ(prop_check(utest_tap(), "ntfy_concurrent_overflow", NPC_CASES, npc_case,
				   &exact), 0);
}

/* The same with an endpoint that cannot overflow: each subscription gets exactly the
 * events that passed its filters. */
UTEST(concurrent_producers_deliver_exactly_what_passes_each_filter)
{
	bool exact = true;

	UTEST_EXPECT_EQ(prop_check(utest_tap(), "ntfy_concurrent_exact", NPC_CASES, npc_case,
				   &exact), 0);
}

/* The helper modes of argv (producer, consumer): their exit status, or -1 when argv names
 * none (then this is the test). */
static int npc_child_main(int argc, char **argv)
{
	long k, n;

	if (argc == 4 && strcmp(argv[1], "producer") == 0 &&
	    args_number(argv[2], 10, 0, NPC_PRODUCERS - 1, &k) &&
	    args_number(argv[3], 10, 1, 1000000, &n))
		return npc_producer((int)k, n);
	if (argc == 3 && strcmp(argv[1], "consumer") == 0 &&
	    args_number(argv[2], 10, 1, 10000000, &n))
		return npc_consumer(n);
	return -1;
}

int main(int argc, char **argv)
{
	int status = npc_child_main(argc, argv);

	return status >= 0 ? status : utest_main(argc, argv);
}
