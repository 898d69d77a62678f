/* boot.S: x86_64 entry, from QEMU's PVH boot to C in the higher half.
 *
 * Why PVH: QEMU's -kernel loads an ELF64 image directly when it carries a Xen PVH note
 * (XEN_ELFNOTE_PHYS32_ENTRY), and enters it in 32-bit protected mode, paging off, with
 * %ebx pointing to a struct hvm_start_info holding the command line and the memory map.
 * Multiboot 1 would need an ELF32 image or an a.out-kludge header; PVH needs neither.
 *
 * What this code does (lab-guides/00-getting-started.md, "From reset to kmain"):
 *   1. clear .bss (page tables and the boot stack live there);
 *   2. build page tables mapping the first 1 GiB twice: identity (so the next instruction
 *      after enabling paging still exists) and at KERNEL_VMA (where the kernel is linked);
 *   3. enable PAE, long mode (EFER.LME) and paging; load a minimal GDT; far-jump to 64-bit;
 *   4. jump to the higher half, set the stack and call x86_64_start(start_info) in C. */
#define KERNEL_VMA 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_VMA)
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PTE_PRESENT_WRITE 0x3
#define PDE_HUGE_2M 0x83
#define CR0_PE_WP_PG 0x80010001
#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME_NXE 0x900

	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 4                         /* name size: "Xen\0" */
	.long 4                         /* descriptor size */
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.long PHYS(pvh_start)
	.popsection

	.section .boot.text, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	movl %ebx, %esi                 /* physical address of struct hvm_start_info */

	movl $PHYS(__bss_start), %edi   /* 1. clear .bss */
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl

	movl $PHYS(boot_pdpt_low) + PTE_PRESENT_WRITE, PHYS(boot_pml4)        /* 2. */
	movl $PHYS(boot_pdpt_high) + PTE_PRESENT_WRITE, PHYS(boot_pml4) + 511 * 8
	movl $PHYS(boot_pd) + PTE_PRESENT_WRITE, PHYS(boot_pdpt_low)
	movl $PHYS(boot_pd) + PTE_PRESENT_WRITE, PHYS(boot_pdpt_high) + 510 * 8
	movl $PHYS(boot_pd), %edi
	movl $PDE_HUGE_2M, %eax
	movl $512, %ecx
1:	movl %eax, (%edi)               /* 512 x 2 MiB = the first 1 GiB */
	addl $0x200000, %eax
	addl $8, %edi
	loop 1b

	movl %cr4, %eax                 /* 3. */
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME_NXE, %eax
	wrmsr
	movl %cr0, %eax
	orl $CR0_PE_WP_PG, %eax
	movl %eax, %cr0
	lgdt PHYS(boot_gdt_ptr)
	ljmp $0x08, $PHYS(pvh_long)

	.code64
pvh_long:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movabsq $pvh_higher, %rax       /* 4. */
	jmp *%rax
pvh_higher:
	leaq boot_stack_top(%rip), %rsp
	movl %esi, %edi                 /* zero-extends: the upper half is undefined here */
	xorl %ebp, %ebp                 /* the end of the frame-pointer chain for backtraces */
	call x86_64_start
2:	cli
	hlt
	jmp 2b

	.section .boot.data, "aw"
	.balign 8
boot_gdt:
	.quad 0                         /* null */
	.quad 0x00af9a000000ffff        /* 0x08: kernel code, 64-bit */
	.quad 0x00cf92000000ffff        /* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.section .boot.bss, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4096
	.globl boot_stack_top
boot_stack:
	.skip 16384
boot_stack_top:
