/* waitq.c: sleeping until woken, with deadlines and kills (kernel/waitq.h).
 *
 * Who may touch a struct waiter: its thread, and a waker holding wq->guard (the queue's
 * own lock, or its owner's for a guarded queue). A waker that takes a waiter off the queue
 * marks it woken and makes its thread runnable, all under wq->guard; the sleeper always
 * takes wq->guard once more before returning, so its waiter (which lives on its stack) is
 * never used after it is gone. The functions without _locked take wq->guard themselves;
 * each is the _locked one inside a lock and unlock. */
#include <uapi/errno.h>
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kernel/panic.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/waitq.h>

void waitq_init(struct waitq *wq, const char *name)
{
	spin_init(&wq->lock, name, LOCK_ORDER_WAITQ);
	wq->guard = &wq->lock;
	list_init(&wq->waiters);
}

void waitq_init_guarded(struct waitq *wq, struct spinlock *guard)
{
	spin_init(&wq->lock, "guarded-waitq", LOCK_ORDER_WAITQ);
	wq->guard = guard;
	list_init(&wq->waiters);
}

void waitq_prepare_locked(struct waitq *wq, struct waiter *w)
{
	kassert(spin_held(wq->guard));
	w->thread = thread_current();
	w->woken = false;
	w->offer = NULL;
	w->handed = false;
	WRITE_ONCE(w->thread->sleeps, w->thread->sleeps + 1); /* before BLOCKED: see sleeps */
	WRITE_ONCE(w->thread->state, THREAD_BLOCKED);
	list_add_tail(&wq->waiters, &w->link);
}

void waitq_prepare(struct waitq *wq, struct waiter *w)
{
	spin_lock(wq->guard);
	waitq_prepare_locked(wq, w);
	spin_unlock(wq->guard);
}

/* Wake the first waiter. Locks: wq->guard held. */
static unsigned waitq_wake_first(struct waitq *wq)
{
	struct waiter *w;

	kassert(spin_held(wq->guard));
	if (list_empty(&wq->waiters))
		return 0;
	w = list_first_entry(&wq->waiters, struct waiter, link);
	list_remove(&w->link);
	w->woken = true;
	sched_wake(w->thread);
	return 1;
}

