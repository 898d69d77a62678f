/* spinlock.c: spinlocks with owner, recursion and lock-order checks (spinlock.h). */
#include <arch/cpu.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

/* Spins before a waiter reports a lock as stuck: far more than any critical section needs,
 * even under QEMU's emulation. */
#define SPIN_STUCK_LIMIT (1UL << 31)

void spin_init(struct spinlock *l, const char *name, unsigned order)
{
	*l = (struct spinlock)SPINLOCK_INIT(name, order);
}

/* True when c may not wait for l: it holds l already, or holds as many locks as it can
 * record, or its innermost lock does not have a lower order (spin_order_problem). The one
 * test of every spin_lock(), so it is written to cost a few instructions. */
static bool spin_order_wrong(const struct cpu *c, const struct spinlock *l)
{
	unsigned n = c->nr_held;

	return l->owner_cpu == (int)c->id || n == LOCK_DEPTH_MAX ||
	       (n > 0 && c->held[n - 1]->order >= l->order);
}

/* Why spin_order_wrong(c, l) said so, in a panic: taking l would deadlock, now or under
 * another interleaving. Out of line: it never returns, and the fast path stays short. */
static __attribute__((noinline, noreturn)) void spin_order_panic(const struct cpu *c,
		const struct spinlock *l, const char *file, int line)
{
	const struct spinlock *top;

	if (l->owner_cpu == (int)c->id)
		panic("spinlock %s: CPU %u takes it again at %s:%d (held since %s:%d)", l->name,
		      c->id, file, line, l->owner_file, l->owner_line);
	if (c->nr_held == LOCK_DEPTH_MAX)
		panic("spinlock %s: more than %d locks held at %s:%d", l->name, LOCK_DEPTH_MAX,
		      file, line);
	top = c->held[c->nr_held - 1];
	panic("lock order: %s (order %u) taken at %s:%d while holding %s (order %u, from %s:%d): "
	      "%s", l->name, l->order, file, line, top->name, top->order, top->owner_file,
	      top->owner_line, spin_order_problem(top, l));
}

const char *spin_order_problem(const struct spinlock *held, const struct spinlock *l)
{
	if (held->order == l->order)
		return "two locks of the same order: no order between them is declared";
	if (held->order > l->order)
		return "a lock of lower order must be taken first";
	return NULL;
}

/* After winning l: record who holds it and push it on this CPU's held stack. */
static void spin_record(struct cpu *c, struct spinlock *l, unsigned long flags,
			const char *file, int line)
{
	l->owner_cpu = (int)c->id;
	l->irq_flags = flags;
	l->owner_file = file;
	l->owner_line = line;
	c->held[c->nr_held++] = l;
}

/* spin_lock() when the first try did not simply win: the order is wrong (a panic) or l is
 * taken (spin until it is ours). Interrupts are off already; flags is what they were. Out
 * of line, so that the fast path needs no registers for any of this. */
static __attribute__((noinline)) void spin_lock_slow(struct spinlock *l, unsigned long flags,
						     const char *file, int line)
{
	struct cpu *c = cpu_self();
	unsigned long spins = 0;

	if (spin_order_wrong(c, l))
		spin_order_panic(c, l, file, line);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED)) {
			arch_cpu_relax();
			smp_poll(); /* serve TLB shootdowns: the holder may be waiting for us */
			if (unlikely(++spins == SPIN_STUCK_LIMIT))
				panic("spinlock %s: CPU %u stuck at %s:%d; held by CPU %d since %s:%d",
				      l->name, c->id, file, line, READ_ONCE(l->owner_cpu),
				      l->owner_file, l->owner_line);
		}
	}
	spin_record(c, l, flags, file, line);
}

/* Every lock on the IPC path goes through here, many times per message, so the common case
 * (right order, lock free) is one test and one exchange, and everything else is a tail
 * call: the fast path then saves no registers. */
void spin_lock_at(struct spinlock *l, const char *file, int line)
{
	unsigned long flags = arch_irq_save();
	struct cpu *c = cpu_self();

	if (unlikely(spin_order_wrong(c, l) ||
		     __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))) {
		spin_lock_slow(l, flags, file, line);
		return;
	}
	spin_record(c, l, flags, file, line);
}

bool spin_trylock(struct spinlock *l)
{
	unsigned long flags = arch_irq_save();

	/* One attempt, never a wait: it cannot deadlock, so it needs no order check. */
	if (!__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		spin_record(cpu_self(), l, flags, __FILE__, __LINE__);
		return true;
	}
	arch_irq_restore(flags);
	return false;
}

/* Why spin_unlock(l) on c is wrong, in a panic. Out of line, as spin_order_panic(). */
static __attribute__((noinline, noreturn)) void spin_unlock_panic(const struct cpu *c,
								  const struct spinlock *l)
{
	if (l->owner_cpu != (int)c->id)
		panic("spinlock %s: released by CPU %u, which does not hold it", l->name, c->id);
	panic("spinlock %s: released before %s, which was taken after it", l->name,
	      c->held[c->nr_held - 1]->name);
}

void spin_unlock(struct spinlock *l)
{
	struct cpu *c = cpu_self();
	unsigned long flags = l->irq_flags;

	/* The owner is checked first: only then is c->nr_held at least 1. */
	if (unlikely(l->owner_cpu != (int)c->id || c->held[c->nr_held - 1] != l))
		spin_unlock_panic(c, l);
	c->nr_held--;
	l->owner_cpu = -1;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	arch_irq_restore(flags);
}
