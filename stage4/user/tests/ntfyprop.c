/* ntfyprop: Property 2 through the real system calls (lab-guides/stage4.md,
 * "Notifications"): the records the kernel delivers are those of the reference model
 * (model/ntfy_model.h), and every event is accounted for.
 *
 * Random sequences of endpoint operations (ntfy_new of small capacities, watch with
 * random masks, filters and cookies, valid or not, on channels, the directory and names
 * that are missing, too long or not watchable; unwatch of live, ended and unknown ids;
 * reads of random sizes; close) interleaved with channel operations by root and alice
 * (mkchan, open, write, read, close, unlink, chmod) run against the kernel and against the
 * models: model/ipc_model.h for the channels, one model/ntfy_model.h per endpoint. A
 * sequence starts by making channels, opening handles and subscribing, and most operations
 * on a handle take one that can do them, so that events happen; shrinking may drop any of
 * it. The test turns every channel operation into the events ipc/ntfy.h says it posts, in
 * the kernel's order, and hands them to every subscription of the object. After every step
 * it compares every result and errno, every field of every record read but the time (which
 * must not go back along the sequence numbers, nor lie in the future), each endpoint's
 * fstat and its line of /kfs/ipc/notify (ulib/ntfystat.h); and per subscription, from its
 * own judgement of the filters, that no kind of event comes out more often than it passed
 * and that events passed = counts read + counts pending + lost. Sequence numbers must grow
 * by one per endpoint. At the end of a sequence every handle is closed, every name unlinked
 * and the directory removed (so every subscription ends with GONE), and every endpoint read
 * empty and closed, through the same checks.
 *
 * Processes: PROP_DRIVERS drivers at once (the concurrency on -smp 4), each in its own
 * directory /ipc/np<k> with its own seed, endpoints and channels. Each has an agent started
 * as alice (uid 1000), which runs alice's operations, so that messages of two senders
 * exercise NTFY_FROM_UID. No two drivers share an object, so every result stays exact;
 * producers racing on one endpoint, where only conservation laws can be checked, are
 * ntfyrace's.
 *
 *   ntfyprop                        the test (utest=ntfyprop; seed=N, prop.replay=N)
 *   ntfyprop driver K [ARG...]      driver number K; ARGs as the test's
 *   ntfyprop agent IN OUT           alice's agent: requests on fd IN, answers on fd OUT
 *
 * A failure prints the case seed, the shortest failing sequence found by dropping
 * operations (prop_shrink) and how to replay it. */
#include <stdbool.h>
#include <stdint.h>
#include <lib/prop.h>
#include <lib/tap.h>
#include <model/chan_model.h>
#include <model/ipc_model.h>
#include <model/ntfy_model.h>
#include <ulib/agent.h>
#include <ulib/args.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/ntfystat.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/utest.h>

#define PROP_DRIVERS 4          /* driver processes at once */
#define PROP_CASES 150          /* sequences per driver: 600 per boot */
#define PROP_MAX_OPS 60
#define PROP_EPS 3              /* endpoint slots of a driver */
#define PROP_ACTORS 2           /* root and alice of the ipc model (bob takes no part) */
#define PROP_ALICE 1
#define PROP_READ_MAX 16        /* records one read asks for at most */
#define PROP_NO_FD (FD_MAX - 1) /* a descriptor the test never has open */
#define PROP_BAD_BUF ((void *)0x1000)   /* below every program: never mapped */
#define PROP_PATH_MAX 96
#define PROP_SKIPPED 0x5c1bbedULL       /* the digest's mark of an operation not run */

/* What watch is pointed at: the ipc model's names (0 .. IPC_MODEL_NAMES - 1), then: */
#define PROP_T_DIR IPC_MODEL_NAMES              /* the driver's directory */
#define PROP_T_TMP (IPC_MODEL_NAMES + 1)        /* /tmp: no channels, cannot be watched */
#define PROP_OBJ_DIR IPC_MODEL_CHANS    /* a subscription's object: the directory; else a
					 * channel of the ipc model */

/* Requests to the agent beyond the model's operations: close all but the control
 * channels; exit. */
#define PROP_RESET IPC_MODEL_KINDS
#define PROP_EXIT (IPC_MODEL_KINDS + 1)

enum prop_kind { PROP_CHAN, PROP_NEW, PROP_CLOSE, PROP_WATCH, PROP_UNWATCH, PROP_READ };

/* One operation. Its fields are inputs only, so any subset of a sequence is a sequence:
 * which ids exist, what a name holds, is decided when it runs. */
struct prop_op {
	uint8_t kind, ep, target;       /* target: what a watch is pointed at (PROP_T_*) */
	bool fault;                     /* watch: an unmapped request; read: buffer */
	bool pick;                      /* a channel operation on a handle takes one that is
					 * open (prop_pick_slot) */
	uint32_t a;                     /* new: capacity; read: bytes; unwatch: which id */
	uint32_t flags;                 /* new: the endpoint's flags */
	struct ntfy_watch w;            /* watch: the request */
	struct ipc_model_op chan;       /* PROP_CHAN: a channel operation */
};

/* A case: the directory's mode, the endpoints made first (PROP_NEW), the operations. */
struct prop_seq {
	uint32_t dir_mode;
	struct prop_op init[PROP_EPS];
	size_t n;
	struct prop_op ops[PROP_MAX_OPS];
};

/* A channel operation as the driver runs it (root) or asks the agent to (alice). */
struct prop_req {
	int kind, fd;
	uint32_t a;
	struct chan_attr attr;
	bool no_attr, fault, recv;
	char path[PROP_PATH_MAX];
};

struct prop_rep {
	long result;
	struct chan_msg_info info;
};

/* A subscription as the test knows it, in the order made (the kernel's order on each
 * object). Its figures outlive it: its records may still be pending. */
struct prop_sub {
	int ep, id;             /* ep is -1 once the endpoint is closed */
	int obj;                /* a channel of the ipc model, or PROP_OBJ_DIR */
	bool live;              /* neither unwatched nor ended by GONE */
	struct ntfy_watch w;
	uint64_t passed[NTFY_NEVENTS];          /* events the test judged to pass */
	uint64_t delivered[NTFY_NEVENTS];       /* counts of its records read */
};

/* An endpoint slot: the real descriptor and its model. */
struct prop_ep {
	bool open, nonblock;
	int fd;
	uint64_t ino, last_seq, last_time;
	struct ntfy_model m;
};

/* One driver's world. */
struct prop_world {
	int k;
	struct ipc_model model;
	int fd[PROP_ACTORS][IPC_MODEL_SLOTS];   /* the descriptors behind the handles */
	struct prop_ep ep[PROP_EPS];
	struct prop_sub subs[PROP_MAX_OPS];     /* one watch per operation at most */
	int nsubs;
	struct prop_case *c;            /* digest; NULL while shrinking */
	char why[200];
};

