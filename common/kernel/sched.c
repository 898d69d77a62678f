/* sched.c: per-CPU run queues, context switches, preemption (kernel/sched.h).
 *
 * Invariants (lab-guides/01-kernel-tour.md, "The scheduler"):
 *  - A RUNNABLE thread is either running (on_cpu) or on exactly one run queue, the one of
 *    CPU t->cpu. A BLOCKED or DEAD thread is on no run queue.
 *  - t->cpu, t->on_cpu and t->rq_link change only under the lock of the run queue of
 *    t->cpu (stealing holds both queues' locks). t->state changes under that lock too,
 *    except when the running thread itself gives up running (RUNNABLE -> BLOCKED in
 *    waitq_prepare, -> DEAD in thread_exit); such a thread is never preempted
 *    (sched_preempt_point), so it reaches sched_block() and the switch takes the lock.
 *  - A switch happens with the current CPU's run queue locked and interrupts off; the lock
 *    is released by the thread switched *to*, in sched_finish_switch(), once the previous
 *    thread's registers are saved. Only then may another CPU run the previous thread.
 *  - A thread that blocks stays on_cpu until that moment, so a wake-up that arrives while
 *    it is still going to sleep only marks it RUNNABLE, and the switching code puts it
 *    back on the queue instead of losing it. */
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <mm/page.h>
#include <mm/vm.h>
#include <uapi/errno.h>

struct runqueue {
	struct spinlock lock;            /* protects everything below, and see the top */
	struct list_node queue[NR_PRIOS];
	unsigned nr;                     /* threads on the queues (not the running one) */
	bool need_resched;               /* switch at the next preemption point */
	struct thread *prev;             /* the thread being switched out (finish_switch) */
};

static struct runqueue sched_rqs[MAX_CPUS];

static struct runqueue *sched_rq(unsigned cpu)
{
	return &sched_rqs[cpu];
}

/* Locks: rq->lock held. */
static void sched_enqueue(struct runqueue *rq, struct thread *t)
{
	kassert(spin_held(&rq->lock));
	list_add_tail(&rq->queue[t->prio], &t->rq_link);
	rq->nr++;
}

/* Take the first thread of the highest non-empty priority (skipping pinned threads when
 * movable_only: they may not leave their CPU), or NULL. Locks: rq->lock. */
static struct thread *sched_dequeue(struct runqueue *rq, bool movable_only)
{
	struct list_node *pos;
	unsigned p;

	kassert(spin_held(&rq->lock));
	for (p = 0; p < NR_PRIOS; p++) {
		list_for_each(pos, &rq->queue[p]) {
			struct thread *t = list_entry(pos, struct thread, rq_link);

			if (movable_only && t->affinity >= 0)
				continue;
			list_remove(&t->rq_link);
			rq->nr--;
			return t;
		}
	}
	return NULL;
}

/* An idle CPU takes a queued thread from another CPU. Only trylock is used on the other
 * queue, so two CPUs stealing from each other cannot deadlock. Locks: own rq->lock. */
static struct thread *sched_steal(unsigned self)
{
	unsigned i;

	for (i = 0; i < arch_cpu_count(); i++) {
		struct runqueue *victim = sched_rq(i);
		struct thread *t;

		if (i == self || READ_ONCE(victim->nr) == 0 || !spin_trylock(&victim->lock))
			continue;
		t = sched_dequeue(victim, true);
		if (t)
			t->cpu = self;
		spin_unlock(&victim->lock);
		if (t)
			return t;
	}
	return NULL;
}

/* Load next's address space if it is not the one already loaded (kernel threads run in
 * the kernel's tables, so a process's tables are never used after the process is gone). */
static void sched_switch_vm(struct thread *next)
{
	struct vm_space *vm = next->proc ? next->proc->vm : NULL;

	if (vm != cpu_self()->vm)
		vm_activate(vm);
}

static void sched_preempt_if_needed(unsigned cpu, struct runqueue *rq, struct thread *t);

