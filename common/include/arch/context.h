/* arch/context.h: the arch interface for saving and resuming execution: kernel
 * setjmp/longjmp, switching between threads, and entering user mode. */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <stdint.h>
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

/* Switch threads: push the callee-saved registers on the current stack, store the stack
 * pointer in *from_sp, load to_sp, pop that thread's registers and return into it (from
 * its own call of arch_context_switch, or into its first function). Interrupts must be off. */
void arch_context_switch(uintptr_t *from_sp, uintptr_t to_sp);

/* Lay out a new thread's kernel stack so that the first arch_context_switch() to it calls
 * first() (which never returns) with interrupts still off. Returns the initial stack
 * pointer to pass as to_sp. */
uintptr_t arch_context_init(uintptr_t stack_top, void (*first)(void));

/* Leave the kernel for user mode on the current thread, for the first time: jump to pc
 * with stack pointer sp, arg0 and arg1 in the first two argument registers, interrupts on.
 * The thread comes back only through traps and system calls. */
__noreturn void arch_user_enter(uintptr_t pc, uintptr_t sp, uintptr_t arg0, uintptr_t arg1);

/* The stack the CPU switches to when a trap or system call arrives from user mode: the top
 * of the running thread's kernel stack. The scheduler sets it on every switch. */
void arch_set_kernel_stack(uintptr_t top);

#endif
