/* textfile.c: snapshot text files (kernel/textfile.h). */
#include <uapi/errno.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/textfile.h>
#include <lib/fmt.h>
#include <mm/kmalloc.h>

struct textfile {
	void (*show)(struct textbuf *b, void *arg);
	void *arg;
};

void textbuf_printf(struct textbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->cut)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if ((size_t)n < b->size - b->len) {
		b->len += (size_t)n;
	} else {
		b->data[b->len] = '\0'; /* keep the text up to this piece, none of it */
		b->cut = true;
	}
}

/* Take the snapshot: the whole text, made now, kept with the open file. A text that does
 * not fit is made again in a larger buffer; past TEXTFILE_LIMIT it stays cut. */
static int textfile_open(struct kfs_node *n, struct file *f)
{
	struct textfile *tf = n->priv;
	struct textbuf *b = kmalloc(sizeof *b);
	size_t size = TEXTFILE_MAX;

	if (!b)
		return -ENOMEM;
	for (;;) {
		*b = (struct textbuf){ .data = kmalloc(size), .size = size };
		if (!b->data) {
			kfree(b);
			return -ENOMEM;
		}
		tf->show(b, tf->arg);
		if (!b->cut || size >= TEXTFILE_LIMIT)
			break;
		kfree(b->data);
		size *= 4;
	}
	f->priv = b;
	return 0;
}

static long textfile_read(struct file *f, struct iobuf *out)
{
	struct textbuf *b = f->priv;
	long n;

	spin_lock(&f->lock);
	n = iobuf_read_at(out, b->data, b->len, &f->offset);
	spin_unlock(&f->lock);
	return n;
}

static void textfile_close(struct file *f)
{
	struct textbuf *b = f->priv;

	kfree(b->data);
	kfree(b);
}

static void textfile_release(struct kfs_node *n)
{
	kfree(n->priv);
}

static const struct kfs_ops textfile_ops = {
	.lookup = kfs_default_lookup,
	.open = textfile_open,
	.read = textfile_read,
	.write = kfs_default_write,
	.close = textfile_close,
	.stat = kfs_default_stat,
	.readdir = kfs_default_readdir,
	.create = kfs_default_create,
	.remove = kfs_default_remove,
	.poll = kfs_default_poll,
	.truncate = kfs_default_truncate,
	.release = textfile_release,
};

int textfile_add(struct kfs_node *dir, const char *name,
		 void (*show)(struct textbuf *b, void *arg), void *arg)
{
	struct textfile *tf = kmalloc(sizeof *tf);
	struct kfs_node *n;
	int err;

	if (!tf)
		return -ENOMEM;
	n = kfs_node_new(&textfile_ops, S_IFREG | 0444, 0, 0);
	if (!n) {
		kfree(tf);
		return -ENOMEM;
	}
	tf->show = show;
	tf->arg = arg;
	n->priv = tf;
	err = kfs_link(dir, name, n);
	kfs_put(n);
	return err;
}
