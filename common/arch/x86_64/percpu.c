/* percpu.c: finding the calling CPU's struct cpu on x86_64 (arch/smp.h).
 *
 * Each core has its own GS base register (MSR 0xc0000101). We keep the address of the
 * core's struct cpu there, so arch_cpu_self() is one load through %gs: no table lookup by
 * APIC id and no lock. The kernel never loads %gs with a selector after boot (gdt.c leaves
 * it alone), since a selector load would reset the base to the descriptor's base, 0. The
 * entry code (vectors.S, syscall.S) uses swapgs to keep user and kernel GS bases apart. */
#include <stdint.h>
#include <arch/smp.h>
#include "x86.h"

#define MSR_GS_BASE 0xc0000101

/* Store this core's struct cpu address in its GS base. */
void arch_cpu_set_self(void *percpu)
{
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)percpu);
}

/* Reading it back, arch_cpu_self(), is one %gs-relative load (no rdmsr, which is slow),
 * inline in include/port/inline.h. */