static const char *const prop_names[IPC_MODEL_NAMES] = {
	"a", "b", "c", "nodir/x",
	"a-name-longer-than-NAME_MAX-which-is-63-bytes-so-the-kernel-says-so",
};

/* alice's agent (ulib/agent.h). */
static struct agent prop_alice;
/* Descriptors PROP_RESET keeps: the control channels. */
static int prop_keep[2], prop_nkeep;
static unsigned char prop_buf[CHAN_MSG_SIZE_MAX + 1], prop_model_buf[CHAN_MSG_SIZE_MAX + 1];
static char prop_stats[NTFYSTAT_MAX + 1];  /* /kfs/ipc/notify */
static struct ntfy_record prop_got[PROP_READ_MAX], prop_want[PROP_READ_MAX];

/* ---- channel operations: the same code in the driver (root) and the agent (alice) ---- */

/* Run one request with this process's credentials and fill in the answer. */
static void prop_exec(const struct prop_req *q, struct prop_rep *p)
{
	void *buf = q->fault ? PROP_BAD_BUF : prop_buf;

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
	case IPC_WRITE:
		p->result = sys_write(q->fd, buf, q->a);
		break;
	case IPC_READ:
		p->result = q->recv ? sys_recv(q->fd, buf, q->a, &p->info) : sys_read(q->fd, buf, q->a);
		break;
	case IPC_UNLINK:
		p->result = sys_unlink(q->path);
		break;
	case IPC_CHMOD:
		p->result = sys_chmod(q->path, (int)q->a);
		break;
	default:
		fd_close_all_except(prop_keep, prop_nkeep);
	}
}

/* The agent's request handler (agent_serve): run q, until PROP_EXIT. */
static bool prop_serve(const void *req, void *rep)
{
	const struct prop_req *q = req;

	if (q->kind == PROP_EXIT)
		return false;
	prop_exec(q, rep);
	return true;
}

/* Run q as actor: root here, alice through her agent. False when the agent is gone. */
static bool prop_run_as(int actor, const struct prop_req *q, struct prop_rep *p)
{
	if (actor == 0) {
		prop_exec(q, p);
		return true;
	}
	return agent_call(&prop_alice, q, sizeof *q, p, sizeof *p);
}

/* ---- the world's bookkeeping ---- */

