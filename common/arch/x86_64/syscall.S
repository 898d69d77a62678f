/* syscall.S: the x86_64 system call entry (the `syscall` instruction) and the first
 * entry to user mode.
 *
 * `syscall` jumps to x86_syscall_entry (MSR LSTAR) in ring 0 with interrupts off (MSR
 * SFMASK), the user's rip in rcx and rflags in r11, and everything else as the user left
 * it: even the stack pointer is still the user's. So the entry swaps in the kernel's GS
 * base (swapgs), parks the user stack pointer in the per-CPU scratch slot, loads the
 * running thread's kernel stack, and builds the same struct trap_frame an interrupt would
 * (trap_frame.h), which generic code reads through arch_syscall_arg(). The per-CPU slots
 * are the first fields of struct cpu (kernel/percpu.h): %gs:8 is the kernel stack top,
 * %gs:16 the scratch slot. */
#define USER_CS 0x23
#define USER_DS 0x1b
#define SYSCALL_VECTOR 0x100    /* in trap_frame.vector: "this frame is a system call" */
#define RFLAGS_USER 0x202       /* IF on, and the always-one bit 1 */

#include "regs.h"

	.text
	.globl x86_syscall_entry
x86_syscall_entry:
	swapgs
	movq %rsp, %gs:16
	movq %gs:8, %rsp
	pushq $USER_DS                  /* ss */
	pushq %gs:16                    /* rsp */
	pushq %r11                      /* rflags */
	pushq $USER_CS                  /* cs */
	pushq %rcx                      /* rip */
	pushq $0                        /* error code */
	pushq $SYSCALL_VECTOR
	push_gprs
	movq %rsp, %rdi
	xorl %ebp, %ebp                 /* backtraces stop here, not in user memory */
	sti
	call syscall_dispatch
	cli
	pop_gprs
	addq $16, %rsp                  /* vector number and error code */
	movq 0(%rsp), %rcx              /* sysret returns to rcx ... */
	movq 16(%rsp), %r11             /* ... with rflags from r11 */
	movq 24(%rsp), %rsp
	swapgs
	sysretq

/* arch_user_enter(pc, sp, arg0, arg1): the first entry to user mode of a thread, through
 * iretq with a frame made by hand. General registers are cleared so nothing of the kernel
 * leaks to user space. */
	.globl arch_user_enter
arch_user_enter:
	cli
	pushq $USER_DS
	pushq %rsi
	pushq $RFLAGS_USER
	pushq $USER_CS
	pushq %rdi
	movq %rdx, %rdi
	movq %rcx, %rsi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	swapgs
	iretq
