/* kfs.c: the namespace tree: nodes, references, names, path lookup and the one access
 * check (kernel/kfs.h). */
#include <uapi/errno.h>
#include <kernel/binfs.h>
#include <kernel/devfs.h>
#include <kernel/kfs.h>
#include <kernel/kfsstat.h>
#include <kernel/panic.h>
#include <lib/string.h>
#include <mm/kmalloc.h>

struct spinlock kfs_tree_lock = SPINLOCK_INIT("kfs-tree", LOCK_ORDER_KFS);
static uint64_t kfs_next_ino = 1; /* atomic */
static struct kfs_node *kfs_root_node;

static bool kfs_is_dir(const struct kfs_node *n)
{
	return (READ_ONCE(n->mode) & S_IFMT) == S_IFDIR;
}

struct kfs_node *kfs_root(void)
{
	return kfs_root_node;
}

struct kfs_node *kfs_node_new(const struct kfs_ops *ops, uint32_t mode, int uid, int gid)
{
	struct kfs_node *n = kmalloc(sizeof *n);

	if (!n)
		return NULL;
	n->ops = ops;
	n->ino = __atomic_fetch_add(&kfs_next_ino, 1, __ATOMIC_RELAXED);
	spin_init(&n->lock, "kfs-node", LOCK_ORDER_OBJECT);
	n->mode = mode;
	n->uid = uid;
	n->gid = gid;
	list_init(&n->children);
	list_init(&n->sibling);
	n->refs = 1;
	return n;
}

void kfs_get(struct kfs_node *n)
{
	__atomic_fetch_add(&n->refs, 1, __ATOMIC_RELAXED);
}

