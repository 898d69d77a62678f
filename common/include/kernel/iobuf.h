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
struct iobuf iobuf_kernel(void *p, size_t len);
struct iobuf iobuf_user(struct vm_space *vm, uintptr_t uaddr, size_t len);

/* Copy n bytes from src into the buffer at offset off / from the buffer at off into dst.
 * The range must lie inside the buffer (checked: -EINVAL otherwise). Returns 0 or -EFAULT
 * (user memory not mapped or, for writes into it, not writable). */
int iobuf_put(struct iobuf *b, size_t off, const void *src, size_t n);
int iobuf_get(const struct iobuf *b, size_t off, void *dst, size_t n);

#endif
