/* switch.S: switching kernel threads on x86_64 (arch/context.h).
 *
 * arch_context_switch(from_sp, to_sp) saves only what the C calling convention says a
 * callee must preserve (rbx, rbp, r12-r15): the caller-saved registers are already saved
 * by the C code that called us, if it needed them. The return address is on the stack
 * already, so "switching threads" is: push six registers, swap stack pointers, pop six
 * registers, ret. A new thread's stack is laid out by arch_context_init (context.c) to
 * look exactly like a thread that switched away, with its first function as the return
 * address. */
	.text
	.globl arch_context_switch
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
