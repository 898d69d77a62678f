/* ipc/chan.h: the kernel's IPC channel: a KFS node (S_IFIFO, under /ipc) whose object is a
 * struct chan_core (ipc/chan_core.h) made safe for threads: a lock per channel, and wait
 * queues on which readers sleep for a message and writers for room.
 *
 * User space reaches a channel through open/read/write/close on its name (and SYS_recv,
 * SYS_call, SYS_mkchan: ipc/chan_syscall.c); kernel threads through the functions below, which go
 * the same way (file_open, file_read, file_write) with kernel buffers (kernel/iobuf.h).
 * lab-guides/stage4.md, "Channels". */
#ifndef IPC_CHAN_H
#define IPC_CHAN_H

#include <stddef.h>
#include <stdint.h>
#include <uapi/ipc.h>
#include <ipc/chan_core.h>
#include <kernel/file.h>
#include <kernel/kfs.h>

/* The operations of a channel's node. */
extern const struct kfs_ops chan_ops;

/* A new channel node (refs 1, not in the tree) with attributes attr (NULL: the defaults),
 * mode (S_IFIFO | permission bits) and owner cred. Returns 0 with *out, -EINVAL (bad
 * attributes) or -ENOMEM. */
int chan_node_new(const struct chan_attr *attr, uint32_t mode, const struct cred *cred,
		  struct kfs_node **out);

/* Record that n's name is gone (the remove of its directory took it out) and wake whoever
 * that lets go on. n must be a channel's node. */
void chan_node_unlinked(struct kfs_node *n);

/* The subscriptions and pollers of channel node n (ipc/ntfy.h), or NULL when n is not a
 * channel. */
struct ntfy_source *chan_watch_source(struct kfs_node *n);

/* Create a channel at path (relative to cwd) for cred with permission bits perm and
 * attributes attr (NULL: the defaults); needs write and search permission on the
 * directory. Returns 0, -EINVAL (bad attributes, or a directory that holds no channels),
 * -EEXIST, -EACCES, -ENOENT, -ENOTDIR, -ENAMETOOLONG or -ENOMEM. */
int chan_create(struct kfs_node *cwd, const char *path, uint32_t perm,
		const struct chan_attr *attr, const struct cred *cred);

/* Read one message from an open channel into b, and what it carries into *info: like
 * file_read, plus the sender and the eof flag. Returns the bytes read, 0 (info->eof tells
 * end of file from an empty message), -EBADF (not open for reading), -EINVAL (not a
 * channel), -EAGAIN (O_NONBLOCK, empty), -EMSGSIZE, -EFAULT or -EINTR. */
long chan_recv(struct file *f, struct iobuf *b, struct chan_msg_info *info);

/* Send msg on the open channel out as one message, as a write does, then wait for one
 * message from the open channel in and read it into reply, as a read does but always
 * waiting (in's O_NONBLOCK does not apply). The checks come first and nothing is sent when
 * they fail: -EINVAL (out or in not a channel), -EBADF (out not open for writing, in not
 * for reading). Then an error of the write (-EMSGSIZE, -EPIPE, -EAGAIN when out is
 * O_NONBLOCK and full, -ENOMEM, -EFAULT, -EINTR) means nothing was sent, and nothing was
 * read. Once sent, the call returns the reply's length, 0 (an empty reply or end of file,
 * as read), -EOVERFLOW (the reply does not fit in reply: it stays queued, and recv tells
 * its length), -EFAULT or -EINTR. out and in may be the same channel. */
long chan_call(struct file *out, struct iobuf *msg, struct file *in, struct iobuf *reply);

/* The in-kernel API for kernel threads. Open the channel at path as root with flags
 * (O_RDONLY, O_WRONLY or O_RDWR, maybe O_NONBLOCK): 0 with a referenced *out (let go with
 * file_put), or -errno as file_open. */
int chan_open(const char *path, unsigned flags, struct file **out);

/* Read one message into the kernel buffer buf of len bytes / write len bytes of buf as
 * one message. Return the bytes moved or -errno as the read and write of a channel. */
long chan_read(struct file *f, void *buf, size_t len);
long chan_write(struct file *f, const void *buf, size_t len);

#define CHAN_INFO_PATH_MAX 128  /* a longer path shows as "-", like an unlinked one */

/* One live channel as /kfs/ipc shows it (ipc/chan_stat.c): copies taken by chan_foreach,
 * the queue's figures all under the channel's lock at one instant. */
struct chan_info {
	char path[CHAN_INFO_PATH_MAX];  /* "-" when it has no name (unlinked, or too long) */
	uint32_t mode;
	int uid;
	struct chan_attr attr;
	uint32_t readers, writers;      /* handles open for reading / writing */
	unsigned blocked_now[CHAN_SIDES];       /* threads asleep on each side now */
	struct chan_stats stats;
};

/* What the channels already freed did, summed: their counters stay in the totals. */
struct chan_retired {
	uint64_t channels;
	struct chan_stats stats;
};

/* Call fn(ci, arg) for every live channel (made and not yet freed), oldest first, and copy
 * the totals of the freed ones into *retired, all under the lock of the list of channels,
 * so that no channel is missed or counted twice. fn must not sleep.
 * Locks: takes chan_list_lock (LOCK_ORDER_OBJLIST), then each channel's. */
void chan_foreach(void (*fn)(const struct chan_info *ci, void *arg), void *arg,
		  struct chan_retired *retired);

#endif
