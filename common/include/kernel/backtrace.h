/* backtrace.h: naming code addresses and walking the stack, for panics and fault reports. */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include <stddef.h>
#include <stdint.h>
#include <arch/stack.h>

/* The function containing addr: its name, with *offset = addr - its start. NULL when addr is
 * outside every known function (the table is made at link time by mk/ksyms.awk). */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);

/* Print one line per frame, innermost first, starting at *start: "  #0 0x... name+0x1c". */
void backtrace_print(const struct arch_frame *start);

/* Fill pcs[] with the return addresses of the caller's frames (innermost first), at most n.
 * Returns how many were stored. Used by tests to check that the walk names the right code. */
size_t backtrace_collect(uintptr_t *pcs, size_t n);

#endif
