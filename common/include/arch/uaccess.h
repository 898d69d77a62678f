/* arch/uaccess.h: the arch interface for copying to and from user memory with the CPU's
 * own translation.
 *
 * mm/vm.c copies a system call's buffer this way when the buffer belongs to the address
 * space loaded on this CPU (the common case: a process reading or writing its own memory).
 * The CPU then checks each access against the page tables as it goes, so the copy needs
 * no page-table walk and no lock; an access the tables refuse (not mapped, or read-only
 * for a write) is a page fault, which the port's trap handler recognises by its pc as one
 * of this routine's and resumes at the routine's exit instead of reporting a kernel fault.
 * lab-guides/benchmarking.md, "Where the instructions go", tells why this matters. */
#ifndef ARCH_UACCESS_H
#define ARCH_UACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy n bytes from src to dst, one of which is a user address of the loaded address space
 * that vm_range_ok() has accepted, the other kernel memory. Returns the number of bytes
 * NOT copied: 0 on success, more when a page fault stopped the copy (then the bytes before
 * the faulting one have been copied). Never reports a kernel fault for the user side. */
size_t arch_user_copy(void *dst, const void *src, size_t n);

/* True when the CPU lets the kernel read (write false) or write (write true) the byte at
 * user address va of the loaded address space, asked of the CPU itself: by touching the
 * byte, a write without changing it even while another thread writes it (x86_64: `lock
 * orb $0`), with the same fault recovery as arch_user_copy(). */
bool arch_user_probe(uintptr_t va, bool write);

#endif
