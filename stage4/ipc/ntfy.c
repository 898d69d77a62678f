/* ntfy.c: notification endpoints, subscriptions and poll (ipc/ntfy.h).
 *
 * The core decides (ipc/ntfy_core.h); this file locks, sleeps, wakes and keeps the two
 * lists every subscription is on: its endpoint's (inside the core, under the endpoint's
 * lock) and its watched object's (struct ntfy_source, under the object's lock). Delivery
 * walks the object's list with the object's lock held and takes each endpoint's lock in
 * turn, so an event reaches every endpoint in the order the object's changes happened.
 *
 * Who frees a subscription: whichever comes first of unwatch(), the endpoint's last close
 * and the watched object's freeing. All three take ntfy_subs_lock first, so they never
 * race over one subscription, and a subscription's object pointer is valid for as long as
 * the subscription exists: the object unhooks its subscriptions before it goes.
 *
 * poll() does not subscribe: it hangs a struct ntfy_poll_link, which only wakes a thread,
 * on each file's object for the length of the call; the files it holds keep the objects
 * alive meanwhile, so it needs no global lock. lab-guides/stage4.md, "Notifications". */
#include <uapi/errno.h>
#include <uapi/fs.h>
#include <ipc/ntfy.h>
#include <ipc/ntfy_core.h>
#include <arch/timer.h>
#include <kernel/file.h>
#include <kernel/iobuf.h>
#include <kernel/kfs.h>
#include <kernel/panic.h>
#include <kernel/waitq.h>
#include <mm/kmalloc.h>

/* An endpoint. */
struct ntfy_ep {
	/* Protected by lock (LOCK_ORDER_NTFY). */
	struct spinlock lock;
	struct ntfy_core core;
	unsigned waiting;               /* threads asleep on wq now */
	struct ntfy_source src;         /* pollers only: an endpoint is not watched by others */

	struct waitq wq;                /* readers waiting for a record */

	/* Protected by ntfy_list_lock. */
	struct list_node live;
	struct kfs_node *node;          /* constant */
};

/* A subscription: the core's part under the endpoint's lock, the object's link under the
 * object's lock; src and ep are constant. */
struct ntfy_sub {
	struct ntfy_sub_core core;
	struct list_node src_link;
	struct ntfy_source *src;
	struct ntfy_ep *ep;
};

/* A thread in poll(): woken by any event on any of its objects. */
struct ntfy_poller {
	struct waitq wq;
	bool fired;                     /* written under an object's lock, read by the poller */
};

struct ntfy_poll_link {
	struct list_node link;          /* in src->pollers, under src->lock */
	struct ntfy_source *src;        /* NULL: the file has no object to wait on */
	struct ntfy_poller *poller;
};

static struct spinlock ntfy_subs_lock = SPINLOCK_INIT("ntfy-subs", LOCK_ORDER_NTFY_SUBS);

/* The live endpoints, oldest first, and the summed figures of the freed ones. */
static struct spinlock ntfy_list_lock = SPINLOCK_INIT("ntfy-list", LOCK_ORDER_OBJLIST);
static struct list_node ntfy_list = LIST_INIT(ntfy_list);
static struct ntfy_stats ntfy_retired;
static uint64_t ntfy_freed;

/* The ring of an endpoint comes from the kernel heap (ipc/ntfy_core.h, "Memory"). */
void *ntfy_core_alloc(size_t size)
{
	return kmalloc(size);
}

void ntfy_core_free(void *p)
{
	kfree(p);
}

/* ---- watched objects ---- */

void ntfy_source_init(struct ntfy_source *src, struct spinlock *lock, uint32_t allowed,
		      void (*now)(struct ntfy_source *, struct ntfy_event *))
{
	src->lock = lock;
	list_init(&src->subs);
	list_init(&src->pollers);
	src->allowed = allowed;
	src->now = now;
}

/* Wake every thread polling src. Locks: src->lock held. */
static void ntfy_wake_pollers(struct ntfy_source *src)
{
	struct list_node *pos;

	list_for_each(pos, &src->pollers) {
		struct ntfy_poll_link *l = list_entry(pos, struct ntfy_poll_link, link);

		WRITE_ONCE(l->poller->fired, true);
		waitq_wake_all(&l->poller->wq);
	}
}

/* A record was appended to ep: wake one reader, and whoever polls ep.
 * Locks: ep->lock held. */
static void ntfy_ep_wake(struct ntfy_ep *ep)
{
	if (ep->waiting)
		ep->core.stats.woken += waitq_wake_one(&ep->wq);
	ntfy_wake_pollers(&ep->src);
}

