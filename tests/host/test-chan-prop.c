/*
 * test-chan-prop.c - Property 1 on the host: random sequences of channel
 * operations (attributes within and beyond the limits, opens and closes,
 * writes of random sizes including 0 and too long, reads with random buffer
 * sizes, blocking and non-blocking, failing allocations and faulting buffers,
 * unlink, and hand-overs to a waiting reader, chan_core_pass) run against the
 * core (stage4/ipc/chan_core.c) and against the reference model (chan_model.c).
 * Every result, errno, byte and metadata field is compared, and after every
 * step the invariants are checked: depth =
 * accepted writes - completed reads, each writer's messages come out once and
 * in order, and the statistics equal the model's counters. A failing case is
 * shrunk by dropping operations and printed with its seed.
 *
 * Replay one case: PROP_REPLAY=0x<case seed> tests/host/test-chan-prop
 */
#include <stdint.h>
#include <stdlib.h>

#include <ipc/chan_core.h>
#include <kernel/compiler.h>
#include <lib/fmt.h>
#include <lib/prop.h>
#include <lib/string.h>
#include <lib/tap.h>
#include <model/chan_model.h>
#include <uapi/errno.h>

#include "chan_host.h"
#include "host_prop.h"
#include "host_test.h"

/* --- Property 1: the core against the model --- */

#define SEQ_MAX_OPS 48
#define SEQ_PIDS 3		/* writers are pids 1..SEQ_PIDS */
#define SEQ_ITERATIONS 3000

enum op_kind { OP_WRITE, OP_READ, OP_OPEN, OP_CLOSE, OP_SET_ATTR, OP_UNLINK, OP_BLOCKED,
	       OP_PASS };

/* One operation of a sequence. Its fields are inputs only, so any subset of a sequence is
 * a sequence too (what shrinking needs); the bytes of a write are derived when it runs. */
struct op {
	enum op_kind kind;
	uint32_t a;		/* write, pass: length; read: buffer size; open/close: mode;
				 * set_attr: capacity; blocked: 1 for a reader */
	uint32_t b;		/* write, pass: uid; set_attr: max message size */
	uint32_t cap;		/* pass: the size of the place the reader offers */
	int pid;		/* write, pass: sender */
	bool nonblock, fault, nomem;
};

/* A case: the channel's first attributes and the operations. */
struct seq {
	struct chan_attr attr;
	size_t n;
	struct op ops[SEQ_MAX_OPS];
};

/* A sent message as the test remembers it: which attempt of its writer, and how long. */
struct sent {
	uint32_t attempt;
	uint32_t len;
};

/* One run of a sequence: the core, the model, and the test's own ledger of what each
 * writer got accepted and what has come out (to check loss, duplication and order). */
struct run {
	struct chan_core core;
	struct chan_model *model;
	uint32_t attempts[SEQ_PIDS + 1];
	struct sent ledger[SEQ_PIDS + 1][SEQ_MAX_OPS + 1];
	size_t ledger_head[SEQ_PIDS + 1], ledger_tail[SEQ_PIDS + 1];
	uint64_t accepted, completed;
	struct prop_case *c;	/* digest observations go here; NULL while shrinking */
	char why[160];
};

/* An attribute value: mostly small, sometimes exactly the limit, sometimes just outside. */
static uint32_t gen_attr_value(struct prng *r, uint32_t limit, uint32_t small)
{
	switch (prng_below(r, 20)) {
	case 0:
		return 0;
	case 1:
		return limit + 1;
	case 2:
		return limit;
	case 3:
	case 4:
		return (uint32_t)prng_range(r, 1, limit);
	default:
		return (uint32_t)prng_range(r, 1, small);
	}
}

/* A write's length: empty, the limit, one past it, anything, or (mostly) short. */
static uint32_t gen_write_len(struct prng *r, uint32_t max_size)
{
	switch (prng_below(r, 10)) {
	case 0:
		return 0;
	case 1:
		return max_size;
	case 2:
		return max_size + 1;
	case 3:
		return (uint32_t)prng_range(r, 0, CHAN_MSG_SIZE_MAX + 1);
	default:
		return (uint32_t)prng_range(r, 1, 40);
	}
}

