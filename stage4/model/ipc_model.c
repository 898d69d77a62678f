/* ipc_model.c: the reference model of channels as processes see them (model/ipc_model.h).
 *
 * Each function below is one system call's rules, in the order the kernel checks them:
 * first the path (common/kernel/kfs.c: a name too long, search permission on the way, a
 * missing name), then the access check of the node (kfs_access), then the channel's own
 * rules, which model/chan_model.h states. */
#include <lib/string.h>
#include <model/ipc_model.h>
#include <uapi/errno.h>
#include <uapi/fs.h>

const struct ipc_model_actor ipc_model_actors[IPC_MODEL_ACTORS] = {
	{ 0, 0, "root" },
	{ IPC_MODEL_OWNER, IPC_MODEL_OWNER, "alice" },
	{ IPC_MODEL_OWNER + 1, IPC_MODEL_OWNER, "bob" },
};

/* Start with an empty directory of mode dir_mode: no names, no channels, no handles. */
void ipc_model_init(struct ipc_model *w, uint32_t dir_mode)
{
	memset(w->name_chan, -1, sizeof w->name_chan);
	memset(w->h, 0, sizeof w->h);
	for (int i = 0; i < IPC_MODEL_CHANS; i++)
		w->chans[i].used = false;
	w->dir_mode = dir_mode;
}

/* kfs_access for actor on a node of mode/uid/gid: root may all; else the owner's, the
 * group's or the others' bits. */
static bool ipc_model_may(int actor, uint32_t mode, int uid, int gid, unsigned want)
{
	const struct ipc_model_actor *a = &ipc_model_actors[actor];
	unsigned bits;

	if (a->uid == 0)
		return true;
	bits = a->uid == uid ? mode >> 6 : a->gid == gid ? mode >> 3 : mode;
	return (bits & want) == want;
}

static bool ipc_model_dir_may(const struct ipc_model *w, int actor, unsigned want)
{
	return ipc_model_may(actor, w->dir_mode, IPC_MODEL_OWNER, IPC_MODEL_OWNER, want);
}

/* The lookup of a name in the directory: -ENAMETOOLONG, -EACCES (no search permission)
 * or -ENOENT, else 0 with *chan. parent_only: the directory is not searched for the name
 * itself (mkchan and unlink resolve the parent), though a name under a missing
 * subdirectory still needs it. */
static long ipc_model_lookup(const struct ipc_model *w, int actor, int name, bool parent_only,
			int *chan)
{
	if (name == IPC_MODEL_LONG)
		return -ENAMETOOLONG;
	if ((!parent_only || name == IPC_MODEL_NODIR) && !ipc_model_dir_may(w, actor, 1))
		return -EACCES;
	if (name == IPC_MODEL_NODIR)
		return -ENOENT;
	*chan = w->name_chan[name];
	return *chan < 0 && !parent_only ? -ENOENT : 0;
}

static void ipc_model_free_if_unused(struct ipc_model *w, int chan)
{
	if (chan_model_unused(&w->chans[chan].m))
		w->chans[chan].used = false;
}

static long ipc_model_mkchan(struct ipc_model *w, const struct ipc_model_op *op)
{
	struct chan_attr attr = op->no_attr ? CHAN_ATTR_DEFAULT : op->attr;
	int chan = -1, i;
	long err;

	if (attr.capacity < 1 || attr.capacity > CHAN_CAPACITY_MAX || attr.max_msg_size < 1 ||
	    attr.max_msg_size > CHAN_MSG_SIZE_MAX)
		return -EINVAL;
	err = ipc_model_lookup(w, op->actor, op->name, true, &chan);
	if (err)
		return err;
	if (!ipc_model_dir_may(w, op->actor, 3))
		return -EACCES;
	if (chan >= 0)
		return -EEXIST;
	for (i = 0; w->chans[i].used; i++)
		;
	memset(&w->chans[i], 0, sizeof w->chans[i]);
	w->chans[i].used = true;
	w->chans[i].perm = op->a & S_PERM_MASK;
	w->chans[i].uid = ipc_model_actors[op->actor].uid;
	w->chans[i].gid = ipc_model_actors[op->actor].gid;
	chan_model_init(&w->chans[i].m, attr.capacity, attr.max_msg_size);
	w->name_chan[op->name] = i;
	return 0;
}

