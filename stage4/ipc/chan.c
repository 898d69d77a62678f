/* chan.c: the kernel's IPC channel (ipc/chan.h): a KFS node whose object is a channel core
 * (ipc/chan_core.h) with a lock, two wait queues and the operations of an open file.
 *
 * The core decides; this file only locks, sleeps and wakes. Every read or write takes the
 * channel's lock, asks the core, and when the core answers -EAGAIN ("would block") and the
 * file is not O_NONBLOCK, sleeps on the wait queue of its side with the pattern of
 * kernel/waitq.h and asks again. After every change (a read, a write, a close, an unlink)
 * chan_wake() wakes the sleepers the new state lets go on.
 *
 * Lock order (kernel/spinlock.h): an open file's lock (LOCK_ORDER_FILE) is never held here;
 * the channel's lock is LOCK_ORDER_OBJECT. It guards the two wait queues as well
 * (waitq_init_guarded): every sleep and wake holds it anyway, so they take no lock of
 * their own. Inside it come the run queues' locks (waking a sleeper) and the allocator's
 * (a queued message); the one copy of each message to or from user memory is made under
 * it too, so it is all or nothing, and for the address space loaded here it takes no lock
 * (mm/vm.c). A process's lock is taken before, never inside.
 *
 * Statistics: every channel is on chan_list from its making to its freeing, so that
 * /kfs/ipc (ipc/chan_stat.c) can list them. chan_list_lock (LOCK_ORDER_OBJLIST, below
 * KFS's and the channels') is taken only to add, remove and snapshot; never by a read or a
 * write, so the data path still takes one lock, the channel's (DESIGN.md, "Locking").
 * A snapshot takes, inside it, the namespace's lock (the channel's path) and each
 * channel's lock in turn, never two channels' at once.
 *
 * Memory: a channel lives as long as its node. An open file holds a reference to the node,
 * so after unlink the node, and with it the channel, goes at the last close (kfs_put ->
 * chan_release). lab-guides/stage4.md, "Channels". */
#include <uapi/errno.h>
#include <ipc/chan.h>
#include <ipc/chan_core.h>
#include <ipc/ntfy.h>
#include <kernel/file.h>
#include <kernel/iobuf.h>
#include <kernel/kfs.h>
#include <kernel/panic.h>
#include <kernel/process.h>
#include <kernel/spinlock.h>
#include <kernel/waitq.h>
#include <lib/string.h>
#include <mm/kmalloc.h>

/* A channel. Lock order: see the top of this file. */
struct chan {
	/* Protected by lock (LOCK_ORDER_OBJECT): the core and the counts of sleepers. */
	struct spinlock lock;
	struct chan_core core;
	unsigned blocked[CHAN_SIDES];   /* threads asleep on wq[side] now (woken ones count
					 * until they hold the lock again) */
	struct ntfy_source watch;       /* subscriptions and pollers (ipc/ntfy.h) */
	void *spare;                    /* a freed message's buffer, for the next one */
	size_t spare_size;              /* its size in bytes */

	/* Guarded by lock too. Readers wait for a message or end of file, writers for room or
	 * -EPIPE. */
	struct waitq wq[CHAN_SIDES];

	/* Protected by chan_list_lock: the place on the list of live channels. */
	struct list_node live;
	struct kfs_node *node;          /* set once when made: its path, mode and owner */
};

/* The live channels, oldest first, and the summed figures of the freed ones. */
static struct spinlock chan_list_lock = SPINLOCK_INIT("chan-list", LOCK_ORDER_OBJLIST);
static struct list_node chan_list = LIST_INIT(chan_list);
static struct chan_retired chan_retired;

/* The channel core's memory comes from the kernel heap (ipc/chan_core.h, "Memory"), but
 * the buffer of the last message read is kept back for the next message written that fits
 * (the larger one is kept when two compete). A channel in steady use, a request or a
 * reply in flight at a time, then never goes to the heap: no heap lock and no zeroing of
 * a fresh slot per message (lab-guides/benchmarking.md, "Where the instructions go"). It
 * costs one buffer per channel, freed with the channel (chan_release_op).
 * Locks: c->lock held, or c unreferenced (chan_release_op). */
void *chan_core_alloc(struct chan_core *k, size_t size)
{
	struct chan *c = container_of(k, struct chan, core);
	void *p = c->spare;

	if (p && c->spare_size >= size) {
		c->spare = NULL;
		return p;
	}
	return kmalloc(size);
}

void chan_core_free(struct chan_core *k, void *p, size_t size)
{
	struct chan *c = container_of(k, struct chan, core);
	void *drop = p;

	if (!c->spare || c->spare_size < size) {
		drop = c->spare;
		c->spare = p;
		c->spare_size = size;
	}
	if (drop)
		kfree(drop);
}

/* ---- the caller's buffer, seen by the core (struct chan_buf over struct iobuf) ---- */

static int chan_buf_get(void *ctx, size_t off, void *dst, size_t n)
{
	return iobuf_get(ctx, off, dst, n);
}

static int chan_buf_put(void *ctx, size_t off, const void *src, size_t n)
{
	return iobuf_put(ctx, off, src, n);
}

static const struct chan_buf_ops chan_iobuf_ops = { chan_buf_get, chan_buf_put };

/* The iobuf b as a buffer of the core. */
static struct chan_buf chan_buf_of(struct iobuf *b)
{
	return (struct chan_buf){ &chan_iobuf_ops, b, b->len };
}

/* ---- the object ---- */

/* The channel behind an open file of a channel. */
static struct chan *chan_of(struct file *f)
{
	return f->node->priv;
}

/* How an open file uses the channel, from its access mode. */
static enum chan_mode chan_mode_of(const struct file *f)
{
	switch (f->flags & O_ACCMODE) {
	case O_RDONLY: return CHAN_MODE_READ;
	case O_WRONLY: return CHAN_MODE_WRITE;
	default: return CHAN_MODE_RDWR;
	}
}

/* The core's flags for an open file. */
static unsigned chan_flags_of(const struct file *f)
{
	return (f->flags & O_NONBLOCK) ? CHAN_NONBLOCK : 0;
}

/* Who is writing: the calling thread's process, or pid 0 and uid 0 for a kernel thread. */
static struct chan_sender chan_sender_now(void)
{
	struct process *p = process_current();
	struct cred cred = process_cred(p);

	return (struct chan_sender){ p ? p->pid : 0, cred.uid };
}

/* Wake the sleepers the channel's state now lets go on: one reader per queued message and
 * one writer per free slot, or every one at end of file (no writer left) and at -EPIPE
 * (unlinked, no reader left). Waking one too many costs a spurious wake-up, which the
 * sleeper's loop absorbs; waking one too few would strand a sleeper, so every path that
 * changes the state, or gives up a wake-up it was sent (a failed read or write), ends here.
 * Locks: c->lock held on entry and exit. */
static void chan_wake(struct chan *c)
{
	/* BEGIN EXERCISE(stage4.chan-wake) */
	const struct chan_core *k = &c->core;

	kassert(spin_held(&c->lock));
	if (c->blocked[CHAN_SIDE_READ]) {
		if (k->writers == 0)
			waitq_wake_all_locked(&c->wq[CHAN_SIDE_READ]);
		else if (k->stats.depth > 0)
			waitq_wake_one_locked(&c->wq[CHAN_SIDE_READ]);
	}
	if (c->blocked[CHAN_SIDE_WRITE]) {
		if (k->unlinked && k->readers == 0)
			waitq_wake_all_locked(&c->wq[CHAN_SIDE_WRITE]);
		else if (k->stats.depth < k->attr.capacity)
			waitq_wake_one_locked(&c->wq[CHAN_SIDE_WRITE]);
	}
	/* END EXERCISE */
}

/* Tell the channel's watchers (ipc/ntfy.h) that event happened; uid is a READABLE
 * event's sender. Costs one test when nobody watches. Locks: c->lock held. */
