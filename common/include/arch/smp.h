/* arch/smp.h: the arch interface for several CPUs: who am I, starting the others, and
 * interrupting another CPU (inter-processor interrupts). */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

/* At most this many CPUs are used; more are left halted. */
#define MAX_CPUS 8

/* Why one CPU interrupts another; the receiver calls smp_ipi_handle(kind). */
enum ipi_kind {
	IPI_RESCHEDULE, /* a thread became runnable there: run the scheduler */
	IPI_TLB_FLUSH,  /* a mapping it may cache changed: flush (kernel/smp.c) */
	IPI_HALT,       /* the machine is stopping (panic): halt at once */
};

/* Record the generic per-CPU data of the calling CPU, so arch_cpu_self() finds it fast
 * (a register the CPU keeps per core: GS base, TPIDR_EL1, tp). Its first word is a
 * pointer to itself (struct cpu.self), so a port may read it with one load.
 *   void *arch_cpu_self(void);
 *   void *arch_cpu_current(void);  the calling CPU's struct cpu.current (the thread
 *                                  running here, at offset 24), safe with interrupts on:
 *                                  one load, or interrupts off around two
 * are static inline in the port's <port/inline.h> (see arch/cpu.h). */
void arch_cpu_set_self(void *percpu);
#include <port/inline.h>

/* How many CPUs the machine has (from ACPI / the device tree), at most MAX_CPUS. Valid
 * after arch_early_init(). */
unsigned arch_cpu_count(void);

/* Start CPU `cpu` (1 .. arch_cpu_count()-1) on the given stack; it sets up its own
 * descriptor tables, MMU and interrupt controller, then calls entry(cpu). Returns 0 once
 * the CPU is running, or -EIO when it did not come up. */
int arch_cpu_start(unsigned cpu, void *stack_top, void (*entry)(unsigned cpu));

/* Send an inter-processor interrupt of the given kind to one CPU. */
void arch_ipi_send(unsigned cpu, enum ipi_kind kind);

/* Called by the port when an IPI arrives (interrupts off). Generic, in kernel/smp.c. */
void smp_ipi_handle(enum ipi_kind kind);

#endif
