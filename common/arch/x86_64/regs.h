/* regs.h: saving and restoring the general registers in the order of struct trap_frame
 * (trap_frame.h), for the two entry paths that build one: vectors.S (interrupts and
 * exceptions) and syscall.S (system calls). Assembler macros, for .S files only. */
#ifndef X86_REGS_H
#define X86_REGS_H

/* The last push, r15, ends up at the lowest address: the first field of the frame. */
.macro push_gprs
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro pop_gprs
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

#endif