/* The path of watch target t (a name, the directory, /tmp). */
static void prop_path(const struct prop_world *w, int t, char *path)
{
	if (t < IPC_MODEL_NAMES)
		snprintf(path, PROP_PATH_MAX, "/ipc/np%d/%s", w->k, prop_names[t]);
	else if (t == PROP_T_DIR)
		snprintf(path, PROP_PATH_MAX, "/ipc/np%d", w->k);
	else
		snprintf(path, PROP_PATH_MAX, "/tmp");
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

/* The index (0..NTFY_NEVENTS-1) of a one-bit event. */
static unsigned prop_index(uint32_t event)
{
	return (unsigned)__builtin_ctz(event);
}

/* The test's own judgement, from uapi/ntfy.h: does e pass the mask and filters of w? */
static bool prop_passes(const struct ntfy_watch *w, const struct ntfy_model_event *e)
{
	if (e->event != NTFY_GONE && !(w->events & e->event))
		return false;
	if (e->event == NTFY_READABLE && (w->flags & NTFY_FROM_UID) && e->uid != w->uid)
		return false;
	if (e->event == NTFY_READABLE && (w->flags & NTFY_DEPTH) && e->depth < w->depth)
		return false;
	return !(e->event == NTFY_WRITABLE && (w->flags & NTFY_DEPTH) && e->depth > w->depth);
}

/* Event happened on object obj (a channel: with its depth and capacity now): give it to
 * every live subscription of obj in the order they were made, as ntfy_post does; GONE
 * ends each of them, as ntfy_source_gone does. */
static void prop_post(struct prop_world *w, int obj, uint32_t event, int uid, const char *name)
{
	struct ntfy_model_event e = { .event = event, .uid = uid, .name = name };

	if (obj != PROP_OBJ_DIR) {
		e.depth = w->model.chans[obj].m.count;
		e.capacity = w->model.chans[obj].m.capacity;
	}
	for (int i = 0; i < w->nsubs; i++) {
		struct prop_sub *s = &w->subs[i];

		if (!s->live || s->obj != obj)
			continue;
		s->passed[prop_index(event)] += prop_passes(&s->w, &e);
		ntfy_model_post(&w->ep[s->ep].m, s->id, &e);
		if (event == NTFY_GONE) {
			ntfy_model_sub_remove(&w->ep[s->ep].m, s->id);
			s->live = false;
		}
	}
}

/* The subscription of endpoint slot ep with this id (live or not), or NULL. */
static struct prop_sub *prop_sub_of(struct prop_world *w, int ep, int id)
{
	for (int i = 0; i < w->nsubs; i++) {
		if (w->subs[i].ep == ep && w->subs[i].id == id)
			return &w->subs[i];
	}
	return NULL;
}

/* ---- channel operations ---- */

/* The events a channel operation that got answer ans posts (ipc/ntfy.h), from the model's
 * state after it: chan is the handle's channel (close, write, read) or the name's
 * (unlink), mode the handle's (1 read, 2 write, 3 both). */
static void prop_chan_events(struct prop_world *w, const struct ipc_model_op *op, int chan,
			     int mode, const struct ipc_model_answer *ans)
{
	const struct chan_model *m = chan >= 0 ? &w->model.chans[chan].m : NULL;
	long r = ans->result;

	if (op->kind == IPC_MKCHAN && r == 0)
		prop_post(w, PROP_OBJ_DIR, NTFY_CREATED, -1, prop_names[op->name]);
	if (op->kind == IPC_WRITE && r >= 0)
		prop_post(w, chan, NTFY_READABLE, ipc_model_actors[op->actor].uid, NULL);
	if (op->kind == IPC_READ && r >= 0 && !ans->info.eof)
		prop_post(w, chan, NTFY_WRITABLE, -1, NULL);
	/* errors inside the channel; "would block" and a buffer the system call refused
	 * never reach it */
	if ((op->kind == IPC_WRITE && (r == -EMSGSIZE || r == -EPIPE)) ||
	    (op->kind == IPC_READ && r == -EMSGSIZE))
		prop_post(w, chan, NTFY_ERROR, -1, NULL);
	if (op->kind == IPC_CLOSE && r == 0 && (((mode & 2) && m->writers == 0) ||
						((mode & 1) && m->readers == 0 && m->unlinked)))
		prop_post(w, chan, NTFY_HUP, -1, NULL);
	if (op->kind == IPC_UNLINK && r == 0) {
		prop_post(w, chan, NTFY_HUP, -1, NULL);
		prop_post(w, PROP_OBJ_DIR, NTFY_REMOVED, -1, prop_names[op->name]);
	}
	/* freed at the last close after unlink, or at unlink when nothing is open */
	if ((op->kind == IPC_CLOSE || op->kind == IPC_UNLINK) && r == 0 &&
	    !w->model.chans[chan].used)
		prop_post(w, chan, NTFY_GONE, -1, NULL);
}

/* What recv tells must agree: the length, end of file and the sender's uid. */
static bool prop_info_differs(struct prop_world *w, const struct prop_rep *got,
			      const struct ipc_model_answer *want)
{
	prop_note(w, got->info.len ^ (uint64_t)got->info.eof << 63 ^
		     (uint64_t)(uint32_t)got->info.from.uid << 32);
	if (got->info.len != want->info.len || got->info.eof != want->info.eof)
		return prop_mismatch(w, "recv's length (end of file adds 1000000)",
				     (long long)got->info.len + got->info.eof * 1000000LL,
				     (long long)want->info.len + want->info.eof * 1000000LL);
	if (!want->info.eof && got->info.from.uid != want->info.from.uid)
		return prop_mismatch(w, "recv's sender uid", got->info.from.uid,
				     want->info.from.uid);
	return false;
}

/* The slot a picking operation on a handle uses (ipc_model_pick). */
static uint8_t prop_pick_slot(const struct prop_world *w, const struct ipc_model_op *op)
{
	unsigned need = op->kind == IPC_WRITE ? 2 : op->kind == IPC_READ ? 1 : 3;

	return ipc_model_pick(&w->model, op->actor, op->name, need, op->slot);
}

/* A channel operation (on a handle picked if pick) on the kernel and the ipc model; then
 * its events to the endpoint models. Returns true on a failure. */
static bool prop_chan_step(struct prop_world *w, const struct ipc_model_op *chosen, bool pick)
{
	struct ipc_model_op picked = *chosen;
	const struct ipc_model_op *op = &picked;
	const struct ipc_model_handle *h;
	struct prop_req q = { .kind = op->kind, .a = op->a, .attr = op->attr,
			      .no_attr = op->no_attr, .fault = op->fault, .recv = op->recv };
	struct ipc_model_answer want;
	struct prop_rep got;
	int chan, mode;
	long result;

	if (pick && (op->kind == IPC_CLOSE || op->kind == IPC_WRITE || op->kind == IPC_READ))
		picked.slot = prop_pick_slot(w, op);
	h = &w->model.h[op->actor][op->slot];
	chan = h->open ? h->chan : -1;
	mode = h->mode;
	q.fd = h->open ? w->fd[op->actor][op->slot] : PROP_NO_FD;
	if (op->kind == IPC_UNLINK && op->name < IPC_MODEL_LIVE)
		chan = w->model.name_chan[op->name];
	prop_path(w, op->name, q.path);
	if (!ipc_model_step(&w->model, op, 0, prop_model_buf, &want)) {
		prop_note(w, PROP_SKIPPED);
		return false;
	}
	if (!prop_run_as(op->actor, &q, &got))
		return prop_mismatch(w, "alice's agent is gone", 0, 1);
	result = op->kind == IPC_OPEN && got.result >= 0 ? 0 : got.result;
	prop_note(w, (uint64_t)result);
	if (op->kind == IPC_OPEN && got.result >= 0 && want.result == 0)
		w->fd[op->actor][want.slot] = (int)got.result;
	if (result != want.result)
		return prop_mismatch(w, "a channel operation's result", result, want.result);
	if (op->kind == IPC_READ && op->recv && (result >= 0 || result == -EMSGSIZE) &&
	    prop_info_differs(w, &got, &want))
		return true;
	prop_chan_events(w, op, chan, mode, &want);
	return false;
}

/* ---- endpoint operations ---- */

/* Close endpoint slot ep (not open: -EBADF). Its subscriptions end without a record. */
static bool prop_close_step(struct prop_world *w, int ep)
{
	struct prop_ep *e = &w->ep[ep];
	long got = sys_close(e->open ? e->fd : PROP_NO_FD), want = e->open ? 0 : -EBADF;

	prop_note(w, (uint64_t)got);
	if (got != want)
		return prop_mismatch(w, "close of an endpoint", got, want);
	for (int i = 0; i < w->nsubs; i++) {
		if (w->subs[i].ep == ep) {
			w->subs[i].ep = -1;
			w->subs[i].live = false;
		}
	}
	e->open = false;
	return false;
}

/* ntfy_new into slot op->ep, closing what it held first. */
static bool prop_new_step(struct prop_world *w, const struct prop_op *op)
{
	struct prop_ep *e = &w->ep[op->ep];
	long want, got;
	struct stat st;

	if (e->open && prop_close_step(w, op->ep))
		return true;
	want = (op->flags & ~O_NONBLOCK) ? -EINVAL :
	       ntfy_model_init(&e->m, op->a ? op->a : NTFY_CAPACITY_DEFAULT);
	got = sys_ntfy_new(op->a, (int)op->flags);
	prop_note(w, (uint64_t)(got >= 0 ? 0 : got));
	if ((got >= 0 ? 0 : got) != want) {
		if (got >= 0)
			sys_close((int)got);
		return prop_mismatch(w, "ntfy_new (a descriptor counts as 0)", got, want);
	}
	if (got < 0)
		return false;
	e->open = true;
	e->nonblock = (op->flags & O_NONBLOCK) != 0;
	e->fd = (int)got;
	e->last_seq = e->last_time = 0;
	if (sys_fstat(e->fd, &st) != 0)
		return prop_mismatch(w, "fstat of a new endpoint", -1, 0);
	e->ino = st.st_ino;
	return false;
}

/* The answer watch must give, checked in the kernel's order (ipc/ntfy_syscall.c,
 * ntfy_watch): the descriptor, user memory, the request, the path, the object. On 0,
 * *obj is the object. */
static long prop_watch_want(const struct prop_world *w, const struct prop_op *op, int *obj)
{
	bool dir = op->target == PROP_T_DIR;

	if (!w->ep[op->ep].open)
		return -EBADF;
	if (op->fault)
		return -EFAULT;
	if (ntfy_model_watch_check(&op->w, NTFY_CHAN_EVENTS | NTFY_DIR_EVENTS, true))
		return -EINVAL;
	if (op->target == IPC_MODEL_LONG)
		return -ENAMETOOLONG;
	if (op->target == IPC_MODEL_NODIR)
		return -ENOENT;
	if (op->target == PROP_T_TMP)
		return -EINVAL;
	*obj = dir ? PROP_OBJ_DIR : w->model.name_chan[op->target];
	if (*obj < 0)
		return -ENOENT;
	return ntfy_model_watch_check(&op->w, dir ? NTFY_DIR_EVENTS : NTFY_CHAN_EVENTS, !dir);
}

/* watch: on both; a new subscription joins the test's list. */
static bool prop_watch_step(struct prop_world *w, const struct prop_op *op)
{
	struct prop_ep *e = &w->ep[op->ep];
	char path[PROP_PATH_MAX];
	const struct chan_model *m;
	int obj = -1;
	long want = prop_watch_want(w, op, &obj), got;

	prop_path(w, op->target, path);
	got = sys_watch(e->open ? e->fd : PROP_NO_FD, path, op->fault ? PROP_BAD_BUF : &op->w);
	if (want == 0) {
		m = obj == PROP_OBJ_DIR ? NULL : &w->model.chans[obj].m;
		want = ntfy_model_sub_add(&e->m, &op->w, m ? m->count : 0, m ? m->capacity : 0, 0);
	}
	prop_note(w, (uint64_t)got);
	if (got != want)
		return prop_mismatch(w, "watch", got, want);
	if (got > 0)
		w->subs[w->nsubs++] = (struct prop_sub){ .ep = op->ep, .id = (int)got, .obj = obj,
							 .live = true, .w = op->w };
	return false;
}

/* unwatch of an id picked from op->a: 0, one never given, or one given (live or not). */
static bool prop_unwatch_step(struct prop_world *w, const struct prop_op *op)
{
	struct prop_ep *e = &w->ep[op->ep];
	int id = (int)(op->a % (uint32_t)((e->open ? e->m.made : 0) + 2));
	const struct ntfy_model_sub *ms = e->open ? ntfy_model_sub(&e->m, id) : NULL;
	long want = !e->open ? -EBADF : ms && ms->live ? 0 : -ENOENT;
	long got = sys_unwatch(e->open ? e->fd : PROP_NO_FD, id);

	prop_note(w, (uint64_t)got);
	if (got != want)
		return prop_mismatch(w, "unwatch", got, want);
	if (got == 0) {
		ntfy_model_sub_remove(&e->m, id);
		prop_sub_of(w, op->ep, id)->live = false;
	}
	return false;
}

/* Observe a record: every field but the time. */
static void prop_note_record(struct prop_world *w, const struct ntfy_record *r)
{
	uint64_t h = 0;

	for (const char *p = r->name; *p; p++)
		h = h * 31 + (unsigned char)*p;
	prop_note(w, r->seq);
	prop_note(w, r->cookie);
	prop_note(w, (uint64_t)r->events << 32 | r->count);
	prop_note(w, (uint64_t)(uint32_t)r->sub << 32 | r->depth);
	prop_note(w, h);
}

/* Record got, read from endpoint slot ep at time now, against the model's want; then
 * what it says about itself: the next sequence number, a time not before the last
 * record's nor after now. Its count joins its subscription's. */
static bool prop_record_differs(struct prop_world *w, int ep, const struct ntfy_record *got,
				const struct ntfy_record *want, uint64_t now)
{
	struct prop_ep *e = &w->ep[ep];
	const struct { const char *name; uint64_t got, want; } fields[] = {
		{ "record's seq", got->seq, want->seq },
		{ "record's event", got->events, want->events },
		{ "record's sub", (uint64_t)(int64_t)got->sub, (uint64_t)(int64_t)want->sub },
		{ "record's count", got->count, want->count },
		{ "record's depth", got->depth, want->depth },
		{ "record's cookie", got->cookie, want->cookie },
		{ "record's name equal", strcmp(got->name, want->name) == 0, 1 },
		{ "record's seq after the last one read", got->seq, e->last_seq + 1 },
		{ "record's time is not before the last one's", got->time_ns >= e->last_time, 1 },
		{ "record's time is not in the future", got->time_ns <= now, 1 },
	};
	struct prop_sub *s;

	prop_note_record(w, got);
	for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
		if (fields[f].got != fields[f].want)
			return prop_mismatch(w, fields[f].name, (long long)fields[f].got,
					     (long long)fields[f].want);
	}
	e->last_seq = got->seq;
	e->last_time = got->time_ns;
	s = got->events == NTFY_OVERFLOW ? NULL : prop_sub_of(w, ep, got->sub);
	if (s)
		s->delivered[prop_index(got->events)] += got->count;
	return got->events != NTFY_OVERFLOW && !s &&
	       prop_mismatch(w, "a record of a subscription never made", got->sub, 0);
}

