/* gdt.c: the x86_64 global descriptor table and task state segment.
 *
 * In long mode segmentation is nearly gone, but the CPU still needs: code and data
 * descriptors for ring 0 and ring 3 (their order is fixed by the syscall/sysret
 * instructions: kernel code, kernel data, user data, user code), and a TSS, which holds the
 * stacks the CPU switches to on an interrupt from user mode (rsp0) and the separate
 * "interrupt stacks" (IST) for faults that may strike on a broken stack (double fault, NMI). */
#include <stdint.h>
#include <kernel/compiler.h>
#include "x86.h"

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_TSS 0x28
#define IST_STACK_SIZE 4096

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static struct tss gdt_tss;
static uint8_t gdt_ist_stacks[2][IST_STACK_SIZE] __aligned(16);

static uint64_t gdt_table[7] = {
	0,                  /* null */
	0x00af9a000000ffff, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffff, /* 0x10 kernel data */
	0x00cff2000000ffff, /* 0x18 user data (selector 0x1b with RPL 3) */
	0x00affa000000ffff, /* 0x20 user code, 64-bit (selector 0x23) */
	0, 0,               /* 0x28 TSS: a 16-byte descriptor, filled in by gdt_init() */
};

/* Fill the two GDT slots of the 64-bit TSS descriptor (type 0x9: available TSS). */
static void gdt_set_tss(uint64_t base, uint32_t limit)
{
	gdt_table[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		       ((uint64_t)(limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	gdt_table[6] = base >> 32;
}

/* Load the GDT, reload every segment register (cs through a far return), load the TSS. */
static void gdt_load(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} ptr = { sizeof gdt_table - 1, (uint64_t)gdt_table };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\tmovw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "movw %w2, %%fs\n\t"
			 "movw %w2, %%gs\n\t"
			 "ltr %w3"
			 : : "m"(ptr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
			 : "rax", "memory");
}

void gdt_init(void)
{
	gdt_tss.ist[0] = (uint64_t)&gdt_ist_stacks[0][IST_STACK_SIZE]; /* IST1: double fault */
	gdt_tss.ist[1] = (uint64_t)&gdt_ist_stacks[1][IST_STACK_SIZE]; /* IST2: NMI */
	gdt_tss.iomap_base = sizeof gdt_tss;                           /* no I/O bitmap */
	gdt_set_tss((uint64_t)&gdt_tss, sizeof gdt_tss - 1);
	gdt_load();
}