static void chan_notify(struct chan *c, uint32_t event, int uid)
{
	struct ntfy_event e = { .event = event, .uid = uid };

	if (ntfy_unwatched(&c->watch))
		return;
	e.depth = c->core.stats.depth;
	e.capacity = c->core.attr.capacity;
	ntfy_post(&c->watch, &e);
}

/* The watchers' view of a read or write that returned r: done is the event of a success
 * (READABLE for a write, WRITABLE for a read, 0 for none); a failure the channel counted
 * as an error is ERROR; "would block" and "killed" are nothing. Locks: c->lock held. */
static void chan_notify_result(struct chan *c, long r, uint32_t done, int uid)
{
	if (r >= 0 && done)
		chan_notify(c, done, uid);
	else if (r < 0 && r != -EAGAIN && r != -EINTR)
		chan_notify(c, NTFY_ERROR, -1);
}

/* The state of the channel for a new subscription (ipc/ntfy.h). Locks: c->lock held. */
static void chan_watch_now(struct ntfy_source *src, struct ntfy_event *out)
{
	struct chan *c = container_of(src, struct chan, watch);

	*out = (struct ntfy_event){ .uid = -1, .depth = c->core.stats.depth,
				    .capacity = c->core.attr.capacity };
}

/* Sleep once on the wait queue of side, counted in the statistics, with the pattern of
 * kernel/waitq.h for a guarded queue: on the queue before the lock is let go, so no
 * wake-up is lost. Returns 0 when woken (the caller asks the core again), -EINTR when the
 * thread was killed. Locks: c->lock held on entry and exit, dropped while asleep. */
static int chan_sleep(struct chan *c, enum chan_side side)
{
	/* BEGIN EXERCISE(stage4.chan-sleep) */
	struct waiter w;
	int err;

	kassert(spin_held(&c->lock));
	chan_core_note_blocked(&c->core, side);
	c->blocked[side]++;
	/* LAB(stage4): on the queue before the lock goes (waitq_sleep_locked lets it go): a
	 * writer that queues a message in between finds this reader there, and its wake-up
	 * makes the sleep return at once. */
	waitq_prepare_locked(&c->wq[side], &w);
	err = waitq_sleep_locked(&c->wq[side], &w, 0);
	c->blocked[side]--;
	return err;
	/* END EXERCISE */
}

/* Read one message, sleeping while the queue is empty and a writer is open (unless
 * flags has CHAN_NONBLOCK). Returns as chan_core_read, or -EINTR with nothing removed.
 * Locks: c->lock held on entry and exit. */
static long chan_read_locked(struct chan *c, const struct chan_buf *dst,
			     struct chan_msg_info *info, unsigned flags)
{
	long r;

	for (;;) {
		r = chan_core_read(&c->core, dst, info, flags);
		if (r != -EAGAIN || (flags & CHAN_NONBLOCK))
			return r;
		r = chan_sleep(c, CHAN_SIDE_READ);
		if (r)
			return r;
	}
}

/* Write one message, sleeping while the queue is full (unless flags has CHAN_NONBLOCK).
 * Returns as chan_core_write, or -EINTR with nothing queued.
 * Locks: c->lock held on entry and exit. */
static long chan_write_locked(struct chan *c, const struct chan_buf *src,
			      const struct chan_sender *from, unsigned flags)
{
	long r;

	for (;;) {
		r = chan_core_write(&c->core, src, from, flags);
		if (r != -EAGAIN || (flags & CHAN_NONBLOCK))
			return r;
		r = chan_sleep(c, CHAN_SIDE_WRITE);
		if (r)
			return r;
	}
}

/* ---- the operations of a channel's node ---- */

static int chan_open_op(struct kfs_node *n, struct file *f)
{
	struct chan *c = n->priv;
	int err;

	spin_lock(&c->lock);
	err = chan_core_open(&c->core, chan_mode_of(f));
	spin_unlock(&c->lock);
	return err;
}

/* The end of a read that returned r: tell the watchers, wake, and let go of c->lock.
 * Returns r. Locks: c->lock held on entry, released. */
