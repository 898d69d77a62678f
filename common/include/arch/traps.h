/* arch/traps.h: the arch interface for exceptions and interrupts (declarations only).
 *
 * Each port defines `struct trap_frame` (the registers its entry code saves) in its own
 * header and sends every exception through its handler, which describes kernel-mode faults
 * as a struct trap_info and passes them to trap_kernel_fault() (kernel/trap.h). */
#ifndef ARCH_TRAPS_H
#define ARCH_TRAPS_H

struct trap_frame;

/* Print the saved registers of tf, one short labelled line per group of registers. */
void arch_trap_dump(const struct trap_frame *tf);

/* Make the CPU fault on purpose, for tests of the exception path: an access to an address
 * that is never mapped (a page fault or data abort), and an undefined instruction. */
void arch_trigger_bad_access(void);
void arch_trigger_undefined(void);

#endif
