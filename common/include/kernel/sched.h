/* sched.h: the scheduler: which runnable thread each CPU runs, and when it switches.
 *
 * Per-CPU run queues, one list per priority, each queue under its own lock (DESIGN.md:
 * no global lock on hot paths; a wake-up on one CPU never contends with another CPU's
 * switches). Round robin within a priority, with a time slice of SCHED_SLICE_TICKS timer
 * ticks; a higher-priority thread that becomes runnable preempts a lower one at once
 * (by an IPI when it is queued on another CPU). An idle CPU takes work from a busy one.
 * The reasons are in lab-guides/01-kernel-tour.md, "The scheduler". */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/compiler.h>

#define SCHED_HZ 100
#define SCHED_SLICE_TICKS 2

struct thread;

/* Turn the boot code into the first thread of CPU 0 and create CPU 0's idle thread. */
void sched_init(void);

/* A secondary CPU, once set up, enters the scheduler here and never leaves. */
__noreturn void sched_run_cpu(void);

/* Make a new thread runnable for the first time: on its affinity CPU if it has one,
 * else on the least loaded CPU. */
void sched_add_new(struct thread *t);

/* Make a BLOCKED thread runnable (nothing happens if it is not blocked). Safe from any
 * context, interrupts included. */
void sched_wake(struct thread *t);

/* A wake-up put off by a waker that is about to sleep itself (the fast path of a call,
 * kernel/waitq.h): the thread to wake, which the waker holds a reference on, and the
 * number of the sleep it was taken from (struct thread's sleeps). */
struct sched_handoff {
	struct thread *thread;
	unsigned sleep;
};

/* Keep the wake-up of h for a direct switch only when its thread last ran on this CPU (a
 * hint: sched_block_to checks again). On another CPU it can run at once, in parallel with
 * the waker: then wake it now (sched_wake_handoff), and h is left without a thread.
 * Locks: none held, as for sched_wake_handoff. */
void sched_handoff_here(struct sched_handoff *h);

/* Do the wake-up of h now, if its thread still sleeps that sleep (it may have been woken
 * by a kill meanwhile, and be anywhere since), and drop the reference. Locks: none held:
 * the thread may have ended meanwhile, and then the reference is the last one, whose
 * drop frees it (thread_free takes locks of lower order than any object's). */
void sched_wake_handoff(const struct sched_handoff *h);

/* sched_block() for a waker with a wake-up put off (h): switch straight to h's thread
 * when it still sleeps that sleep on this CPU and may run now (no queued thread outranks
 * it, it is not pinned elsewhere), giving it the rest of the caller's time slice (L4's
 * direct switch); otherwise wake it as sched_wake_handoff() and block as sched_block().
 * Either way the reference is dropped before the caller sleeps. */
void sched_block_to(const struct sched_handoff *h);

/* Keep the calling thread on the CPU it runs on now (affinity), or let it move again
 * (pin false). Returns that CPU. */
unsigned sched_pin_current(bool pin);

/* Run the calling thread only on cpu from now on, moving it there first if it runs on
 * another CPU; cpu -1 lets it run on any CPU again (SYS_affinity). Returns the CPU the
 * thread runs on when the call returns, or -EINVAL when cpu is neither -1 nor online. */
int sched_set_affinity(int cpu);

/* Give the calling thread priority prio (enum thread_prio), and let a thread that now
 * outranks it run. Returns the previous priority. */
unsigned sched_set_prio(unsigned prio);

/* Give up the CPU to another runnable thread of the same or higher priority. */
void sched_yield(void);

/* Switch away from the calling thread, which has made itself BLOCKED (waitq_prepare) or
 * DEAD. Returns when it is running again (never for DEAD). */
void sched_block(void);

/* Timer tick on this CPU (interrupts off): account the slice of the running thread. */
void sched_tick(void);

/* A preemption point: switch now if a switch is due (the time slice ran out, or a thread
 * of higher priority became runnable here). The port calls it on the way out of every
 * interrupt whose interrupted code had interrupts on (such code holds no spinlock), and
 * on the way back to user mode from a system call. */
void sched_preempt_point(void);

/* A reschedule IPI arrived (arch/smp.h). */
void sched_ipi_reschedule(void);

/* The initial stack pointer of a new thread t: its first switch-in runs t->entry(t->arg)
 * and then thread_exit(0). Used by thread_alloc(). */
uintptr_t sched_prepare_stack(struct thread *t);

/* Runnable threads on the queue of cpu (for tests and /kfs). */
unsigned sched_queue_length(unsigned cpu);

#endif