static long chan_read_done(struct chan *c, long r, const struct chan_msg_info *info)
{
	chan_notify_result(c, r, info->eof ? 0 : NTFY_WRITABLE, -1);
	chan_wake(c);
	spin_unlock(&c->lock);
	return r;
}

/* Read one message of c into b as chan_recv does, with the core's flags: sleep, tell the
 * watchers, wake. Locks: takes c->lock. */
static long chan_read_flags(struct chan *c, struct iobuf *b, struct chan_msg_info *info,
			    unsigned flags)
{
	struct chan_buf dst = chan_buf_of(b);

	spin_lock(&c->lock);
	return chan_read_done(c, chan_read_locked(c, &dst, info, flags), info);
}

long chan_recv(struct file *f, struct iobuf *b, struct chan_msg_info *info)
{
	if (f->node->ops != &chan_ops)
		return -EINVAL;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	return chan_read_flags(chan_of(f), b, info, chan_flags_of(f));
}

static long chan_read_op(struct file *f, struct iobuf *b)
{
	struct chan_msg_info info;

	return chan_recv(f, b, &info);
}

static long chan_write_op(struct file *f, struct iobuf *b)
{
	struct chan_sender from = chan_sender_now();
	struct chan_buf src = chan_buf_of(b);
	struct chan *c = chan_of(f);
	long r;

	spin_lock(&c->lock);
	r = chan_write_locked(c, &src, &from, chan_flags_of(f));
	chan_notify_result(c, r, NTFY_READABLE, from.uid);
	chan_wake(c);
	spin_unlock(&c->lock);
	return r;
}

/* ---- the fast path of a call ---- */

/* LAB(stage4): the fast path of a call (DESIGN.md, house style 10; lab-guides/stage4.md,
 * "The fast path of a call"). Once a server and its clients run, every call's write finds
 * the other side asleep in a call's read, on an empty channel nobody watches. Then the
 * message is handed over: copied once, into a place the sleeper offered on its own kernel
 * stack when it went to sleep (struct chan_landing), and counted as written and read at
 * once (chan_core_pass). The sleeper, woken by waitq_hand_over_locked(), copies it out
 * without taking the channel's lock again. Anything else takes the general path, with the
 * same results: a message queued, a watcher, a writer asleep, a message longer than the
 * place, a sleeper in a plain read (it offers nothing). The sleeper is not woken at once:
 * the caller is about to sleep for its own reply, and its sleep switches straight to the
 * sleeper (sched_block_to), so neither goes through the run queue. */

/* The longest message handed over: it waits on the sleeper's kernel stack (16 KiB). */
#define CHAN_LANDING_SIZE 256

/* What a call asleep for its reply offers (struct waiter's offer): a place for it. */
struct chan_landing {
	unsigned char bytes[CHAN_LANDING_SIZE];
	size_t cap;                     /* what fits: the reply buffer, at most the above */
	struct chan_msg_info info;      /* the reply's length and sender, once handed over */
};

/* The sleeper on c that a write may hand its message to, or NULL: the first reader in
 * line, when it sleeps in a call and nothing else needs the general path. The length and
 * the queue are the core's to judge (chan_core_pass). Locks: c->lock held. */
static struct waiter *chan_fast_receiver(struct chan *c)
{
	struct waiter *w = waitq_first_locked(&c->wq[CHAN_SIDE_READ]);

	if (!w || !w->offer || c->blocked[CHAN_SIDE_WRITE] || !ntfy_unwatched(&c->watch))
		return NULL;
	return w;
}

/* The write half of a call: the message handed over to a call asleep on out's channel
 * when it can be, else written as by write(). Returns as chan_write_op; *next is the
 * wake-up of the sleeper a message was handed to, put off for chan_call_wait(), or has
 * no thread. A failed hand-over changes nothing the watchers or the sleepers could see
 * (there are no watchers, and it never slept): it needs no chan_notify_result() or
 * chan_wake(). */
