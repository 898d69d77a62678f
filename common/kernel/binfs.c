/* binfs.c: /bin and /etc (kernel/binfs.h). Each program image is a root-owned file of mode
 * 0555 whose contents are the ELF image itself; spawn() finds programs through these
 * nodes, so the execute permission of the file decides who may run it. The files of /etc
 * (demo scripts) are the same kind of node with mode 0444. */
#include <uapi/errno.h>
#include <kernel/binfs.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/panic.h>
#include <kernel/programs.h>

static long binfs_read(struct file *f, struct iobuf *b)
{
	const struct program *prog = f->node->priv;
	long n;

	spin_lock(&f->lock);
	n = iobuf_read_at(b, prog->image, prog->size, &f->offset);
	spin_unlock(&f->lock);
	return n;
}

static void binfs_stat(struct kfs_node *n, struct stat *st)
{
	st->st_size = ((const struct program *)n->priv)->size;
}

static const struct kfs_ops binfs_ops = {
	.lookup = kfs_default_lookup,
	.open = kfs_default_open,
	.read = binfs_read,
	.write = kfs_default_write,
	.close = kfs_default_close,
	.stat = binfs_stat,
	.readdir = kfs_default_readdir,
	.create = kfs_default_create,
	.remove = kfs_default_remove,
	.poll = kfs_default_poll,
	.truncate = kfs_default_truncate,
	.release = kfs_default_release,
};

const struct program *binfs_program(const struct kfs_node *n)
{
	return n->ops == &binfs_ops && (READ_ONCE(n->mode) & 0111) ? n->priv : NULL;
}

/* One node per entry of table, in dir, with mode. */
static void binfs_add_all(struct kfs_node *dir, const struct program *table, size_t count,
			  uint32_t mode)
{
	size_t i;

	for (i = 0; i < count; i++) {
		struct kfs_node *n = kfs_node_new(&binfs_ops, S_IFREG | mode, 0, 0);

		if (!n)
			panic("binfs: no memory for %s", table[i].name);
		n->priv = (void *)&table[i];
		kfs_link(dir, table[i].name, n);
		kfs_put(n);
	}
}

void binfs_init(struct kfs_node *bin, struct kfs_node *etc)
{
	const struct program *table;
	size_t count;

	table = program_table(&count);
	binfs_add_all(bin, table, count, 0555);
	table = etc_table(&count);
	binfs_add_all(etc, table, count, 0444);
}