/* Give event e to subscription s. Locks: the object's lock held; takes s->ep->lock. */
static void ntfy_deliver(struct ntfy_sub *s, const struct ntfy_event *e)
{
	struct ntfy_ep *ep = s->ep;

	spin_lock(&ep->lock);
	if (ntfy_core_post(&ep->core, &s->core, e))
		ntfy_ep_wake(ep);
	spin_unlock(&ep->lock);
}

void ntfy_post(struct ntfy_source *src, const struct ntfy_event *e)
{
	struct ntfy_event ev = *e;
	struct list_node *pos;

	kassert(spin_held(src->lock));
	if (ntfy_unwatched(src))
		return;
	ev.time_ns = arch_clock_ns();
	list_for_each(pos, &src->subs)
		ntfy_deliver(list_entry(pos, struct ntfy_sub, src_link), &ev);
	ntfy_wake_pollers(src);
}

/* Unhook subscription s from its object and its endpoint, and free it.
 * Locks: ntfy_subs_lock held; takes the object's lock, then the endpoint's. */
static void ntfy_sub_free(struct ntfy_sub *s)
{
	kassert(spin_held(&ntfy_subs_lock));
	spin_lock(s->src->lock);
	list_remove(&s->src_link);
	spin_lock(&s->ep->lock);
	ntfy_core_sub_remove(&s->ep->core, &s->core);
	spin_unlock(&s->ep->lock);
	spin_unlock(s->src->lock);
	kfree(s);
}

void ntfy_source_gone(struct ntfy_source *src)
{
	struct ntfy_event e;

	spin_lock(&ntfy_subs_lock);
	spin_lock(src->lock);
	kassert(list_empty(&src->pollers)); /* a poller holds a file, so the object lives */
	src->now(src, &e);
	e.event = NTFY_GONE;
	e.time_ns = arch_clock_ns();
	while (!list_empty(&src->subs)) {
		struct ntfy_sub *s = list_first_entry(&src->subs, struct ntfy_sub, src_link);

		list_remove(&s->src_link);
		spin_lock(&s->ep->lock);
		if (ntfy_core_post(&s->ep->core, &s->core, &e))
			ntfy_ep_wake(s->ep);
		ntfy_core_sub_remove(&s->ep->core, &s->core);
		spin_unlock(&s->ep->lock);
		kfree(s);
	}
	spin_unlock(src->lock);
	spin_unlock(&ntfy_subs_lock);
}

/* ---- the endpoint's node ---- */

static struct ntfy_ep *ntfy_ep_of(struct file *f)
{
	return f->node->ops == &ntfy_ops ? f->node->priv : NULL;
}

/* An endpoint as a watched object has no depth: poll only asks its node's poll op. */
static void ntfy_ep_now(struct ntfy_source *src, struct ntfy_event *out)
{
	(void)src;
	*out = (struct ntfy_event){ .uid = -1 };
}

/* The caller's buffer, seen by the core. */
static int ntfy_buf_put(void *ctx, size_t off, const void *src, size_t n)
{
	return iobuf_put(ctx, off, src, n);
}

/* Read whole records, sleeping while there are none (unless O_NONBLOCK). */
static long ntfy_read_op(struct file *f, struct iobuf *b)
{
	struct ntfy_ep *ep = f->node->priv;
	struct ntfy_buf dst = { ntfy_buf_put, b, b->len };
	struct waiter w;
	long r;

	spin_lock(&ep->lock);
	for (;;) {
		r = ntfy_core_read(&ep->core, &dst, arch_clock_ns());
		if (r != -EAGAIN || (f->flags & O_NONBLOCK))
			break;
		ep->waiting++;
		waitq_prepare(&ep->wq, &w);
		spin_unlock(&ep->lock);
		r = waitq_sleep(&ep->wq, &w, 0);
		spin_lock(&ep->lock);
		ep->waiting--;
		if (r)
			break;
	}
	/* records are left and another reader may sleep: pass the wake-up on */
	if (ntfy_core_pending(&ep->core) && ep->waiting)
		ep->core.stats.woken += waitq_wake_one(&ep->wq);
	spin_unlock(&ep->lock);
	return r;
}

/* The last close: end every subscription, so that nothing is delivered here any more. */
static void ntfy_close_op(struct file *f)
{
	struct ntfy_ep *ep = f->node->priv;

	spin_lock(&ntfy_subs_lock);
	while (!list_empty(&ep->core.subs)) /* changes only under ntfy_subs_lock */
		ntfy_sub_free(container_of(list_first_entry(&ep->core.subs, struct ntfy_sub_core,
							    link),
					   struct ntfy_sub, core));
	spin_unlock(&ntfy_subs_lock);
}

/* fstat: the size is the records pending; st_extra[0] the capacity, [1] the subscriptions,
 * [2] the threads asleep in read() now. */
