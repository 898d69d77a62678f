/* timer_test.c: tests of time (arch/timer.h): the clock is monotonic, advances, and reads
 * the same on every CPU; every online CPU gets timer ticks, at the rate the scheduler asked
 * for (SCHED_HZ), as measured by the clock. On one CPU, the clock comparison is between the
 * boot CPU's thread and its own interrupt handler. */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/smp.h>

#define TIMER_TEST_READS 100000
#define TIMER_TEST_ADVANCE_NS 1000000ULL     /* 1 ms */
#define TIMER_TEST_SPIN_LIMIT 100000000UL    /* iterations before "the clock is stuck" */
#define TIMER_TEST_TIMEOUT_NS 2000000000ULL
#define TIMER_TEST_MIN_TICKS 3
#define TIMER_TEST_RATE_NS 500000000ULL      /* measure the tick rate over 0.5 s */
#define NS_PER_SEC 1000000000ULL

/* Turn interrupts on (ticks and IPIs to this CPU wait for them), returning whether they
 * were on. */
static bool timer_test_irqs_on(void)
{
	bool was_on = arch_irqs_enabled();

	arch_irq_enable();
	return was_on;
}

static void timer_test_irqs_restore(bool was_on)
{
	if (!was_on)
		arch_irq_disable();
}

KTEST(timer_clock_is_monotonic)
{
	uint64_t prev = arch_clock_ns(), now;
	unsigned i;

	for (i = 0; i < TIMER_TEST_READS; i++) {
		now = arch_clock_ns();
		if (now < prev) {
			ktest_fail(__FILE__, __LINE__, "read %u: %llu after %llu", i,
				   (unsigned long long)now, (unsigned long long)prev);
			return;
		}
		prev = now;
	}
}

KTEST(timer_clock_advances)
{
	uint64_t start = arch_clock_ns();
	unsigned long spins = 0;

	KTEST_EXPECT(start > 0); /* calibrated at boot, some time ago */
	while (arch_clock_ns() - start < TIMER_TEST_ADVANCE_NS) {
		if (++spins == TIMER_TEST_SPIN_LIMIT) {
			ktest_fail(__FILE__, __LINE__, "the clock did not advance by 1 ms");
			return;
		}
		arch_cpu_relax();
	}
}

/* A clock reading taken on another CPU, by a cross-CPU call. */
struct timer_test_stamp {
	uint64_t ns;
	unsigned done;
};

static void timer_test_take_stamp(void *arg)
{
	struct timer_test_stamp *s = arg;

	s->ns = arch_clock_ns();
	__atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
}

/* Ask cpu for the time; true with *t when it answered in time. */
static bool timer_test_stamp_on(unsigned cpu, uint64_t *t)
{
	static struct timer_test_stamp stamp; /* static: a late answer must not hit a dead frame */
	uint64_t start = arch_clock_ns();

	stamp.done = 0;
	smp_call(cpu, timer_test_take_stamp, &stamp);
	while (!__atomic_load_n(&stamp.done, __ATOMIC_ACQUIRE)) {
		if (arch_clock_ns() - start > TIMER_TEST_TIMEOUT_NS)
			return false;
		arch_cpu_relax();
	}
	*t = stamp.ns;
	return true;
}

/* Consistent clocks respect cause and effect: a reading taken on another CPU after this
 * CPU asked for it, and before the answer came back, lies between the two local readings.
 * Clocks offset by more than an IPI's round trip would fail this. */
KTEST(timer_clock_consistent_across_cpus)
{
	bool was_on = timer_test_irqs_on();
	uint64_t before, there, after;
	unsigned cpu, round;

	for (cpu = 0; cpu < arch_cpu_count(); cpu++) {
		for (round = 0; round < 10; round++) {
			before = arch_clock_ns();
			if (!timer_test_stamp_on(cpu, &there)) {
				ktest_fail(__FILE__, __LINE__, "CPU %u did not answer", cpu);
				goto out;
			}
			after = arch_clock_ns();
			if (before > there || there > after) {
				ktest_fail(__FILE__, __LINE__, "CPU %u read %llu, between %llu and "
					   "%llu here", cpu, (unsigned long long)there,
					   (unsigned long long)before, (unsigned long long)after);
				goto out;
			}
		}
	}
out:
	timer_test_irqs_restore(was_on);
}

/* True when every online CPU has taken TIMER_TEST_MIN_TICKS ticks since before[]. */
static bool timer_test_all_ticked(const uint64_t *before)
{
	unsigned cpu;

	for (cpu = 0; cpu < arch_cpu_count(); cpu++)
		if (READ_ONCE(cpus[cpu].ticks) < before[cpu] + TIMER_TEST_MIN_TICKS)
			return false;
	return true;
}

KTEST(timer_ticks_on_every_cpu)
{
	uint64_t before[MAX_CPUS], start;
	bool was_on = timer_test_irqs_on();
	unsigned cpu;

	for (cpu = 0; cpu < arch_cpu_count(); cpu++)
		before[cpu] = READ_ONCE(cpus[cpu].ticks);
	start = arch_clock_ns();
	while (!timer_test_all_ticked(before) && arch_clock_ns() - start < TIMER_TEST_TIMEOUT_NS)
		arch_cpu_relax();
	for (cpu = 0; cpu < arch_cpu_count(); cpu++)
		if (READ_ONCE(cpus[cpu].ticks) < before[cpu] + TIMER_TEST_MIN_TICKS)
			ktest_fail(__FILE__, __LINE__, "CPU %u: %llu ticks in 2 s", cpu,
				   (unsigned long long)(READ_ONCE(cpus[cpu].ticks) - before[cpu]));
	timer_test_irqs_restore(was_on);
}

/* The timer and the clock are calibrated separately. Ticks counted on one CPU (pinned: this CPU's counter) while the clock says 500 ms
 * passed. Never more ticks than the clock allows: that would be a miscalibrated timer.
 * Fewer are possible, and not a kernel fault: when the host does not run QEMU's virtual
 * CPU for a while, the timer ticks it missed are not all delivered afterwards. */
KTEST(timer_tick_rate_matches_clock)
{
	bool was_on = timer_test_irqs_on();
	uint64_t expected = SCHED_HZ * TIMER_TEST_RATE_NS / NS_PER_SEC, got, before, start;
	unsigned self = sched_pin_current(true);

	before = READ_ONCE(cpus[self].ticks);
	start = arch_clock_ns();
	while (arch_clock_ns() - start < TIMER_TEST_RATE_NS)
		arch_cpu_relax();
	got = READ_ONCE(cpus[self].ticks) - before;
	timer_test_irqs_restore(was_on);
	if (got == 0 || got > expected + 2)
		ktest_fail(__FILE__, __LINE__, "%llu ticks in %llu ms; expected about %llu",
			   (unsigned long long)got, TIMER_TEST_RATE_NS / 1000000,
			   (unsigned long long)expected);
}