/* True when the calling thread should not go to sleep after all. */
static bool waitq_sleep_needless(const struct waiter *w, uint64_t deadline_ns)
{
	/* Pairs with the fence in thread_kill(): we published BLOCKED before reading the
	 * kill flag, the killer published the flag before reading our state. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return READ_ONCE(w->woken) || thread_killed() ||
	       (deadline_ns && arch_clock_ns() >= deadline_ns);
}

/* The sleep of waitq_sleep(): until woken, the deadline or a kill, unless one of them has
 * come already. w may still be on the queue afterwards (not for a wake-up). next, when
 * not NULL, is a wake-up put off until now (waitq_sleep_handed_locked). */
static void waitq_block(struct waiter *w, uint64_t deadline_ns,
			const struct sched_handoff *next)
{
	if (deadline_ns)
		timer_sleep_add(w->thread, deadline_ns);
	if (waitq_sleep_needless(w, deadline_ns)) {
		if (next)
			sched_wake_handoff(next);
		sched_wake(w->thread); /* back to RUNNABLE without switching away */
	} else if (next) {
		sched_block_to(next);
	} else {
		sched_block();
	}
	if (deadline_ns)
		timer_sleep_cancel(w->thread);
}

/* After waitq_block(): take w off the queue if no waker did, and say why the sleep ended.
 * Locks: wq->guard held. */
static int waitq_finish(struct waitq *wq, struct waiter *w)
{
	if (list_linked(&w->link)) {
		list_remove(&w->link);
		return thread_killed() ? -EINTR : -ETIMEDOUT;
	}
	if (thread_killed()) {
		waitq_wake_first(wq); /* pass the wake-up we got on: we will not use it */
		return -EINTR;
	}
	return 0;
}

int waitq_sleep(struct waitq *wq, struct waiter *w, uint64_t deadline_ns)
{
	int err;

	waitq_block(w, deadline_ns, NULL);
	spin_lock(wq->guard);
	err = waitq_finish(wq, w);
	spin_unlock(wq->guard);
	return err;
}

int waitq_sleep_locked(struct waitq *wq, struct waiter *w, uint64_t deadline_ns)
{
	kassert(spin_held(wq->guard));
	spin_unlock(wq->guard);
	waitq_block(w, deadline_ns, NULL);
	spin_lock(wq->guard);
	return waitq_finish(wq, w);
}

struct sched_handoff waitq_hand_over_locked(struct waitq *wq, struct waiter *w)
{
	struct sched_handoff h = { w->thread, READ_ONCE(w->thread->sleeps) };

	kassert(spin_held(wq->guard));
	list_remove(&w->link);
	w->woken = true;
	/* Asleep, the thread is alive; the reference keeps it so until the wake-up is done,
	 * whatever wakes it first (a kill may, and it may then end). */
	thread_get(h.thread);
	/* LAB(stage4): last, and with release order: a sleeper that sees it knows that every
	 * store into its offer is done and that this waker will not touch w again, so it may
	 * return without waiting for wq->guard (if a kill wakes it before its waker does). */
	__atomic_store_n(&w->handed, true, __ATOMIC_RELEASE);
	return h;
}

int waitq_sleep_handed_locked(struct waitq *wq, struct waiter *w,
			      const struct sched_handoff *next)
{
	kassert(spin_held(wq->guard));
	spin_unlock(wq->guard);
	waitq_block(w, 0, next);
	if (__atomic_load_n(&w->handed, __ATOMIC_ACQUIRE))
		return WAITQ_HANDED;
	/* Woken otherwise (a plain wake-up, a kill), or handed over since the test above:
	 * under the guard the answer is final. */
	spin_lock(wq->guard);
	if (w->handed) {
		spin_unlock(wq->guard);
		return WAITQ_HANDED;
	}
	return waitq_finish(wq, w);
}

void waitq_cancel(struct waitq *wq, struct waiter *w)
{
	spin_lock(wq->guard);
	if (list_linked(&w->link))
		list_remove(&w->link);
	spin_unlock(wq->guard);
	sched_wake(w->thread);
}

int waitq_wait_cond(struct waitq *wq, bool (*cond)(void *arg), void *arg, uint64_t deadline_ns)
{
	struct waiter w;
	int err;

	for (;;) {
		waitq_prepare(wq, &w);
		if (cond(arg)) {
			waitq_cancel(wq, &w);
			return 0;
		}
		err = waitq_sleep(wq, &w, deadline_ns);
		if (err)
			return cond(arg) ? 0 : err;
	}
}

/* After waking: if a woken thread outranks us on this CPU, let it run now rather than at
 * the next interrupt (not from interrupt handlers: they end in a preemption point). */
static void waitq_after_wake(unsigned n)
{
	if (n && arch_irqs_enabled())
		sched_preempt_point();
}

unsigned waitq_wake_one_locked(struct waitq *wq)
{
	return waitq_wake_first(wq);
}

unsigned waitq_wake_all_locked(struct waitq *wq)
{
	unsigned n = 0;

	while (waitq_wake_first(wq))
		n++;
	return n;
}

unsigned waitq_wake_one(struct waitq *wq)
{
	unsigned n;

	spin_lock(wq->guard);
	n = waitq_wake_one_locked(wq);
	spin_unlock(wq->guard);
	waitq_after_wake(n);
	return n;
}

unsigned waitq_wake_all(struct waitq *wq)
{
	unsigned n;

	spin_lock(wq->guard);
	n = waitq_wake_all_locked(wq);
	spin_unlock(wq->guard);
	waitq_after_wake(n);
	return n;
}

bool waitq_empty(struct waitq *wq)
{
	return list_empty(&wq->waiters);
}