static void ntfy_stat_op(struct kfs_node *n, struct stat *st)
{
	struct ntfy_ep *ep = n->priv;

	spin_lock(&ep->lock);
	st->st_size = ntfy_core_pending(&ep->core);
	st->st_extra[0] = ep->core.capacity;
	st->st_extra[1] = ep->core.stats.subs;
	st->st_extra[2] = ep->waiting;
	spin_unlock(&ep->lock);
}

static unsigned ntfy_poll_op(struct file *f)
{
	struct ntfy_ep *ep = f->node->priv;
	unsigned ready;

	spin_lock(&ep->lock);
	ready = ntfy_core_pending(&ep->core) ? KFS_POLL_IN : 0;
	spin_unlock(&ep->lock);
	return ready;
}

/* Unreferenced: closed already, so no subscription is left. */
static void ntfy_release_op(struct kfs_node *n)
{
	struct ntfy_ep *ep = n->priv;

	kassert(ep->core.stats.subs == 0);
	spin_lock(&ntfy_list_lock);
	list_remove(&ep->live);
	ntfy_freed++;
	ep->core.stats.pending = 0;    /* records freed unread are pending no more */
	ntfy_stats_add(&ntfy_retired, &ep->core.stats);
	spin_unlock(&ntfy_list_lock);
	ntfy_core_destroy(&ep->core);
	kfree(ep);
}

const struct kfs_ops ntfy_ops = {
	.lookup = kfs_default_lookup,
	.open = kfs_default_open,
	.read = ntfy_read_op,
	.write = kfs_default_write,
	.close = ntfy_close_op,
	.stat = ntfy_stat_op,
	.readdir = kfs_default_readdir,
	.create = kfs_default_create,
	.remove = kfs_default_remove,
	.poll = ntfy_poll_op,
	.truncate = kfs_default_truncate,
	.release = ntfy_release_op,
};

int ntfy_endpoint_new(uint32_t capacity, unsigned flags, const struct cred *cred,
		      struct file **out)
{
	struct ntfy_ep *ep;
	struct kfs_node *n;
	int err;

	if (flags & ~O_NONBLOCK)
		return -EINVAL;
	ep = kmalloc(sizeof *ep);
	if (!ep)
		return -ENOMEM;
	err = ntfy_core_init(&ep->core, capacity ? capacity : NTFY_CAPACITY_DEFAULT);
	if (err) {
		kfree(ep);
		return err;
	}
	n = kfs_node_new(&ntfy_ops, S_IFNTFY | 0600, cred->uid, cred->gid);
	if (!n) {
		ntfy_core_destroy(&ep->core);
		kfree(ep);
		return -ENOMEM;
	}
	spin_init(&ep->lock, "ntfy-endpoint", LOCK_ORDER_NTFY);
	waitq_init(&ep->wq, "ntfy-readers");
	ntfy_source_init(&ep->src, &ep->lock, 0, ntfy_ep_now);
	ep->node = n;
	n->priv = ep;
	spin_lock(&ntfy_list_lock);
	list_add_tail(&ntfy_list, &ep->live);
	spin_unlock(&ntfy_list_lock);
	err = file_open_node(n, O_RDONLY | flags, cred, out);
	kfs_put(n); /* the file holds the node now, or it goes at once */
	return err;
}

/* ---- subscribing ---- */

int ntfy_watch(struct file *f, struct kfs_node *cwd, const char *path, const struct cred *cred,
	       const struct ntfy_watch *w)
{
	struct ntfy_ep *ep = ntfy_ep_of(f);
	struct ntfy_source *src;
	struct ntfy_event now;
	struct kfs_node *n;
	struct ntfy_sub *s;
	int r;

	if (!ep || ntfy_watch_check(w, NTFY_CHAN_EVENTS | NTFY_DIR_EVENTS, true))
		return -EINVAL;
	r = kfs_resolve(cwd, path, cred, &n);
	if (r)
		return r;
	r = kfs_access(n, cred, KFS_MAY_READ);
	src = ipc_watch_source(n);
	if (!r && !src)
		r = -EINVAL;
	if (!r)
		r = ntfy_watch_check(w, src->allowed, (src->allowed & NTFY_READABLE) != 0);
	s = r ? NULL : kmalloc(sizeof *s);
	if (!r && !s)
		r = -ENOMEM;
	if (r) {
		kfs_put(n);
		return r;
	}
	s->src = src;
	s->ep = ep;
	spin_lock(&ntfy_subs_lock);
	spin_lock(src->lock);
	src->now(src, &now);
	now.time_ns = arch_clock_ns();
	spin_lock(&ep->lock);
	r = ntfy_core_sub_add(&ep->core, &s->core, w, &now);
	if (r > 0) {
		list_add_tail(&src->subs, &s->src_link);
		if (ntfy_core_pending(&ep->core))
			ntfy_ep_wake(ep); /* the level states it reported */
	}
	spin_unlock(&ep->lock);
	spin_unlock(src->lock);
	spin_unlock(&ntfy_subs_lock);
	if (r < 0)
		kfree(s);
	kfs_put(n); /* the subscription does not hold the object: its freeing ends it */
	return r;
}