/* Must t leave cpu when it is switched out: is it pinned to another CPU (it has just asked
 * for that CPU, sched_set_affinity)? */
static bool sched_must_move(const struct thread *t, unsigned cpu)
{
	return t->affinity >= 0 && (unsigned)t->affinity != cpu;
}

/* Queue the RUNNABLE thread t, just switched out of the CPU of rq, on the CPU it is pinned
 * to. t->cpu changes under the old queue's lock, and t stays on_cpu ("still being switched
 * out") until it is on the new queue, so it is never RUNNABLE, off every CPU and on no
 * queue: a wake-up meanwhile finds it RUNNABLE and does nothing, and no CPU steals it.
 * Locks: rq->lock held on entry and released; then takes the new queue's lock. */
static void sched_move(struct runqueue *rq, struct thread *t)
{
	unsigned cpu = (unsigned)t->affinity;
	struct runqueue *to = sched_rq(cpu);

	t->cpu = cpu;
	spin_unlock(&rq->lock);
	spin_lock(&to->lock);
	t->on_cpu = false;
	sched_enqueue(to, t);
	sched_preempt_if_needed(cpu, to, t);
	spin_unlock(&to->lock);
}

/* Complete a switch in the thread switched to: the previous thread is now off this CPU's
 * stack, so it may run elsewhere or be freed. Releases the run queue lock. */
static void sched_finish_switch(void)
{
	struct runqueue *rq = sched_rq(cpu_id());
	struct thread *prev = rq->prev;
	bool dead = prev->state == THREAD_DEAD;

	rq->prev = NULL;
	if (prev->state == THREAD_RUNNABLE && sched_must_move(prev, cpu_id())) {
		sched_move(rq, prev);
		return;
	}
	prev->on_cpu = false;
	spin_unlock(&rq->lock);
	if (dead)
		thread_put(prev); /* the reference the thread held on itself */
}

/* Switch from the current thread to next, which gets slice ticks to run. Locks: rq->lock
 * held on entry, released on return (by whichever thread finishes the switch). Inline in
 * both its callers: it is the heart of every switch. */
static __attribute__((always_inline)) inline void
sched_switch_to(struct cpu *c, struct runqueue *rq, struct thread *next, unsigned slice)
{
	struct thread *prev = c->current;
	uint64_t now = arch_clock_ns();

	prev->run_ns += now - prev->run_start_ns;
	next->run_start_ns = now;
	next->slice_ticks = slice;
	next->on_cpu = true;
	next->cpu = c->id;
	c->current = next;
	rq->prev = prev;
	if (next->stack)
		arch_set_kernel_stack((uintptr_t)next->stack + (PAGE_SIZE << THREAD_STACK_ORDER));
	sched_switch_vm(next);
	arch_context_switch(&prev->sp, next->sp);
	sched_finish_switch();
}

/* Pick what runs next on this CPU and switch to it. Interrupts must be off.
 * Locks: takes and releases this CPU's run queue lock. */
static void sched_schedule(void)
{
	struct cpu *c = cpu_self();
	struct runqueue *rq = sched_rq(c->id);
	struct thread *prev = c->current, *next;

	spin_lock(&rq->lock);
	rq->need_resched = false;
	if (prev != c->idle && prev->state == THREAD_RUNNABLE && !sched_must_move(prev, c->id))
		sched_enqueue(rq, prev); /* one that must move is queued by sched_finish_switch */
	next = sched_dequeue(rq, false);
	if (!next)
		next = sched_steal(c->id);
	if (!next)
		next = c->idle;
	if (next == prev) {
		spin_unlock(&rq->lock);
		return;
	}
	sched_switch_to(c, rq, next, SCHED_SLICE_TICKS);
}

void sched_block(void)
{
	unsigned long flags = arch_irq_save();

	sched_schedule();
	arch_irq_restore(flags);
}

unsigned sched_set_prio(unsigned prio)
{
	unsigned long flags = arch_irq_save();
	struct runqueue *rq = sched_rq(cpu_id());
	struct thread *self = cpu_self()->current;
	unsigned old;

	kassert(prio < NR_PRIOS);
	spin_lock(&rq->lock); /* t->prio is read under its queue's lock */
	old = self->prio;
	self->prio = prio;
	spin_unlock(&rq->lock);
	sched_schedule(); /* back on the queue at its new rank: the best thread runs */
	arch_irq_restore(flags);
	return old;
}

void sched_yield(void)
{
	sched_block(); /* the current thread is RUNNABLE, so it goes back on the queue */
}

/* Ask cpu to switch soon, because t became runnable there: when t outranks what runs. */
static void sched_preempt_if_needed(unsigned cpu, struct runqueue *rq, struct thread *t)
{
	struct thread *curr = cpus[cpu].current;

	if (curr != cpus[cpu].idle && t->prio >= curr->prio)
		return;
	rq->need_resched = true;
	if (cpu != cpu_id())
		arch_ipi_send(cpu, IPI_RESCHEDULE);
}

/* Lock the run queue of t's CPU, following t if it is stolen meanwhile. */
static inline struct runqueue *sched_lock_of(struct thread *t)
{
	for (;;) {
		unsigned cpu = READ_ONCE(t->cpu);
		struct runqueue *rq = sched_rq(cpu);

		spin_lock(&rq->lock);
		if (t->cpu == cpu)
			return rq;
		spin_unlock(&rq->lock); /* stolen meanwhile: follow it */
	}
}

/* Make the BLOCKED thread t RUNNABLE. Locks: rq->lock held, rq t's run queue. */
static inline void sched_make_runnable(struct runqueue *rq, struct thread *t)
{
	t->state = THREAD_RUNNABLE;
	if (!t->on_cpu) {
		sched_enqueue(rq, t);
		sched_preempt_if_needed(t->cpu, rq, t);
	}
}

void sched_wake(struct thread *t)
{
	struct runqueue *rq = sched_lock_of(t);

	if (t->state == THREAD_BLOCKED)
		sched_make_runnable(rq, t);
	spin_unlock(&rq->lock);
}

/* True when t sleeps sleep number sleep (the one a put-off wake-up is for): a thread that
 * has left that sleep is RUNNABLE, DEAD or BLOCKED in a later one, with a larger number
 * (waitq_prepare_locked counts them). Locks: the lock of t's run queue. */
static bool sched_still_asleep(const struct thread *t, unsigned sleep)
{
	return t->state == THREAD_BLOCKED && READ_ONCE(t->sleeps) == sleep;
}

void sched_wake_handoff(const struct sched_handoff *h)
{
	struct runqueue *rq = sched_lock_of(h->thread);

	if (sched_still_asleep(h->thread, h->sleep))
		sched_make_runnable(rq, h->thread);
	spin_unlock(&rq->lock);
	thread_put(h->thread);
}

void sched_handoff_here(struct sched_handoff *h)
{
	if (READ_ONCE(h->thread->cpu) != cpu_id()) {
		sched_wake_handoff(h);
		h->thread = NULL;
	}
}

/* Does a queued thread of rq outrank t (a smaller priority number)? Locks: rq->lock. */
static bool sched_outranked(struct runqueue *rq, const struct thread *t)
{
	unsigned p;

	for (p = 0; p < t->prio; p++)
		if (!list_empty(&rq->queue[p]))
			return true;
	return false;
}

/* LAB(kernel-core): the direct switch. Its conditions, under this CPU's run-queue lock:
 * the caller still BLOCKED (no wake-up came in the meantime) and no switch due here
 * already, and t still in the sleep it was taken from, on this CPU, free to run here and
 * not outranked. Then t is on no run queue and runs nowhere, so it goes from BLOCKED
 * straight to running here: no enqueue, no dequeue, one lock. The time slice goes with
 * it: two threads calling each other keep passing one slice, which runs out at the tick
 * like any other, so a third thread of their priority still gets its turn. */
void sched_block_to(const struct sched_handoff *h)
{
	unsigned long flags = arch_irq_save();
	struct cpu *c = cpu_self();
	struct runqueue *rq = sched_rq(c->id);
	struct thread *self = c->current, *t = h->thread;

	spin_lock(&rq->lock);
	if (likely(self->state == THREAD_BLOCKED && !rq->need_resched && t->cpu == c->id &&
		   sched_still_asleep(t, h->sleep) && !sched_must_move(t, c->id) &&
		   !sched_outranked(rq, t))) {
		kassert(!t->on_cpu); /* BLOCKED here, and this CPU runs the caller */
		t->state = THREAD_RUNNABLE;
		thread_put(t); /* never the last reference: t lives, it holds its own */
		c->direct_switches++;
		sched_switch_to(c, rq, t, self->slice_ticks);
	} else {
		spin_unlock(&rq->lock);
		sched_wake_handoff(h);
		sched_schedule();
	}
	arch_irq_restore(flags);
}

/* The online CPU with the fewest queued threads (a hint: read without locks). */
static unsigned sched_least_loaded(void)
{
	unsigned i, best = cpu_id();

	for (i = 0; i < arch_cpu_count(); i++)
		if (cpus[i].online && READ_ONCE(sched_rqs[i].nr) < READ_ONCE(sched_rqs[best].nr))
			best = i;
	return best;
}

void sched_add_new(struct thread *t)
{
	unsigned cpu = t->affinity >= 0 ? (unsigned)t->affinity : sched_least_loaded();
	struct runqueue *rq = sched_rq(cpu);

	spin_lock(&rq->lock);
	t->cpu = cpu;
	t->state = THREAD_RUNNABLE;
	sched_enqueue(rq, t);
	sched_preempt_if_needed(cpu, rq, t);
	spin_unlock(&rq->lock);
}

unsigned sched_pin_current(bool pin)
{
	unsigned long flags = arch_irq_save(); /* a running thread is never moved */
	struct thread *self = cpu_self()->current;
	unsigned cpu = cpu_id();

	self->affinity = pin ? (int)cpu : -1;
	arch_irq_restore(flags);
	return cpu;
}

/* Is cpu a CPU that runs threads? */
static bool sched_cpu_online(int cpu)
{
	return cpu >= 0 && (unsigned)cpu < arch_cpu_count() && READ_ONCE(cpus[cpu].online);
}

int sched_set_affinity(int cpu)
{
	unsigned long flags;
	int now;

	if (cpu != -1 && !sched_cpu_online(cpu))
		return -EINVAL;
	flags = arch_irq_save(); /* not preempted between the pin and the switch */
	cpu_self()->current->affinity = cpu;
	if (sched_must_move(cpu_self()->current, cpu_id()))
		sched_schedule(); /* returns on the new CPU (sched_move) */
	now = (int)cpu_id();
	arch_irq_restore(flags);
	return now;
}

/* True when another CPU has queued work this idle CPU could take. */
static bool sched_work_elsewhere(unsigned self)
{
	unsigned i;

	for (i = 0; i < arch_cpu_count(); i++)
		if (i != self && READ_ONCE(sched_rqs[i].nr) > 0)
			return true;
	return false;
}

void sched_tick(void)
{
	struct cpu *c = cpu_self();
	struct runqueue *rq = sched_rq(c->id);
	struct thread *curr = c->current;

	if (curr == c->idle) {
		if (READ_ONCE(rq->nr) || sched_work_elsewhere(c->id))
			rq->need_resched = true;
		return;
	}
	/* A slice that ran out stays out until the thread is switched out: a thread queued
	 * here later (same priority, so no preemption at its wake-up) gets the CPU at the
	 * next tick instead of waiting for ever behind a thread that never blocks. */
	if (curr->slice_ticks)
		curr->slice_ticks--;
	if (curr->slice_ticks == 0 && READ_ONCE(rq->nr))
		rq->need_resched = true;
}

