/* spinlock_test.c: mutual exclusion across CPUs, and the lock's bookkeeping. */
#include <arch/cpu.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>

#define COUNTER_THREADS 8
#define COUNTER_TOTAL 1000000

static struct spinlock counter_lock = SPINLOCK_INIT("counter-test", LOCK_ORDER_TEST);
static unsigned long counter_value;
static unsigned counter_cpus_seen;

/* Increment the shared counter under the lock; a non-atomic read-modify-write, so any
 * failure of mutual exclusion loses increments. */
static void counter_worker(void *arg)
{
	unsigned long i;

	for (i = 0; i < COUNTER_TOTAL / COUNTER_THREADS; i++) {
		spin_lock(&counter_lock);
		counter_value = counter_value + 1;
		counter_cpus_seen |= 1u << cpu_id();
		spin_unlock(&counter_lock);
	}
}

KTEST(spinlock_8_threads_1000000_increments_exact)
{
	struct thread *t[COUNTER_THREADS];
	int i;

	counter_value = 0;
	counter_cpus_seen = 0;
	for (i = 0; i < COUNTER_THREADS; i++) {
		t[i] = thread_create("counter", counter_worker, NULL, PRIO_NORMAL);
		KTEST_ASSERT(t[i] != NULL);
	}
	for (i = 0; i < COUNTER_THREADS; i++)
		KTEST_ASSERT_EQ(thread_join(t[i], NULL), 0);
	KTEST_EXPECT_EQ(counter_value, COUNTER_TOTAL);
	/* With several CPUs the work really was spread over them. */
	if (arch_cpu_count() > 1)
		KTEST_EXPECT(__builtin_popcount(counter_cpus_seen) > 1);
}

KTEST(spinlock_disables_and_restores_interrupts)
{
	struct spinlock l = SPINLOCK_INIT("irq-test", LOCK_ORDER_TEST);
	bool before = arch_irqs_enabled();

	spin_lock(&l);
	KTEST_EXPECT(!arch_irqs_enabled());
	KTEST_EXPECT(spin_held(&l));
	spin_unlock(&l);
	KTEST_EXPECT(!spin_held(&l));
	KTEST_EXPECT_EQ(arch_irqs_enabled(), before);
}

KTEST(spinlock_trylock_fails_when_held)
{
	struct spinlock l = SPINLOCK_INIT("try-test", LOCK_ORDER_TEST);

	KTEST_ASSERT(spin_trylock(&l));
	KTEST_EXPECT(!spin_trylock(&l)); /* held by us: a trylock never deadlocks, it fails */
	spin_unlock(&l);
	KTEST_EXPECT(spin_trylock(&l));
	spin_unlock(&l);
}

KTEST(spinlock_order_check_rejects_wrong_order)
{
	struct spinlock low = SPINLOCK_INIT("low", LOCK_ORDER_OBJECT);
	struct spinlock high = SPINLOCK_INIT("high", LOCK_ORDER_SCHED);

	KTEST_EXPECT(spin_order_problem(&low, &high) == NULL);
	KTEST_EXPECT(spin_order_problem(&high, &low) != NULL);
	KTEST_EXPECT(spin_order_problem(&low, &low) != NULL);
}
