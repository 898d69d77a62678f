/* devfs.c: the devices of /dev (kernel/devfs.h). Each device is a node whose operations
 * are the device: /dev/console reads lines from the console's line discipline and writes
 * to the console; /dev/null swallows writes and reads as end of file; /dev/zero reads as
 * zeros. */
#include <uapi/errno.h>
#include <kernel/console.h>
#include <kernel/devfs.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <lib/string.h>

#define DEVFS_CHUNK 256 /* bytes moved per step through a kernel buffer */

static long devfs_console_read(struct file *f, struct iobuf *b)
{
	char chunk[DEVFS_CHUNK];
	long got = console_read(chunk, b->len < sizeof chunk ? b->len : sizeof chunk,
				f->flags & O_NONBLOCK);

	if (got > 0 && iobuf_put(b, 0, chunk, (size_t)got))
		return -EFAULT;
	return got;
}

static long devfs_console_write(struct file *f, struct iobuf *b)
{
	char chunk[DEVFS_CHUNK];
	size_t done, n;

	for (done = 0; done < b->len; done += n) {
		n = b->len - done < sizeof chunk ? b->len - done : sizeof chunk;
		if (iobuf_get(b, done, chunk, n))
			return done ? (long)done : -EFAULT;
		console_write(chunk, n);
	}
	return (long)done;
}

static long devfs_null_read(struct file *f, struct iobuf *b)
{
	return 0;
}

static long devfs_null_write(struct file *f, struct iobuf *b)
{
	return (long)b->len;
}

static long devfs_zero_read(struct file *f, struct iobuf *b)
{
	static const char zeros[DEVFS_CHUNK];
	size_t done, n;

	for (done = 0; done < b->len; done += n) {
		n = b->len - done < sizeof zeros ? b->len - done : sizeof zeros;
		if (iobuf_put(b, done, zeros, n))
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/* The operations every device shares, with its own read and write. */
#define DEVFS_OPS(rd, wr) { \
	.lookup = kfs_default_lookup, .open = kfs_default_open, .read = (rd), \
	.write = (wr), .close = kfs_default_close, .stat = kfs_default_stat, \
	.readdir = kfs_default_readdir, .create = kfs_default_create, \
	.remove = kfs_default_remove, .poll = kfs_default_poll, \
	.truncate = kfs_default_truncate, .release = kfs_default_release }

static const struct kfs_ops devfs_console_ops = DEVFS_OPS(devfs_console_read, devfs_console_write);
static const struct kfs_ops devfs_null_ops = DEVFS_OPS(devfs_null_read, devfs_null_write);
static const struct kfs_ops devfs_zero_ops = DEVFS_OPS(devfs_zero_read, devfs_null_write);

/* Make one device node, root-owned, read/write for everyone. */
static void devfs_add(struct kfs_node *dir, const char *name, const struct kfs_ops *ops)
{
	struct kfs_node *n = kfs_node_new(ops, S_IFCHR | 0666, 0, 0);

	if (n) {
		kfs_link(dir, name, n);
		kfs_put(n);
	}
}

void devfs_init(struct kfs_node *dir)
{
	devfs_add(dir, "console", &devfs_console_ops);
	devfs_add(dir, "null", &devfs_null_ops);
	devfs_add(dir, "zero", &devfs_zero_ops);
}
