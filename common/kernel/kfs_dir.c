/* kfs_dir.c: the default operations every node type starts from, and the directories KFS
 * keeps itself (a list of children): lookup, readdir, mkdir/create, remove. */
#include <uapi/errno.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/ramfs.h>
#include <lib/string.h>

/* ---- defaults: what a type does not support answers with the right errno ---- */

struct kfs_node *kfs_default_lookup(struct kfs_node *dir, const char *name)
{
	return NULL;
}

int kfs_default_open(struct kfs_node *n, struct file *f)
{
	return 0;
}

long kfs_default_read(struct file *f, struct iobuf *b)
{
	return (f->node->mode & S_IFMT) == S_IFDIR ? -EISDIR : -EINVAL;
}

long kfs_default_write(struct file *f, struct iobuf *b)
{
	return (f->node->mode & S_IFMT) == S_IFDIR ? -EISDIR : -EINVAL;
}

void kfs_default_close(struct file *f)
{
}

void kfs_default_stat(struct kfs_node *n, struct stat *st)
{
}

int kfs_default_readdir(struct kfs_node *dir, unsigned index, struct dirent *out)
{
	return -ENOTDIR;
}

int kfs_default_create(struct kfs_node *dir, const char *name, const struct kfs_create_args *a,
		       struct kfs_node **out)
{
	return (dir->mode & S_IFMT) == S_IFDIR ? -EPERM : -ENOTDIR;
}

int kfs_default_remove(struct kfs_node *dir, struct kfs_node *child)
{
	return -EPERM;
}

unsigned kfs_default_poll(struct file *f)
{
	return KFS_POLL_IN | KFS_POLL_OUT; /* never blocks */
}

/* O_TRUNC on what is not an ordinary file (a device, a channel) is ignored, as POSIX says
 * for terminals and FIFOs: `echo x > /dev/null` must work. */
int kfs_default_truncate(struct kfs_node *n)
{
	return 0;
}

void kfs_default_release(struct kfs_node *n)
{
}

/* ---- KFS-kept directories ---- */

static struct kfs_node *kfs_dir_lookup(struct kfs_node *dir, const char *name)
{
	struct list_node *pos;
	struct kfs_node *found = NULL;

	spin_lock(&kfs_tree_lock);
	list_for_each(pos, &dir->children) {
		struct kfs_node *c = list_entry(pos, struct kfs_node, sibling);

		if (strcmp(c->name, name) == 0) {
			found = c;
			kfs_get(found);
			break;
		}
	}
	spin_unlock(&kfs_tree_lock);
	return found;
}

/* Fill a directory entry for node n under name. */
static void kfs_dirent(struct dirent *out, const struct kfs_node *n, const char *name)
{
	out->d_ino = n->ino;
	out->d_type = READ_ONCE(n->mode) & S_IFMT;
	strlcpy(out->d_name, name, sizeof out->d_name);
}

static int kfs_dir_readdir(struct kfs_node *dir, unsigned index, struct dirent *out)
{
	struct list_node *pos;
	int err = -ENOENT;

	spin_lock(&kfs_tree_lock);
	if (index == 0) {
		kfs_dirent(out, dir, ".");
		err = 0;
	} else if (index == 1) {
		kfs_dirent(out, dir->parent ? dir->parent : dir, "..");
		err = 0;
	} else {
		index -= 2;
		list_for_each(pos, &dir->children) {
			struct kfs_node *c = list_entry(pos, struct kfs_node, sibling);

			if (index-- == 0) {
				kfs_dirent(out, c, c->name);
				err = 0;
				break;
			}
		}
	}
	spin_unlock(&kfs_tree_lock);
	return err;
}

/* mkdir makes a KFS directory; any other create makes a RAM file (kernel/ramfs.h). */
static int kfs_dir_create(struct kfs_node *dir, const char *name, const struct kfs_create_args *a,
			  struct kfs_node **out)
{
	struct kfs_node *n;

	if ((a->mode & S_IFMT) == S_IFDIR)
		n = kfs_node_new(&kfs_dir_ops, a->mode, a->cred->uid, a->cred->gid);
	else if ((a->mode & S_IFMT) == S_IFREG)
		n = ramfs_file_new(a->mode, a->cred->uid, a->cred->gid);
	else
		return -EINVAL;
	return kfs_link_new(dir, name, n, out);
}

static int kfs_dir_remove(struct kfs_node *dir, struct kfs_node *child)
{
	int err = 0;

	spin_lock(&kfs_tree_lock);
	if (!list_empty(&child->children))
		err = -ENOTEMPTY;
	else if (!kfs_detach_locked(child))
		err = -ENOENT; /* someone else removed it first */
	spin_unlock(&kfs_tree_lock);
	if (!err)
		kfs_put(child);
	return err;
}

const struct kfs_ops kfs_dir_ops = {
	.lookup = kfs_dir_lookup,
	.open = kfs_default_open,
	.read = kfs_default_read,
	.write = kfs_default_write,
	.close = kfs_default_close,
	.stat = kfs_default_stat,
	.readdir = kfs_dir_readdir,
	.create = kfs_dir_create,
	.remove = kfs_dir_remove,
	.poll = kfs_default_poll,
	.truncate = kfs_default_truncate,
	.release = kfs_default_release,
};

struct kfs_node *kfs_mkdir_kernel(struct kfs_node *dir, const char *name, uint32_t perm)
{
	struct kfs_node *n;

	return kfs_link_new(dir, name, kfs_node_new(&kfs_dir_ops, S_IFDIR | perm, 0, 0), &n) ?
		       NULL : n;
}
