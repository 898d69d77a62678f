/* trampoline.h: what trampoline.S and smp.c share: where the secondary CPUs' start code
 * runs, and the layout of the parameters smp.c leaves there for it. */
#ifndef X86_TRAMPOLINE_H
#define X86_TRAMPOLINE_H

/* The physical page the start code is copied to and run from. A start-up IPI names a page
 * below 1 MiB; this one lies in the first MiB, which mmu.c never gives to the allocator. */
#define TRAMP_PA 0x8000

/* Byte offsets in the parameter block at tramp_params. */
#define TRAMP_PARAM_CR3 0          /* u32: the trampoline's page tables, below 4 GiB */
#define TRAMP_PARAM_CPU 4          /* u32: the CPU number, ap_main()'s argument */
#define TRAMP_PARAM_KERNEL_CR3 8   /* u64: the kernel's page tables */
#define TRAMP_PARAM_STACK 16       /* u64: the stack ap_main() runs on */
#define TRAMP_PARAMS_SIZE 24

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <kernel/compiler.h>

struct tramp_params {
	uint32_t cr3;
	uint32_t cpu;
	uint64_t kernel_cr3;
	uint64_t stack_top;
};

/* The start code (trampoline.S): [tramp_start, tramp_end) is copied to TRAMP_PA. */
extern const char tramp_start[], tramp_params[], tramp_end[];

/* Where a secondary CPU enters C, on its own stack and the kernel's page tables (smp.c). */
__noreturn void ap_main(unsigned cpu);
#endif

#endif
