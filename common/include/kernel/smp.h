/* kernel/smp.h: generic code for several CPUs. */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <stdint.h>

#define SMP_IPI_KINDS 3 /* the number of enum ipi_kind values (arch/smp.h) */

/* What one CPU has received from the others, for tests and statistics. */
struct smp_stats {
	uint64_t ipis[SMP_IPI_KINDS]; /* IPIs handled, by enum ipi_kind */
	uint64_t tlb_flushes;         /* user-TLB flushes done at another CPU's request */
};

/* Start every other CPU the machine has (arch_cpu_count()), each on a stack of its own,
 * wait until each is online, and print how many CPUs are. Called once by kmain() on the
 * boot CPU, which must be online already, after mm_init(). */
void smp_init(void);

/* Serve what other CPUs asked of the calling CPU and wait for: a TLB flush, or a halt after
 * a panic. For wait loops that spin with interrupts off (spinlocks), which the IPI that
 * brings such requests cannot interrupt. Costs a few loads when nothing is pending. */
void smp_poll(void);

/* Make every other online CPU flush its user-half TLB entries, and wait until each has.
 * Call with no spinlock held. */
void tlb_shootdown_others(void);

/* The same for one CPU, which may be the caller itself. Call with no spinlock held. */
void tlb_shootdown_cpu(unsigned cpu);

/* Ask CPU cpu (the caller too) to run fn(arg) from its interrupt handler, with interrupts
 * off, as soon as it takes interrupts. Returns once the request is posted, without waiting
 * for fn: fn tells the caller itself if the caller needs to know. Call with interrupts on
 * and no spinlock held (an earlier call to cpu may still occupy its request slot). */
void smp_call(unsigned cpu, void (*fn)(void *arg), void *arg);

/* Stop every other online CPU (IPI_HALT), without waiting for them. For panic(). When
 * another CPU is doing so already, the caller halts instead: one panic report is enough. */
void smp_halt_others(void);

/* A snapshot of what CPU cpu has received. */
void smp_stats(unsigned cpu, struct smp_stats *out);

#endif
