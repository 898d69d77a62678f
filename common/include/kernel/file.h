/* file.h: open files and descriptor tables.
 *
 * An open file (struct file) is what open() makes: a node, an access mode, flags and an
 * offset, reference-counted because dup(), threads and child processes share it (dup'ed
 * descriptors share the offset, as in Unix). A descriptor table maps small integers to
 * open files; the threads of a process share one table, and a spawned child starts with a
 * copy of its parent's (each file shared, not reopened) — which is how a shell redirects
 * a child's output: dup2 the file onto 1, spawn, put the old 1 back. */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include <stdbool.h>
#include <stdint.h>
#include <uapi/fs.h>
#include <kernel/kfs.h>
#include <kernel/spinlock.h>

struct file {
	struct kfs_node *node;          /* referenced */
	unsigned flags;                 /* O_ACCMODE | O_APPEND | O_NONBLOCK (constant) */
	struct spinlock lock;           /* protects offset */
	uint64_t offset;
	void *priv;                     /* per-open state of the node's type */
	unsigned refs;                  /* atomic: file_get/file_put */
	struct cred cred;               /* who opened it */
};

struct fd_table {
	struct spinlock lock;           /* protects fds */
	struct file *fds[FD_MAX];
	unsigned refs;                  /* atomic: threads share it */
};

/* Open path (relative to cwd) for cred with flags (O_*) and, for O_CREAT, mode. Checks
 * permissions with kfs_access, creates when asked, truncates on O_TRUNC. Returns 0 with a
 * referenced *out, or -errno (-EACCES, -ENOENT, -EEXIST, -EISDIR, -ENOTDIR, -EINVAL...). */
int file_open(struct kfs_node *cwd, const char *path, unsigned flags, uint32_t mode,
	      const struct cred *cred, struct file **out);

/* Open an already-found node (no path walk): the in-kernel API kernel threads use. */
int file_open_node(struct kfs_node *n, unsigned flags, const struct cred *cred,
		   struct file **out);

/* Read/write through the node's operations, checking the access mode first (-EBADF). */
long file_read(struct file *f, struct iobuf *b);
long file_write(struct file *f, struct iobuf *b);

void file_get(struct file *f);
void file_put(struct file *f);

/* Descriptor tables. */
struct fd_table *fd_table_new(void);
struct fd_table *fd_table_copy(struct fd_table *t);
void fd_table_put(struct fd_table *t);

/* Install f at the lowest free descriptor (taking the caller's reference). Returns the
 * descriptor or -EMFILE. */
int fd_install(struct fd_table *t, struct file *f);

/* The file at fd, referenced, or NULL (bad descriptor). */
struct file *fd_get(struct fd_table *t, int fd);

/* The file at fd, or NULL, for the length of one system call of a thread that uses t
 * alone (the only thread of its process): nothing else can close fd meanwhile, so the
 * file needs neither t->lock nor a reference of its own. Not to be file_put(). */
struct file *fd_peek(struct fd_table *t, int fd);

/* Close fd: 0 or -EBADF. */
int fd_close(struct fd_table *t, int fd);

/* dup: the lowest free descriptor; dup2: exactly newfd (closing what was there). */
int fd_dup(struct fd_table *t, int fd);
int fd_dup2(struct fd_table *t, int fd, int newfd);

#endif