static long ipc_model_open(struct ipc_model *w, const struct ipc_model_op *op, int slot)
{
	static const unsigned want[] = { 4, 2, 6 };     /* r, w, rw for O_RDONLY, O_WRONLY, O_RDWR */
	int chan = -1, acc = (int)(op->a & O_ACCMODE);
	long err = ipc_model_lookup(w, op->actor, op->name, false, &chan);
	struct ipc_model_chan *c;

	if (err)
		return err;
	c = &w->chans[chan];
	if (!ipc_model_may(op->actor, c->perm, c->uid, c->gid, want[acc]))
		return -EACCES;
	chan_model_open(&c->m, acc + 1);
	w->h[op->actor][slot] = (struct ipc_model_handle){ .open = true, .chan = chan, .mode = acc + 1,
						      .nonblock = (op->a & O_NONBLOCK) != 0 };
	return 0;
}

static long ipc_model_close(struct ipc_model *w, const struct ipc_model_op *op)
{
	struct ipc_model_handle *h = &w->h[op->actor][op->slot];

	if (!h->open)
		return -EBADF;
	chan_model_close(&w->chans[h->chan].m, h->mode);
	h->open = false;
	ipc_model_free_if_unused(w, h->chan);
	return 0;
}

/* The checks of sys_write and sys_read before the channel's rules: a descriptor, a buffer
 * (checked whole before anything moves), then the handle's access mode. */
static long ipc_model_io_checks(const struct ipc_model *w, const struct ipc_model_op *op,
				 int need_mode)
{
	const struct ipc_model_handle *h = &w->h[op->actor][op->slot];

	if (!h->open)
		return -EBADF;
	if (op->fault && op->a > 0)
		return -EFAULT;
	return (h->mode & need_mode) ? 0 : -EBADF;
}

static long ipc_model_write(struct ipc_model *w, const struct ipc_model_op *op, uint64_t tag,
			     bool *skip)
{
	const struct ipc_model_handle *h = &w->h[op->actor][op->slot];
	struct chan_model_io io = { .nonblock = h->nonblock };
	long r = ipc_model_io_checks(w, op, 2);
	struct ipc_model_chan *c;

	if (r)
		return r;
	c = &w->chans[h->chan];
	*skip = !h->nonblock && chan_model_write_blocks(&c->m, op->a);
	if (*skip)
		return 0;
	return chan_model_write(&c->m, op->a, tag, op->actor, ipc_model_actors[op->actor].uid,
				io);
}

static long ipc_model_read(struct ipc_model *w, const struct ipc_model_op *op,
			   unsigned char *buf, struct ipc_model_answer *ans, bool *skip)
{
	const struct ipc_model_handle *h = &w->h[op->actor][op->slot];
	struct chan_model_io io = { .nonblock = h->nonblock };
	struct chan_model_info mi;
	long r = ipc_model_io_checks(w, op, 1);
	struct chan_model *m;

	if (r)
		return r;
	m = &w->chans[h->chan].m;
	*skip = !h->nonblock && chan_model_read_blocks(m);
	if (*skip)
		return 0;
	r = chan_model_read(m, buf, op->a, io, &mi);
	if (r >= 0 || r == -EMSGSIZE)
		ans->info = (struct chan_msg_info){ mi.len, { mi.pid, mi.uid }, mi.eof };
	return r;
}

/* SYS_call: both descriptors, the request's buffer (the reply's is never bad here), both
 * access modes, then a write on slot and a read on in that always waits. A reply that does
 * not fit is -EOVERFLOW instead of a read's -EMSGSIZE. The call is skipped when its write
 * would block, or its read: the queue of in is empty and stays so (another channel) while
 * a writer is open; skipped whether or not the write would fail, for simplicity. */
