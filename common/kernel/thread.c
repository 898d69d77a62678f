/* thread.c: creating, ending, joining and killing threads (kernel/thread.h). */
#include <uapi/errno.h>
#include <arch/cpu.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>

static struct spinlock thread_list_lock = SPINLOCK_INIT("threads", LOCK_ORDER_THREADS);
static struct list_node thread_list = LIST_INIT(thread_list); /* under thread_list_lock */
static unsigned thread_nr;                                     /* under thread_list_lock */
static unsigned thread_next_tid = 1;                           /* atomic */

/* A struct thread with everything but a stack, on the list of all threads. */
static struct thread *thread_new(const char *name, unsigned prio)
{
	struct thread *t = kmalloc(sizeof *t);

	if (!t)
		return NULL;
	t->tid = __atomic_fetch_add(&thread_next_tid, 1, __ATOMIC_RELAXED);
	strlcpy(t->name, name, sizeof t->name);
	t->prio = prio;
	t->affinity = -1;
	t->state = THREAD_BLOCKED;
	t->refs = 1;
	list_init(&t->rq_link);
	list_init(&t->timer_link);
	list_init(&t->proc_link);
	waitq_init(&t->exit_wq, "thread-exit");
	spin_lock(&thread_list_lock);
	list_add_tail(&thread_list, &t->all_link);
	thread_nr++;
	spin_unlock(&thread_list_lock);
	return t;
}

struct thread *thread_alloc(const char *name, void (*entry)(void *), void *arg, unsigned prio)
{
	struct thread *t = thread_new(name, prio);

	if (!t)
		return NULL;
	t->stack = page_alloc(THREAD_STACK_ORDER);
	if (!t->stack) {
		thread_put(t);
		return NULL;
	}
	t->entry = entry;
	t->arg = arg;
	t->sp = sched_prepare_stack(t);
	t->refs = 2; /* one for the thread itself while it lives, one for the creator */
	return t;
}

struct thread *thread_alloc_adopted(const char *name, unsigned prio)
{
	return thread_new(name, prio);
}

void thread_start(struct thread *t)
{
	sched_add_new(t);
}

struct thread *thread_create(const char *name, void (*entry)(void *), void *arg, unsigned prio)
{
	struct thread *t = thread_alloc(name, entry, arg, prio);

	if (t)
		thread_start(t);
	return t;
}

/* The last reference is gone: t has been switched out for good (or never ran). */
void thread_free(struct thread *t)
{
	kassert(t->state != THREAD_RUNNABLE || !t->stack);
	spin_lock(&thread_list_lock);
	list_remove(&t->all_link);
	thread_nr--;
	spin_unlock(&thread_list_lock);
	if (t->stack)
		page_free(t->stack, THREAD_STACK_ORDER);
	if (t->proc)
		process_thread_freed(t->proc);
	kfree(t);
}

/* thread_join's condition: the thread has ended. */
static bool thread_is_dead(void *arg)
{
	const struct thread *t = arg;

	return READ_ONCE(t->state) == THREAD_DEAD;
}

void thread_exit(int code)
{
	struct thread *self = thread_current();

	if (self->proc)
		process_thread_exit(self, code);
	self->exit_code = code;
	/* DEAD under our run queue's lock would be stricter, but nothing can wake a thread
	 * that is on no wait queue; joiners see DEAD through the exit_wq's lock ordering. */
	spin_lock(&self->exit_wq.lock);
	WRITE_ONCE(self->state, THREAD_DEAD);
	spin_unlock(&self->exit_wq.lock);
	waitq_wake_all(&self->exit_wq);
	sched_block();
	panic("thread %s: running after exit", self->name);
}

int thread_join(struct thread *t, int *code)
{
	int err = waitq_wait_cond(&t->exit_wq, thread_is_dead, t, 0);

	if (err)
		return err;
	if (code)
		*code = t->exit_code;
	/* DEAD, but its CPU may still be switching away from it: wait the few instructions
	 * until the scheduler drops the thread's own reference (sched_finish_switch), so that
	 * ours is the last one and the thread is freed before join returns: memory counters
	 * read after a join are then exact. */
	while (__atomic_load_n(&t->refs, __ATOMIC_ACQUIRE) > 1)
		arch_cpu_relax();
	thread_put(t);
	return 0;
}

void thread_kill(struct thread *t)
{
	__atomic_store_n(&t->kill_pending, true, __ATOMIC_SEQ_CST);
	sched_wake(t);
}

unsigned thread_count(void)
{
	return READ_ONCE(thread_nr);
}
