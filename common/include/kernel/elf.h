/* elf.h: loading a program image (ELF64 executable) into a user address space. */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H

#include <stddef.h>
#include <stdint.h>

struct vm_space;

/* Check that image[0..size) is a static ELF64 executable for this architecture whose
 * loadable segments all fit in the user half, map each segment into vm with its
 * permissions and copy its contents in. Returns 0 with *entry set, -ENOEXEC for anything
 * malformed, -ENOMEM or -EEXIST (overlapping segments). */
int elf_load(struct vm_space *vm, const unsigned char *image, size_t size, uintptr_t *entry);

#endif