static long chan_call_send(struct file *out, struct iobuf *msg, struct sched_handoff *next)
{
	struct chan *c = chan_of(out);
	struct chan_sender from = chan_sender_now();
	struct chan_buf src = chan_buf_of(msg);
	struct chan_landing *land;
	struct waiter *w;
	long r;

	spin_lock(&c->lock);
	w = chan_fast_receiver(c);
	if (unlikely(!w)) {
		spin_unlock(&c->lock);
		return chan_write_op(out, msg);
	}
	land = w->offer;
	r = chan_core_pass(&c->core, &src, &from, land->bytes, land->cap, &land->info);
	if (r >= 0) {
		c->blocked[CHAN_SIDE_READ]--; /* the sleeper's to undo, but it takes no lock now */
		*next = waitq_hand_over_locked(&c->wq[CHAN_SIDE_READ], w);
	}
	spin_unlock(&c->lock);
	if (unlikely(r == -EAGAIN))
		return chan_write_op(out, msg);
	if (r >= 0)
		sched_handoff_here(next);
	return r;
}

/* The read half of a call: asleep with a chan_landing on an empty channel, so that the
 * answering call's write can hand the reply over; otherwise, and when woken by anything
 * else (a queued reply, a close, a kill), a read as by chan_recv() without O_NONBLOCK.
 * Returns as chan_read_flags. The reply is copied out after the lock is gone, so a reply
 * buffer that another thread unmaps meanwhile loses that reply (-EFAULT), the one
 * difference from the general path, where it would stay queued. next: the wake-up
 * chan_call_send put off, or NULL; the sleep switches to its thread, and without a sleep
 * it is woken first. */
static long chan_call_wait(struct chan *c, struct iobuf *reply, const struct sched_handoff *next)
{
	struct chan_msg_info info = { .eof = false };
	struct chan_buf dst = chan_buf_of(reply);
	struct chan_landing land;
	struct waiter w;
	long r;

	spin_lock(&c->lock);
	if (unlikely(c->core.stats.depth > 0 || c->core.writers == 0)) {
		/* No sleep: a reply is there, or end of file. */
		r = chan_read_done(c, chan_read_locked(c, &dst, &info, 0), &info);
		if (next)
			sched_wake_handoff(next);
		return r;
	}
	land.cap = reply->len < CHAN_LANDING_SIZE ? reply->len : CHAN_LANDING_SIZE;
	chan_core_note_blocked(&c->core, CHAN_SIDE_READ);
	c->blocked[CHAN_SIDE_READ]++;
	waitq_prepare_locked(&c->wq[CHAN_SIDE_READ], &w);
	w.offer = &land;
	r = waitq_sleep_handed_locked(&c->wq[CHAN_SIDE_READ], &w, next);
	if (likely(r == WAITQ_HANDED)) {
		if (likely(!iobuf_put(reply, 0, land.bytes, land.info.len)))
			return (long)land.info.len;
		spin_lock(&c->lock);
		c->core.stats.errors[CHAN_ERR_FAULT]++;
		spin_unlock(&c->lock);
		return -EFAULT;
	}
	c->blocked[CHAN_SIDE_READ]--;
	if (r == 0)
		r = chan_read_locked(c, &dst, &info, 0);
	return chan_read_done(c, r, &info);
}

/* LAB(stage4): a call is a write and a read in one entry to the kernel. A client's round
 * trip (request out, reply in) then costs two system calls instead of four, counting the
 * server's reply-and-receive-the-next, which is a call too. The two halves are the
 * channel's own write and read, so every rule of those holds; the read only ignores
 * O_NONBLOCK, since the caller asked for an answer (and -EAGAIN would not tell whether
 * the request went). lab-guides/stage4.md, "Calls". */
