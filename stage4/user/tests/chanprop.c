/* chanprop: Property 1 through the real system calls (lab-guides/stage4.md, "The property
 * test"). Random sequences of channel operations by three users run against the kernel and
 * against the reference model (model/chan_model.h) plus a model of the namespace's rules
 * (permissions, the sticky bit, names), and every result, errno, byte and sender is
 * compared. After every step the test checks, for each channel with a name: its depth
 * (stat) equals the writes accepted minus the reads completed, and every figure of its
 * /kfs/ipc/channels line equals the model's counter. Each writer's messages are also kept
 * in a ledger of their own: a read must return that writer's oldest message not yet read,
 * and the drain at the end of a sequence must leave every ledger empty.
 *
 * Processes: the test program starts PROP_DRIVERS drivers at once (the concurrency on
 * -smp 4), each working in its own directory /ipc/prop<k> with its own seed. A driver acts
 * as root itself and has two agents, started as alice (uid 1000) and bob (uid 1001, in
 * alice's group 1000), which run the operations of their user: the driver sends each
 * request through a channel and reads the answer from another. The agents get those two
 * channels as inherited descriptors, so no permission of the test's own is involved.
 *
 *   chanprop                       the test (utest=chanprop; seed=N, prop.replay=N)
 *   chanprop driver K [ARG...]     driver number K; ARGs as the test's (seed=, prop.replay=)
 *   chanprop agent IN OUT          an agent: requests on fd IN, answers on fd OUT
 *
 * A failure prints the case seed, the shortest failing sequence found by dropping
 * operations (prop_shrink) and how to replay it. */
#include <stdbool.h>
#include <stdint.h>
#include <lib/prop.h>
#include <lib/tap.h>
#include <model/chan_model.h>
#include <model/ipc_model.h>
#include <ulib/agent.h>
#include <ulib/args.h>
#include <ulib/chanstat.h>
#include <ulib/ipc.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/utest.h>

#define PROP_DRIVERS 4          /* driver processes at once */
#define PROP_CASES 75           /* sequences per driver: 300 per boot */
#define PROP_MAX_OPS 40
#define PROP_NO_FD (FD_MAX - 1) /* a descriptor the test never has open */
#define PROP_BAD_BUF ((void *)0x1000)   /* below every program: never mapped */
#define PROP_PATH_MAX 96
#define PROP_SKIPPED 0x5c1bbedULL       /* the digest's mark of an operation not run */

/* Requests beyond the model's operations: close all but the control channels; exit. */
#define PROP_RESET IPC_MODEL_KINDS
#define PROP_EXIT (IPC_MODEL_KINDS + 1)

struct prop_seq {
	uint32_t dir_mode;      /* of /ipc/prop<k>, owned by alice */
	size_t n;
	struct ipc_model_op ops[PROP_MAX_OPS];
};

/* What a driver asks an agent to do (or does itself for root), and the answer. */
struct prop_req {
	int kind, fd, in;       /* in: a call's reply descriptor */
	uint32_t a, cap;
	struct chan_attr attr;
	bool no_attr, fault, recv;
	uint64_t tag;           /* write: the message's bytes are chan_model_byte(tag, i) */
	char path[PROP_PATH_MAX];
};

struct prop_rep {
	long result;
	struct chan_msg_info info;
	uint64_t hash;          /* read: of the bytes read */
};

/* The test's own ledger of a channel: what each writer got accepted, oldest first. */
struct prop_ledger {
	uint64_t accepted, completed;
	uint64_t tag[IPC_MODEL_ACTORS][PROP_MAX_OPS];
	uint32_t head[IPC_MODEL_ACTORS], tail[IPC_MODEL_ACTORS];
};

/* One driver's world: the model, the real descriptors behind its handles, the ledgers. */
struct prop_world {
	int k;
	struct ipc_model model;
	int fd[IPC_MODEL_ACTORS][IPC_MODEL_SLOTS];
	struct prop_ledger ledger[IPC_MODEL_CHANS];
	uint32_t attempts[IPC_MODEL_ACTORS];
	struct prop_case *c;            /* digest; NULL while shrinking */
	char why[200];
};

/* The processes of this driver: an agent per actor (ulib/agent.h); actor 0, root, is the
 * driver itself (only its pid is set). */
