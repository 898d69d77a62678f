/* kfs.h: KFS, the kernel namespace: a tree of named nodes (directories, files, devices,
 * IPC channels, notification endpoints), each with an owner, a group, mode bits and a
 * table of operations (Plan 9's Dev is the model; DESIGN.md, "Objects are tables of
 * operations").
 *
 * Names and the tree: every node but the root has a parent directory and a name in it.
 * The tree's shape (parents, children lists, names) is protected by one lock, kfs_tree_lock
 * (LOCK_ORDER_KFS): it is taken to look a name up, create or remove one, never on a read or
 * write. Each node is reference-counted: a lookup returns a referenced node, and an unlinked
 * node lives on while anyone holds a reference (an open file does), then its ops->release
 * frees the object behind it. Permissions are checked in one place, kfs_access().
 *
 * Subsystems add their own directories with kfs_mkdir_kernel() and their own node types
 * with their own struct kfs_ops (see common/kernel/devfs.c, ramfs.c, kfsstat.c; stage 4's
 * channels). A lab guide tour: lab-guides/01-kernel-tour.md, "The namespace". */
#ifndef KERNEL_KFS_H
#define KERNEL_KFS_H

#include <stdbool.h>
#include <stdint.h>
#include <uapi/fs.h>
#include <kernel/iobuf.h>
#include <kernel/list.h>
#include <kernel/spinlock.h>

struct file;
struct kfs_node;

/* Who is asking: the credentials every access check uses. */
struct cred {
	int uid;
	int gid;
};

/* Access rights asked for, as in the mode bits. */
#define KFS_MAY_READ 4
#define KFS_MAY_WRITE 2
#define KFS_MAY_EXEC 1

/* Readiness bits for the poll hook (stage 4's notifications use them). */
#define KFS_POLL_IN 0x1    /* a read would not block */
#define KFS_POLL_OUT 0x2   /* a write would not block */
#define KFS_POLL_HUP 0x4   /* the other side is gone */
#define KFS_POLL_ERR 0x8

/* What create() makes: a type and mode, plus type-specific attributes (a channel's). */
struct kfs_create_args {
	uint32_t mode;          /* S_IF* type | permission bits */
	const void *attr;       /* NULL, or the type's attribute struct */
	const struct cred *cred;
};

/* The operations of a node. Every slot is filled: kfs_default_* give the right errno for
 * what a type does not support, so callers never test for NULL. */
struct kfs_ops {
	/* Find the child called name in a directory: a referenced node, or NULL. */
	struct kfs_node *(*lookup)(struct kfs_node *dir, const char *name);
	/* Prepare an open file (per-open state in f->priv). 0 or -errno. */
	int (*open)(struct kfs_node *n, struct file *f);
	/* Read into / write from b at f->offset (ops that have offsets advance it). Return the
	 * bytes moved or -errno. */
	long (*read)(struct file *f, struct iobuf *b);
	long (*write)(struct file *f, struct iobuf *b);
	/* The last reference to an open file is gone. */
	void (*close)(struct file *f);
	/* Fill the type-specific parts of st (size, extra); the generic parts are done. */
	void (*stat)(struct kfs_node *n, struct stat *st);
	/* The entry at position index of a directory: 0, -ENOENT past the end, or -errno. */
	int (*readdir)(struct kfs_node *dir, unsigned index, struct dirent *out);
	/* Make a child called name in a directory; *out gets a referenced node. */
	int (*create)(struct kfs_node *dir, const char *name, const struct kfs_create_args *a,
		      struct kfs_node **out);
	/* Remove child from dir (unlink or rmdir): the name goes now, the node at its last
	 * reference. */
	int (*remove)(struct kfs_node *dir, struct kfs_node *child);
	/* Readiness of an open file now (KFS_POLL_*). */
	unsigned (*poll)(struct file *f);
	/* Truncate to zero length (O_TRUNC). */
	int (*truncate)(struct kfs_node *n);
	/* The node is unlinked and unreferenced: free what priv points to. */
	void (*release)(struct kfs_node *n);
};

struct kfs_node {
	const struct kfs_ops *ops;
	uint64_t ino;
	void *priv;                     /* the object behind the node */

	/* Protected by lock. */
	struct spinlock lock;
	uint32_t mode;                  /* S_IF* type | permission bits */
	int uid, gid;

	/* Protected by kfs_tree_lock. */
	char name[NAME_MAX + 1];
	struct kfs_node *parent;        /* NULL for the root and for unlinked nodes */
	struct list_node children;      /* of a directory kept by KFS itself */
	struct list_node sibling;
	unsigned nlink_children;        /* number of children */
	bool unlinked;

	unsigned refs;                  /* atomic: kfs_get/kfs_put */
};

extern struct spinlock kfs_tree_lock;

/* Build the root and the standard directories (/dev, /bin, /etc, /tmp, /kfs, /ipc). */
void kfs_init(void);

