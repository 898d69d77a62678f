/* percpu.h: the data each CPU keeps for itself.
 *
 * struct cpu is reached through cpu_self() (a per-core register, arch/smp.h), so it needs
 * no lock as long as the thread cannot move to another CPU in the middle: read or change
 * your own struct cpu with interrupts off (or holding a spinlock, which turns them off).
 * The one exception is current, which the port reads in one instruction
 * (arch_cpu_current, for thread_current()): a move cannot come inside one. */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/smp.h>

#define LOCK_DEPTH_MAX 16

struct thread;
struct trap_catch;
struct vm_space;

struct cpu {
	/* Read by the ports' code at fixed offsets: keep these first, in this order. */
	struct cpu *self;                  /* 0: this struct (x86_64 reads it as %gs:0) */
	uintptr_t kernel_sp;               /* 8: top of the running thread's kernel stack */
	uintptr_t scratch;                 /* 16: the system call entry's scratch slot */
	struct thread *current;            /* 24: the thread running here (arch_cpu_current) */

	unsigned id;                       /* 0 .. arch_cpu_count()-1; 0 boots first */
	bool online;
	struct thread *idle;               /* runs when nothing else can */
	struct vm_space *vm;               /* the address space loaded (NULL: the kernel's) */
	/* Spinlocks held by this CPU, innermost last: recursion and order checks. */
	const struct spinlock *held[LOCK_DEPTH_MAX];
	unsigned nr_held;
	struct trap_catch *catch;          /* innermost trap_catch_run() on this CPU */
	uint64_t ticks;                    /* timer ticks taken on this CPU */
	uint64_t direct_switches;          /* switches straight to a woken thread
					    * (sched_block_to), under the run-queue lock */
	uint64_t idle_ns;                  /* time spent in the idle thread */
};

_Static_assert(__builtin_offsetof(struct cpu, current) == 24,
	       "the ports' arch_cpu_current() (<port/inline.h>) reads current at offset 24");

extern struct cpu cpus[MAX_CPUS];

/* Set up cpus[id] for the calling CPU and make cpu_self() find it. The first call on
 * each CPU, before it takes any spinlock. */
void percpu_init(unsigned id);

/* The calling CPU's struct cpu. Valid from kmain() on. */
static inline struct cpu *cpu_self(void)
{
	return (struct cpu *)arch_cpu_self();
}

/* The calling CPU's number. */
static inline unsigned cpu_id(void)
{
	return cpu_self()->id;
}

#endif