/* read of len bytes from endpoint slot ep (into an unmapped buffer if fault). A blocking
 * read with nothing pending would sleep for ever: it is not run. */
static bool prop_read_step(struct prop_world *w, int ep, uint32_t len, bool fault)
{
	struct prop_ep *e = &w->ep[ep];
	size_t max = len / sizeof(struct ntfy_record);
	long want, got;
	uint64_t now;

	if (!e->open) {
		want = -EBADF;
	} else if (fault && len > 0) {
		want = -EFAULT;         /* sys_read checks the buffer first */
	} else if (max > 0 && !e->nonblock && ntfy_model_pending(&e->m) == 0) {
		prop_note(w, PROP_SKIPPED);
		return false;
	} else {
		want = ntfy_model_read(&e->m, max, false, prop_want, 0);
	}
	got = sys_read(e->open ? e->fd : PROP_NO_FD, fault ? PROP_BAD_BUF : prop_got, len);
	now = (uint64_t)sys_clock_ns();
	if (got > 0 && got % (long)sizeof(struct ntfy_record) != 0)
		return prop_mismatch(w, "bytes read from an endpoint, not whole records", got, 0);
	if (got > 0)
		got /= (long)sizeof(struct ntfy_record);
	prop_note(w, (uint64_t)got);
	if (got != want)
		return prop_mismatch(w, "records read", got, want);
	for (long i = 0; i < got; i++) {
		if (prop_record_differs(w, ep, &prop_got[i], &prop_want[i], now))
			return true;
	}
	return false;
}

/* Run op on the kernel and the models. Returns true on a failure. */
static bool prop_step(struct prop_world *w, const struct prop_op *op)
{
	switch (op->kind) {
	case PROP_CHAN:
		return prop_chan_step(w, &op->chan, op->pick);
	case PROP_NEW:
		return prop_new_step(w, op);
	case PROP_CLOSE:
		return prop_close_step(w, op->ep);
	case PROP_WATCH:
		return prop_watch_step(w, op);
	case PROP_UNWATCH:
		return prop_unwatch_step(w, op);
	default:
		return prop_read_step(w, op->ep, op->a, op->fault);
	}
}

