/* timer.c: the timer tick and timed sleeps (kernel/timer.h, arch/timer.h). */
#include <uapi/errno.h>
#include <arch/timer.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/timer.h>

static struct spinlock timer_lock = SPINLOCK_INIT("timer", LOCK_ORDER_TIMER);
/* Threads with a deadline, earliest first: struct thread.timer_link, under timer_lock. */
static struct list_node timer_sleepers = LIST_INIT(timer_sleepers);

void timer_sleep_add(struct thread *t, uint64_t deadline_ns)
{
	struct list_node *pos;

	spin_lock(&timer_lock);
	if (list_linked(&t->timer_link))
		list_remove(&t->timer_link);
	t->wake_at_ns = deadline_ns;
	list_for_each(pos, &timer_sleepers)
		if (list_entry(pos, struct thread, timer_link)->wake_at_ns > deadline_ns)
			break;
	list_add_tail(pos, &t->timer_link); /* i.e. just before pos */
	spin_unlock(&timer_lock);
}

void timer_sleep_cancel(struct thread *t)
{
	spin_lock(&timer_lock);
	if (list_linked(&t->timer_link))
		list_remove(&t->timer_link);
	t->wake_at_ns = 0;
	spin_unlock(&timer_lock);
}

/* Wake every thread whose deadline is not after now. */
static void timer_expire(uint64_t now)
{
	spin_lock(&timer_lock);
	while (!list_empty(&timer_sleepers)) {
		struct thread *t = list_first_entry(&timer_sleepers, struct thread, timer_link);

		if (t->wake_at_ns > now)
			break;
		list_remove(&t->timer_link);
		t->wake_at_ns = 0;
		sched_wake(t);
	}
	spin_unlock(&timer_lock);
}

void timer_tick(void)
{
	struct cpu *c = cpu_self();

	c->ticks++;
	if (c->id == 0 && !list_empty(&timer_sleepers))
		timer_expire(arch_clock_ns());
	sched_tick();
}

/* timer_sleep_ns's condition: never true; only the deadline or a kill ends the wait. */
static bool timer_never(void *arg)
{
	return false;
}

int timer_sleep_ns(uint64_t ns)
{
	struct waitq nobody = WAITQ_INIT(nobody, "sleep");
	int err = waitq_wait_cond(&nobody, timer_never, NULL, arch_clock_ns() + ns);

	return err == -ETIMEDOUT ? 0 : err;
}
