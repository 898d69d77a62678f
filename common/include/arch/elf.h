/* arch/elf.h: what the ELF loader needs to know about the architecture. */
#ifndef ARCH_ELF_H
#define ARCH_ELF_H

/* The e_machine value of this architecture's executables (EM_X86_64 = 62, EM_AARCH64 =
 * 183, EM_RISCV = 243). */
unsigned arch_elf_machine(void);

#endif