/* ---- the invariants, checked after every step ---- */

/* The columns of /kfs/ipc/notify the test compares, in the order of prop_ep_differs. */
static const char *const prop_columns[] = {
	"uid", "capacity", "pending", "subs", "waiting", "queued", "coalesced", "filtered",
	"lost", "rearmed", "read", "woken",
};
#define PROP_COLUMNS (sizeof prop_columns / sizeof prop_columns[0])

/* Endpoint slot ep's fstat and line of /kfs/ipc/notify (read into prop_stats) show the
 * model's figures. Nobody ever sleeps on it, so none waits and none was woken. */
static bool prop_ep_differs(struct prop_world *w, int ep)
{
	const struct prop_ep *e = &w->ep[ep];
	const struct ntfy_model *m = &e->m;
	const uint64_t want[PROP_COLUMNS] = {
		0, m->capacity, ntfy_model_pending(m), m->live_subs, 0, m->queued, m->coalesced,
		m->filtered, m->lost, m->rearmed, m->read, 0,
	};
	unsigned long long got = 0;
	struct stat st;

	if (sys_fstat(e->fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFNTFY || st.st_ino != e->ino)
		return prop_mismatch(w, "fstat of an endpoint: its type", st.st_mode, S_IFNTFY);
	if (st.st_size != want[2] || st.st_extra[0] != want[1] || st.st_extra[1] != want[3] ||
	    st.st_extra[2] != 0)
		return prop_mismatch(w, "fstat of an endpoint: pending * 10000 + subs",
				     (long long)(st.st_size * 10000 + st.st_extra[1]),
				     (long long)(want[2] * 10000 + want[3]));
	for (size_t c = 0; c < PROP_COLUMNS; c++) {
		if (ntfystat_field(prop_stats, e->ino, prop_columns[c], &got) != 0 ||
		    got != want[c]) {
			snprintf(w->why, sizeof w->why, NTFYSTAT_PATH " %s of endpoint %llu: kernel "
				 "%llu, model %llu", prop_columns[c], (unsigned long long)e->ino,
				 got, (unsigned long long)want[c]);
			return true;
		}
	}
	return false;
}

/* Subscription s adds up: per kind of event, no more counts out (read or pending) than
 * events passed, so no record comes of a filtered-out event; in all, the events passed are
 * the counts read, pending and lost; and the model counts the same. */
static bool prop_sub_broken(struct prop_world *w, const struct prop_sub *s)
{
	const struct ntfy_model *m = &w->ep[s->ep].m;
	const struct ntfy_model_sub *ms = ntfy_model_sub(m, s->id);
	uint64_t pending[NTFY_NEVENTS] = { 0 }, passed = 0, delivered = 0, queued = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		if (m->recs[i].sub == s->id && m->recs[i].events != NTFY_OVERFLOW)
			pending[prop_index(m->recs[i].events)] += m->recs[i].count;
	}
	for (unsigned k = 0; k < NTFY_NEVENTS; k++) {
		if (s->delivered[k] + pending[k] > s->passed[k])
			return prop_mismatch(w, "counts read and pending vs passed, of event bit",
					     (long long)k, (long long)s->passed[k]);
		passed += s->passed[k];
		delivered += s->delivered[k];
		queued += pending[k];
	}
	if (ms->events != passed || ms->delivered != delivered)
		return prop_mismatch(w, "a subscription's events passed (the test's count)",
				     (long long)passed, (long long)ms->events);
	if (passed != delivered + queued + ms->lost)
		return prop_mismatch(w, "events passed vs counts read + pending + lost",
				     (long long)passed, (long long)(delivered + queued + ms->lost));
	return false;
}

/* Every open endpoint and every subscription of one. */
static bool prop_invariants_broken(struct prop_world *w)
{
	bool any = false;

	for (int ep = 0; ep < PROP_EPS; ep++)
		any = any || w->ep[ep].open;
	if (any && ntfystat_read(prop_stats) < 0)
		return prop_mismatch(w, "reading " NTFYSTAT_PATH, -1, 0);
	for (int ep = 0; ep < PROP_EPS; ep++) {
		if (w->ep[ep].open && prop_ep_differs(w, ep))
			return true;
	}
	for (int i = 0; i < w->nsubs; i++) {
		if (w->subs[i].ep >= 0 && prop_sub_broken(w, &w->subs[i]))
			return true;
	}
	return false;
}

/* ---- a whole sequence ---- */

/* A fresh directory /ipc/np<k> of alice's with mode dir_mode, empty models. */
static bool prop_setup(struct prop_world *w, uint32_t dir_mode)
{
	char dir[PROP_PATH_MAX];

	ipc_model_init(&w->model, dir_mode);
	for (int ep = 0; ep < PROP_EPS; ep++)
		w->ep[ep].open = false;
	w->nsubs = 0;
	prop_path(w, PROP_T_DIR, dir);
	if (sys_mkdir(dir, 0700) != 0 || sys_chown(dir, IPC_MODEL_OWNER, IPC_MODEL_OWNER) != 0 ||
	    sys_chmod(dir, (int)dir_mode) != 0)
		return prop_mismatch(w, "making the test's directory", 0, 1);
	return false;
}

/* The directory goes (rmdir): HUP to its watchers, then GONE as it is freed. */
static bool prop_rmdir_step(struct prop_world *w)
{
	char dir[PROP_PATH_MAX];
	long got;

	prop_path(w, PROP_T_DIR, dir);
	got = sys_rmdir(dir);
	prop_note(w, (uint64_t)got);
	if (got != 0)
		return prop_mismatch(w, "rmdir of the test's directory", got, 0);
	prop_post(w, PROP_OBJ_DIR, NTFY_HUP, -1, NULL);
	prop_post(w, PROP_OBJ_DIR, NTFY_GONE, -1, NULL);
	return false;
}

/* After the sequence, through the same checks: every handle closed, every name unlinked,
 * the directory removed (so every subscription hears GONE), every endpoint read empty
 * (then, per subscription, events passed = counts read + lost) and closed. */