/* A read's buffer size: none, tiny, the largest message, around the limit, or 64. */
static uint32_t gen_read_size(struct prng *r, uint32_t max_size)
{
	switch (prng_below(r, 10)) {
	case 0:
		return 0;
	case 1:
		return (uint32_t)prng_range(r, 0, 8);
	case 2:
		return CHAN_MSG_SIZE_MAX;
	case 3:
		return (uint32_t)prng_range(r, 0, max_size + 1);
	default:
		return 64;
	}
}

/* A handle mode: read, write or both, and now and then one that is not a mode. */
static uint32_t gen_mode(struct prng *r)
{
	return prng_chance(r, 5) ? (uint32_t)prng_below(r, 2) * 4 : (uint32_t)prng_range(r, 1, 3);
}

static struct op gen_op(struct prng *r, const struct chan_attr *attr)
{
	struct op op = { .nonblock = prng_chance(r, 50), .fault = prng_chance(r, 5) };
	uint64_t roll = prng_below(r, 100);

	if (roll < 34) {
		op = (struct op){ .kind = roll < 28 ? OP_WRITE : OP_PASS,
				  .a = gen_write_len(r, attr->max_msg_size),
				  .b = (uint32_t)prng_below(r, 2),
				  .cap = gen_read_size(r, attr->max_msg_size),
				  .pid = (int)prng_range(r, 1, SEQ_PIDS), .nonblock = op.nonblock,
				  .fault = op.fault, .nomem = prng_chance(r, 5) };
	} else if (roll < 68) {
		op.kind = OP_READ;
		op.a = gen_read_size(r, attr->max_msg_size);
	} else if (roll < 76) {
		op = (struct op){ .kind = OP_OPEN, .a = gen_mode(r) };
	} else if (roll < 84) {
		op = (struct op){ .kind = OP_CLOSE, .a = gen_mode(r) };
	} else if (roll < 89) {
		op = (struct op){ .kind = OP_SET_ATTR, .a = gen_attr_value(r, CHAN_CAPACITY_MAX, 8),
				  .b = gen_attr_value(r, CHAN_MSG_SIZE_MAX, 64) };
	} else if (roll < 92) {
		op = (struct op){ .kind = OP_UNLINK };
	} else {
		op = (struct op){ .kind = OP_BLOCKED, .a = (uint32_t)prng_below(r, 2) };
	}
	return op;
}

/* Build a case from the rng alone, so that its seed replays it. */
static void gen_seq(struct prng *r, struct seq *s)
{
	s->attr.capacity = gen_attr_value(r, CHAN_CAPACITY_MAX, 8);
	s->attr.max_msg_size = gen_attr_value(r, CHAN_MSG_SIZE_MAX, 64);
	s->n = (size_t)prng_range(r, 1, SEQ_MAX_OPS);
	for (size_t i = 0; i < s->n; i++)
		s->ops[i] = gen_op(r, &s->attr);
}

/* Print op into buf as one line of a failing sequence. */
static void op_describe(const struct op *op, char *buf, size_t size)
{
	static const char *const names[] = { "write", "read", "open", "close", "set_attr",
					     "unlink", "blocked", "pass" };

	snprintf(buf, size, "%s a=%u b=%u cap=%u pid=%d%s%s%s", names[op->kind], op->a, op->b,
		 op->cap, op->pid, op->nonblock ? " nonblock" : "", op->fault ? " fault" : "",
		 op->nomem ? " nomem" : "");
}

/* The tag of attempt number attempt of writer pid: different for every message. */
static uint64_t payload_tag(int pid, uint32_t attempt)
{
	return (uint64_t)pid << 32 | attempt;
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

/* Run a write on both; the test's ledger records it when accepted. */
static bool step_write(struct run *r, const struct op *op)
{
	uint32_t attempt = r->attempts[op->pid]++;
	unsigned char *bytes = malloc(op->a + 1);
	struct chan_host_buf hb = { .p = bytes, .fault = op->fault };
	struct chan_buf b = chan_host_buf(&hb, op->a);
	struct chan_sender from = { .pid = op->pid, .uid = (int)op->b };
	struct chan_model_io io = { op->nonblock, op->fault, op->nomem };

	for (size_t i = 0; i < op->a; i++)
		bytes[i] = chan_model_byte(payload_tag(op->pid, attempt), i);
	chan_host_alloc.fail_next = op->nomem;
	long got = chan_core_write(&r->core, &b, &from, op->nonblock ? CHAN_NONBLOCK : 0);
	chan_host_alloc.fail_next = false;
	long want = chan_model_write(r->model, op->a, payload_tag(op->pid, attempt), op->pid,
				     (int)op->b, io);
	free(bytes);
	observe(r, (uint64_t)got);
	if (got != want)
		return mismatch(r, "write result", got, want);
	if (got >= 0) {
		r->ledger[op->pid][r->ledger_tail[op->pid]++] = (struct sent){ attempt, op->a };
		r->accepted++;
	}
	return false;
}

/* A message read from pid must be that writer's oldest accepted one not yet read. */
static bool ledger_take(struct run *r, int pid, const unsigned char *bytes, size_t len)
{
	if (pid < 1 || pid > SEQ_PIDS || r->ledger_head[pid] == r->ledger_tail[pid])
		return mismatch(r, "read a message never accepted from pid", pid, 0);
	struct sent s = r->ledger[pid][r->ledger_head[pid]++];
	if (s.len != len)
		return mismatch(r, "length of the writer's next message", (long long)len, s.len);
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] != chan_model_byte(payload_tag(pid, s.attempt), i))
			return mismatch(r, "byte of the writer's next message", (long long)i, -1);
	}
	r->completed++;
	return false;
}

