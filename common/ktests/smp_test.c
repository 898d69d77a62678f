/* smp_test.c: tests of the other CPUs (kernel/smp.c and the port's arch/smp.h): they all
 * come online, IPIs and cross-CPU calls reach each of them, and TLB shootdowns are
 * acknowledged, also when every CPU shoots down at the same moment.
 *
 * Every test also means something on a single CPU: IPIs and calls then go to the boot CPU
 * itself, and a shootdown request to itself must be served by its own wait loop. Code run
 * on other CPUs only records what it saw; the checks are made here, on the boot CPU, which
 * runs the tests. */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>

#define SMP_TEST_TIMEOUT_NS 2000000000ULL /* far more than an IPI takes, even under TCG */
#define SMP_TEST_RACE_ROUNDS 20

/* Turn interrupts on (an IPI to this CPU waits for them), returning whether they were. */
static bool smp_test_irqs_on(void)
{
	bool was_on = arch_irqs_enabled();

	arch_irq_enable();
	return was_on;
}

static void smp_test_irqs_restore(bool was_on)
{
	if (!was_on)
		arch_irq_disable();
}

/* Wait until *counter is at least target, or the timeout. True when it got there. */
static bool smp_test_wait_for(const unsigned *counter, unsigned target)
{
	uint64_t start = arch_clock_ns();

	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < target) {
		if (arch_clock_ns() - start > SMP_TEST_TIMEOUT_NS)
			return false;
		arch_cpu_relax();
	}
	return true;
}

/* Wait until CPU cpu has handled more than `before` IPIs of kind. */
static bool smp_test_wait_ipi(unsigned cpu, enum ipi_kind kind, uint64_t before)
{
	uint64_t start = arch_clock_ns();
	struct smp_stats s;

	for (;;) {
		smp_stats(cpu, &s);
		if (s.ipis[kind] > before)
			return true;
		if (arch_clock_ns() - start > SMP_TEST_TIMEOUT_NS)
			return false;
		arch_cpu_relax();
	}
}

KTEST(smp_every_cpu_online)
{
	unsigned i, n = arch_cpu_count();

	KTEST_ASSERT(n >= 1 && n <= MAX_CPUS);
	for (i = 0; i < MAX_CPUS; i++) {
		KTEST_EXPECT_EQ(READ_ONCE(cpus[i].online), i < n);
		if (i < n)
			KTEST_EXPECT_EQ(cpus[i].id, i);
	}
}

/* Both kinds of IPI that do not stop the CPU, to every CPU, this one included. */
KTEST(smp_ipi_reaches_every_cpu)
{
	static const enum ipi_kind kinds[] = { IPI_RESCHEDULE, IPI_TLB_FLUSH };
	bool was_on = smp_test_irqs_on();
	struct smp_stats s;
	unsigned cpu, k;

	for (cpu = 0; cpu < arch_cpu_count(); cpu++) {
		for (k = 0; k < ARRAY_SIZE(kinds); k++) {
			smp_stats(cpu, &s);
			arch_ipi_send(cpu, kinds[k]);
			if (!smp_test_wait_ipi(cpu, kinds[k], s.ipis[kinds[k]]))
				ktest_fail(__FILE__, __LINE__, "IPI kind %d to CPU %u not handled",
					   kinds[k], cpu);
		}
	}
	smp_test_irqs_restore(was_on);
}

/* What a cross-CPU call saw where it ran. */
struct smp_test_call {
	unsigned ran_on;
	bool irqs_were_on;
	unsigned done;
};

static void smp_test_record_cpu(void *arg)
{
	struct smp_test_call *c = arg;

	c->ran_on = cpu_id();
	c->irqs_were_on = arch_irqs_enabled();
	__atomic_store_n(&c->done, 1, __ATOMIC_RELEASE);
}

KTEST(smp_call_runs_on_its_cpu)
{
	static struct smp_test_call call; /* static: a late call must not write a dead frame */
	bool was_on = smp_test_irqs_on();
	unsigned cpu;

	for (cpu = 0; cpu < arch_cpu_count(); cpu++) {
		call = (struct smp_test_call){ .ran_on = ~0U, .irqs_were_on = true };
		smp_call(cpu, smp_test_record_cpu, &call);
		if (!smp_test_wait_for(&call.done, 1)) {
			ktest_fail(__FILE__, __LINE__, "the call to CPU %u never ran", cpu);
			break;
		}
		KTEST_EXPECT_EQ(call.ran_on, cpu);
		KTEST_EXPECT(!call.irqs_were_on);
	}
	smp_test_irqs_restore(was_on);
}