void kfs_put(struct kfs_node *n)
{
	if (__atomic_sub_fetch(&n->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	kassert(!n->parent && list_empty(&n->children));
	n->ops->release(n);
	kfree(n);
}

/* Find name among dir's children. Locks: kfs_tree_lock held. */
static struct kfs_node *kfs_find_child(struct kfs_node *dir, const char *name)
{
	struct list_node *pos;

	kassert(spin_held(&kfs_tree_lock));
	list_for_each(pos, &dir->children) {
		struct kfs_node *c = list_entry(pos, struct kfs_node, sibling);

		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

int kfs_link(struct kfs_node *dir, const char *name, struct kfs_node *child)
{
	spin_lock(&kfs_tree_lock);
	if (kfs_find_child(dir, name)) {
		spin_unlock(&kfs_tree_lock);
		return -EEXIST;
	}
	strlcpy(child->name, name, sizeof child->name);
	child->parent = dir;
	child->unlinked = false;
	list_add_tail(&dir->children, &child->sibling);
	dir->nlink_children++;
	kfs_get(child); /* the directory's reference */
	spin_unlock(&kfs_tree_lock);
	return 0;
}

int kfs_link_new(struct kfs_node *dir, const char *name, struct kfs_node *n,
		 struct kfs_node **out)
{
	int err;

	if (!n)
		return -ENOMEM;
	err = kfs_link(dir, name, n);
	if (err) {
		kfs_put(n);
		return err;
	}
	*out = n;
	return 0;
}

bool kfs_detach_locked(struct kfs_node *child)
{
	kassert(spin_held(&kfs_tree_lock));
	if (!child->parent)
		return false;
	list_remove(&child->sibling);
	child->parent->nlink_children--;
	child->parent = NULL;
	child->unlinked = true;
	return true;
}

void kfs_unlink(struct kfs_node *child)
{
	bool was_linked;

	spin_lock(&kfs_tree_lock);
	was_linked = kfs_detach_locked(child);
	spin_unlock(&kfs_tree_lock);
	if (was_linked)
		kfs_put(child); /* the directory's reference */
}

/* ---- permissions: the one access check ---- */

int kfs_access(struct kfs_node *n, const struct cred *cred, unsigned want)
{
	uint32_t mode = READ_ONCE(n->mode);
	unsigned bits;

	if (cred->uid == 0) {
		/* Root reads and writes anything; executes only what someone may execute. */
		if ((want & KFS_MAY_EXEC) && !kfs_is_dir(n) && !(mode & 0111))
			return -EACCES;
		return 0;
	}
	if (cred->uid == READ_ONCE(n->uid))
		bits = (mode >> 6) & 7;
	else if (cred->gid == READ_ONCE(n->gid))
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (bits & want) == want ? 0 : -EACCES;
}

int kfs_chmod(struct kfs_node *n, const struct cred *cred, uint32_t perm)
{
	int err = 0;

	spin_lock(&n->lock);
	if (cred->uid != 0 && cred->uid != n->uid)
		err = -EPERM;
	else
		n->mode = (n->mode & S_IFMT) | (perm & 07777);
	spin_unlock(&n->lock);
	return err;
}

int kfs_chown(struct kfs_node *n, const struct cred *cred, int uid, int gid)
{
	if (cred->uid != 0)
		return -EPERM;
	spin_lock(&n->lock);
	if (uid >= 0)
		n->uid = uid;
	if (gid >= 0)
		n->gid = gid;
	spin_unlock(&n->lock);
	return 0;
}

/* ---- path lookup ---- */

/* Split off the next component of *p (skipping slashes) into name. Returns 1 with *p
 * advanced, 0 at the end of the path, or -ENAMETOOLONG. */
static int kfs_next_component(const char **p, char name[NAME_MAX + 1])
{
	size_t len = 0;

	while (**p == '/')
		(*p)++;
	if (**p == '\0')
		return 0;
	while ((*p)[len] && (*p)[len] != '/')
		len++;
	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, *p, len);
	name[len] = '\0';
	*p += len;
	return 1;
}

/* One step from directory cur to its entry name (".", ".." or a child), after the search
 * permission check. Returns 0 with a referenced *next, or -errno. */
static int kfs_step(struct kfs_node *cur, const char *name, const struct cred *cred,
		    struct kfs_node **next)
{
	int err;

	if (!kfs_is_dir(cur))
		return -ENOTDIR;
	err = kfs_access(cur, cred, KFS_MAY_EXEC);
	if (err)
		return err;
	if (strcmp(name, ".") == 0) {
		*next = cur;
	} else if (strcmp(name, "..") == 0) {
		spin_lock(&kfs_tree_lock);
		*next = cur->parent ? cur->parent : cur; /* ".." of the root is the root */
		kfs_get(*next);
		spin_unlock(&kfs_tree_lock);
		return 0;
	} else {
		*next = cur->ops->lookup(cur, name);
		return *next ? 0 : -ENOENT;
	}
	kfs_get(*next);
	return 0;
}

/* Walk path from dir. With last != NULL, stop before the last component and copy it there.
 * Returns 0 with a referenced *out, or -errno. */
static int kfs_walk(struct kfs_node *dir, const char *path, const struct cred *cred,
		    struct kfs_node **out, char *last)
{
	char name[NAME_MAX + 1];
	struct kfs_node *cur, *next;
	const char *p = path, *peek;
	int more, err = 0;

	if (strnlen(path, PATH_MAX) == PATH_MAX)
		return -ENAMETOOLONG;
	if (*path == '\0')
		return -ENOENT;
	cur = *path == '/' ? kfs_root_node : dir;
	kfs_get(cur);
	while ((more = kfs_next_component(&p, name)) == 1) {
		peek = p;
		if (last && kfs_next_component(&peek, last) == 0) {
			memcpy(last, name, sizeof name); /* the final component: stop before it */
			break;
		}
		err = kfs_step(cur, name, cred, &next);
		kfs_put(cur);
		if (err)
			return err;
		cur = next;
	}
	if (more < 0)
		err = more;
	else if (last && more == 0)
		err = -EINVAL; /* no last component: "/" or only slashes */
	else if (!last && path[strlen(path) - 1] == '/' && !kfs_is_dir(cur))
		err = -ENOTDIR;
	if (err) {
		kfs_put(cur);
		return err;
	}
	*out = cur;
	return 0;
}

int kfs_resolve(struct kfs_node *dir, const char *path, const struct cred *cred,
		struct kfs_node **out)
{
	return kfs_walk(dir, path, cred, out, NULL);
}

int kfs_resolve_parent(struct kfs_node *dir, const char *path, const struct cred *cred,
		       struct kfs_node **parent, char name[NAME_MAX + 1])
{
	int err = kfs_walk(dir, path, cred, parent, name);

	if (err)
		return err;
	if (!kfs_is_dir(*parent)) {
		kfs_put(*parent);
		return -ENOTDIR;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		kfs_put(*parent);
		return -EINVAL;
	}
	return 0;
}

/* ---- removing a name ---- */

/* The sticky bit of a directory: only the owner of an entry, of the directory, or root may
 * remove the entry. Part of the one access check's rules (kfs_access). */
static int kfs_sticky_ok(struct kfs_node *dir, struct kfs_node *n, const struct cred *cred)
{
	if (!(READ_ONCE(dir->mode) & 01000) || cred->uid == 0 || cred->uid == READ_ONCE(n->uid) ||
	    cred->uid == READ_ONCE(dir->uid))
		return 0;
	return -EPERM;
}

/* Check and remove child n of dir for cred. */
static int kfs_remove_child(struct kfs_node *dir, struct kfs_node *n, const struct cred *cred,
			    bool want_dir)
{
	if (kfs_is_dir(n) != want_dir)
		return want_dir ? -ENOTDIR : -EISDIR;
	return kfs_sticky_ok(dir, n, cred) ?: dir->ops->remove(dir, n);
}

int kfs_remove(struct kfs_node *cwd, const char *path, const struct cred *cred, bool dir)
{
	char name[NAME_MAX + 1];
	struct kfs_node *parent, *n;
	int err = kfs_resolve_parent(cwd, path, cred, &parent, name);

	if (err)
		return err;
	err = kfs_access(parent, cred, KFS_MAY_WRITE | KFS_MAY_EXEC);
	if (!err) {
		n = parent->ops->lookup(parent, name);
		err = n ? kfs_remove_child(parent, n, cred, dir) : -ENOENT;
		if (n)
			kfs_put(n);
	}
	kfs_put(parent);
	return err;
}

/* ---- attributes ---- */

void kfs_stat(struct kfs_node *n, struct stat *st)
{
	memset(st, 0, sizeof *st);
	st->st_ino = n->ino;
	spin_lock(&n->lock);
	st->st_mode = n->mode;
	st->st_uid = n->uid;
	st->st_gid = n->gid;
	spin_unlock(&n->lock);
	st->st_nlink = kfs_is_dir(n) ? 2 + READ_ONCE(n->nlink_children) : 1;
	n->ops->stat(n, st);
}

long kfs_path(struct kfs_node *n, char *buf, size_t size)
{
	size_t at = size, len;
	long err = 0;

	if (size < 2)
		return -ENAMETOOLONG;
	buf[--at] = '\0';
	spin_lock(&kfs_tree_lock);
	for (; n != kfs_root_node && !err; n = n->parent) {
		len = strlen(n->name);
		if (!n->parent)
			err = -ENOENT;
		else if (len + 1 > at)
			err = -ENAMETOOLONG;
		else {
			at -= len;
			memcpy(buf + at, n->name, len);
			buf[--at] = '/';
		}
	}
	spin_unlock(&kfs_tree_lock);
	if (err)
		return err;
	if (at == size - 1)
		buf[--at] = '/'; /* the root itself */
	memmove(buf, buf + at, size - at);
	return (long)(size - at - 1);
}

void kfs_init(void)
{
	struct kfs_node *dev, *bin, *etc, *kfs, *tmp, *ipc;

	kfs_root_node = kfs_node_new(&kfs_dir_ops, S_IFDIR | 0755, 0, 0);
	if (!kfs_root_node)
		panic("kfs: no memory for the root");
	dev = kfs_mkdir_kernel(kfs_root_node, "dev", 0755);
	bin = kfs_mkdir_kernel(kfs_root_node, "bin", 0755);
	etc = kfs_mkdir_kernel(kfs_root_node, "etc", 0755);
	kfs = kfs_mkdir_kernel(kfs_root_node, "kfs", 0555);
	tmp = kfs_mkdir_kernel(kfs_root_node, "tmp", 01777);
	ipc = kfs_mkdir_kernel(kfs_root_node, "ipc", 01777);
	if (!dev || !bin || !etc || !kfs || !tmp || !ipc)
		panic("kfs: no memory for the standard directories");
	devfs_init(dev);
	binfs_init(bin, etc);
	kfsstat_init(kfs);
	kfs_put(dev);
	kfs_put(bin);
	kfs_put(etc);
	kfs_put(kfs);
	kfs_put(tmp);
	kfs_put(ipc);
}