/* Compare what a read of both returned: result, metadata and bytes. */
static bool read_differs(struct run *r, long got, long want, const struct chan_msg_info *ci,
			 const struct chan_model_info *mi, const unsigned char *cb,
			 const unsigned char *mb)
{
	if (got != want)
		return mismatch(r, "read result", got, want);
	if (ci->len != mi->len)
		return mismatch(r, "read info.len", (long long)ci->len, (long long)mi->len);
	if (ci->from.pid != mi->pid || ci->from.uid != mi->uid)
		return mismatch(r, "read sender pid*1000+uid", ci->from.pid * 1000LL + ci->from.uid,
				mi->pid * 1000LL + mi->uid);
	if (ci->eof != mi->eof)
		return mismatch(r, "read info.eof", ci->eof, mi->eof);
	if (got > 0 && memcmp(cb, mb, (size_t)got) != 0)
		return mismatch(r, "read bytes equal", 0, 1);
	return false;
}

/* Observe a read: its result, metadata and a hash of its bytes. */
static void observe_read(struct run *r, long got, const struct chan_msg_info *ci,
			 const unsigned char *bytes)
{
	uint64_t hash = 0;

	for (long i = 0; i < got; i++)
		hash = hash * 31 + bytes[i];
	observe(r, (uint64_t)got);
	observe(r, ci->len);
	observe(r, (uint64_t)ci->from.pid << 32 | (uint32_t)ci->from.uid);
	observe(r, ci->eof);
	observe(r, hash);
}

/* Run a read on both into buffers of op->a bytes, and check the message against the ledger. */
static bool step_read(struct run *r, const struct op *op)
{
	unsigned char *cbytes = malloc(op->a + 1), *mbytes = malloc(op->a + 1);
	struct chan_host_buf hb = { .p = cbytes, .fault = op->fault };
	struct chan_buf b = chan_host_buf(&hb, op->a);
	struct chan_model_io io = { op->nonblock, op->fault, false };
	struct chan_msg_info ci;
	struct chan_model_info mi;

	long got = chan_core_read(&r->core, &b, &ci, op->nonblock ? CHAN_NONBLOCK : 0);
	long want = chan_model_read(r->model, mbytes, op->a, io, &mi);
	observe_read(r, got, &ci, cbytes);
	bool bad = read_differs(r, got, want, &ci, &mi, cbytes, mbytes) ||
		   (got >= 0 && !ci.eof && ledger_take(r, ci.from.pid, cbytes, (size_t)got));
	free(cbytes);
	free(mbytes);
	return bad;
}

/* A hand-over on both (chan_core_pass into op->cap bytes; the model's write and read at
 * once): results, metadata and bytes must agree, and a message handed over is one the
 * ledger sees accepted and read in the same step. */
