/* gdt.c: the x86_64 global descriptor table and task state segment.
 *
 * In long mode segmentation is nearly gone, but the CPU still needs: code and data
 * descriptors for ring 0 and ring 3 (their order is fixed by the syscall/sysret
 * instructions: kernel code, kernel data, user data, user code), and a TSS, which holds the
 * stacks the CPU switches to on an interrupt from user mode (rsp0) and the separate
 * "interrupt stacks" (IST) for faults that may strike on a broken stack (double fault, NMI).
 *
 * Every CPU has its own GDT, TSS and IST stacks (struct gdt_cpu). The TSS cannot be shared:
 * two CPUs taking a double fault at once would run on the same IST stack, and loading a
 * TSS marks its descriptor busy, so a second CPU's ltr of the same descriptor would fault.
 * A whole GDT per CPU (7 entries) is simpler than one GDT with a TSS slot per CPU. */
#include <stdint.h>
#include <arch/smp.h>
#include <kernel/compiler.h>
#include <kernel/percpu.h>
#include <lib/string.h>
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

/* One CPU's descriptor tables. No lock: only the CPU itself writes its entry, in
 * gdt_init() while it starts. */
struct gdt_cpu {
	uint64_t table[7];
	struct tss tss;
	uint8_t ist_stacks[2][IST_STACK_SIZE] __aligned(16);
};

static struct gdt_cpu gdt_cpus[MAX_CPUS];

static const uint64_t gdt_template[7] = {
	0,                  /* null */
	0x00af9a000000ffff, /* 0x08 kernel code, 64-bit */
	0x00cf92000000ffff, /* 0x10 kernel data */
	0x00cff2000000ffff, /* 0x18 user data (selector 0x1b with RPL 3) */
	0x00affa000000ffff, /* 0x20 user code, 64-bit (selector 0x23) */
	0, 0,               /* 0x28 TSS: a 16-byte descriptor, filled in by gdt_set_tss() */
};

/* Fill the two GDT slots of the 64-bit TSS descriptor (type 0x9: available TSS). */
static void gdt_set_tss(uint64_t *table, uint64_t base, uint32_t limit)
{
	table[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		   ((uint64_t)(limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	table[6] = base >> 32;
}

/* Load the GDT, reload cs (through a far return), ds, es and ss, then load the TSS. fs and gs
 * are left alone: loading a selector into them would zero their base registers, and the GS
 * base holds this CPU's struct cpu (percpu.c). */
static void gdt_load(const struct gdt_cpu *g)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} ptr = { sizeof g->table - 1, (uint64_t)g->table };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\tmovw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "ltr %w3"
			 : : "m"(ptr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
			 : "rax", "memory");
}

void gdt_init(unsigned cpu)
{
	struct gdt_cpu *g = &gdt_cpus[cpu];

	memcpy(g->table, gdt_template, sizeof g->table);
	g->tss.ist[0] = (uint64_t)&g->ist_stacks[0][IST_STACK_SIZE]; /* IST1: double fault */
	g->tss.ist[1] = (uint64_t)&g->ist_stacks[1][IST_STACK_SIZE]; /* IST2: NMI */
	g->tss.iomap_base = sizeof g->tss;                           /* no I/O bitmap */
	gdt_set_tss(g->table, (uint64_t)&g->tss, sizeof g->tss - 1);
	gdt_load(g);
}

void x86_tss_set_rsp0(uint64_t top)
{
	gdt_cpus[cpu_id()].tss.rsp[0] = top;
}