static bool prop_drain(struct prop_world *w)
{
	struct ipc_model_op op = { .kind = IPC_CLOSE };
	size_t reads = 0;

	for (op.actor = 0; op.actor < PROP_ACTORS; op.actor++) {
		for (op.slot = 0; op.slot < IPC_MODEL_SLOTS; op.slot++) {
			if (w->model.h[op.actor][op.slot].open &&
			    (prop_chan_step(w, &op, false) || prop_invariants_broken(w)))
				return true;
		}
	}
	op = (struct ipc_model_op){ .kind = IPC_UNLINK };
	for (op.name = 0; op.name < IPC_MODEL_LIVE; op.name++) {
		if (w->model.name_chan[op.name] >= 0 &&
		    (prop_chan_step(w, &op, false) || prop_invariants_broken(w)))
			return true;
	}
	if (prop_rmdir_step(w) || prop_invariants_broken(w))
		return true;
	for (int ep = 0; ep < PROP_EPS; ep++) {
		while (w->ep[ep].open && ntfy_model_pending(&w->ep[ep].m) > 0 && reads++ < 1000) {
			if (prop_read_step(w, ep, PROP_READ_MAX * sizeof(struct ntfy_record), false) ||
			    prop_invariants_broken(w))
				return true;
		}
		if (w->ep[ep].open && (prop_close_step(w, ep) || prop_invariants_broken(w)))
			return true;
	}
	return false;
}

/* Close everything either actor has open and remove the names and the directory (after
 * a failure, some may be left). */
static void prop_cleanup(struct prop_world *w)
{
	struct prop_req q = { .kind = PROP_RESET };
	char path[PROP_PATH_MAX];
	struct prop_rep p;

	prop_run_as(PROP_ALICE, &q, &p);
	fd_close_all_except(prop_keep, prop_nkeep);
	for (int name = 0; name < IPC_MODEL_LIVE; name++) {
		prop_path(w, name, path);
		sys_unlink(path);
	}
	prop_path(w, PROP_T_DIR, path);
	sys_rmdir(path);
}

/* Run the endpoints of s and ops[0..n) in a fresh directory. Returns true on a failure,
 * with the step and the reason in why. */
static bool prop_run(struct prop_world *w, const struct prop_seq *s, const struct prop_op *ops,
		     size_t n, char *why, size_t why_size)
{
	bool bad = prop_setup(w, s->dir_mode);
	size_t step = 0;

	for (int ep = 0; !bad && ep < PROP_EPS; ep++)
		bad = prop_step(w, &s->init[ep]) || prop_invariants_broken(w);
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

/* A channel operation by root or (one time in five) alice, of kind (-1: any), mostly on
 * an open handle if it needs one. */
static void prop_gen_chan(struct prng *r, struct prop_op *p, int kind)
{
	static const uint32_t lens[] = { 0, 64, 65, CHAN_MSG_SIZE_MAX + 1 };
	static const uint16_t perms[] = { 0666, 0666, 0622, 0644, 0600 };
	static const uint32_t modes[] = { O_RDWR, O_RDWR, O_RDONLY, O_WRONLY };
	struct ipc_model_op *op = &p->chan;
	uint64_t roll = prng_below(r, 100);

	p->kind = PROP_CHAN;
	p->pick = prng_chance(r, 90);
	op->actor = prng_chance(r, 20) ? PROP_ALICE : 0;
	op->name = (uint8_t)(prng_chance(r, 5) ? prng_range(r, IPC_MODEL_NODIR, IPC_MODEL_LONG)
					       : prng_below(r, IPC_MODEL_LIVE));
	op->slot = (uint8_t)prng_below(r, IPC_MODEL_SLOTS);
	op->fault = prng_chance(r, 3);
	op->recv = prng_chance(r, 50);
	op->kind = kind >= 0 ? (uint8_t)kind : roll < 6 ? IPC_MKCHAN : roll < 22 ? IPC_OPEN :
		   roll < 30 ? IPC_CLOSE : roll < 62 ? IPC_WRITE : roll < 94 ? IPC_READ :
		   roll < 99 ? IPC_UNLINK : IPC_CHMOD;
	if (op->kind == IPC_MKCHAN || op->kind == IPC_CHMOD)
		op->a = perms[prng_below(r, sizeof perms / sizeof perms[0])];
	else if (op->kind == IPC_OPEN)
		op->a = modes[prng_below(r, 4)] | (prng_chance(r, 75) ? O_NONBLOCK : 0);
	else
		op->a = prng_chance(r, 15) ? lens[prng_below(r, sizeof lens / sizeof lens[0])]
					   : (uint32_t)prng_range(r, 1, 48);
	op->no_attr = prng_chance(r, 10);
	op->attr.capacity = prng_chance(r, 4) ? 0 : (uint32_t)prng_range(r, 1, 4);
	op->attr.max_msg_size = 64;
}

/* An endpoint's capacity: mostly tiny so that it overflows; now and then the default (0)
 * or one too many. */
static uint32_t prop_gen_capacity(struct prng *r)
{
	uint64_t roll = prng_below(r, 20);

	return roll == 0 ? 0 : roll == 1 ? NTFY_CAPACITY_MAX + 1 :
	       roll < 14 ? (uint32_t)prng_range(r, 1, 4) : (uint32_t)prng_range(r, 5, 12);
}

static void prop_gen_new(struct prng *r, struct prop_op *op, int ep)
{
	static const uint32_t flags[] = { O_NONBLOCK, O_NONBLOCK, O_NONBLOCK, O_NONBLOCK, 0,
					  O_RDWR };

	op->kind = PROP_NEW;
	op->ep = (uint8_t)ep;
	op->a = prop_gen_capacity(r);
	op->flags = flags[prng_below(r, sizeof flags / sizeof flags[0])];
}

/* A random non-empty subset of bits. */
static uint32_t prop_gen_subset(struct prng *r, uint32_t bits)
{
	uint32_t mask;

	do
		mask = (uint32_t)prng_next(r) & bits;
	while (mask == 0);
	return mask;
}

/* A watch: mostly on a channel's name or the directory with a request fit for it; one
 * time in ten anything at all. */
static void prop_gen_watch(struct prng *r, struct prop_op *op)
{
	static const int uids[] = { 0, IPC_MODEL_OWNER, IPC_MODEL_OWNER + 1 };
	struct ntfy_watch *w = &op->w;
	uint64_t roll = prng_below(r, 100);
	bool chan;

	op->kind = PROP_WATCH;
	op->target = (uint8_t)(roll < 55 ? prng_below(r, IPC_MODEL_LIVE) : roll < 88 ? PROP_T_DIR :
			       prng_range(r, IPC_MODEL_NODIR, PROP_T_TMP));
	chan = op->target != PROP_T_DIR;
	*w = (struct ntfy_watch){ .cookie = prng_next(r), .uid = uids[prng_below(r, 3)],
				  .depth = (uint32_t)prng_range(r, 0, 5) };
	if (prng_chance(r, 10)) {
		w->events = (uint32_t)prng_next(r) & (prng_chance(r, 50) ? 0xff : 0xffffffffu);
		w->flags = (uint32_t)prng_below(r, 16);
		w->uid = (int)prng_range(r, 0, 2) - 1;
		if (prng_chance(r, 20))
			w->depth = CHAN_CAPACITY_MAX + (uint32_t)prng_below(r, 2);
		return;
	}
	w->events = prop_gen_subset(r, chan ? NTFY_CHAN_EVENTS : NTFY_DIR_EVENTS);
	if (prng_chance(r, 50))
		w->flags |= NTFY_EDGE;
	if (chan && (w->flags & NTFY_EDGE) && prng_chance(r, 35))
		w->flags |= NTFY_FROM_UID;
	if (chan && prng_chance(r, 30))
		w->flags |= NTFY_DEPTH;
}

/* A read's length: no record, less than one, one to four (sometimes with bytes to
 * spare), or the most the test reads. */
static uint32_t prop_gen_read_len(struct prng *r)
{
	const uint32_t rec = sizeof(struct ntfy_record);
	uint64_t roll = prng_below(r, 100);

	if (roll < 6)
		return 0;
	if (roll < 12)
		return rec - 1;
	if (roll < 25)
		return PROP_READ_MAX * rec;
	return (uint32_t)prng_range(r, 1, 4) * rec + (prng_chance(r, 20) ? rec / 2 : 0);
}

static void prop_gen_op(struct prng *r, struct prop_op *op)
{
	uint64_t roll = prng_below(r, 100);

	memset(op, 0, sizeof *op);
	op->ep = (uint8_t)prng_below(r, PROP_EPS);
	op->fault = prng_chance(r, 3);
	if (roll < 60) {
		prop_gen_chan(r, op, -1);
	} else if (roll < 62) {
		prop_gen_new(r, op, op->ep);
	} else if (roll < 64) {
		op->kind = PROP_CLOSE;
	} else if (roll < 75) {
		prop_gen_watch(r, op);
	} else if (roll < 79) {
		op->kind = PROP_UNWATCH;
		op->a = (uint32_t)prng_next(r);
	} else {
		op->kind = PROP_READ;
		op->a = prop_gen_read_len(r);
	}
}

/* A case: endpoints that mostly work; a prelude that makes channels, opens handles and
 * subscribes (plain operations: shrinking may drop them); then anything. */
static void prop_gen_seq(struct prng *r, struct prop_seq *s)
{
	static const uint16_t dir_modes[] = { 01777, 0775, 0755, 0700 };
	size_t opens = (size_t)prng_range(r, 4, 7), watches = (size_t)prng_range(r, 2, 6);

	memset(s, 0, sizeof *s);
	s->dir_mode = dir_modes[prng_below(r, sizeof dir_modes / sizeof dir_modes[0])];
	for (int ep = 0; ep < PROP_EPS; ep++) {
		prop_gen_new(r, &s->init[ep], ep);
		if (prng_chance(r, 85))
			s->init[ep].flags = O_NONBLOCK;
		s->init[ep].a %= NTFY_CAPACITY_MAX + 1;
	}
	for (uint8_t name = 0; name < IPC_MODEL_LIVE; name++) {
		if (prng_chance(r, 90)) {
			prop_gen_chan(r, &s->ops[s->n], IPC_MKCHAN);
			s->ops[s->n++].chan.name = name;
		}
	}
	while (opens-- > 0) {
		prop_gen_chan(r, &s->ops[s->n], IPC_OPEN);
		if (opens == 0)         /* the last: alice's */
			s->ops[s->n].chan.actor = PROP_ALICE;
		s->n++;
	}
	while (watches-- > 0) {
		s->ops[s->n].ep = (uint8_t)prng_below(r, PROP_EPS);
		prop_gen_watch(r, &s->ops[s->n++]);
	}
	for (size_t n = (size_t)prng_range(r, s->n + 10, PROP_MAX_OPS); s->n < n; s->n++)
		prop_gen_op(r, &s->ops[s->n]);
}

/* ---- the driver ---- */

static struct tap prop_tap;

static void prop_write_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	sys_write(1, s, n);
}

