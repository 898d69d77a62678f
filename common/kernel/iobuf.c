/* iobuf.c: copies into and out of a buffer that is user or kernel memory (kernel/iobuf.h). */
#include <uapi/errno.h>
#include <kernel/iobuf.h>
#include <lib/string.h>
#include <mm/vm.h>

/* True when [off, off + n) lies inside b. */
static bool iobuf_fits(const struct iobuf *b, size_t off, size_t n)
{
	return off <= b->len && n <= b->len - off;
}

int iobuf_put(struct iobuf *b, size_t off, const void *src, size_t n)
{
	if (!iobuf_fits(b, off, n))
		return -EINVAL;
	if (!b->vm) {
		memcpy((char *)b->addr + off, src, n);
		return 0;
	}
	return copy_to_user(b->vm, b->addr + off, src, n);
}

int iobuf_get(const struct iobuf *b, size_t off, void *dst, size_t n)
{
	if (!iobuf_fits(b, off, n))
		return -EINVAL;
	if (!b->vm) {
		memcpy(dst, (const char *)b->addr + off, n);
		return 0;
	}
	return copy_from_user(b->vm, dst, b->addr + off, n);
}

long iobuf_read_at(struct iobuf *b, const void *data, size_t size, uint64_t *offset)
{
	size_t n = 0;
	int err;

	if (*offset < size)
		n = size - *offset < b->len ? size - *offset : b->len;
	err = iobuf_put(b, 0, (const char *)data + *offset, n);
	if (err)
		return err;
	*offset += n;
	return (long)n;
}
