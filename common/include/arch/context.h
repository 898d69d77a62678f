/* arch/context.h: the arch interface for saving and resuming a point of execution. */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <kernel/compiler.h>

/* Enough room for the callee-saved registers, stack pointer, return address and interrupt
 * state of every port (x86_64 uses 9 slots, arm64 14, riscv64 15). */
struct arch_jmpbuf {
	unsigned long regs[16];
};

/* setjmp/longjmp for the kernel: arch_setjmp() saves the caller's point of execution and
 * returns 0; a later arch_longjmp(jb, v) returns from that arch_setjmp() again with v (never
 * 0). The frame of the arch_setjmp() caller must still be live. Interrupt state is restored
 * as it was at arch_setjmp(). Used to end a test early and to recover from a caught fault. */
int arch_setjmp(struct arch_jmpbuf *jb) __attribute__((returns_twice));
__noreturn void arch_longjmp(struct arch_jmpbuf *jb, int v);

#endif
