/* ramfs.c: RAM-backed ordinary files (kernel/ramfs.h). The data is one kmalloc'ed buffer
 * that doubles as the file grows; the node's lock protects it. Reads and writes copy
 * between it and the caller's buffer in one iobuf step each. */
#include <uapi/errno.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/ramfs.h>
#include <lib/string.h>
#include <mm/kmalloc.h>

struct ramfs_data {
	char *bytes;
	size_t size;      /* bytes in the file */
	size_t capacity;  /* bytes allocated */
};

/* Make room for at least need bytes. Locks: n->lock held. */
static int ramfs_reserve(struct ramfs_data *d, size_t need)
{
	size_t cap = d->capacity ? d->capacity : 64;
	char *bigger;

	if (need <= d->capacity)
		return 0;
	if (need > RAMFS_FILE_MAX)
		return -EFBIG;
	while (cap < need)
		cap *= 2;
	bigger = kmalloc(cap);
	if (!bigger)
		return -ENOMEM;
	memcpy(bigger, d->bytes, d->size);
	kfree(d->bytes);
	d->bytes = bigger;
	d->capacity = cap;
	return 0;
}

static long ramfs_read(struct file *f, struct iobuf *b)
{
	struct kfs_node *n = f->node;
	struct ramfs_data *d = n->priv;
	long got;

	spin_lock(&f->lock);
	spin_lock(&n->lock);
	got = iobuf_read_at(b, d->bytes, d->size, &f->offset);
	spin_unlock(&n->lock);
	spin_unlock(&f->lock);
	return got;
}

static long ramfs_write(struct file *f, struct iobuf *b)
{
	struct kfs_node *n = f->node;
	struct ramfs_data *d = n->priv;
	long err;

	spin_lock(&f->lock);
	spin_lock(&n->lock);
	if (f->flags & O_APPEND)
		f->offset = d->size;
	err = f->offset > RAMFS_FILE_MAX ? -EFBIG : ramfs_reserve(d, f->offset + b->len);
	if (!err && f->offset > d->size)
		memset(d->bytes + d->size, 0, f->offset - d->size); /* a hole reads as zeros */
	if (!err)
		err = iobuf_get(b, 0, d->bytes + f->offset, b->len);
	if (!err) {
		f->offset += b->len;
		if (f->offset > d->size)
			d->size = f->offset;
	}
	spin_unlock(&n->lock);
	spin_unlock(&f->lock);
	return err ? err : (long)b->len;
}

static void ramfs_stat(struct kfs_node *n, struct stat *st)
{
	struct ramfs_data *d = n->priv;

	spin_lock(&n->lock);
	st->st_size = d->size;
	spin_unlock(&n->lock);
}

static int ramfs_truncate(struct kfs_node *n)
{
	struct ramfs_data *d = n->priv;

	spin_lock(&n->lock);
	d->size = 0;
	spin_unlock(&n->lock);
	return 0;
}

static void ramfs_release(struct kfs_node *n)
{
	struct ramfs_data *d = n->priv;

	kfree(d->bytes);
	kfree(d);
}

static const struct kfs_ops ramfs_file_ops = {
	.lookup = kfs_default_lookup,
	.open = kfs_default_open,
	.read = ramfs_read,
	.write = ramfs_write,
	.close = kfs_default_close,
	.stat = ramfs_stat,
	.readdir = kfs_default_readdir,
	.create = kfs_default_create,
	.remove = kfs_default_remove,
	.poll = kfs_default_poll,
	.truncate = ramfs_truncate,
	.release = ramfs_release,
};

struct kfs_node *ramfs_file_new(uint32_t mode, int uid, int gid)
{
	struct ramfs_data *d = kmalloc(sizeof *d);
	struct kfs_node *n;

	if (!d)
		return NULL;
	n = kfs_node_new(&ramfs_file_ops, mode, uid, gid);
	if (!n) {
		kfree(d);
		return NULL;
	}
	n->priv = d;
	return n;
}