int ntfy_unwatch(struct file *f, int id)
{
	struct ntfy_ep *ep = ntfy_ep_of(f);
	struct ntfy_sub_core *c;

	if (!ep)
		return -EINVAL;
	spin_lock(&ntfy_subs_lock);
	spin_lock(&ep->lock);
	c = ntfy_core_sub_find(&ep->core, id);
	spin_unlock(&ep->lock);
	if (c)
		ntfy_sub_free(container_of(c, struct ntfy_sub, core));
	spin_unlock(&ntfy_subs_lock);
	return c ? 0 : -ENOENT;
}

/* ---- poll ---- */

/* The object a poller of f waits on: an endpoint's, a channel's; NULL for files that never
 * block (their poll op always says ready). */
static struct ntfy_source *ntfy_file_source(struct file *f)
{
	struct ntfy_ep *ep = ntfy_ep_of(f);

	return ep ? &ep->src : ipc_watch_source(f->node);
}

/* What holds now of what each file waits for; returns how many have something. */
static long ntfy_poll_scan(struct file **files, const uint16_t *events, uint16_t *revents,
			   unsigned n)
{
	long ready = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		revents[i] = 0;
		if (files[i])
			revents[i] = files[i]->node->ops->poll(files[i]) &
				     (events[i] | POLLHUP | POLLERR);
		ready += revents[i] != 0;
	}
	return ready;
}

static bool ntfy_poller_fired(void *arg)
{
	return READ_ONCE(((struct ntfy_poller *)arg)->fired);
}

/* Hang (on true) or take down the poller's links on the files' objects. */
static void ntfy_poll_hook(struct ntfy_poll_link *links, struct file **files, unsigned n,
			   struct ntfy_poller *p, bool on)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		struct ntfy_source *src = on && files[i] ? ntfy_file_source(files[i]) : links[i].src;

		if (!src)
			continue;
		spin_lock(src->lock);
		if (on) {
			links[i] = (struct ntfy_poll_link){ .src = src, .poller = p };
			list_add_tail(&src->pollers, &links[i].link);
		} else {
			list_remove(&links[i].link);
		}
		spin_unlock(src->lock);
	}
}

long ntfy_poll_files(struct file **files, const uint16_t *events, uint16_t *revents,
		     unsigned n, uint64_t deadline_ns)
{
	struct ntfy_poll_link *links;
	struct ntfy_poller p;
	long ready;
	int err;

	ready = ntfy_poll_scan(files, events, revents, n);
	if (ready || (deadline_ns && arch_clock_ns() >= deadline_ns))
		return ready;
	links = kmalloc((n ? n : 1) * sizeof *links);
	if (!links)
		return -ENOMEM;
	waitq_init(&p.wq, "poll");
	do {
		unsigned i;

		for (i = 0; i < n; i++)
			links[i].src = NULL;
		p.fired = false;
		ntfy_poll_hook(links, files, n, &p, true);
		/* hooked first, looked after: an event in between sets fired */
		ready = ntfy_poll_scan(files, events, revents, n);
		err = ready ? 0 : waitq_wait_cond(&p.wq, ntfy_poller_fired, &p, deadline_ns);
		ntfy_poll_hook(links, files, n, &p, false);
		if (!ready && err != -EINTR)
			ready = ntfy_poll_scan(files, events, revents, n);
	} while (!ready && !err);
	kfree(links);
	return err == -EINTR ? -EINTR : ready;
}

/* ---- statistics ---- */

void ntfy_foreach(void (*fn)(const struct ntfy_info *ni, void *arg), void *arg,
		  struct ntfy_stats *retired, uint64_t *freed)
{
	struct list_node *pos;
	struct ntfy_info ni;

	spin_lock(&ntfy_list_lock);
	list_for_each(pos, &ntfy_list) {
		struct ntfy_ep *ep = list_entry(pos, struct ntfy_ep, live);

		ni.ino = ep->node->ino;
		spin_lock(&ep->node->lock);
		ni.uid = ep->node->uid;
		spin_unlock(&ep->node->lock);
		spin_lock(&ep->lock);
		ni.capacity = ep->core.capacity;
		ni.waiting = ep->waiting;
		ni.stats = ep->core.stats;
		spin_unlock(&ep->lock);
		fn(&ni, arg);
	}
	if (retired)
		ntfy_stats_add(retired, &ntfy_retired);
	if (freed)
		*freed = ntfy_freed;
	spin_unlock(&ntfy_list_lock);
}