void sched_preempt_point(void)
{
	unsigned long flags;

	/* Every system call passes here: the common answer, "no", is found without turning
	 * interrupts off. The flag read may be another CPU's if the thread moves meanwhile:
	 * a wrong "yes" is checked again below, a wrong "no" waits for the next tick. */
	if (!READ_ONCE(sched_rq(cpu_id())->need_resched))
		return;
	flags = arch_irq_save();

	/* Only a RUNNABLE thread is preempted. One that has just made itself BLOCKED
	 * (waitq_prepare) or DEAD is on its way into sched_block(): switching it out here,
	 * before its deadline is armed or its joiners are woken, would strand it. */
	if (READ_ONCE(sched_rq(cpu_id())->need_resched) &&
	    cpu_self()->current->state == THREAD_RUNNABLE)
		sched_schedule();
	arch_irq_restore(flags);
}

void sched_ipi_reschedule(void)
{
	sched_rq(cpu_id())->need_resched = true;
}

unsigned sched_queue_length(unsigned cpu)
{
	return READ_ONCE(sched_rqs[cpu].nr);
}

/* The idle thread: wait for an interrupt whenever there is nothing to run. A blocked
 * thread costs no CPU time: the CPU sleeps in arch_cpu_idle() until a tick or an IPI. */
static __noreturn void sched_idle_loop(void)
{
	for (;;) {
		arch_irq_disable();
		if (!READ_ONCE(sched_rq(cpu_id())->need_resched))
			arch_cpu_idle(); /* enables interrupts and halts, atomically */
		else
			sched_block();
	}
}

/* Make the code running now on this CPU a thread (it already has a stack). */
static struct thread *sched_adopt_current(const char *name, unsigned prio)
{
	struct cpu *c = cpu_self();
	struct thread *t = thread_alloc_adopted(name, prio);

	if (!t)
		panic("sched: no memory for the %s thread of CPU %u", name, c->id);
	t->state = THREAD_RUNNABLE;
	t->on_cpu = true;
	t->cpu = c->id;
	t->run_start_ns = arch_clock_ns();
	c->current = t;
	return t;
}

/* A fresh thread's first moments (arch_context_init points its stack here). */
static __noreturn void sched_thread_first_run(void)
{
	struct thread *self;

	sched_finish_switch();
	arch_irq_enable();
	self = thread_current();
	self->entry(self->arg);
	thread_exit(0);
}

/* Set up the run queue of the calling CPU. */
static void sched_init_rq(unsigned cpu)
{
	struct runqueue *rq = sched_rq(cpu);
	unsigned p;

	spin_init(&rq->lock, "runqueue", LOCK_ORDER_SCHED);
	for (p = 0; p < NR_PRIOS; p++)
		list_init(&rq->queue[p]);
}

/* CPU 0's idle thread is a fresh thread (CPU 0's boot code goes on as "main"). */
static void sched_idle_entry(void *arg)
{
	sched_idle_loop();
}

void sched_init(void)
{
	struct cpu *c = cpu_self();
	struct thread *idle;
	unsigned i;

	/* Every queue now, not as each CPU comes up: a CPU may look at another's queue
	 * (placement, stealing) as soon as that CPU is marked online. */
	for (i = 0; i < MAX_CPUS; i++)
		sched_init_rq(i);
	sched_adopt_current("main", PRIO_NORMAL);
	idle = thread_alloc("idle0", sched_idle_entry, NULL, PRIO_LOW);
	if (!idle)
		panic("sched: no memory for CPU 0's idle thread");
	idle->state = THREAD_RUNNABLE;
	idle->cpu = c->id;
	c->idle = idle;
	c->online = true;
}

void sched_run_cpu(void)
{
	struct cpu *c = cpu_self();

	c->idle = sched_adopt_current("idle", PRIO_LOW);
	c->online = true;
	sched_idle_loop();
}

/* The first function of every thread created by thread_alloc (kernel/thread.c). */
uintptr_t sched_prepare_stack(struct thread *t)
{
	return arch_context_init((uintptr_t)t->stack + (PAGE_SIZE << THREAD_STACK_ORDER),
				 sched_thread_first_run);
}
