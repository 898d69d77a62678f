/* thread.h: kernel threads, the unit the scheduler runs.
 *
 * Every thread has its own kernel stack. A kernel thread runs only kernel code; a user
 * thread (proc != NULL) runs in its process's address space and enters the kernel through
 * traps and system calls, on the same kernel stack. Threads are reference-counted: the
 * thread holds one reference while it lives, and thread_create() gives the creator one
 * for thread_join(); the last thread_put() frees the stack and the struct. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/cpu.h>
#include <kernel/list.h>
#include <kernel/percpu.h>
#include <kernel/waitq.h>

#define THREAD_STACK_ORDER 2 /* 16 KiB kernel stacks */
#define THREAD_NAME_MAX 16

enum thread_state {
	THREAD_RUNNABLE, /* on a run queue, or running */
	THREAD_BLOCKED,  /* waiting: on a wait queue and/or the timer list */
	THREAD_DEAD,     /* finished; waiting to be joined and freed */
};

/* Scheduling priorities: a runnable thread of a smaller number always runs before one of a
 * larger number; threads of equal priority take turns (round robin). */
enum thread_prio {
	PRIO_HIGH,
	PRIO_NORMAL,
	PRIO_LOW,
	NR_PRIOS,
};

struct process;

struct thread {
	/* Constant after creation. */
	unsigned tid;
	char name[THREAD_NAME_MAX];
	void *stack;                 /* base of the kernel stack (page_alloc) */
	struct process *proc;        /* NULL for kernel threads */
	void (*entry)(void *arg);
	void *arg;

	/* Protected by the run queue lock of CPU `cpu` (kernel/sched.c). */
	uintptr_t sp;                /* saved stack pointer while switched out */
	enum thread_state state;
	unsigned prio;
	unsigned cpu;                /* the CPU whose run queue holds it / it last ran on */
	int affinity;                /* the only CPU it may run on, or -1 for any */
	bool on_cpu;                 /* running now, or still being switched out */
	struct list_node rq_link;

	/* Written only by the CPU running the thread. */
	uint64_t run_ns;             /* CPU time consumed */
	uint64_t run_start_ns;       /* when it was last switched in */
	unsigned slice_ticks;        /* ticks left in its time slice */

	/* Protected by the timer lock (kernel/timer.c). */
	uint64_t wake_at_ns;         /* deadline of a timed sleep; 0 if none */
	struct list_node timer_link;

	/* A user thread's first entry to user mode (set before it starts). */
	uintptr_t user_pc, user_sp, user_arg[2];

	unsigned sleeps;             /* sleeps begun: written by the thread itself before it
				      * is BLOCKED (waitq_prepare_locked), so a put-off wake-up
				      * can tell its sleep from a later one (sched_block_to) */
	bool kill_pending;           /* set by thread_kill; read with READ_ONCE */
	int exit_code;               /* valid once DEAD */
	struct waitq exit_wq;        /* joiners wait here for DEAD */
	unsigned refs;               /* atomic: thread_get/thread_put */
	struct list_node all_link;   /* every thread: protected by thread_list_lock */
	struct list_node proc_link;  /* the threads of proc: protected by proc->lock */
};

/* Create a kernel thread that runs entry(arg) at priority prio, and make it runnable.
 * Returns it with a reference for the caller (drop it with thread_join or thread_put),
 * or NULL when out of memory. */
struct thread *thread_create(const char *name, void (*entry)(void *), void *arg, unsigned prio);

/* The same, without making it runnable: for process code that must finish setting the
 * thread up first. Start it with thread_start(). */
struct thread *thread_alloc(const char *name, void (*entry)(void *), void *arg, unsigned prio);
void thread_start(struct thread *t);

/* A thread for code that already runs on a stack of its own (a CPU's boot code). For the
 * scheduler only. */
struct thread *thread_alloc_adopted(const char *name, unsigned prio);

/* End the calling thread with code; wakes its joiners. Never returns. */
__attribute__((noreturn)) void thread_exit(int code);

/* Wait for t to end and be switched out for good, then drop the caller's reference,
 * which must be the last one besides the thread's own: t is freed before this returns.
 * Returns 0 with *code (if code is not NULL) set to t's exit code, or -EINTR when the
 * calling thread is killed while waiting (the reference is kept then). */
int thread_join(struct thread *t, int *code);

/* Ask t to end: its blocking waits return -EINTR, and a user thread exits at its next
 * return to user mode. */
void thread_kill(struct thread *t);


/* Take and drop a reference (struct thread's refs); the last thread_put() frees t. Inline,
 * but for the freeing: a call's fast path takes one per message (kernel/waitq.h). */
void thread_free(struct thread *t);

static inline void thread_get(struct thread *t)
{
	__atomic_fetch_add(&t->refs, 1, __ATOMIC_RELAXED);
}

static inline void thread_put(struct thread *t)
{
	if (__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0)
		thread_free(t);
}

/* The thread running on this CPU. Inline, and one load (arch_cpu_current): a system call
 * asks several times. */
static inline struct thread *thread_current(void)
{
	return arch_cpu_current();
}

/* True when the calling thread has been asked to end. */
static inline bool thread_killed(void)
{
	return __atomic_load_n(&thread_current()->kill_pending, __ATOMIC_SEQ_CST);
}

/* Number of threads alive (for leak tests). */
unsigned thread_count(void);

#endif