KTEST(smp_tlb_shootdown_others_all_acknowledge)
{
	uint64_t before[MAX_CPUS];
	unsigned cpu, self = sched_pin_current(true), n = arch_cpu_count();
	struct smp_stats s;

	for (cpu = 0; cpu < n; cpu++) {
		smp_stats(cpu, &s);
		before[cpu] = s.tlb_flushes;
	}
	tlb_shootdown_others();
	for (cpu = 0; cpu < n; cpu++) {
		smp_stats(cpu, &s);
		if (cpu == self)
			KTEST_EXPECT_EQ(s.tlb_flushes, before[cpu]); /* "others": not itself */
		else
			KTEST_EXPECT(s.tlb_flushes > before[cpu]);
	}
}

/* A CPU that waits for its own flush, with interrupts off, cannot take the IPI that asks
 * for it: its wait loop must serve the request. That is what keeps two CPUs that shoot
 * down at each other at the same time from deadlocking, here on one CPU. The IPI, taken
 * once interrupts are on, then finds the request served and flushes no second time. */
KTEST(smp_tlb_shootdown_waiter_serves_itself)
{
	unsigned self = sched_pin_current(true);
	struct smp_stats before, after;
	bool was_on = arch_irqs_enabled();

	arch_irq_disable();
	smp_stats(self, &before);
	tlb_shootdown_cpu(self);
	smp_stats(self, &after);
	KTEST_EXPECT_EQ(after.tlb_flushes, before.tlb_flushes + 1);
	KTEST_EXPECT_EQ(after.ipis[IPI_TLB_FLUSH], before.ipis[IPI_TLB_FLUSH]);
	arch_irq_enable();
	KTEST_EXPECT(smp_test_wait_ipi(self, IPI_TLB_FLUSH, before.ipis[IPI_TLB_FLUSH]));
	smp_stats(self, &after);
	KTEST_EXPECT_EQ(after.tlb_flushes, before.tlb_flushes + 1);
	smp_test_irqs_restore(was_on);
}

/* Every CPU shoots down at the same moment: the others are held at a barrier, released
 * together, and call tlb_shootdown_others() while this CPU does too. */
static struct {
	unsigned ready;
	unsigned go;
	unsigned done;
} smp_test_race;

static void smp_test_race_shoot(void *arg)
{
	__atomic_add_fetch(&smp_test_race.ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&smp_test_race.go, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	tlb_shootdown_others();
	__atomic_add_fetch(&smp_test_race.done, 1, __ATOMIC_ACQ_REL);
}

/* One round: returns false (after releasing the others) when some CPU did not take part. */
static bool smp_test_race_round(unsigned n)
{
	unsigned cpu, self = cpu_id();
	bool all_ready;

	smp_test_race.ready = smp_test_race.go = smp_test_race.done = 0;
	for (cpu = 0; cpu < n; cpu++)
		if (cpu != self)
			smp_call(cpu, smp_test_race_shoot, NULL);
	all_ready = smp_test_wait_for(&smp_test_race.ready, n - 1);
	__atomic_store_n(&smp_test_race.go, 1, __ATOMIC_RELEASE);
	tlb_shootdown_others();
	return smp_test_wait_for(&smp_test_race.done, n - 1) && all_ready;
}

KTEST(smp_tlb_shootdown_from_every_cpu_at_once)
{
	uint64_t before[MAX_CPUS];
	unsigned cpu, round, n = arch_cpu_count();
	bool was_on = smp_test_irqs_on();

	sched_pin_current(true); /* smp_test_race_round: this CPU is the one that is not called */
	struct smp_stats s;

	for (round = 0; round < SMP_TEST_RACE_ROUNDS; round++) {
		for (cpu = 0; cpu < n; cpu++) {
			smp_stats(cpu, &s);
			before[cpu] = s.tlb_flushes;
		}
		if (!smp_test_race_round(n)) {
			ktest_fail(__FILE__, __LINE__, "round %u: a CPU did not take part", round);
			break;
		}
		/* Each CPU was asked by the n - 1 others (one flush may serve several). */
		for (cpu = 0; cpu < n; cpu++) {
			smp_stats(cpu, &s);
			KTEST_EXPECT(n > 1 ? s.tlb_flushes > before[cpu]
					   : s.tlb_flushes == before[cpu]);
		}
	}
	smp_test_irqs_restore(was_on);
}
