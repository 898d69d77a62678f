/* vectors.S: the 256 interrupt and exception entry stubs, and their common path.
 *
 * Every vector gets a 16-byte stub that makes the stack look the same for all of them
 * (a dummy error code where the CPU pushes none, then the vector number) and jumps to
 * trap_common, which saves the general registers as a struct trap_frame (trap_frame.h)
 * and calls x86_trap_dispatch(frame). idt.c points gate i at x86_vector_stubs + 16 * i. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

#include "regs.h"

	.text
	.balign 16
	.globl x86_vector_stubs
x86_vector_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if HAS_ERROR_CODE(vec) == 0
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

/* From user mode (the saved cs has RPL 3), swap in the kernel's GS base first, and swap it
 * back on the way out (see syscall.S). The saved cs is 24 bytes up: vector, error, rip. */
trap_common:
	testb $3, 24(%rsp)
	jz 1f
	swapgs
1:	push_gprs
	cld
	movq %rsp, %rdi
	call x86_trap_dispatch
	pop_gprs
	addq $16, %rsp                  /* vector number and error code */
	testb $3, 8(%rsp)               /* cs, now above rip */
	jz 2f
	swapgs
2:	iretq
