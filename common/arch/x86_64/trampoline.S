/* trampoline.S: where a secondary CPU starts, and how it gets from 16-bit real mode to
 * 64-bit C (lab-guides/01-kernel-tour.md, "Starting the other CPUs").
 *
 * A start-up IPI wakes a CPU in real mode, as if just reset, running at physical page
 * TRAMP_PA (cs = TRAMP_PA >> 4, ip = 0). smp.c copies [tramp_start, tramp_end) there and
 * fills in tramp_params. The CPU then takes, in a few instructions, the steps that took
 * the boot CPU its firmware and boot.S:
 *   1. load a GDT and set CR0.PE: 32-bit protected mode;
 *   2. enable PAE, load the trampoline's page tables (CR3 takes only 32 bits here, so they
 *      must lie below 4 GiB), set EFER.LME (and NXE, as the kernel's tables use NX), then
 *      CR0.PG: long mode, running in 32-bit compatibility mode;
 *   3. a far jump to a 64-bit code segment;
 *   4. jump to ap_start64 in the kernel image, load the kernel's tables and the stack,
 *      and call ap_main(cpu).
 * Code copied elsewhere cannot use its link-time addresses, so every address below 4 is
 * computed as TRAMP_PA + offset in the copy (TRAMP_ADDR). The trampoline's page tables map
 * the first 2 MiB at their physical address, so that turning paging on does not pull the
 * code from under the CPU, plus the kernel half, where step 4 jumps to. */
#include "trampoline.h"

#define CR0_PE 0x1
#define CR0_PE_WP_PG 0x80010001
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME_NXE 0x900
#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18
#define TRAMP_ADDR(label) (TRAMP_PA + (label) - tramp_start)

	.section .rodata, "a"           /* only copied, never run where it is linked */
	.balign 16
	.globl tramp_start
	.code16
tramp_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	lgdtl tramp_gdt_ptr - tramp_start       /* 1. */
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $SEL_CODE32, $TRAMP_ADDR(tramp_32)

	.code32
tramp_32:
	movw $SEL_DATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl %cr4, %eax                         /* 2. */
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl TRAMP_ADDR(tramp_params) + TRAMP_PARAM_CR3, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME_NXE, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PE_WP_PG, %eax
	movl %eax, %cr0
	ljmpl $SEL_CODE64, $TRAMP_ADDR(tramp_64) /* 3. */

	.code64
tramp_64:
	movl TRAMP_ADDR(tramp_params) + TRAMP_PARAM_CPU, %edi       /* 4. */
	movq TRAMP_ADDR(tramp_params) + TRAMP_PARAM_STACK, %rsp
	movq TRAMP_ADDR(tramp_params) + TRAMP_PARAM_KERNEL_CR3, %rax
	movabsq $ap_start64, %rdx
	jmpq *%rdx

	.balign 8
tramp_gdt:
	.quad 0                                 /* null */
	.quad 0x00cf9a000000ffff                /* 0x08: code, 32-bit */
	.quad 0x00cf92000000ffff                /* 0x10: data */
	.quad 0x00af9a000000ffff                /* 0x18: code, 64-bit */
tramp_gdt_end:
tramp_gdt_ptr:
	.word tramp_gdt_end - tramp_gdt - 1
	.long TRAMP_ADDR(tramp_gdt)

	.balign 8
	.globl tramp_params
tramp_params:
	.skip TRAMP_PARAMS_SIZE
	.globl tramp_end
tramp_end:

	.text
/* In the kernel image, on the trampoline's tables, which map it too. After the switch to
 * the kernel's tables the identity map is gone, and with it the trampoline's GDT: no
 * segment register is loaded until ap_main() loads this CPU's own GDT. */
ap_start64:
	movq %rax, %cr3
	xorl %ebp, %ebp                         /* the end of the frame-pointer chain */
	call ap_main
1:	cli
	hlt
	jmp 1b
