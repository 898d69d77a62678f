/* ipc/ntfy.h: the kernel's notification endpoints and the objects they watch.
 *
 * An endpoint (ipc/ntfy.c) is an anonymous KFS node of type S_IFNTFY whose object wraps a
 * struct ntfy_core (ipc/ntfy_core.h) with a lock and a wait queue. A watched object (a
 * channel, a directory of channels) embeds a struct ntfy_source: the list of subscriptions
 * to it, protected by the object's own lock. After each change of state the object calls
 * ntfy_post() with that lock held, and every subscription's endpoint gets the event (its
 * core filters, coalesces or queues it); poll() hangs light-weight pollers on the same
 * lists to be woken.
 *
 * The events each object posts (lab-guides/stage4.md, "Notifications"):
 *   channel: a write that queued a message: READABLE (the writer's uid); a read that removed
 *            one (an empty message too; not end of file): WRITABLE; a close that leaves no
 *            writer, or no reader once the name is gone (writes now fail with -EPIPE): HUP;
 *            the name removed: HUP; a read or write that failed with -EMSGSIZE, -EPIPE,
 *            -ENOMEM or -EFAULT (inside the channel: a buffer the system call rejected
 *            first never reaches it): ERROR; freed: GONE. Every event carries the depth
 *            after it and the capacity.
 *   directory of channels: a name made in it: CREATED; a name removed: REMOVED; the
 *            directory itself removed: HUP; freed: GONE.
 *
 * Locks (kernel/spinlock.h): ntfy_subs_lock (LOCK_ORDER_NTFY_SUBS) is taken to add and
 * remove subscriptions, so that an endpoint closing and a watched object being freed at the
 * same time agree on who frees each subscription; then the object's lock (LOCK_ORDER_OBJECT);
 * then the endpoint's (LOCK_ORDER_NTFY); then wait queues. Delivering takes only the
 * object's lock (held by the caller) and each endpoint's in turn: a channel with no
 * subscription pays one list_empty() per operation. */
#ifndef IPC_NTFY_H
#define IPC_NTFY_H

#include <stdint.h>
#include <uapi/ntfy.h>
#include <ipc/ntfy_core.h>
#include <kernel/kfs.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>

/* What a watched object embeds. */
struct ntfy_source {
	struct spinlock *lock;          /* the object's lock: protects both lists */
	struct list_node subs;          /* struct ntfy_sub: endpoints subscribed */
	struct list_node pollers;       /* struct ntfy_poll_link: threads in poll() */
	uint32_t allowed;               /* the events it posts (NTFY_CHAN_EVENTS...), 0: none */
	/* The object's state now, as an event (depth and capacity); lock held. */
	void (*now)(struct ntfy_source *src, struct ntfy_event *out);
};

void ntfy_source_init(struct ntfy_source *src, struct spinlock *lock, uint32_t allowed,
		      void (*now)(struct ntfy_source *, struct ntfy_event *));

/* Tell everyone watching src that e happened (e->time_ns is set here).
 * Locks: src->lock held; takes each subscribed endpoint's lock in turn. */
void ntfy_post(struct ntfy_source *src, const struct ntfy_event *e);

/* True when nobody watches src (a hint for skipping the work of an event). src->lock held. */
static inline bool ntfy_unwatched(const struct ntfy_source *src)
{
	return list_empty(&src->subs) && list_empty(&src->pollers);
}

/* The object of src is being freed: post GONE to every subscription and remove them.
 * Nobody may hold or take src->lock any more but this call. Locks: none held. */
void ntfy_source_gone(struct ntfy_source *src);

/* The source of a watchable node (a channel or a directory of channels), or NULL. Defined
 * by the objects' code (ipc/chan_dir.c). */
struct ntfy_source *ipc_watch_source(struct kfs_node *n);

/* The operations of an endpoint's node. */
extern const struct kfs_ops ntfy_ops;

/* Make an endpoint holding capacity records (0: the default), owned by cred, and open it
 * with flags (0 or O_NONBLOCK). Returns 0 with *out (a file open for reading), -EINVAL or
 * -ENOMEM. */
int ntfy_endpoint_new(uint32_t capacity, unsigned flags, const struct cred *cred,
		      struct file **out);

/* Subscribe the endpoint open as f to the object at path (resolved from cwd for cred, which
 * needs read permission on it) with w. Returns the subscription's id (>= 1), -EINVAL (f is
 * not an endpoint, the object cannot be watched, or w is bad), -ENOSPC, -ENOMEM, or a
 * lookup error (-ENOENT, -EACCES, -ENOTDIR, -ENAMETOOLONG). */
int ntfy_watch(struct file *f, struct kfs_node *cwd, const char *path, const struct cred *cred,
	       const struct ntfy_watch *w);

/* Remove subscription id of the endpoint open as f. 0, -EINVAL (not an endpoint) or -ENOENT
 * (no such subscription: never made, removed, or ended by GONE). */
int ntfy_unwatch(struct file *f, int id);

/* Wait until one of the n files (NULL entries skipped) is ready for what events[i] asks
 * (POLLIN, POLLOUT; POLLHUP and POLLERR always), or until deadline_ns (0: no deadline; a
 * deadline already past: just look). revents[i] gets what holds. Returns how many are
 * ready, 0 at the deadline, -EINTR when killed, -ENOMEM. */
long ntfy_poll_files(struct file **files, const uint16_t *events, uint16_t *revents,
		     unsigned n, uint64_t deadline_ns);

/* One live endpoint as /kfs/ipc/notify shows it. */
struct ntfy_info {
	uint64_t ino;
	int uid;
	uint32_t capacity;
	unsigned waiting;               /* threads asleep in read() now */
	struct ntfy_stats stats;
};

/* Call fn for every live endpoint, oldest first, and add the figures of the freed ones into
 * *retired (with their number in *freed). Locks: the list of endpoints, then each one's. */
void ntfy_foreach(void (*fn)(const struct ntfy_info *ni, void *arg), void *arg,
		  struct ntfy_stats *retired, uint64_t *freed);

#endif