/* The world and case being shrunk, for prop_still_fails. */
struct prop_shrinking {
	struct prop_world *w;
	const struct prop_seq *s;
};

static bool prop_still_fails(const void *ops, size_t n, void *arg)
{
	struct prop_shrinking *sh = arg;
	char why[sizeof sh->w->why];

	return prop_run(sh->w, sh->s, ops, n, why, sizeof why);
}

/* One line of a failing sequence: a channel operation. A picked handle is the n-th that
 * fits when it runs (prop_pick_slot). */
static void prop_describe_chan(const struct prop_op *op, const char *at)
{
	const struct ipc_model_op *c = &op->chan;
	const char *who = ipc_model_actors[c->actor].name, *name = prop_names[c->name];
	const char *how = c->fault ? " (unmapped buffer)" : "";
	const char *picked = op->pick ? " (picked)" : "";

	if (c->kind == IPC_MKCHAN && c->no_attr)
		tap_diag(&prop_tap, "  %s: %s mkchan %s 0%o, default attributes", at, who, name, c->a);
	else if (c->kind == IPC_MKCHAN)
		tap_diag(&prop_tap, "  %s: %s mkchan %s 0%o, capacity %u", at, who, name, c->a,
			 c->attr.capacity);
	else if (c->kind == IPC_OPEN)
		tap_diag(&prop_tap, "  %s: %s open %s flags 0%o", at, who, name, c->a);
	else if (c->kind == IPC_CLOSE)
		tap_diag(&prop_tap, "  %s: %s close handle %u%s", at, who, c->slot, picked);
	else if (c->kind == IPC_WRITE)
		tap_diag(&prop_tap, "  %s: %s write %u bytes to handle %u on %s%s%s", at, who, c->a,
			 c->slot, name, picked, how);
	else if (c->kind == IPC_READ)
		tap_diag(&prop_tap, "  %s: %s %s %u bytes from handle %u on %s%s%s", at, who,
			 c->recv ? "recv" : "read", c->a, c->slot, name, picked, how);
	else
		tap_diag(&prop_tap, "  %s: %s %s %s 0%o", at, who,
			 c->kind == IPC_UNLINK ? "unlink" : "chmod", name, c->a);
}

