/* iobuf.h: a buffer that is either user memory (of some address space) or kernel memory.
 *
 * Object read/write operations take a struct iobuf instead of a pointer, so one operation
 * serves system calls (user buffers, copied with copy_to_user/copy_from_user) and kernel
 * threads (kernel buffers, copied with memcpy) alike, without a second copy. */
#ifndef KERNEL_IOBUF_H
#define KERNEL_IOBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm_space;

struct iobuf {
	struct vm_space *vm;    /* user memory of this space; NULL: kernel memory */
	uintptr_t addr;         /* user address, or a kernel pointer as an integer */
	size_t len;
};

/* A kernel buffer / a user buffer of vm. */
static inline struct iobuf iobuf_kernel(void *p, size_t len)
{
	return (struct iobuf){ NULL, (uintptr_t)p, len };
}

static inline struct iobuf iobuf_user(struct vm_space *vm, uintptr_t uaddr, size_t len)
{
	return (struct iobuf){ vm, uaddr, len };
}

/* Copy n bytes from src into the buffer at offset off / from the buffer at off into dst.
 * The range must lie inside the buffer (checked: -EINVAL otherwise). Returns 0 or -EFAULT
 * (user memory not mapped or, for writes into it, not writable). */
int iobuf_put(struct iobuf *b, size_t off, const void *src, size_t n);
int iobuf_get(const struct iobuf *b, size_t off, void *dst, size_t n);

/* Copy out of an in-memory object of size bytes, at *offset: as much as fits in b and is
 * left after *offset, which advances by that much. Returns the bytes copied (0 at the
 * end) or -EFAULT. The caller holds whatever lock guards data and *offset. For the read
 * operation of objects kept in memory (RAM files, /bin images, /kfs snapshots). */
long iobuf_read_at(struct iobuf *b, const void *data, size_t size, uint64_t *offset);

#endif
