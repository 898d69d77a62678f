/* syscall_fs.c: the file and namespace system calls (kernel/syscall_fs.h).
 *
 * Each handler copies its path in (strncpy_from_user), checks its buffers, then calls the
 * namespace (kernel/kfs.h) and open files (kernel/file.h) with the calling process's
 * credentials and working directory. Validate first, then act. */
#include <uapi/errno.h>
#include <uapi/fs.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/process.h>
#include <kernel/syscall_fs.h>
#include <lib/string.h>
#include <mm/vm.h>

/* The calling process's path argument, copied in. */
static long fs_path_in(uintptr_t upath, char path[PATH_MAX])
{
	return strncpy_from_user(process_current()->vm, path, upath, PATH_MAX);
}

/* What every path system call starts from: the path copied in, and the calling process's
 * credentials and working directory (referenced until fs_call_end). */
struct fs_call {
	char path[PATH_MAX];
	struct cred cred;
	struct kfs_node *cwd;
};

static long fs_call_begin(struct fs_call *c, uintptr_t upath)
{
	long err = fs_path_in(upath, c->path);

	if (err < 0)
		return err;
	c->cred = process_cred(process_current());
	c->cwd = process_cwd(process_current());
	return 0;
}

static void fs_call_end(struct fs_call *c)
{
	kfs_put(c->cwd);
}

/* The open file at fd of the calling process (referenced), or NULL. */
static struct file *fs_fd(unsigned long fd)
{
	return fd >= FD_MAX ? NULL : fd_get(process_current()->fds, (int)fd);
}

long sys_open(const unsigned long *a)
{
	struct fs_call c;
	struct file *f;
	long err = fs_call_begin(&c, a[0]);
	int fd;

	if (err < 0)
		return err;
	err = file_open(c.cwd, c.path, (unsigned)a[1], (uint32_t)a[2], &c.cred, &f);
	fs_call_end(&c);
	if (err)
		return err;
	fd = fd_install(process_current()->fds, f);
	if (fd < 0)
		file_put(f);
	return fd;
}

long sys_close(const unsigned long *a)
{
	return a[0] >= FD_MAX ? -EBADF : fd_close(process_current()->fds, (int)a[0]);
}

/* LAB(stage4): the data path's descriptor lookup. A process with one thread is the only
 * one that can close its descriptors, and it is busy in this call: it can borrow the file
 * from its table without the table's lock or a reference (fd_peek). Only a process with
 * more threads, one of which might close fd meanwhile, pays for them (fd_get). Another
 * thread can only be made by this one, so nr_threads cannot grow from 1 meanwhile. */
struct file *fs_fd_borrow(struct process *p, unsigned long fd, bool *counted)
{
	if (fd >= FD_MAX)
		return NULL;
	*counted = READ_ONCE(p->nr_threads) > 1;
	return *counted ? fd_get(p->fds, (int)fd) : fd_peek(p->fds, (int)fd);
}

/* read and write: one path for both, through the open file's node operations. */
static long fs_rw(const unsigned long *a, bool write)
{
	struct process *p = process_current();
	struct vm_space *vm = p->vm;
	bool counted;
	struct file *f = fs_fd_borrow(p, a[0], &counted);
	struct iobuf b;
	long r;

	if (!f)
		return -EBADF;
	r = vm_user_ok(vm, a[1], a[2], !write);
	if (!r) {
		b = iobuf_user(vm, a[1], a[2]);
		r = write ? file_write(f, &b) : file_read(f, &b);
	}
	if (counted)
		file_put(f);
	return r;
}

long sys_read(const unsigned long *a)
{
	return fs_rw(a, false);
}

long sys_write(const unsigned long *a)
{
	return fs_rw(a, true);
}

long sys_dup(const unsigned long *a)
{
	return a[0] >= FD_MAX ? -EBADF : fd_dup(process_current()->fds, (int)a[0]);
}

long sys_dup2(const unsigned long *a)
{
	if (a[0] >= FD_MAX || a[1] >= FD_MAX)
		return -EBADF;
	return fd_dup2(process_current()->fds, (int)a[0], (int)a[1]);
}

long sys_lseek(const unsigned long *a)
{
	struct file *f = fs_fd(a[0]);
	struct stat st;
	long off = (long)a[1], base = 0;

	if (!f)
		return -EBADF;
	kfs_stat(f->node, &st);
	if ((st.st_mode & S_IFMT) != S_IFREG) {
		file_put(f);
		return -ESPIPE; /* devices, channels, directories have no offset to move */
	}
	spin_lock(&f->lock);
	if (a[2] == SEEK_CUR)
		base = (long)f->offset;
	else if (a[2] == SEEK_END)
		base = (long)st.st_size;
	if (a[2] > SEEK_END || __builtin_add_overflow(base, off, &off) || off < 0)
		off = -EINVAL;
	else
		f->offset = (uint64_t)off;
	spin_unlock(&f->lock);
	file_put(f);
	return off;
}

/* Resolve the calling process's path argument to a referenced node. */
static long fs_resolve(uintptr_t upath, struct kfs_node **n)
{
	struct fs_call c;
	long err = fs_call_begin(&c, upath);

	if (err < 0)
		return err;
	err = kfs_resolve(c.cwd, c.path, &c.cred, n);
	fs_call_end(&c);
	return err;
}