/* One line of a failing sequence. */
static void prop_describe(const struct prop_op *op, const char *at)
{
	if (op->kind == PROP_CHAN)
		prop_describe_chan(op, at);
	else if (op->kind == PROP_NEW)
		tap_diag(&prop_tap, "  %s: ep%u = ntfy_new(%u, 0%o)", at, op->ep, op->a, op->flags);
	else if (op->kind == PROP_CLOSE)
		tap_diag(&prop_tap, "  %s: close ep%u", at, op->ep);
	else if (op->kind == PROP_WATCH)
		tap_diag(&prop_tap, "  %s: watch ep%u target %u (%s) events 0x%x flags 0x%x uid %d "
			 "depth %u%s", at, op->ep, op->target,
			 op->target < IPC_MODEL_NAMES ? prop_names[op->target] :
			 op->target == PROP_T_DIR ? "the directory" : "/tmp", op->w.events,
			 op->w.flags, op->w.uid, op->w.depth, op->fault ? " (unmapped request)" : "");
	else if (op->kind == PROP_UNWATCH)
		tap_diag(&prop_tap, "  %s: unwatch ep%u id choice %u", at, op->ep, op->a);
	else
		tap_diag(&prop_tap, "  %s: read ep%u %u bytes%s", at, op->ep, op->a,
			 op->fault ? " (unmapped buffer)" : "");
}

/* Shrink the failing case s and print the shortest failing sequence found. */
static void prop_report_shortest(struct prop_world *w, const struct prop_seq *s, uint64_t seed)
{
	struct prop_seq *small = malloc(sizeof *small);
	struct prop_op *scratch = malloc(sizeof small->ops);
	struct prop_shrinking sh = { w, s };
	char why[sizeof w->why], at[8];

	*small = *s;
	w->c = NULL;
	small->n = prop_shrink(small->ops, small->n, sizeof small->ops[0], scratch,
			       prop_still_fails, &sh);
	prop_run(w, small, small->ops, small->n, why, sizeof why);
	tap_diag(&prop_tap, "ntfyprop: shortest failing sequence, %zu of %zu operations, "
		 "directory mode 0%o: %s", small->n, s->n, s->dir_mode, why);
	for (int ep = 0; ep < PROP_EPS; ep++)
		prop_describe(&small->init[ep], "init");
	for (size_t i = 0; i < small->n; i++) {
		snprintf(at, sizeof at, "%zu", i);
		prop_describe(&small->ops[i], at);
	}
	tap_diag(&prop_tap, "replay: python3 tests/run-qemu --arch ARCH --kernel "
		 "stage4/kernel-ARCH.elf --append 'utest=ntfyprop prop.replay=0x%016llx'",
		 (unsigned long long)seed);
	free(scratch);
	free(small);
}

/* Property 2 for one random sequence. */
static int prop_case(struct prop_case *c, void *arg)
{
	struct prop_world *w = arg;
	struct prop_seq *s = malloc(sizeof *s);
	char why[sizeof w->why];
	bool bad;

	prop_gen_seq(&c->rng, s);
	w->c = c;
	bad = prop_run(w, s, s->ops, s->n, why, sizeof why);
	if (bad)
		prop_report_shortest(w, s, c->seed);
	free(s);
	return bad ? prop_fail(c, "%s", why) : 0;
}

/* Start alice's agent, its channels in ctl; the driver keeps its ends across RESET. */
static bool prop_start_agent(const char *ctl)
{
	if (!agent_start(&prop_alice, "ntfyprop", ctl, PROP_ALICE, IPC_MODEL_OWNER,
			 IPC_MODEL_OWNER))
		return false;
	prop_keep[prop_nkeep++] = prop_alice.req_fd;
	prop_keep[prop_nkeep++] = prop_alice.rep_fd;
	return true;
}

/* Driver mode: start the agent, run the property, stop the agent. Exit status 0 when
 * every case passed. */
static int prop_driver(int k)
{
	struct prop_world *w = calloc(1, sizeof *w);
	struct prop_req stop = { .kind = PROP_EXIT };
	char ctl[PROP_PATH_MAX], name[48];
	int failed = 1;

	tap_continue(&prop_tap, prop_write_out, NULL);
	snprintf(ctl, sizeof ctl, "/ipc/npctl%d", k);
	snprintf(name, sizeof name, "ntfy_syscalls_match_model.%d", k);
	if (w) {
		w->k = k;
		if (sys_mkdir(ctl, 0700) == 0 && prop_start_agent(ctl))
			failed = prop_check(&prop_tap, name, PROP_CASES, prop_case, w);
		else
			tap_diag(&prop_tap, "ntfyprop: driver %d could not start its agent", k);
	}
	agent_stop(&prop_alice, &stop, sizeof stop);
	sys_rmdir(ctl);
	free(w);
	return failed;
}

/* Property 2: PROP_DRIVERS drivers at once (one in a replay), each with its own
 * seed. Once all are done, no endpoint, subscription or record of theirs is left. */
UTEST(ntfy_syscalls_match_the_model_in_concurrent_processes)
{
	char k_arg[8], seed_arg[40], replay_arg[40];
	char *argv[] = { "ntfyprop", "driver", k_arg, seed_arg, NULL, NULL };
	long long subs = chanstat_summary("notify_subs"), alive = chanstat_summary("notify_endpoints_alive");
	long long pending = chanstat_summary("notify_pending");
	int pid[PROP_DRIVERS], status, drivers = PROP_DRIVERS, k;
	struct meminfo before, after;
	uint64_t replay;

	if (prop_replay_active(&replay)) {
		drivers = 1;
		snprintf(replay_arg, sizeof replay_arg, "prop.replay=0x%llx",
			 (unsigned long long)replay);
		argv[4] = replay_arg;
	}
	UTEST_ASSERT(subs >= 0 && alive >= 0 && pending >= 0);
	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	for (k = 0; k < drivers; k++) {
		snprintf(k_arg, sizeof k_arg, "%d", k);
		snprintf(seed_arg, sizeof seed_arg, "seed=0x%llx",
			 (unsigned long long)(prop_get_seed() + (uint64_t)k));
		pid[k] = sys_spawn("/bin/ntfyprop", argv, NULL);
		UTEST_EXPECT(pid[k] > 0);
	}
	for (k = 0; k < drivers; k++) {
		status = -1;
		if (pid[k] > 0 && sys_wait(pid[k], &status) == pid[k])
			UTEST_EXPECT_EQ(status, 0);
	}
	UTEST_EXPECT_EQ(chanstat_summary("notify_subs"), subs);
	UTEST_EXPECT_EQ(chanstat_summary("notify_endpoints_alive"), alive);
	UTEST_EXPECT_EQ(chanstat_summary("notify_pending"), pending);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

/* The helper modes of argv (driver, agent): their exit status, or -1 when argv names none
 * (then this is the test). */
static int prop_child_main(int argc, char **argv)
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
	return -1;
}

int main(int argc, char **argv)
{
	int status = prop_child_main(argc, argv);

	return status >= 0 ? status : utest_main(argc, argv);
}
