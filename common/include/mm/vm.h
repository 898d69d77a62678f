/* mm/vm.h: user address spaces, and the only way the kernel touches user memory.
 *
 * A struct vm_space is one process's user half: a root page table (arch/mmu.h) and the
 * pages mapped in it, all owned by the space and freed with it. Its lock serialises
 * changes to the mappings, and with the copies into a space that is not loaded.
 *
 * copy_from_user() and friends are the only way to touch user memory. The range must lie
 * inside the user half without wrapping, and every page be mapped with user access
 * (writable, for copy_to_user). Into the space loaded on this CPU they copy through the
 * user address with arch_user_copy() (arch/uaccess.h), the CPU checking each page; into
 * any other they check the whole range in the page tables, then copy through the direct
 * map. Any failure is -EFAULT. */
#ifndef MM_VM_H
#define MM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/spinlock.h>

struct vm_space {
	struct spinlock lock;   /* protects the page tables' user half and the counters */
	uint64_t root;          /* physical address of the root page table */
	size_t pages;           /* user pages mapped (each owned by this space) */
};

/* Create an empty user address space. Returns NULL when out of memory. */
struct vm_space *vm_create(void);

/* Unmap and free every user page and the page tables, then the space itself. The space
 * must not be active on any CPU. */
void vm_destroy(struct vm_space *vm);

/* Map fresh zeroed pages over [va, va + len) (page-aligned) with prot (MMU_WRITE,
 * MMU_EXEC; MMU_USER is implied). Returns 0, -EINVAL (unaligned, outside the user half,
 * wraps), -EEXIST (a page there is mapped already: nothing is changed) or -ENOMEM
 * (nothing is left mapped). */
int vm_map_anon(struct vm_space *vm, uintptr_t va, size_t len, unsigned prot);

/* Unmap and free the pages of [va, va + len); pages not mapped are skipped. Flushes the
 * TLB of every CPU that may cache them. Returns 0 or -EINVAL. */
int vm_unmap(struct vm_space *vm, uintptr_t va, size_t len);

/* Switch the calling CPU to vm (NULL: the kernel's own tables). */
void vm_activate(struct vm_space *vm);

/* Copy between kernel memory and user memory of vm. Return 0 or -EFAULT (bad range, or a
 * page not mapped, not user, or, for copy_to_user, not writable); then nothing has been
 * copied, unless another thread unmapped part of the range meanwhile. */
int copy_from_user(struct vm_space *vm, void *dst, uintptr_t usrc, size_t n);
int copy_to_user(struct vm_space *vm, uintptr_t udst, const void *src, size_t n);

/* Copy into vm's user memory on the kernel's own behalf (loading a program): the same
 * checks as copy_to_user() except that the pages need not be writable by the user.
 * Returns 0 or -EFAULT. */
int vm_write_kernel(struct vm_space *vm, uintptr_t udst, const void *src, size_t n);

/* Copy a NUL-terminated string of at most max-1 characters into dst. Returns its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL comes within max bytes. */
long strncpy_from_user(struct vm_space *vm, char *dst, uintptr_t usrc, size_t max);

/* True when [va, va + len) lies inside the user half without wrapping. */
bool vm_range_ok(uintptr_t va, size_t len);

/* Check [va, va + len) as copy_from_user() (write false) or copy_to_user() (write true)
 * would, without copying: returns 0 or -EFAULT. For failing early, before a system call
 * changes anything; the copy itself checks again, as the space may change in between.
 * Takes no lock (one walk of the page tables per page). */
int vm_user_ok(struct vm_space *vm, uintptr_t va, size_t len, bool write);

#endif
