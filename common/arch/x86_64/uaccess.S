/* uaccess.S: arch_user_copy() and arch_user_probe() for x86_64 (arch/uaccess.h).
 *
 * The copy goes eight bytes at a time with `rep movsq`, then the last 0-7 with `rep
 * movsb`. A string instruction that faults stops with rcx, rsi and rdi saying exactly how
 * far it got, so a page fault on the user side tells us how much is left. Interrupt and
 * system call entries clear the direction flag, so the copy goes upwards.
 *
 * Each instruction here that touches user memory has a label, and trap.c's table
 * x86_user_fixups pairs it with the label where a page fault on it resumes.
 *
 * The kernel leaves SMAP off (CR4.SMAP: supervisor accesses to user pages fault). A
 * kernel that turns it on must open each of these accesses with `stac` and close it with
 * `clac`, and then only these instructions may touch user memory at all. */

	.text
	.globl arch_user_copy
	.type arch_user_copy, @function
arch_user_copy:                         /* rdi dst, rsi src, rdx n */
	movq %rdx, %rcx
	shrq $3, %rcx
	andl $7, %edx
	.globl x86_user_copy_quads
x86_user_copy_quads:
	rep movsq
	movl %edx, %ecx
	.globl x86_user_copy_bytes
x86_user_copy_bytes:
	rep movsb
	xorl %eax, %eax
	ret

/* rcx quads (and the rdx odd bytes) were left. */
	.globl x86_user_copy_quads_fault
x86_user_copy_quads_fault:
	leaq (%rdx, %rcx, 8), %rax
	ret

/* rcx bytes were left. */
	.globl x86_user_copy_bytes_fault
x86_user_copy_bytes_fault:
	movq %rcx, %rax
	ret
	.size arch_user_copy, . - arch_user_copy

	.globl arch_user_probe
	.type arch_user_probe, @function
arch_user_probe:                        /* rdi va, esi write */
	testl %esi, %esi
	jnz 1f
	.globl x86_user_probe_read
x86_user_probe_read:
	movb (%rdi), %al
	movl $1, %eax
	ret
1:
	.globl x86_user_probe_write
x86_user_probe_write:
	lock orb $0, (%rdi)             /* a locked write of the same byte: no update lost */
	movl $1, %eax
	ret

	.globl x86_user_probe_fault
x86_user_probe_fault:
	xorl %eax, %eax
	ret
	.size arch_user_probe, . - arch_user_probe