long chan_call(struct file *out, struct iobuf *msg, struct file *in, struct iobuf *reply)
{
	struct sched_handoff next = { NULL, 0 };
	long r;

	if (out->node->ops != &chan_ops || in->node->ops != &chan_ops)
		return -EINVAL;
	if ((out->flags & O_ACCMODE) == O_RDONLY || (in->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	r = chan_call_send(out, msg, &next);
	if (r < 0)
		return r;
	r = chan_call_wait(chan_of(in), reply, next.thread ? &next : NULL);
	return r == -EMSGSIZE ? -EOVERFLOW : r;
}

/* The last reference to an open file is gone: one reader or writer fewer, which may be
 * the end of file for the readers or -EPIPE for the writers: a hang-up for the watchers. */
static void chan_close_op(struct file *f)
{
	enum chan_mode mode = chan_mode_of(f);
	struct chan *c = chan_of(f);
	const struct chan_core *k = &c->core;
	int err;

	spin_lock(&c->lock);
	err = chan_core_close(&c->core, mode);
	kassert(err == 0); /* every open file was counted by chan_open_op */
	if (((mode & CHAN_MODE_WRITE) && k->writers == 0) ||
	    ((mode & CHAN_MODE_READ) && k->readers == 0 && k->unlinked))
		chan_notify(c, NTFY_HUP, -1);
	chan_wake(c);
	spin_unlock(&c->lock);
}

/* ls -l and stat: the size is the depth in messages; st_extra[0] the capacity, st_extra[1]
 * the largest message. */
static void chan_stat_op(struct kfs_node *n, struct stat *st)
{
	struct chan *c = n->priv;

	spin_lock(&c->lock);
	st->st_size = c->core.stats.depth;
	st->st_extra[0] = c->core.attr.capacity;
	st->st_extra[1] = c->core.attr.max_msg_size;
	spin_unlock(&c->lock);
}

/* Readiness: in when a read would not block (a message, or end of file), out when a write
 * would not (room, or -EPIPE), hup when the other side is gone for good. */
static unsigned chan_poll_op(struct file *f)
{
	struct chan *c = chan_of(f);
	const struct chan_core *k = &c->core;
	unsigned ready = 0;

	spin_lock(&c->lock);
	if (k->stats.depth > 0 || k->writers == 0)
		ready |= KFS_POLL_IN;
	if (k->stats.depth < k->attr.capacity || (k->unlinked && k->readers == 0))
		ready |= KFS_POLL_OUT;
	if (((chan_mode_of(f) & CHAN_MODE_READ) && k->writers == 0) ||
	    ((chan_mode_of(f) & CHAN_MODE_WRITE) && k->unlinked && k->readers == 0))
		ready |= KFS_POLL_HUP;
	spin_unlock(&c->lock);
	return ready;
}

/* The node is unlinked and unreferenced: no file is open, nobody sleeps. */
static void chan_release_op(struct kfs_node *n)
{
	struct chan *c = n->priv;
	struct chan_stats last = c->core.stats;

	ntfy_source_gone(&c->watch);
	last.depth = 0;                 /* messages freed unread are queued no more */
	last.bytes_queued = 0;
	spin_lock(&chan_list_lock);
	list_remove(&c->live);
	chan_retired.channels++;
	chan_stats_add(&chan_retired.stats, &last);
	spin_unlock(&chan_list_lock);
	chan_core_destroy(&c->core);
	kfree(c->spare);
	kfree(c);
}

const struct kfs_ops chan_ops = {
	.lookup = kfs_default_lookup,
	.open = chan_open_op,
	.read = chan_read_op,
	.write = chan_write_op,
	.close = chan_close_op,
	.stat = chan_stat_op,
	.readdir = kfs_default_readdir,
	.create = kfs_default_create,
	.remove = kfs_default_remove,
	.poll = chan_poll_op,
	.truncate = kfs_default_truncate,
	.release = chan_release_op,
};

/* ---- making and unlinking ---- */

/* A new channel with attributes a: NULL when out of memory. a has been checked. */
static struct chan *chan_new(const struct chan_attr *a)
{
	struct chan *c = kmalloc(sizeof *c);

	if (!c)
		return NULL;
	spin_init(&c->lock, "chan", LOCK_ORDER_OBJECT);
	chan_core_init(&c->core, a);    /* cannot fail: a was checked */
	c->spare = NULL;
	c->blocked[CHAN_SIDE_READ] = 0;
	c->blocked[CHAN_SIDE_WRITE] = 0;
	waitq_init_guarded(&c->wq[CHAN_SIDE_READ], &c->lock);
	waitq_init_guarded(&c->wq[CHAN_SIDE_WRITE], &c->lock);
	ntfy_source_init(&c->watch, &c->lock, NTFY_CHAN_EVENTS, chan_watch_now);
	return c;
}

int chan_node_new(const struct chan_attr *attr, uint32_t mode, const struct cred *cred,
		  struct kfs_node **out)
{
	const struct chan_attr a = attr ? *attr : CHAN_ATTR_DEFAULT;
	struct kfs_node *n;
	struct chan *c;

	if (chan_attr_check(&a))
		return -EINVAL;
	c = chan_new(&a);
	if (!c)
		return -ENOMEM;
	n = kfs_node_new(&chan_ops, mode, cred->uid, cred->gid);
	if (!n) {
		kfree(c);
		return -ENOMEM;
	}
	n->priv = c;
	c->node = n;
	spin_lock(&chan_list_lock);
	list_add_tail(&chan_list, &c->live);
	spin_unlock(&chan_list_lock);
	*out = n;
	return 0;
}

void chan_node_unlinked(struct kfs_node *n)
{
	struct chan *c = n->priv;

	kassert(n->ops == &chan_ops);
	spin_lock(&c->lock);
	chan_core_unlink(&c->core);
	chan_notify(c, NTFY_HUP, -1);
	chan_wake(c);
	spin_unlock(&c->lock);
}

struct ntfy_source *chan_watch_source(struct kfs_node *n)
{
	return n->ops == &chan_ops ? &((struct chan *)n->priv)->watch : NULL;
}

/* ---- statistics ---- */

/* Copy what /kfs/ipc shows of c into *ci.
 * Locks: chan_list_lock held on entry and exit (c cannot be freed meanwhile). */
static void chan_info_of(struct chan *c, struct chan_info *ci)
{
	struct stat st;

	kassert(spin_held(&chan_list_lock));
	if (kfs_path(c->node, ci->path, sizeof ci->path) < 0)
		strlcpy(ci->path, "-", sizeof ci->path);
	kfs_stat(c->node, &st);
	ci->mode = st.st_mode;
	ci->uid = st.st_uid;
	spin_lock(&c->lock);
	ci->attr = c->core.attr;
	ci->readers = c->core.readers;
	ci->writers = c->core.writers;
	ci->blocked_now[CHAN_SIDE_READ] = c->blocked[CHAN_SIDE_READ];
	ci->blocked_now[CHAN_SIDE_WRITE] = c->blocked[CHAN_SIDE_WRITE];
	ci->stats = c->core.stats;
	spin_unlock(&c->lock);
}

void chan_foreach(void (*fn)(const struct chan_info *ci, void *arg), void *arg,
		  struct chan_retired *retired)
{
	struct chan_info ci;
	struct list_node *pos;

	spin_lock(&chan_list_lock);
	list_for_each(pos, &chan_list) {
		chan_info_of(list_entry(pos, struct chan, live), &ci);
		fn(&ci, arg);
	}
	if (retired)
		*retired = chan_retired;
	spin_unlock(&chan_list_lock);
}

/* ---- the in-kernel API ---- */

int chan_open(const char *path, unsigned flags, struct file **out)
{
	static const struct cred root = { 0, 0 };
	struct file *f;
	int err = file_open(kfs_root(), path, flags & (O_ACCMODE | O_NONBLOCK), 0, &root, &f);

	if (err)
		return err;
	if (f->node->ops != &chan_ops) {
		file_put(f);
		return -EINVAL;
	}
	*out = f;
	return 0;
}

long chan_read(struct file *f, void *buf, size_t len)
{
	struct iobuf b = iobuf_kernel(buf, len);

	return file_read(f, &b);
}

long chan_write(struct file *f, const void *buf, size_t len)
{
	struct iobuf b = iobuf_kernel((void *)buf, len);

	return file_write(f, &b);
}