static bool step_pass(struct run *r, const struct op *op)
{
	uint32_t attempt = r->attempts[op->pid]++;
	uint64_t tag = payload_tag(op->pid, attempt);
	unsigned char *bytes = malloc(op->a + 1), *cland = malloc(op->cap + 1),
		      *mland = malloc(op->cap + 1);
	struct chan_host_buf hb = { .p = bytes, .fault = op->fault };
	struct chan_buf b = chan_host_buf(&hb, op->a);
	struct chan_sender from = { .pid = op->pid, .uid = (int)op->b };
	struct chan_msg_info ci = { .eof = false };
	struct chan_model_info mi;

	for (size_t i = 0; i < op->a; i++)
		bytes[i] = chan_model_byte(tag, i);
	long got = chan_core_pass(&r->core, &b, &from, cland, op->cap, &ci);
	long want = chan_model_pass(r->model, op->a, tag, op->pid, (int)op->b, op->fault, mland,
				    op->cap, &mi);
	observe_read(r, got, &ci, cland);
	bool bad = got >= 0 ? read_differs(r, got, want, &ci, &mi, cland, mland) :
			      got != want && mismatch(r, "pass result", got, want);
	if (!bad && got >= 0) {
		r->ledger[op->pid][r->ledger_tail[op->pid]++] = (struct sent){ attempt, op->a };
		r->accepted++;
		bad = ledger_take(r, op->pid, cland, (size_t)got);
	}
	free(bytes);
	free(cland);
	free(mland);
	return bad;
}

/* Run one operation of any other kind on both and compare the results. */
static bool step_admin(struct run *r, const struct op *op)
{
	struct chan_attr attr = { op->a, op->b };
	long got = 0, want = 0;

	switch (op->kind) {
	case OP_OPEN:
		got = chan_core_open(&r->core, (enum chan_mode)op->a);
		want = chan_model_open(r->model, (int)op->a);
		break;
	case OP_CLOSE:
		got = chan_core_close(&r->core, (enum chan_mode)op->a);
		want = chan_model_close(r->model, (int)op->a);
		break;
	case OP_SET_ATTR:
		got = chan_core_set_attr(&r->core, &attr);
		want = chan_model_set_attr(r->model, op->a, op->b);
		break;
	case OP_UNLINK:
		chan_core_unlink(&r->core);
		chan_model_unlink(r->model);
		break;
	default:
		chan_core_note_blocked(&r->core, op->a ? CHAN_SIDE_READ : CHAN_SIDE_WRITE);
		chan_model_note_blocked(r->model, op->a != 0);
		break;
	}
	observe(r, (uint64_t)got);
	return got != want && mismatch(r, "result", got, want);
}

/* One statistic as the core and the model count it. */
struct stat_pair {
	const char *name;
	uint64_t core, model;
};