/* Copy a node's stat out to user memory. */
static long fs_stat_out(struct kfs_node *n, uintptr_t uout)
{
	struct stat st;

	kfs_stat(n, &st);
	return copy_to_user(process_current()->vm, uout, &st, sizeof st);
}

long sys_stat(const unsigned long *a)
{
	struct kfs_node *n;
	long err = vm_user_ok(process_current()->vm, a[1], sizeof(struct stat), true);

	if (!err)
		err = fs_resolve(a[0], &n);
	if (err)
		return err;
	err = fs_stat_out(n, a[1]);
	kfs_put(n);
	return err;
}

long sys_fstat(const unsigned long *a)
{
	struct file *f = fs_fd(a[0]);
	long err;

	if (!f)
		return -EBADF;
	err = fs_stat_out(f->node, a[1]);
	file_put(f);
	return err;
}

long sys_readdir(const unsigned long *a)
{
	struct file *f = fs_fd(a[0]);
	struct dirent ent = { 0 };
	long err;

	if (!f)
		return -EBADF;
	err = vm_user_ok(process_current()->vm, a[1], sizeof ent, true);
	if (!err) {
		spin_lock(&f->lock);
		err = f->node->ops->readdir(f->node, (unsigned)f->offset, &ent);
		if (!err)
			f->offset++;
		spin_unlock(&f->lock);
	}
	if (!err)
		err = copy_to_user(process_current()->vm, a[1], &ent, sizeof ent) ?: 1;
	else if (err == -ENOENT)
		err = 0; /* the end of the directory */
	file_put(f);
	return err;
}

/* Resolve the parent directory of the calling process's path argument, check that the
 * caller may write into it, and hand back the last name. */
static long fs_parent(uintptr_t upath, struct kfs_node **dir, char name[NAME_MAX + 1],
		      struct cred *cred)
{
	struct fs_call c;
	long err = fs_call_begin(&c, upath);

	if (err < 0)
		return err;
	*cred = c.cred;
	err = kfs_resolve_parent(c.cwd, c.path, cred, dir, name);
	fs_call_end(&c);
	if (!err && (err = kfs_access(*dir, cred, KFS_MAY_WRITE | KFS_MAY_EXEC)))
		kfs_put(*dir);
	return err;
}

long sys_mkdir(const unsigned long *a)
{
	struct kfs_create_args args = { S_IFDIR | ((uint32_t)a[1] & 07777), NULL, NULL };
	char name[NAME_MAX + 1];
	struct kfs_node *dir, *n;
	struct cred cred;
	long err = fs_parent(a[0], &dir, name, &cred);

	if (err)
		return err;
	args.cred = &cred;
	n = dir->ops->lookup(dir, name);
	if (n) {
		kfs_put(n);
		err = -EEXIST;
	} else if (!(err = dir->ops->create(dir, name, &args, &n))) {
		kfs_put(n);
	}
	kfs_put(dir);
	return err;
}

/* unlink and rmdir: the namespace does both (kfs_remove), as the calling process. */
static long fs_remove(uintptr_t upath, bool dir)
{
	struct fs_call c;
	long err = fs_call_begin(&c, upath);

	if (err < 0)
		return err;
	err = kfs_remove(c.cwd, c.path, &c.cred, dir);
	fs_call_end(&c);
	return err;
}

long sys_unlink(const unsigned long *a)
{
	return fs_remove(a[0], false);
}

long sys_rmdir(const unsigned long *a)
{
	return fs_remove(a[0], true);
}

long sys_chmod(const unsigned long *a)
{
	struct cred cred = process_cred(process_current());
	struct kfs_node *n;
	long err = fs_resolve(a[0], &n);

	if (err)
		return err;
	err = kfs_chmod(n, &cred, (uint32_t)a[1]);
	kfs_put(n);
	return err;
}

long sys_chown(const unsigned long *a)
{
	struct cred cred = process_cred(process_current());
	struct kfs_node *n;
	long err = fs_resolve(a[0], &n);

	if (err)
		return err;
	err = kfs_chown(n, &cred, (int)a[1], (int)a[2]);
	kfs_put(n);
	return err;
}

long sys_chdir(const unsigned long *a)
{
	struct process *p = process_current();
	struct cred cred = process_cred(p);
	struct kfs_node *n, *old;
	long err = fs_resolve(a[0], &n);

	if (err)
		return err;
	if ((READ_ONCE(n->mode) & S_IFMT) != S_IFDIR)
		err = -ENOTDIR;
	else
		err = kfs_access(n, &cred, KFS_MAY_EXEC);
	if (err) {
		kfs_put(n);
		return err;
	}
	spin_lock(&p->lock);
	old = p->cwd;
	p->cwd = n;
	spin_unlock(&p->lock);
	kfs_put(old);
	return 0;
}

long sys_getcwd(const unsigned long *a)
{
	struct process *p = process_current();
	struct kfs_node *cwd = process_cwd(p);
	char path[PATH_MAX];
	long len = kfs_path(cwd, path, sizeof path);

	kfs_put(cwd);
	if (len < 0)
		return len;
	if ((size_t)len + 1 > a[1])
		return -ERANGE;
	return copy_to_user(p->vm, a[0], path, (size_t)len + 1) ?: len;
}
