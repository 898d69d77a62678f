/* chan_dir.c: the directories that hold channels: /ipc and its subdirectories.
 *
 * kfs_init() makes /ipc (mode 01777, like /tmp) as a plain KFS directory; stage 4 takes it
 * over at boot (LAYER_INIT, kernel/init.h) by giving it these operations. They are KFS's
 * own directory operations (kfs_dir_ops: a list of children) except two: create makes a
 * channel (S_IFIFO) or a subdirectory with these same operations, and nothing else (a
 * plain file there is -EINVAL); remove also tells the channel that its name is gone, so
 * that nobody can open it again and writers with no reader left get -EPIPE.
 *
 * Each such directory can be watched (ipc/ntfy.h): its object, in the node's priv, is the
 * list of its subscriptions, under the node's own lock. create posts CREATED, remove posts
 * REMOVED (and HUP to a removed directory's watchers), and the directory's freeing GONE. */
#include <uapi/errno.h>
#include <ipc/chan.h>
#include <ipc/chan_core.h>
#include <kernel/init.h>
#include <kernel/kfs.h>
#include <kernel/panic.h>
#include <lib/string.h>
#include <ipc/ntfy.h>
#include <mm/kmalloc.h>

static const struct kfs_ops chan_dir_ops;

/* A directory of channels as a watched object: no depth, no capacity. */
static void chan_dir_watch_now(struct ntfy_source *src, struct ntfy_event *out)
{
	(void)src;
	*out = (struct ntfy_event){ .uid = -1 };
}

/* Make n (a new node with chan_dir_ops) watchable. 0 or -ENOMEM. */
static int chan_dir_watch_init(struct kfs_node *n)
{
	struct ntfy_source *src = kmalloc(sizeof *src);

	if (!src)
		return -ENOMEM;
	ntfy_source_init(src, &n->lock, NTFY_DIR_EVENTS, chan_dir_watch_now);
	n->priv = src;
	return 0;
}

/* Tell the watchers of directory dir that event happened to name (NULL: to dir itself). */
static void chan_dir_notify(struct kfs_node *dir, uint32_t event, const char *name)
{
	struct ntfy_event e = { .event = event, .uid = -1, .name = name };

	spin_lock(&dir->lock);
	ntfy_post(dir->priv, &e);
	spin_unlock(&dir->lock);
}

static struct kfs_node *chan_dir_lookup(struct kfs_node *dir, const char *name)
{
	return kfs_dir_ops.lookup(dir, name);
}

static int chan_dir_readdir(struct kfs_node *dir, unsigned index, struct dirent *out)
{
	return kfs_dir_ops.readdir(dir, index, out);
}

/* Make a channel (S_IFIFO) or a directory of channels (S_IFDIR) called name in dir. */
static int chan_dir_create(struct kfs_node *dir, const char *name,
			   const struct kfs_create_args *a, struct kfs_node **out)
{
	struct kfs_node *n = NULL;
	int err = 0;

	if ((a->mode & S_IFMT) == S_IFIFO) {
		err = chan_node_new(a->attr, a->mode, a->cred, &n);
	} else if ((a->mode & S_IFMT) == S_IFDIR) {
		n = kfs_node_new(&chan_dir_ops, a->mode, a->cred->uid, a->cred->gid);
		if (n && chan_dir_watch_init(n)) {
			kfs_put(n);
			n = NULL;
		}
	} else {
		return -EINVAL;
	}
	if (err)
		return err;
	err = kfs_link_new(dir, name, n, out);
	if (!err)
		chan_dir_notify(dir, NTFY_CREATED, name);
	return err;
}

/* Remove child (the caller holds a reference to it, so it outlives the directory's). */
static int chan_dir_remove(struct kfs_node *dir, struct kfs_node *child)
{
	char name[NAME_MAX + 1];
	int err;

	spin_lock(&kfs_tree_lock);
	strlcpy(name, child->name, sizeof name);
	spin_unlock(&kfs_tree_lock);
	err = kfs_dir_ops.remove(dir, child);
	if (err)
		return err;
	if (child->ops == &chan_ops)
		chan_node_unlinked(child);
	else
		chan_dir_notify(child, NTFY_HUP, NULL);
	chan_dir_notify(dir, NTFY_REMOVED, name);
	return 0;
}

/* Freed: the end of its subscriptions, then of its object. */
static void chan_dir_release(struct kfs_node *n)
{
	if (!n->priv)
		return; /* making it ran out of memory */
	ntfy_source_gone(n->priv);
	kfree(n->priv);
}

struct ntfy_source *ipc_watch_source(struct kfs_node *n)
{
	return n->ops == &chan_dir_ops ? n->priv : chan_watch_source(n);
}

static const struct kfs_ops chan_dir_ops = {
	.lookup = chan_dir_lookup,
	.open = kfs_default_open,
	.read = kfs_default_read,
	.write = kfs_default_write,
	.close = kfs_default_close,
	.stat = kfs_default_stat,
	.readdir = chan_dir_readdir,
	.create = chan_dir_create,
	.remove = chan_dir_remove,
	.poll = kfs_default_poll,
	.truncate = kfs_default_truncate,
	.release = chan_dir_release,
};

int chan_create(struct kfs_node *cwd, const char *path, uint32_t perm,
		const struct chan_attr *attr, const struct cred *cred)
{
	struct kfs_create_args a = { S_IFIFO | (perm & S_PERM_MASK), attr, cred };
	char name[NAME_MAX + 1];
	struct kfs_node *dir, *n;
	int err;

	if (attr && chan_attr_check(attr))
		return -EINVAL;
	err = kfs_resolve_parent(cwd, path, cred, &dir, name);
	if (err)
		return err;
	err = kfs_access(dir, cred, KFS_MAY_WRITE | KFS_MAY_EXEC);
	if (!err)
		err = dir->ops->create(dir, name, &a, &n);
	if (!err)
		kfs_put(n);
	kfs_put(dir);
	return err;
}

/* Boot: /ipc becomes a directory of channels (it is empty: no process has run yet). */
static void chan_dir_init(void)
{
	static const struct cred root = { 0, 0 };
	struct kfs_node *ipc;

	if (kfs_resolve(kfs_root(), "/ipc", &root, &ipc))
		panic("chan: no /ipc to hold the channels");
	if (chan_dir_watch_init(ipc))
		panic("chan: no memory to watch /ipc");
	ipc->ops = &chan_dir_ops;
	kfs_put(ipc);
}
LAYER_INIT(chan_dir_init);