/* The root directory (not referenced: it never goes away). */
struct kfs_node *kfs_root(void);

/* Resolve path from dir (used when path is relative) for cred: follows ".", "..",
 * repeated slashes; every directory on the way needs search (x) permission. Returns 0 with
 * a referenced *out, or -ENOENT, -ENOTDIR, -ENAMETOOLONG, -EACCES. An empty path is
 * -ENOENT. A trailing slash requires a directory. */
int kfs_resolve(struct kfs_node *dir, const char *path, const struct cred *cred,
		struct kfs_node **out);

/* Resolve all but the last component of path: *parent gets the referenced directory and
 * name the last component (which must not be "." or ".."). Same errors as kfs_resolve. */
int kfs_resolve_parent(struct kfs_node *dir, const char *path, const struct cred *cred,
		       struct kfs_node **parent, char name[NAME_MAX + 1]);

/* The one access check: may cred have `want` (KFS_MAY_* bits) on n? Owner, group, other
 * classes by the mode bits; root (uid 0) may read and write anything, and execute/search
 * anything that has at least one x bit. Returns 0 or -EACCES. */
int kfs_access(struct kfs_node *n, const struct cred *cred, unsigned want);

/* chmod/chown rules: only the owner or root may chmod; only root may chown. 0 or -EPERM. */
int kfs_chmod(struct kfs_node *n, const struct cred *cred, uint32_t perm);
int kfs_chown(struct kfs_node *n, const struct cred *cred, int uid, int gid);

/* unlink (dir false) and rmdir (dir true) of path, resolved from cwd for cred: cred needs
 * write and search permission on the directory, and in a sticky directory (/tmp, /ipc)
 * must own the entry or the directory or be root. The name goes through the directory's
 * remove operation. Returns 0, -EISDIR / -ENOTDIR (the wrong kind of node), -EPERM,
 * -EACCES, -ENOTEMPTY, or a lookup error. */
int kfs_remove(struct kfs_node *cwd, const char *path, const struct cred *cred, bool dir);

/* A new node (refs 1, not in the tree) with ops, mode and owner. NULL when out of memory. */
struct kfs_node *kfs_node_new(const struct kfs_ops *ops, uint32_t mode, int uid, int gid);

/* Put child into dir under name (dir must be a KFS-kept directory). -EEXIST if taken. */
int kfs_link(struct kfs_node *dir, const char *name, struct kfs_node *child);

/* The end of every create operation: link n, a node just made (NULL when making it ran
 * out of memory), into dir under name. On success *out keeps the caller's reference; on
 * failure n is dropped. Returns 0, -ENOMEM or -EEXIST. */
int kfs_link_new(struct kfs_node *dir, const char *name, struct kfs_node *n,
		 struct kfs_node **out);

/* Take child out of its directory (the name disappears at once). */
void kfs_unlink(struct kfs_node *child);

/* The same, for a caller that holds kfs_tree_lock and checks something first: returns
 * whether child was linked; the caller then drops the directory's reference (kfs_put)
 * after unlocking. Locks: kfs_tree_lock held. */
bool kfs_detach_locked(struct kfs_node *child);

/* Make a directory for a kernel subsystem (root-owned, mode 0755 unless given): the
 * referenced directory, or NULL. */
struct kfs_node *kfs_mkdir_kernel(struct kfs_node *dir, const char *name, uint32_t perm);

void kfs_get(struct kfs_node *n);
void kfs_put(struct kfs_node *n);

/* Fill st for n (generic fields, then ops->stat). */
void kfs_stat(struct kfs_node *n, struct stat *st);

/* The path of n from the root, into buf (at most n bytes). Returns its length or
 * -ENAMETOOLONG / -ENOENT (unlinked). */
long kfs_path(struct kfs_node *n, char *buf, size_t size);

/* Defaults for operations a type does not support. */
struct kfs_node *kfs_default_lookup(struct kfs_node *dir, const char *name);
int kfs_default_open(struct kfs_node *n, struct file *f);
long kfs_default_read(struct file *f, struct iobuf *b);
long kfs_default_write(struct file *f, struct iobuf *b);
void kfs_default_close(struct file *f);
void kfs_default_stat(struct kfs_node *n, struct stat *st);
int kfs_default_readdir(struct kfs_node *dir, unsigned index, struct dirent *out);
int kfs_default_create(struct kfs_node *dir, const char *name, const struct kfs_create_args *a,
		       struct kfs_node **out);
int kfs_default_remove(struct kfs_node *dir, struct kfs_node *child);
unsigned kfs_default_poll(struct file *f);
int kfs_default_truncate(struct kfs_node *n);
void kfs_default_release(struct kfs_node *n);

/* The directory operations of a KFS-kept directory (children list); a subsystem that keeps
 * its own directory can use some and replace others. */
extern const struct kfs_ops kfs_dir_ops;

#endif
