/* chan_dir.c: the directories that hold channels: /ipc and its subdirectories.
 *
 * kfs_init() makes /ipc (mode 01777, like /tmp) as a plain KFS directory; stage 4 takes it
 * over at boot (LAYER_INIT, kernel/init.h) by giving it these operations. They are KFS's
 * own directory operations (kfs_dir_ops: a list of children) except two: create makes a
 * channel (S_IFIFO) or a subdirectory with these same operations, and nothing else (a
 * plain file there is -EINVAL); remove also tells the channel that its name is gone, so
 * that nobody can open it again and writers with no reader left get -EPIPE. */
#include <uapi/errno.h>
#include <ipc/chan.h>
#include <ipc/chan_core.h>
#include <kernel/init.h>
#include <kernel/kfs.h>
#include <kernel/panic.h>

static const struct kfs_ops chan_dir_ops;

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

	if ((a->mode & S_IFMT) == S_IFIFO)
		err = chan_node_new(a->attr, a->mode, a->cred, &n);
	else if ((a->mode & S_IFMT) == S_IFDIR)
		n = kfs_node_new(&chan_dir_ops, a->mode, a->cred->uid, a->cred->gid);
	else
		return -EINVAL;
	if (err)
		return err;
	return kfs_link_new(dir, name, n, out);
}

/* Remove child (the caller holds a reference to it, so it outlives the directory's). */
static int chan_dir_remove(struct kfs_node *dir, struct kfs_node *child)
{
	int err = kfs_dir_ops.remove(dir, child);

	if (!err && child->ops == &chan_ops)
		chan_node_unlinked(child);
	return err;
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
	.release = kfs_default_release,
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
	ipc->ops = &chan_dir_ops;
	kfs_put(ipc);
}
LAYER_INIT(chan_dir_init);