/* Compare the core's statistics and handle counts with the model's, one by one. */
static bool stats_differ(struct run *r)
{
	const struct chan_stats *s = &r->core.stats;
	const struct chan_model *m = r->model;
	const struct stat_pair pairs[] = {
		{ "msgs_written", s->msgs_written, m->msgs_written },
		{ "bytes_written", s->bytes_written, m->bytes_written },
		{ "msgs_read", s->msgs_read, m->msgs_read },
		{ "bytes_read", s->bytes_read, m->bytes_read },
		{ "depth", s->depth, m->count },
		{ "high_water", s->high_water, m->high_water },
		{ "blocked readers", s->blocked[CHAN_SIDE_READ], m->blocked_reads },
		{ "blocked writers", s->blocked[CHAN_SIDE_WRITE], m->blocked_writes },
		{ "EAGAIN errors", s->errors[CHAN_ERR_AGAIN], m->eagain },
		{ "EMSGSIZE errors", s->errors[CHAN_ERR_MSGSIZE], m->emsgsize },
		{ "EPIPE errors", s->errors[CHAN_ERR_PIPE], m->epipe },
		{ "ENOMEM errors", s->errors[CHAN_ERR_NOMEM], m->enomem },
		{ "EFAULT errors", s->errors[CHAN_ERR_FAULT], m->efault },
		{ "handed", s->handed, m->handed },
		{ "readers", r->core.readers, m->readers },
		{ "writers", r->core.writers, m->writers },
		{ "unused", chan_core_unused(&r->core), chan_model_unused(m) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
		if (pairs[i].core != pairs[i].model)
			return mismatch(r, pairs[i].name, (long long)pairs[i].core,
					(long long)pairs[i].model);
	}
	return false;
}

/* The invariants of chan_core.c, checked from outside after every step. */
static bool invariants_broken(struct run *r)
{
	const struct chan_stats *s = &r->core.stats;
	struct list_node *pos;
	uint64_t queued = 0;

	list_for_each(pos, &r->core.queue)
		queued++;
	if (queued != s->depth)
		return mismatch(r, "messages on the list vs depth", (long long)queued, s->depth);
	if (s->depth != r->accepted - r->completed)
		return mismatch(r, "depth vs accepted - read", s->depth,
				(long long)(r->accepted - r->completed));
	if (s->depth > r->core.attr.capacity)
		return mismatch(r, "depth vs capacity", s->depth, r->core.attr.capacity);
	if (chan_host_live() != s->depth)
		return mismatch(r, "live allocations vs depth", (long long)chan_host_live(), s->depth);
	return stats_differ(r);
}

/* Run one operation and check everything after it. Returns true on a failure. */
static bool run_step(struct run *r, const struct op *op)
{
	bool bad;

	if (op->kind == OP_WRITE)
		bad = step_write(r, op);
	else if (op->kind == OP_PASS)
		bad = step_pass(r, op);
	else if (op->kind == OP_READ)
		bad = step_read(r, op);
	else
		bad = step_admin(r, op);
	return bad || invariants_broken(r);
}

/* After the sequence, read everything left: each accepted message must come out once. */
static bool run_drain(struct run *r)
{
	struct op drain = { .kind = OP_READ, .a = CHAN_MSG_SIZE_MAX, .nonblock = true };

	while (r->core.stats.depth > 0) {
		if (run_step(r, &drain))
			return true;
	}
	for (int pid = 1; pid <= SEQ_PIDS; pid++) {
		if (r->ledger_head[pid] != r->ledger_tail[pid])
			return mismatch(r, "accepted messages never read, pid", pid, 0);
	}
	return false;
}

/*
 * Run ops[0..n) on a channel created with attr, against the model. Returns true when the
 * core and the model disagree or an invariant breaks, with the reason in why (prefixed by
 * the step). Observations go to c's digest unless c is NULL.
 */
static bool run_ops(const struct chan_attr *attr, const struct op *ops, size_t n,
		    struct prop_case *c, char *why, size_t why_size)
{
	struct run *r = calloc(1, sizeof(*r));
	size_t step = 0;
	bool bad;

	r->model = calloc(1, sizeof(*r->model));
	r->c = c;
	long got = chan_core_init(&r->core, attr);
	long want = chan_model_init(r->model, attr->capacity, attr->max_msg_size);
	observe(r, (uint64_t)got);
	bad = got != want && mismatch(r, "init", got, want);
	for (; !bad && got == 0 && step < n; step++)
		bad = run_step(r, &ops[step]);
	if (!bad && got == 0)
		bad = run_drain(r);
	if (bad)
		snprintf(why, why_size, "step %zu of %zu: %s", step, n, r->why);
	if (got == 0)
		chan_core_destroy(&r->core);
	bad = bad || !CHECK_EQ_U64(chan_host_live(), 0);
	free(r->model);
	free(r);
	return bad;
}

/* The shrinker's question: does this shorter list of operations still fail? */
static bool seq_fails(const void *ops, size_t n, void *arg)
{
	const struct seq *s = arg;
	char why[200];

	return run_ops(&s->attr, ops, n, NULL, why, sizeof(why));
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
	run_ops(&small->attr, small->ops, small->n, NULL, why, sizeof(why));
	host_diag("chan_model: shortest failing sequence, %zu of %zu operations, channel %u "
		  "messages of %u bytes: %s", small->n, s->n, small->attr.capacity,
		  small->attr.max_msg_size, why);
	for (size_t i = 0; i < small->n; i++) {
		op_describe(&small->ops[i], line, sizeof(line));
		host_diag("  %zu: %s", i, line);
	}
	free(scratch);
	host_diag("replay on the host: PROP_REPLAY=0x%016llx tests/host/test-chan-prop",
		  (unsigned long long)seed);
	free(small);
}

/* Property 1: one random sequence, the same on the core and the model. */
static int prop_chan_matches_model(struct prop_case *c, void *arg)
{
	struct seq *s = malloc(sizeof(*s));
	char why[200];

	(void)arg;
	gen_seq(&c->rng, s);
	bool bad = run_ops(&s->attr, s->ops, s->n, c, why, sizeof(why));
	if (bad)
		report_shortest(s, c->seed);
	free(s);
	return bad ? prop_fail(c, "%s", why) : 0;
}

HOST_TEST(chan_prop_core_matches_model)
{
	CHECK_TRUE(host_prop("chan_matches_model", SEQ_ITERATIONS, prop_chan_matches_model, NULL));
}
