/* spinlock.h: mutual exclusion between CPUs for short critical sections.
 *
 * A spinlock is a test-and-test-and-set lock: a waiter spins reading the lock (which stays
 * in its cache) and tries the atomic exchange only when the lock looks free. It is not
 * fair, and that is deliberate: the fair alternative, a ticket lock, hands the lock to the
 * next CPU in line even when that CPU is not running, and virtual CPUs often are not (QEMU
 * runs our 4 CPUs on a 2-core host: one preempted waiter then stalls every other CPU for a
 * host time slice at each hand-over). See lab-guides/01-kernel-tour.md, "Spinlocks".
 * Taking it disables interrupts on this CPU and remembers whether they were on, so code
 * holding a spinlock is never interrupted, never preempted and must never sleep. It also
 * records its owner CPU: taking a lock this CPU already holds is a deadlock, and panics at
 * once with both places named instead of hanging.
 *
 * Lock order: every lock has an order number. A CPU may take a lock only while every lock
 * it holds has a smaller order; the checker panics on a violation the first time the
 * wrong order is *attempted*, not only when it actually deadlocks. The orders are declared
 * in one table, LOCK_ORDER_* below, with the reason for each. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/compiler.h>
#include <kernel/percpu.h>

/* The declared lock order, lowest (taken first) to highest (taken last). Keep reasons here.
 * LOCK_ORDER_TEST is for tests that need a lock of their own. */
enum lock_order {
	LOCK_ORDER_TEST = 1,
	LOCK_ORDER_PROC = 10,     /* process table: taken before a process's own locks */
	LOCK_ORDER_PROCESS = 12,  /* one process: its threads and credentials */
	LOCK_ORDER_THREADS = 15,  /* the list of all threads */
	LOCK_ORDER_FILE = 22,     /* an open file's offset: held across the node's operations */
	LOCK_ORDER_OBJLIST = 24,  /* a subsystem's list of its live objects (stage 4's
	                           * channels): a snapshot takes each one's path (KFS) and
	                           * lock (OBJECT) inside it; held on no data path */
	LOCK_ORDER_KFS = 25,      /* the shape of the namespace tree (names, parents) */
	LOCK_ORDER_NTFY_SUBS = 27, /* stage 4: who is subscribed to what; taken to subscribe,
	                           * unsubscribe and to destroy a watched object or endpoint,
	                           * before the object's lock and the endpoint's */
	LOCK_ORDER_OBJECT = 30,   /* an object's lock (channel, node) */
	LOCK_ORDER_NTFY = 35,     /* stage 4: a notification endpoint: a watched object's lock
	                           * delivers into it */
	LOCK_ORDER_WAITQ = 40,    /* a wait queue: taken inside object locks to sleep/wake */
	LOCK_ORDER_TIMER = 45,    /* the list of timed sleeps: wakes threads (sched) inside */
	LOCK_ORDER_SCHED = 50,    /* a CPU's run queue: taken to wake a thread */
	LOCK_ORDER_VM = 55,       /* an address space: copies into a space not loaded on this
	                           * CPU take it, under any object lock (mm/vm.c: copies
	                           * into the loaded one take no lock at all) */
	LOCK_ORDER_ALLOC = 60,    /* page and heap allocators: may be called under anything */
	LOCK_ORDER_CONSOLE = 70,  /* the console: printk works while holding any other lock */
	LOCK_ORDER_KLOG = 75,     /* the kernel log's ring (kernel/klog.h): printk fills it
	                           * inside the console lock, so the log keeps its order */
};

struct spinlock {
	uint32_t locked;          /* 1 while held: changed only by atomic operations */
	int owner_cpu;            /* -1 when free */
	unsigned long irq_flags;  /* the owner's interrupt state before spin_lock() */
	const char *name;
	unsigned order;           /* enum lock_order */
	const char *owner_file;   /* where the owner took it, for deadlock reports */
	int owner_line;
};

#define SPINLOCK_INIT(lname, lorder) \
	{ .owner_cpu = -1, .name = (lname), .order = (lorder) }

/* Initialise a lock at run time (for locks inside allocated objects). */
void spin_init(struct spinlock *l, const char *name, unsigned order);

/* Take l: interrupts off on this CPU (restored by spin_unlock), then spin until it is ours.
 * Panics on recursion and on a lock-order violation. */
#define spin_lock(l) spin_lock_at((l), __FILE__, __LINE__)
void spin_lock_at(struct spinlock *l, const char *file, int line);

/* Try once to take l without waiting. True when taken (then as spin_lock). */
bool spin_trylock(struct spinlock *l);

/* Release l and restore this CPU's interrupt state as it was before spin_lock(). Panics when
 * this CPU does not hold l. Locks are released in the reverse order they were taken. */
void spin_unlock(struct spinlock *l);

/* The lock-order rule alone: NULL when a CPU holding `held` (its innermost lock) may take
 * l, otherwise why not. spin_lock() panics with this reason. */
const char *spin_order_problem(const struct spinlock *held, const struct spinlock *l);

/* True when the calling CPU holds l. For assertions: kassert(spin_held(&c->lock)).
 * Inline: every function that expects a lock held asserts it, a dozen times per message on
 * the IPC path, and as a call it cost more than the test (lab-guides/benchmarking.md). */
static inline bool spin_held(const struct spinlock *l)
{
	return READ_ONCE(l->owner_cpu) == (int)cpu_id();
}

#endif
