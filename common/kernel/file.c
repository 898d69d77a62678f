/* file.c: open files and descriptor tables (kernel/file.h). */
#include <uapi/errno.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>

static bool file_is_dir(const struct kfs_node *n)
{
	return (READ_ONCE(n->mode) & S_IFMT) == S_IFDIR;
}

/* The access rights flags ask for. */
static unsigned file_wanted_access(unsigned flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY: return KFS_MAY_READ;
	case O_WRONLY: return KFS_MAY_WRITE;
	default: return KFS_MAY_READ | KFS_MAY_WRITE;
	}
}

int file_open_node(struct kfs_node *n, unsigned flags, const struct cred *cred,
		   struct file **out)
{
	struct file *f;
	int err;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if (file_is_dir(n) && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !file_is_dir(n))
		return -ENOTDIR;
	err = kfs_access(n, cred, file_wanted_access(flags));
	if (err)
		return err;
	f = kmalloc(sizeof *f);
	if (!f)
		return -ENOMEM;
	f->node = n;
	f->flags = flags & (O_ACCMODE | O_APPEND | O_NONBLOCK);
	spin_init(&f->lock, "file", LOCK_ORDER_FILE);
	f->refs = 1;
	f->cred = *cred;
	kfs_get(n);
	err = n->ops->open(n, f);
	if (err) {
		kfs_put(n);
		kfree(f);
		return err;
	}
	*out = f;
	return 0;
}

/* Create name in dir for O_CREAT. -EACCES without write permission on the directory. */
static int file_create(struct kfs_node *dir, const char *name, uint32_t mode,
		       const struct cred *cred, struct kfs_node **out)
{
	struct kfs_create_args a = { S_IFREG | (mode & S_PERM_MASK), NULL, cred };
	int err = kfs_access(dir, cred, KFS_MAY_WRITE | KFS_MAY_EXEC);

	return err ? err : dir->ops->create(dir, name, &a, out);
}

/* Find path, creating it if flags say so. Returns a referenced node or -errno. */
static int file_lookup_or_create(struct kfs_node *cwd, const char *path, unsigned flags,
				 uint32_t mode, const struct cred *cred, struct kfs_node **out)
{
	char name[NAME_MAX + 1];
	struct kfs_node *dir;
	int err;

	if (!(flags & O_CREAT))
		return kfs_resolve(cwd, path, cred, out);
	err = kfs_resolve_parent(cwd, path, cred, &dir, name);
	if (err)
		return err;
	*out = dir->ops->lookup(dir, name);
	if (*out && (flags & O_EXCL)) {
		kfs_put(*out);
		err = -EEXIST;
	} else if (!*out) {
		err = file_create(dir, name, mode, cred, out);
	}
	kfs_put(dir);
	return err;
}

int file_open(struct kfs_node *cwd, const char *path, unsigned flags, uint32_t mode,
	      const struct cred *cred, struct file **out)
{
	struct kfs_node *n;
	int err = file_lookup_or_create(cwd, path, flags, mode, cred, &n);

	if (err)
		return err;
	err = file_open_node(n, flags, cred, out);
	if (!err && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
		err = n->ops->truncate(n);
		if (err)
			file_put(*out);
	}
	kfs_put(n);
	return err;
}

long file_read(struct file *f, struct iobuf *b)
{
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	return f->node->ops->read(f, b);
}

long file_write(struct file *f, struct iobuf *b)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	return f->node->ops->write(f, b);
}

void file_get(struct file *f)
{
	__atomic_fetch_add(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	f->node->ops->close(f);
	kfs_put(f->node);
	kfree(f);
}

/* ---- descriptor tables ---- */

struct fd_table *fd_table_new(void)
{
	struct fd_table *t = kmalloc(sizeof *t);

	if (!t)
		return NULL;
	spin_init(&t->lock, "fd-table", LOCK_ORDER_FILE);
	t->refs = 1;
	return t;
}

struct fd_table *fd_table_copy(struct fd_table *t)
{
	struct fd_table *c = fd_table_new();
	int fd;

	if (!c)
		return NULL;
	spin_lock(&t->lock);
	for (fd = 0; fd < FD_MAX; fd++) {
		c->fds[fd] = t->fds[fd];
		if (c->fds[fd])
			file_get(c->fds[fd]);
	}
	spin_unlock(&t->lock);
	return c;
}

void fd_table_put(struct fd_table *t)
{
	int fd;

	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (fd = 0; fd < FD_MAX; fd++)
		if (t->fds[fd])
			file_put(t->fds[fd]);
	kfree(t);
}

int fd_install(struct fd_table *t, struct file *f)
{
	int fd;

	spin_lock(&t->lock);
	for (fd = 0; fd < FD_MAX; fd++) {
		if (!t->fds[fd]) {
			t->fds[fd] = f;
			spin_unlock(&t->lock);
			return fd;
		}
	}
	spin_unlock(&t->lock);
	return -EMFILE;
}

struct file *fd_get(struct fd_table *t, int fd)
{
	struct file *f = NULL;

	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	spin_lock(&t->lock);
	f = t->fds[fd];
	if (f)
		file_get(f);
	spin_unlock(&t->lock);
	return f;
}

struct file *fd_peek(struct fd_table *t, int fd)
{
	return fd < 0 || fd >= FD_MAX ? NULL : t->fds[fd];
}

int fd_close(struct fd_table *t, int fd)
{
	struct file *f;

	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	spin_lock(&t->lock);
	f = t->fds[fd];
	t->fds[fd] = NULL;
	spin_unlock(&t->lock);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int fd_dup(struct fd_table *t, int fd)
{
	struct file *f = fd_get(t, fd);
	int newfd;

	if (!f)
		return -EBADF;
	newfd = fd_install(t, f);
	if (newfd < 0)
		file_put(f);
	return newfd;
}

int fd_dup2(struct fd_table *t, int fd, int newfd)
{
	struct file *f = fd_get(t, fd), *old;

	if (!f)
		return -EBADF;
	if (newfd < 0 || newfd >= FD_MAX) {
		file_put(f);
		return -EBADF;
	}
	spin_lock(&t->lock);
	old = t->fds[newfd];
	t->fds[newfd] = f;
	spin_unlock(&t->lock);
	if (old)
		file_put(old);
	return newfd;
}