static long ipc_model_call(struct ipc_model *w, const struct ipc_model_op *op, uint64_t tag,
			   unsigned char *buf, struct ipc_model_answer *ans, bool *skip)
{
	const struct ipc_model_handle *out = &w->h[op->actor][op->slot];
	const struct ipc_model_handle *in = &w->h[op->actor][op->in];
	struct chan_model_io io = { .nonblock = out->nonblock };
	struct chan_model_info mi;
	struct chan_model *to, *from;
	long r;

	if (!out->open || !in->open)
		return -EBADF;
	if (op->fault && op->a > 0)
		return -EFAULT;
	if (!(out->mode & 2) || !(in->mode & 1))
		return -EBADF;
	to = &w->chans[out->chan].m;
	from = &w->chans[in->chan].m;
	*skip = (!out->nonblock && chan_model_write_blocks(to, op->a)) ||
		(in->chan != out->chan && chan_model_read_blocks(from));
	if (*skip)
		return 0;
	r = chan_model_write(to, op->a, tag, op->actor, ipc_model_actors[op->actor].uid, io);
	if (r < 0)
		return r;
	ans->sent = true;
	r = chan_model_read(from, buf, op->cap, (struct chan_model_io){ .nonblock = false }, &mi);
	if (r >= 0 || r == -EMSGSIZE)
		ans->info = (struct chan_msg_info){ mi.len, { mi.pid, mi.uid }, mi.eof };
	return r == -EMSGSIZE ? -EOVERFLOW : r;
}

static long ipc_model_unlink(struct ipc_model *w, const struct ipc_model_op *op)
{
	int chan = -1, uid = ipc_model_actors[op->actor].uid;
	long err = ipc_model_lookup(w, op->actor, op->name, true, &chan);

	if (err)
		return err;
	if (!ipc_model_dir_may(w, op->actor, 3))
		return -EACCES;
	if (chan < 0)
		return -ENOENT;
	if ((w->dir_mode & 01000) && uid != 0 && uid != w->chans[chan].uid && uid != IPC_MODEL_OWNER)
		return -EPERM;  /* the sticky bit */
	chan_model_unlink(&w->chans[chan].m);
	w->name_chan[op->name] = -1;
	ipc_model_free_if_unused(w, chan);
	return 0;
}

static long ipc_model_chmod(struct ipc_model *w, const struct ipc_model_op *op)
{
	int chan = -1, uid = ipc_model_actors[op->actor].uid;
	long err = ipc_model_lookup(w, op->actor, op->name, false, &chan);

	if (err)
		return err;
	if (uid != 0 && uid != w->chans[chan].uid)
		return -EPERM;
	w->chans[chan].perm = op->a & S_PERM_MASK;
	return 0;
}

uint8_t ipc_model_pick(const struct ipc_model *w, uint8_t actor, uint8_t name, unsigned need,
		       uint8_t slot)
{
	int chan = name < IPC_MODEL_LIVE ? w->name_chan[name] : -1;
	uint8_t fit[IPC_MODEL_SLOTS], n = 0, named = 0;

	for (uint8_t s = 0; s < IPC_MODEL_SLOTS; s++) {
		const struct ipc_model_handle *h = &w->h[actor][s];

		if (!h->open || !(h->mode & need))
			continue;
		if (h->chan == chan) {  /* the named ones first */
			fit[n++] = fit[named];
			fit[named++] = s;
		} else {
			fit[n++] = s;
		}
	}
	if (named)
		n = named;
	return n ? fit[slot % n] : slot;
}

/* Apply op to the model: its answer in *ans (a read's bytes in buf). Returns false when op
 * is not to be run: a blocking read or write that would sleep (no other thread would wake
 * it), or an open by an actor whose handles are all in use. */
bool ipc_model_step(struct ipc_model *w, const struct ipc_model_op *op, uint64_t tag,
		    unsigned char *buf, struct ipc_model_answer *ans)
{
	bool skip = false;

	memset(ans, 0, sizeof *ans);
	switch (op->kind) {
	case IPC_MKCHAN:
		ans->result = ipc_model_mkchan(w, op);
		break;
	case IPC_OPEN:
		for (ans->slot = 0; ans->slot < IPC_MODEL_SLOTS && w->h[op->actor][ans->slot].open;
		     ans->slot++)
			;
		skip = ans->slot == IPC_MODEL_SLOTS;
		if (!skip)
			ans->result = ipc_model_open(w, op, ans->slot);
		break;
	case IPC_CLOSE:
		ans->result = ipc_model_close(w, op);
		break;
	case IPC_WRITE:
		ans->result = ipc_model_write(w, op, tag, &skip);
		break;
	case IPC_READ:
		ans->result = ipc_model_read(w, op, buf, ans, &skip);
		break;
	case IPC_UNLINK:
		ans->result = ipc_model_unlink(w, op);
		break;
	case IPC_CALL:
		ans->result = ipc_model_call(w, op, tag, buf, ans, &skip);
		break;
	default:
		ans->result = ipc_model_chmod(w, op);
	}
	return !skip;
}
