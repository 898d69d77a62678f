/* waitq.h: wait queues: how a thread sleeps until something happens, without losing a
 * wake-up that comes between checking the condition and going to sleep.
 *
 * The pattern (lab-guides/01-kernel-tour.md, "Sleeping and waking"), for a condition
 * protected by obj->lock:
 *
 *     struct waiter w;
 *     spin_lock(&obj->lock);
 *     while (!condition(obj)) {
 *             waitq_prepare(&obj->wq, &w);     // on the queue, state BLOCKED
 *             spin_unlock(&obj->lock);
 *             err = waitq_sleep(&obj->wq, &w, deadline_ns);  // 0, -ETIMEDOUT, -EINTR
 *             spin_lock(&obj->lock);
 *             if (err)
 *                     break;
 *     }
 *
 * and the waker changes the condition under obj->lock, then calls waitq_wake_one/all.
 * A wake-up between spin_unlock and waitq_sleep finds the thread already on the queue
 * and marks it runnable, so waitq_sleep returns at once instead of sleeping forever.
 *
 * A guarded queue (waitq_init_guarded) has no lock of its own: obj->lock protects it too.
 * Every sleep and wake of the pattern above holds obj->lock already, so this saves taking
 * and dropping the queue's own lock three times per sleep; the IPC channels do it
 * (lab-guides/benchmarking.md, "Where the instructions go"). Its functions end in
 * _locked, and waitq_sleep_locked() does the unlock and lock of the pattern itself:
 *
 *     waitq_prepare_locked(&obj->wq, &w);
 *     err = waitq_sleep_locked(&obj->wq, &w, deadline_ns);  // obj->lock held again */
#ifndef KERNEL_WAITQ_H
#define KERNEL_WAITQ_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/list.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>

struct thread;

struct waitq {
	struct spinlock lock;      /* the queue's own lock: unused when guarded */
	struct spinlock *guard;    /* protects waiters and each waiter's link and woken:
				    * &lock, or the owner's lock (waitq_init_guarded) */
	struct list_node waiters;  /* struct waiter, oldest first */
};

struct waiter {
	struct thread *thread;
	struct list_node link;
	bool woken;                /* removed from the queue by a waker (not a timeout/kill) */
	void *offer;               /* what the sleeper offers a waker that hands something
				    * over (waitq_hand_over_locked), or NULL: set after
				    * waitq_prepare_locked, read by wakers under wq->guard */
	bool handed;               /* set last by waitq_hand_over_locked(): see there */
};

#define WAITQ_INIT(wq, name) \
	{ .lock = SPINLOCK_INIT(name, LOCK_ORDER_WAITQ), .guard = &(wq).lock, \
	  .waiters = LIST_INIT((wq).waiters) }

void waitq_init(struct waitq *wq, const char *name);

/* A queue protected by guard, the lock of the condition its sleepers wait for. Use the
 * _locked functions below with it, holding guard, and no other. */
void waitq_init_guarded(struct waitq *wq, struct spinlock *guard);

/* Put the calling thread on wq and mark it BLOCKED; it keeps running until waitq_sleep. */
void waitq_prepare(struct waitq *wq, struct waiter *w);

/* Sleep until woken through wq, until deadline_ns (arch_clock_ns time; 0 = no deadline),
 * or until the thread is killed. Always leaves w off the queue. Returns 0 when woken,
 * -ETIMEDOUT or -EINTR. A wake-up that arrives together with a kill is passed on to the
 * next waiter, so killing a thread never loses another thread's wake-up. */
int waitq_sleep(struct waitq *wq, struct waiter *w, uint64_t deadline_ns);

/* Take w off wq without sleeping (the condition turned true after waitq_prepare) and
 * make the calling thread runnable again. */
void waitq_cancel(struct waitq *wq, struct waiter *w);

/* The whole pattern for a condition that needs no lock of its own: sleep on wq until
 * cond(arg) is true (checked after joining the queue, so a waker that makes it true and
 * then calls waitq_wake_* is never missed), the deadline passes or the thread is killed.
 * Returns 0, -ETIMEDOUT or -EINTR. */
int waitq_wait_cond(struct waitq *wq, bool (*cond)(void *arg), void *arg, uint64_t deadline_ns);

/* Wake the oldest waiter / every waiter. Return how many were woken. */
unsigned waitq_wake_one(struct waitq *wq);
unsigned waitq_wake_all(struct waitq *wq);

/* The same for a guarded queue. Locks: wq->guard held on entry and exit, except that
 * waitq_sleep_locked() drops it while asleep (after w is on the queue, so no wake-up is
 * lost) and takes it again before it returns. */
void waitq_prepare_locked(struct waitq *wq, struct waiter *w);
int waitq_sleep_locked(struct waitq *wq, struct waiter *w, uint64_t deadline_ns);
unsigned waitq_wake_one_locked(struct waitq *wq);
unsigned waitq_wake_all_locked(struct waitq *wq);

/* Hand-over: a waker that gives the sleeper everything it waits for (the IPC call's fast
 * path puts a reply in the sleeper's w->offer) can spare it taking wq->guard again after
 * the sleep. The waker fills in the offer, then calls waitq_hand_over_locked(), which takes
 * the sleeper off the queue and sets w->handed as its very last access to w; a sleeper in
 * waitq_sleep_handed_locked() that finds w->handed set may therefore return and free w at
 * once. The sleeper is woken later, by the waker's own sleep (see there).
 * lab-guides/stage4.md, "The fast path of a call". */

/* The oldest waiter of wq, or NULL. Locks: wq->guard held. Inline: the fast path of a
 * call asks it once per message. */
static inline struct waiter *waitq_first_locked(struct waitq *wq)
{
	return list_empty(&wq->waiters) ? NULL :
	       list_first_entry(&wq->waiters, struct waiter, link);
}

/* Take w, a waiter of wq, off the queue as handed over (see above), but leave its thread
 * asleep: the caller, about to sleep itself, passes the wake-up returned (the thread,
 * referenced) to waitq_sleep_handed_locked(), whose sleep switches straight to it
 * (sched_block_to), or does it with sched_wake_handoff(). Locks: wq->guard held. */
struct sched_handoff waitq_hand_over_locked(struct waitq *wq, struct waiter *w);

/* Sleep as waitq_sleep_locked(wq, w, 0) does, but return WAITQ_HANDED, with wq->guard not
 * held, when a waker handed something over; otherwise as waitq_sleep_locked (0 or -EINTR)
 * with wq->guard held again. next, when not NULL, is a wake-up this thread put off
 * (waitq_hand_over_locked): its sleep switches straight to that thread, or wakes it
 * first when there is no sleep after all. Locks: wq->guard held on entry. */
#define WAITQ_HANDED 1
int waitq_sleep_handed_locked(struct waitq *wq, struct waiter *w,
			      const struct sched_handoff *next);

/* True when nobody waits (a hint: may change as soon as it returns). */
bool waitq_empty(struct waitq *wq);

#endif