static struct agent prop_agents[IPC_MODEL_ACTORS];
/* Descriptors the RESET operation keeps: the agents' channels. */
static int prop_keep[2 * IPC_MODEL_ACTORS], prop_nkeep;
static unsigned char prop_buf[CHAN_MSG_SIZE_MAX + 1], prop_model_buf[CHAN_MSG_SIZE_MAX + 1];
static char prop_stats[CHANSTAT_MAX + 1];

/* ---- executing an operation: the same code in the driver (root) and the agents ---- */

/* FNV-1a of n bytes. */
static uint64_t prop_hash(const unsigned char *p, long n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (long i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

static long prop_exec_io(const struct prop_req *q, struct prop_rep *p)
{
	void *buf = q->fault ? PROP_BAD_BUF : prop_buf;
	long r;

	if (q->kind == IPC_WRITE || q->kind == IPC_CALL) {
		for (uint32_t i = 0; i < q->a; i++)
			prop_buf[i] = chan_model_byte(q->tag, i);
		if (q->kind == IPC_WRITE)
			return sys_write(q->fd, buf, q->a);
		r = sys_call(q->fd, buf, q->a, q->in, prop_buf, q->cap);
		p->hash = prop_hash(prop_buf, r > 0 ? r : 0);
		return r;
	}
	r = q->recv ? sys_recv(q->fd, buf, q->a, &p->info) : sys_read(q->fd, buf, q->a);
	p->hash = prop_hash(prop_buf, r > 0 ? r : 0);
	return r;
}

/* Run one request with this process's credentials and fill in the answer. */
static void prop_exec(const struct prop_req *q, struct prop_rep *p)
{
	memset(p, 0, sizeof *p);
	switch (q->kind) {
	case IPC_MKCHAN:
		p->result = sys_mkchan(q->path, (int)q->a, q->no_attr ? NULL : &q->attr);
		break;
	case IPC_OPEN:
		p->result = sys_open(q->path, (int)q->a, 0);
		break;
	case IPC_CLOSE:
		p->result = sys_close(q->fd);
		break;
	case IPC_UNLINK:
		p->result = sys_unlink(q->path);
		break;
	case IPC_CHMOD:
		p->result = sys_chmod(q->path, (int)q->a);
		break;
	case PROP_RESET:
		fd_close_all_except(prop_keep, prop_nkeep);
		break;
	default:
		p->result = prop_exec_io(q, p);
	}
}

/* An agent's request handler (agent_serve): run q, until PROP_EXIT. */
static bool prop_serve(const void *req, void *rep)
{
	const struct prop_req *q = req;

	if (q->kind == PROP_EXIT)
		return false;
	prop_exec(q, rep);
	return true;
}

/* Run q as actor: root in this process, the others through their agent. Returns false
 * when the agent is gone. */
static bool prop_run_as(int actor, const struct prop_req *q, struct prop_rep *p)
{
	if (actor == 0) {
		prop_exec(q, p);
		return true;
	}
	return agent_call(&prop_agents[actor], q, sizeof *q, p, sizeof *p);
}

/* ---- running a sequence against both ---- */

static void prop_path(const struct prop_world *w, int name, char *path)
{
	static const char *const names[IPC_MODEL_NAMES] = {
		"a", "b", "c", "nodir/x",
		"a-name-longer-than-NAME_MAX-which-is-63-bytes-so-the-kernel-says-so",
	};

	snprintf(path, PROP_PATH_MAX, "/ipc/prop%d/%s", w->k, names[name]);
}

/* Record a disagreement in w->why; returns true. */
static bool prop_mismatch(struct prop_world *w, const char *what, long long got, long long want)
{
	snprintf(w->why, sizeof w->why, "%s: kernel %lld, model %lld", what, got, want);
	return true;
}

static void prop_note(struct prop_world *w, uint64_t v)
{
	if (w->c)
		prop_observe(w->c, v);
}

/* The actor whose process has pid, or -1. */
static int prop_actor_of(int pid)
{
	for (int a = 0; a < IPC_MODEL_ACTORS; a++) {
		if (prop_agents[a].pid == pid)
			return a;
	}
	return -1;
}

/* A message read from channel chan must be its sender's oldest one not yet read, in
 * length and bytes. */
static bool prop_ledger_take(struct prop_world *w, int chan, int sender, const struct prop_rep *got)
{
	struct prop_ledger *l = &w->ledger[chan];
	uint64_t tag;

	if (sender < 0 || l->head[sender] == l->tail[sender])
		return prop_mismatch(w, "a message nobody sent, from actor", sender, -1);
	tag = l->tag[sender][l->head[sender]++];
	for (long i = 0; i < got->result; i++)
		prop_model_buf[i] = chan_model_byte(tag, (size_t)i);
	if (prop_hash(prop_model_buf, got->result) != got->hash)
		return prop_mismatch(w, "bytes of the sender's oldest message", 0, 1);
	l->completed++;
	return false;
}

/* Keep the ledgers: a new channel starts empty, an accepted write joins its writer's list,
 * a message read leaves it. chan is the channel written or read, in the one a call read
 * its reply from. */
static bool prop_ledger_update(struct prop_world *w, const struct ipc_model_op *op, int chan,
			       int in, const struct ipc_model_answer *want,
			       const struct prop_rep *got, uint64_t tag)
{
	bool sent = op->kind == IPC_WRITE ? want->result >= 0 : want->sent;
	struct prop_ledger *l;

	if (op->kind == IPC_MKCHAN && want->result == 0)
		memset(&w->ledger[w->model.name_chan[op->name]], 0, sizeof w->ledger[0]);
	if (chan < 0)
		return false;
	l = &w->ledger[chan];
	if (sent) {
		l->tag[op->actor][l->tail[op->actor]++] = tag;
		l->accepted++;
	}
	if (op->kind == IPC_CALL)
		chan = in;
	/* The model names the sender, also for a plain read, which does not tell it. */
	return (op->kind == IPC_READ || op->kind == IPC_CALL) && want->result >= 0 &&
	       !want->info.eof && prop_ledger_take(w, chan, want->info.from.pid, got);
}

/* Compare the kernel's answer with the model's; fold it into the digest. */
static bool prop_compare(struct prop_world *w, const struct ipc_model_op *op,
			 const struct prop_rep *got, const struct ipc_model_answer *want,
			 uint64_t want_hash)
{
	bool recv = op->kind == IPC_READ && op->recv;
	bool msg = (got->result >= 0 && !got->info.eof) || got->result == -EMSGSIZE;
	int sender = recv && msg ? prop_actor_of(got->info.from.pid) : got->info.from.pid;
	long result = op->kind == IPC_OPEN && got->result >= 0 ? 0 : got->result;

	prop_note(w, (uint64_t)result);
	prop_note(w, got->info.len ^ (uint64_t)sender << 32 ^ (uint64_t)got->info.eof << 63);
	prop_note(w, got->hash);
	if (result != want->result)
		return prop_mismatch(w, "result", result, want->result);
	if (recv && (got->info.len != want->info.len || got->info.eof != want->info.eof))
		return prop_mismatch(w, "recv's length (end of file adds 1000000)",
				     (long long)got->info.len + got->info.eof * 1000000LL,
				     (long long)want->info.len + want->info.eof * 1000000LL);
	if (recv && (sender != want->info.from.pid || got->info.from.uid != want->info.from.uid))
		return prop_mismatch(w, "recv's sender (actor * 100000 + uid)",
				     sender * 100000LL + got->info.from.uid,
				     want->info.from.pid * 100000LL + want->info.from.uid);
	if (got->result > 0 && got->hash != want_hash)
		return prop_mismatch(w, "bytes read", 0, 1);
	return false;
}

/* op with its handles picked (ipc_model_pick) if it picks and uses handles; an open that
 * picks takes a name that holds a channel, if one does. */
static struct ipc_model_op prop_picked(const struct prop_world *w, const struct ipc_model_op *op)
{
	static const unsigned need[IPC_MODEL_KINDS] = { [IPC_CLOSE] = 3, [IPC_WRITE] = 2,
							 [IPC_READ] = 1, [IPC_CALL] = 2 };
	struct ipc_model_op p = *op;
	uint8_t names[IPC_MODEL_LIVE], n = 0;

	if (op->pick && op->kind == IPC_OPEN && op->name < IPC_MODEL_LIVE) {
		for (uint8_t name = 0; name < IPC_MODEL_LIVE; name++)
			if (w->model.name_chan[name] >= 0)
				names[n++] = name;
		if (n)  /* an open mostly finds a channel: the (name mod n)-th there is */
			p.name = names[op->name % n];
	}
	if (!op->pick || !need[op->kind])
		return p;
	p.slot = ipc_model_pick(&w->model, op->actor, op->name, need[op->kind], op->slot);
	if (op->kind == IPC_CALL)
		p.in = ipc_model_pick(&w->model, op->actor, op->name, 1, op->in);
	return p;
}

/* Run op (its handles picked) on the kernel and on the model and compare. Returns true on
 * a failure. */
static bool prop_step(struct prop_world *w, const struct ipc_model_op *chosen)
{
	const struct ipc_model_op picked = prop_picked(w, chosen), *op = &picked;
	const struct ipc_model_handle *h = &w->model.h[op->actor][op->slot];
	const struct ipc_model_handle *hin = &w->model.h[op->actor][op->in];
	int chan = h->open ? h->chan : -1, in = hin->open ? hin->chan : -1;
	struct prop_req q = { .kind = op->kind, .fd = h->open ? w->fd[op->actor][op->slot] : PROP_NO_FD,
			      .in = hin->open ? w->fd[op->actor][op->in] : PROP_NO_FD,
			      .a = op->a, .cap = op->cap, .attr = op->attr,
			      .no_attr = op->no_attr, .fault = op->fault, .recv = op->recv };
	struct ipc_model_answer want;
	struct prop_rep got;
	uint64_t want_hash;

	q.tag = (uint64_t)w->k << 48 | (uint64_t)op->actor << 40 | w->attempts[op->actor]++;
	prop_path(w, op->name, q.path);
	if (!ipc_model_step(&w->model, op, q.tag, prop_model_buf, &want)) {
		prop_note(w, PROP_SKIPPED);
		return false;
	}
	want_hash = op->kind == IPC_READ || op->kind == IPC_CALL ?
		    prop_hash(prop_model_buf, want.result > 0 ? want.result : 0) : 0;
	if (!prop_run_as(op->actor, &q, &got))
		return prop_mismatch(w, "the agent is gone: actor", op->actor, -1);
	if (op->kind == IPC_OPEN && got.result >= 0 && want.result == 0)
		w->fd[op->actor][want.slot] = (int)got.result;
	return prop_compare(w, op, &got, &want, want_hash) ||
	       prop_ledger_update(w, op, chan, in, &want, &got, q.tag);
}

/* ---- the invariants, checked after every step ---- */

/* The columns of /kfs/ipc/channels the test compares, in the order of prop_figures(). */
static const char *const prop_columns[] = {
	"mode", "uid", "depth", "capacity", "max_size", "msgs_written", "bytes_written",
	"msgs_read", "bytes_read", "high_water", "readers", "writers", "blocked_readers",
	"blocked_writers", "times_blocked_read", "times_blocked_write", "eagain", "emsgsize",
	"epipe", "enomem", "efault", "handed",
};
#define PROP_COLUMNS (sizeof prop_columns / sizeof prop_columns[0])

/* What the columns must say for channel c (no operation of the test ever sleeps, so no
 * message is ever handed over, and it cannot make the kernel run out of memory). */
static void prop_figures(const struct ipc_model_chan *c, uint64_t v[PROP_COLUMNS])
{
	const struct chan_model *m = &c->m;
	const uint64_t figures[PROP_COLUMNS] = {
		c->perm, (uint64_t)c->uid, m->count, m->capacity, m->max_size, m->msgs_written,
		m->bytes_written, m->msgs_read, m->bytes_read, m->high_water, m->readers,
		m->writers, 0, 0, 0, 0, m->eagain, m->emsgsize, m->epipe, 0, 0, m->handed,
	};

	memcpy(v, figures, sizeof figures);
}

/* Channel name's line of /kfs/ipc/channels must show the model's figures. */
static bool prop_stats_differ(struct prop_world *w, int name, const char *path)
{
	uint64_t want[PROP_COLUMNS];
	unsigned long long got = 0;

	if (chanstat_read(prop_stats) < 0)
		return prop_mismatch(w, "reading " CHANSTAT_PATH, 0, 1);
	prop_figures(&w->model.chans[w->model.name_chan[name]], want);
	for (size_t c = 0; c < PROP_COLUMNS; c++) {
		if (chanstat_field(prop_stats, path, prop_columns[c], &got) != 0 || got != want[c]) {
			snprintf(w->why, sizeof w->why, CHANSTAT_PATH " %s of %s: kernel %llu, "
				 "model %llu", prop_columns[c], path, got, (unsigned long long)want[c]);
			return true;
		}
	}
	return false;
}

/* Every name: stat agrees with the model (type, mode, owner, depth), depth equals the
 * writes accepted minus the reads completed, and the statistics agree. */
static bool prop_invariants_broken(struct prop_world *w)
{
	char path[PROP_PATH_MAX];
	struct stat st;

	for (int name = 0; name < IPC_MODEL_LIVE; name++) {
		int chan = w->model.name_chan[name];
		const struct ipc_model_chan *c = &w->model.chans[chan];
		const struct prop_ledger *l = &w->ledger[chan];
		long r;

		prop_path(w, name, path);
		r = sys_stat(path, &st);
		if (chan < 0) {
			if (r != -ENOENT)
				return prop_mismatch(w, "stat of a name the model has not", r, -ENOENT);
			continue;
		}
		if (r != 0 || st.st_mode != (S_IFIFO | c->perm) || st.st_uid != c->uid)
			return prop_mismatch(w, "stat: result, mode, owner", r, 0);
		if (st.st_size != c->m.count || c->m.count != l->accepted - l->completed)
			return prop_mismatch(w, "depth (stat) vs writes accepted - reads completed",
					     (long long)st.st_size,
					     (long long)(l->accepted - l->completed));
		if (prop_stats_differ(w, name, path))
			return true;
	}
	return false;
}

/* ---- a whole sequence ---- */

/* A fresh directory /ipc/prop<k> of alice's with mode dir_mode, and an empty model. */
static bool prop_setup(struct prop_world *w, uint32_t dir_mode)
{
	char dir[PROP_PATH_MAX];

	ipc_model_init(&w->model, dir_mode);
	memset(w->attempts, 0, sizeof w->attempts);
	snprintf(dir, sizeof dir, "/ipc/prop%d", w->k);
	if (sys_mkdir(dir, 0700) != 0 || sys_chown(dir, IPC_MODEL_OWNER, IPC_MODEL_OWNER) != 0 ||
	    sys_chmod(dir, (int)dir_mode) != 0)
		return prop_mismatch(w, "making the test's directory", 0, 1);
	return false;
}

/* After the sequence: root reads every named channel empty through the same checks (each
 * writer's ledger must then be empty), then every process closes what it has and the
 * directory goes. Returns true on a failure. */
static bool prop_drain(struct prop_world *w)
{
	struct ipc_model_op op = { .actor = 0 };

	for (op.slot = 0; op.slot < IPC_MODEL_SLOTS; op.slot++) {
		op.kind = IPC_CLOSE;
		if (w->model.h[0][op.slot].open && prop_step(w, &op))
			return true;
	}
	for (op.name = 0; op.name < IPC_MODEL_LIVE; op.name++) {
		int chan = w->model.name_chan[op.name];

		if (chan < 0)
			continue;
		op = (struct ipc_model_op){ .kind = IPC_OPEN, .name = op.name, .a = O_RDWR | O_NONBLOCK };
		if (prop_step(w, &op))
			return true;
		op = (struct ipc_model_op){ .kind = IPC_READ, .name = op.name, .a = CHAN_MSG_SIZE_MAX,
				       .recv = true };
		while (w->model.chans[chan].m.count > 0) {
			if (prop_step(w, &op) || prop_invariants_broken(w))
				return true;
		}
		for (int a = 0; a < IPC_MODEL_ACTORS; a++) {
			if (w->ledger[chan].head[a] != w->ledger[chan].tail[a])
				return prop_mismatch(w, "messages accepted never read, from actor", a, -1);
		}
		op.kind = IPC_CLOSE;
		if (prop_step(w, &op))
			return true;
	}
	return false;
}

/* Close everything every actor has open and remove the names and the directory. */
static void prop_cleanup(struct prop_world *w)
{
	struct prop_req q = { .kind = PROP_RESET };
	struct prop_rep p;
	char path[PROP_PATH_MAX];

	for (int a = 0; a < IPC_MODEL_ACTORS; a++)
		prop_run_as(a, &q, &p);
	for (int name = 0; name < IPC_MODEL_LIVE; name++) {
		prop_path(w, name, path);
		sys_unlink(path);
	}
	snprintf(path, sizeof path, "/ipc/prop%d", w->k);
	sys_rmdir(path);
}

/* Run ops[0..n) in a fresh directory of mode dir_mode. Returns true on a failure, with
 * the step and the reason in why. */
/* Every sequence starts with a channel at name 0 that root holds open for reading and
 * writing: without one, most reads, writes and calls of a random sequence would find no
 * handle open and test nothing but -EBADF. Its steps run as any other, so the model and
 * the checks see them. Returns true on a failure. */
static bool prop_prologue(struct prop_world *w)
{
	static const struct ipc_model_op ops[] = {
		{ .kind = IPC_MKCHAN, .name = 0, .a = 0666, .no_attr = true },
		{ .kind = IPC_OPEN, .name = 0, .a = O_RDWR },
	};

	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (prop_step(w, &ops[i]) || prop_invariants_broken(w))
			return true;
	return false;
}

static bool prop_run(struct prop_world *w, uint32_t dir_mode, const struct ipc_model_op *ops,
		     size_t n, char *why, size_t why_size)
{
	size_t step = 0;
	bool bad = prop_setup(w, dir_mode) || prop_prologue(w);

	while (!bad && step < n) {
		bad = prop_step(w, &ops[step]) || prop_invariants_broken(w);
		step += !bad;
	}
	if (!bad)
		bad = prop_drain(w);
	if (bad)
		snprintf(why, why_size, "step %zu of %zu: %s", step, n, w->why);
	prop_cleanup(w);
	return bad;
}

/* ---- generating sequences ---- */

/* Permission bits: mostly the usual ones, sometimes any. */
static uint32_t prop_gen_perm(struct prng *r)
{
	static const uint16_t usual[] = { 0600, 0640, 0660, 0644, 0666, 0620, 0622, 0606, 0400,
					  0200, 0000 };

	return prng_chance(r, 20) ? (uint32_t)prng_below(r, 01000)
				  : usual[prng_below(r, sizeof usual / sizeof usual[0])];
}

/* An attribute: mostly small, sometimes 0, the limit or one past it. */
static uint32_t prop_gen_attr(struct prng *r, uint32_t limit, uint32_t small)
{
	switch (prng_below(r, 16)) {
	case 0:
		return 0;
	case 1:
		return limit + 1;
	case 2:
		return limit;
	default:
		return (uint32_t)prng_range(r, 1, small);
	}
}

/* A length: 0, the channel's most likely limits, one past the hard limit, or short. */
static uint32_t prop_gen_len(struct prng *r)
{
	static const uint32_t edges[] = { 0, 16, 17, 64, 65, CHAN_MSG_SIZE_DEFAULT,
					  CHAN_MSG_SIZE_MAX + 1 };

	return prng_chance(r, 25) ? edges[prng_below(r, sizeof edges / sizeof edges[0])]
				  : (uint32_t)prng_range(r, 1, 48);
}

static void prop_gen_op(struct prng *r, struct ipc_model_op *op)
{
	uint64_t roll = prng_below(r, 100);

	memset(op, 0, sizeof *op);
	op->actor = (uint8_t)(prng_chance(r, 50) ? 0 : prng_range(r, 1, IPC_MODEL_ACTORS - 1));
	op->name = (uint8_t)(prng_chance(r, 10) ? prng_range(r, IPC_MODEL_NODIR, IPC_MODEL_LONG)
						: prng_below(r, IPC_MODEL_LIVE));
	op->slot = (uint8_t)prng_below(r, IPC_MODEL_SLOTS);
	op->fault = prng_chance(r, 5);
	op->recv = prng_chance(r, 50);
	op->pick = prng_chance(r, 90);
	op->in = (uint8_t)prng_below(r, IPC_MODEL_SLOTS);
	op->kind = roll < 10 ? IPC_MKCHAN : roll < 30 ? IPC_OPEN : roll < 34 ? IPC_CLOSE :
		   roll < 52 ? IPC_WRITE : roll < 62 ? IPC_CALL : roll < 86 ? IPC_READ :
		   roll < 93 ? IPC_UNLINK : IPC_CHMOD;
	op->cap = prng_chance(r, 50) ? CHAN_MSG_SIZE_MAX : prop_gen_len(r);
	if (op->kind == IPC_MKCHAN || op->kind == IPC_CHMOD)
		op->a = prop_gen_perm(r);
	else if (op->kind == IPC_OPEN)
		op->a = (uint32_t)prng_below(r, 3) | (prng_chance(r, 50) ? O_NONBLOCK : 0);
	else
		op->a = prop_gen_len(r);
	op->no_attr = prng_chance(r, 25);
	op->attr.capacity = prop_gen_attr(r, CHAN_CAPACITY_MAX, 4);
	op->attr.max_msg_size = prop_gen_attr(r, CHAN_MSG_SIZE_MAX, 64);
}

static void prop_gen_seq(struct prng *r, struct prop_seq *s)
{
	static const uint16_t dir_modes[] = { 01777, 01775, 01770, 0775, 0755, 0711, 0700 };

	s->dir_mode = dir_modes[prng_below(r, sizeof dir_modes / sizeof dir_modes[0])];
	s->n = (size_t)prng_range(r, 1, PROP_MAX_OPS);
	for (size_t i = 0; i < s->n; i++)
		prop_gen_op(r, &s->ops[i]);
}

/* ---- the driver ---- */

static struct tap prop_tap;

static void prop_write_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	sys_write(1, s, n);
}

/* The world and sequence of the case being shrunk, for prop_still_fails. */
struct prop_shrinking {
	struct prop_world *w;
	uint32_t dir_mode;
};

static bool prop_still_fails(const void *ops, size_t n, void *arg)
{
	struct prop_shrinking *sh = arg;
	char why[sizeof sh->w->why];

	return prop_run(sh->w, sh->dir_mode, ops, n, why, sizeof why);
}

static void prop_describe(const struct ipc_model_op *op, size_t i)
{
	static const char *const kinds[] = { "mkchan", "open", "close", "write", "read",
					     "unlink", "chmod", "call" };

	tap_diag(&prop_tap, "  %zu: %s %s name=%u slot=%u in=%u a=0%o cap=%u attr=%s%u,%u%s%s%s",
		 i, ipc_model_actors[op->actor].name, kinds[op->kind], op->name, op->slot,
		 op->in, op->a, op->cap,
		 op->no_attr ? "(none)" : "", op->attr.capacity, op->attr.max_msg_size,
		 op->fault ? " fault" : "", op->recv ? " recv" : "", op->pick ? " pick" : "");
}

/* Shrink the failing sequence s and print the shortest failing one found. */
static void prop_report_shortest(struct prop_world *w, const struct prop_seq *s, uint64_t seed)
{
	struct prop_seq *small = malloc(sizeof *small);
	struct ipc_model_op *scratch = malloc(sizeof small->ops);
	struct prop_shrinking sh = { w, s->dir_mode };
	char why[sizeof w->why];

	*small = *s;
	w->c = NULL;
	small->n = prop_shrink(small->ops, small->n, sizeof small->ops[0], scratch,
			       prop_still_fails, &sh);
	prop_run(w, s->dir_mode, small->ops, small->n, why, sizeof why);
	tap_diag(&prop_tap, "chanprop: shortest failing sequence, %zu of %zu operations, "
		 "directory mode 0%o: %s", small->n, s->n, s->dir_mode, why);
	for (size_t i = 0; i < small->n; i++)
		prop_describe(&small->ops[i], i);
	tap_diag(&prop_tap, "replay: python3 tests/run-qemu --arch ARCH --kernel "
		 "stage4/kernel-ARCH.elf --append 'utest=chanprop prop.replay=0x%016llx'",
		 (unsigned long long)seed);
	free(scratch);
	free(small);
}

/* Property 1 for one random sequence. */
static int prop_case(struct prop_case *c, void *arg)
{
	struct prop_world *w = arg;
	struct prop_seq *s = malloc(sizeof *s);
	char why[sizeof w->why];
	bool bad;

	prop_gen_seq(&c->rng, s);
	w->c = c;
	bad = prop_run(w, s->dir_mode, s->ops, s->n, why, sizeof why);
	if (bad)
		prop_report_shortest(w, s, c->seed);
	free(s);
	return bad ? prop_fail(c, "%s", why) : 0;
}

/* Start actor's agent, its channels in ctl; the driver keeps its ends across RESET. */
static bool prop_start_agent(const char *ctl, int actor)
{
	struct agent *a = &prop_agents[actor];

	if (!agent_start(a, "chanprop", ctl, actor, ipc_model_actors[actor].uid,
			 ipc_model_actors[actor].gid))
		return false;
	prop_keep[prop_nkeep++] = a->req_fd;
	prop_keep[prop_nkeep++] = a->rep_fd;
	return true;
}

/* Driver mode: start the agents, run the property, stop the agents. Exit status 0 when
 * every case passed. */
static int prop_driver(int k)
{
	struct prop_world *w = calloc(1, sizeof *w);
	struct prop_req stop = { .kind = PROP_EXIT };
	char ctl[PROP_PATH_MAX], name[48];
	int failed = 1, a;

	tap_continue(&prop_tap, prop_write_out, NULL);
	w->k = k;
	prop_agents[0].pid = sys_getpid();
	snprintf(ctl, sizeof ctl, "/ipc/propctl%d", k);
	snprintf(name, sizeof name, "chan_syscalls_match_model.%d", k);
	if (w && sys_mkdir(ctl, 0700) == 0 && prop_start_agent(ctl, 1) && prop_start_agent(ctl, 2))
		failed = prop_check(&prop_tap, name, PROP_CASES, prop_case, w);
	else
		tap_diag(&prop_tap, "chanprop: driver %d could not start its agents", k);
	for (a = 1; a < IPC_MODEL_ACTORS; a++)
		agent_stop(&prop_agents[a], &stop, sizeof stop);
	sys_rmdir(ctl);
	free(w);
	return failed;
}

/* The test: PROP_DRIVERS drivers at once (one in a replay), each with its own seed. */
UTEST(chan_syscalls_match_the_model_in_concurrent_processes)
{
	char k_arg[8], seed_arg[40], replay_arg[40];
	char *argv[] = { "chanprop", "driver", k_arg, seed_arg, NULL, NULL };
	int pid[PROP_DRIVERS], status, drivers = PROP_DRIVERS, k;
	struct meminfo before, after;
	uint64_t replay;

	if (prop_replay_active(&replay)) {
		drivers = 1;
		snprintf(replay_arg, sizeof replay_arg, "prop.replay=0x%llx",
			 (unsigned long long)replay);
		argv[4] = replay_arg;
	}
	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	for (k = 0; k < drivers; k++) {
		snprintf(k_arg, sizeof k_arg, "%d", k);
		snprintf(seed_arg, sizeof seed_arg, "seed=0x%llx",
			 (unsigned long long)(prop_get_seed() + (uint64_t)k));
		pid[k] = sys_spawn("/bin/chanprop", argv, NULL);
		UTEST_EXPECT(pid[k] > 0);
	}
	for (k = 0; k < drivers; k++) {
		status = -1;
		if (pid[k] > 0 && sys_wait(pid[k], &status) == pid[k])
			UTEST_EXPECT_EQ(status, 0);
	}
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

int main(int argc, char **argv)
{
	static struct prop_req q;
	static struct prop_rep rep;
	long k;

	if (argc >= 3 && strcmp(argv[1], "driver") == 0 && args_number(argv[2], 10, 0, 99, &k)) {
		for (int i = 3; i < argc; i++) {
			if (!utest_option(argv[i]))
				return 2;
		}
		return prop_driver((int)k);
	}
	if (agent_args(argc, argv, prop_keep)) {
		prop_nkeep = 2; /* the agent's RESET keeps its two channels */
		return agent_serve(prop_keep, &q, sizeof q, &rep, sizeof rep, prop_serve);
	}
	return utest_main(argc, argv);
}
