/* sched_test.c: preemption, fairness, blocking without CPU use, priorities, and wake-ups
 * that are never lost, on however many CPUs the machine has. */
#include <uapi/errno.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <kernel/waitq.h>

#define SPINNERS 6

static volatile bool sched_test_stop;
static unsigned long sched_test_counts[SPINNERS];

/* Spin with interrupts on until told to stop: only preemption lets others run. */
static void sched_test_spin(void *arg)
{
	unsigned long *count = arg;

	while (!READ_ONCE(sched_test_stop))
		(*(volatile unsigned long *)count)++;
}

/* True when every spinner has counted at least once. */
static bool sched_test_all_spun(void)
{
	int i;

	for (i = 0; i < SPINNERS; i++)
		if (READ_ONCE(sched_test_counts[i]) == 0)
			return false;
	return true;
}

KTEST(sched_spinning_threads_are_all_preempted)
{
	struct thread *t[SPINNERS];
	uint64_t give_up = arch_clock_ns() + 10000000000ULL; /* 10 s: a guard, not a timing */
	int i;

	sched_test_stop = false;
	for (i = 0; i < SPINNERS; i++) {
		sched_test_counts[i] = 0;
		t[i] = thread_create("spinner", sched_test_spin, &sched_test_counts[i], PRIO_NORMAL);
		KTEST_ASSERT(t[i] != NULL);
	}
	/* More spinners than CPUs: only preemption lets every one of them count. */
	while (!sched_test_all_spun() && arch_clock_ns() < give_up)
		timer_sleep_ns(10000000);
	WRITE_ONCE(sched_test_stop, true);
	for (i = 0; i < SPINNERS; i++) {
		KTEST_ASSERT_EQ(thread_join(t[i], NULL), 0);
		KTEST_EXPECT(sched_test_counts[i] > 0);
	}
}

static volatile bool sched_test_late_ran;

static void sched_test_mark(void *arg)
{
	WRITE_ONCE(sched_test_late_ran, true);
}

/* A thread whose time slice ran out while nothing else was queued on its CPU must still
 * give way once a thread of its priority is queued there later: round robin, not "the
 * first one keeps the CPU". Both are pinned to another CPU, so no idle CPU can steal the
 * late one and the test thread is not the one that would starve. */
KTEST(sched_expired_slice_gives_way_to_a_thread_queued_later)
{
	uint64_t give_up;
	struct thread *spin, *late;
	unsigned cpu = (cpu_id() + 1) % arch_cpu_count();

	if (arch_cpu_count() < 2) {
		KTEST_SKIP("needs a second CPU");
		return;
	}
	sched_test_stop = false;
	sched_test_late_ran = false;
	sched_test_counts[0] = 0;
	spin = thread_alloc("spinner", sched_test_spin, &sched_test_counts[0], PRIO_NORMAL);
	KTEST_ASSERT(spin != NULL);
	spin->affinity = (int)cpu;
	thread_start(spin);
	/* five slices alone: its slice runs out with its queue empty */
	timer_sleep_ns(5ULL * SCHED_SLICE_TICKS * 1000000000ULL / SCHED_HZ);
	late = thread_alloc("late", sched_test_mark, NULL, PRIO_NORMAL);
	KTEST_ASSERT(late != NULL);
	late->affinity = (int)cpu;
	thread_start(late);
	give_up = arch_clock_ns() + 10000000000ULL; /* 10 s: a guard, not a timing */
	while (!READ_ONCE(sched_test_late_ran) && arch_clock_ns() < give_up)
		timer_sleep_ns(1000000);
	KTEST_EXPECT(READ_ONCE(sched_test_late_ran));
	WRITE_ONCE(sched_test_stop, true);
	KTEST_ASSERT_EQ(thread_join(late, NULL), 0);
	KTEST_ASSERT_EQ(thread_join(spin, NULL), 0);
	KTEST_EXPECT(sched_test_counts[0] > 0);
}

static struct waitq sched_test_wq = WAITQ_INIT(sched_test_wq, "sched-test");
static volatile bool sched_test_flag;

static bool sched_test_flag_set(void *arg)
{
	return READ_ONCE(sched_test_flag);
}

static void sched_test_wait_flag(void *arg)
{
	waitq_wait_cond(&sched_test_wq, sched_test_flag_set, NULL, 0);
}

KTEST(sched_blocked_thread_uses_no_cpu)
{
	struct thread *t;
	uint64_t before;

	sched_test_flag = false;
	t = thread_create("sleeper", sched_test_wait_flag, NULL, PRIO_NORMAL);
	KTEST_ASSERT(t != NULL);
	timer_sleep_ns(10000000);
	before = READ_ONCE(t->run_ns);
	timer_sleep_ns(100000000); /* 100 ms blocked */
	KTEST_EXPECT_EQ(READ_ONCE(t->run_ns), before);
	WRITE_ONCE(sched_test_flag, true);
	waitq_wake_all(&sched_test_wq);
	KTEST_ASSERT_EQ(thread_join(t, NULL), 0);
}

static volatile uint64_t sched_test_high_ran_at;

static void sched_test_high(void *arg)
{
	sched_test_wait_flag(NULL);
	sched_test_high_ran_at = arch_clock_ns();
}

KTEST(sched_higher_priority_preempts_at_once)
{
	struct thread *t = thread_alloc("high", sched_test_high, NULL, PRIO_HIGH);
	uint64_t woke_at;

	KTEST_ASSERT(t != NULL);
	sched_test_flag = false;
	sched_test_high_ran_at = 0;
	t->affinity = (int)sched_pin_current(true); /* both on this CPU */
	thread_start(t);
	timer_sleep_ns(10000000); /* it blocks */
	WRITE_ONCE(sched_test_flag, true);
	woke_at = arch_clock_ns();
	waitq_wake_all(&sched_test_wq);
	/* On return the higher-priority thread has run already: the wake-up switched to it
	 * at once, on this CPU, instead of waiting for a tick. */
	KTEST_EXPECT(sched_test_high_ran_at != 0);
	KTEST_EXPECT(sched_test_high_ran_at >= woke_at);
	sched_pin_current(false);
	KTEST_ASSERT_EQ(thread_join(t, NULL), 0);
}

/* Ping-pong: two threads take turns through one counter and one wait queue each. A lost
 * wake-up would leave both asleep: the deadline turns that into a failure, not a hang. */
#define PINGPONG_ROUNDS 50000
static struct waitq pp_wq[2] = { WAITQ_INIT(pp_wq[0], "ping"), WAITQ_INIT(pp_wq[1], "pong") };
static volatile unsigned long pp_turn;
static int pp_errors;

struct pp_arg {
	unsigned side;
};

static bool pp_my_turn(void *arg)
{
	return (READ_ONCE(pp_turn) & 1) == ((struct pp_arg *)arg)->side;
}

static void pp_player(void *arg)
{
	struct pp_arg *a = arg;
	unsigned i;

	for (i = 0; i < PINGPONG_ROUNDS; i++) {
		if (waitq_wait_cond(&pp_wq[a->side], pp_my_turn, a, arch_clock_ns() + 5000000000ULL)) {
			__atomic_fetch_add(&pp_errors, 1, __ATOMIC_RELAXED);
			return;
		}
		WRITE_ONCE(pp_turn, pp_turn + 1);
		waitq_wake_one(&pp_wq[!a->side]);
	}
}

/* Run player as side 0 and side 1 in two threads, to the end of both. */
static void pp_play(void (*player)(void *arg))
{
	static struct pp_arg sides[2] = { { 0 }, { 1 } };
	struct thread *a = thread_create("ping", player, &sides[0], PRIO_NORMAL);
	struct thread *b = thread_create("pong", player, &sides[1], PRIO_NORMAL);

	KTEST_ASSERT(a && b);
	KTEST_ASSERT_EQ(thread_join(a, NULL), 0);
	KTEST_ASSERT_EQ(thread_join(b, NULL), 0);
}

KTEST(waitq_100000_wakeups_none_lost)
{
	pp_turn = 0;
	pp_errors = 0;
	pp_play(pp_player);
	KTEST_EXPECT_EQ(pp_errors, 0);
	KTEST_EXPECT_EQ(pp_turn, 2 * PINGPONG_ROUNDS); /* 100,000 sleep/wake pairs */
}

/* The same through guarded queues (kernel/waitq.h): the turn and both queues are protected
 * by one lock, as a channel's queue and wait queues are by the channel's, and the players
 * use the _locked functions. */
static struct spinlock gpp_lock = SPINLOCK_INIT("guarded-pingpong", LOCK_ORDER_TEST);
static struct waitq gpp_wq[2];
static unsigned long gpp_turn;
static int gpp_errors;

static void gpp_player(void *arg)
{
	struct pp_arg *a = arg;
	struct waiter w;
	unsigned i;

	spin_lock(&gpp_lock);
	for (i = 0; i < PINGPONG_ROUNDS && !gpp_errors; i++) {
		while ((gpp_turn & 1) != a->side && !gpp_errors) {
			waitq_prepare_locked(&gpp_wq[a->side], &w);
			if (waitq_sleep_locked(&gpp_wq[a->side], &w,
					       arch_clock_ns() + 5000000000ULL))
				gpp_errors++;
		}
		gpp_turn++;
		waitq_wake_one_locked(&gpp_wq[!a->side]);
	}
	spin_unlock(&gpp_lock);
}

KTEST(waitq_guarded_100000_wakeups_none_lost)
{
	waitq_init_guarded(&gpp_wq[0], &gpp_lock);
	waitq_init_guarded(&gpp_wq[1], &gpp_lock);
	gpp_turn = 0;
	gpp_errors = 0;
	pp_play(gpp_player);
	KTEST_EXPECT_EQ(gpp_errors, 0);
	KTEST_EXPECT_EQ(gpp_turn, 2 * PINGPONG_ROUNDS);
	KTEST_EXPECT(waitq_empty(&gpp_wq[0]) && waitq_empty(&gpp_wq[1]));
}

/* The same with hand-overs, as the fast path of a call makes them (kernel/waitq.h): a
 * player whose partner sleeps with an offer puts the new turn into it, takes it off the
 * queue and sleeps with the wake-up put off, which switches straight to the partner when
 * both run on one CPU (sched_block_to) and wakes it at once otherwise. Played spread over
 * the CPUs and then with both players on CPU 0, where every hand-over but the first must
 * be a direct switch. */
static unsigned hpp_cpu; /* -1 as unsigned: spread */

/* Sleep for the turn, handing over to the partner on the way (next) if one was put off.
 * Returns the turn seen, with gpp_lock held. */
static unsigned long hpp_wait(struct waitq *wq, const struct sched_handoff *next)
{
	unsigned long turn = 0;
	struct waiter w;
	int r;

	waitq_prepare_locked(wq, &w);
	w.offer = &turn;
	r = waitq_sleep_handed_locked(wq, &w, next);
	if (r == WAITQ_HANDED) {
		spin_lock(&gpp_lock);
		return turn;
	}
	if (r)
		gpp_errors++;
	return gpp_turn;
}

static void hpp_player(void *arg)
{
	struct pp_arg *a = arg;
	struct sched_handoff next = { NULL, 0 };
	struct waiter *p;
	unsigned i;

	spin_lock(&gpp_lock);
	for (i = 0; i < PINGPONG_ROUNDS && !gpp_errors; i++) {
		while ((gpp_turn & 1) != a->side && !gpp_errors) {
			if (hpp_wait(&gpp_wq[a->side], next.thread ? &next : NULL) != gpp_turn)
				gpp_errors++; /* a hand-over must carry the turn as it is */
			next.thread = NULL;
		}
		gpp_turn++;
		p = waitq_first_locked(&gpp_wq[!a->side]);
		if (p && p->offer) {
			*(unsigned long *)p->offer = gpp_turn;
			next = waitq_hand_over_locked(&gpp_wq[!a->side], p);
			spin_unlock(&gpp_lock); /* as sched_handoff_here() asks */
			sched_handoff_here(&next);
			spin_lock(&gpp_lock);
		} else {
			waitq_wake_one_locked(&gpp_wq[!a->side]);
		}
	}
	spin_unlock(&gpp_lock);
	if (next.thread)
		sched_wake_handoff(&next);
}

/* hpp_player's thread for side, on CPU hpp_cpu when it is a CPU. */
static struct thread *hpp_start(struct pp_arg *side)
{
	struct thread *t = thread_alloc("handed", hpp_player, side, PRIO_NORMAL);

	if (t) {
		t->affinity = (int)hpp_cpu;
		thread_start(t);
	}
	return t;
}

/* Play the handed ping-pong with hpp_cpu as it is; returns the direct switches made. */
static uint64_t hpp_play(void)
{
	static struct pp_arg sides[2] = { { 0 }, { 1 } };
	uint64_t before = 0, after = 0;
	struct thread *a, *b;
	unsigned i;

	waitq_init_guarded(&gpp_wq[0], &gpp_lock);
	waitq_init_guarded(&gpp_wq[1], &gpp_lock);
	gpp_turn = 0;
	gpp_errors = 0;
	for (i = 0; i < arch_cpu_count(); i++)
		before += READ_ONCE(cpus[i].direct_switches);
	a = hpp_start(&sides[0]);
	b = hpp_start(&sides[1]);
	KTEST_EXPECT(a && b);
	KTEST_EXPECT(a && thread_join(a, NULL) == 0);
	KTEST_EXPECT(b && thread_join(b, NULL) == 0);
	KTEST_EXPECT_EQ(gpp_errors, 0);
	KTEST_EXPECT_EQ(gpp_turn, 2 * PINGPONG_ROUNDS);
	KTEST_EXPECT(waitq_empty(&gpp_wq[0]) && waitq_empty(&gpp_wq[1]));
	for (i = 0; i < arch_cpu_count(); i++)
		after += READ_ONCE(cpus[i].direct_switches);
	return after - before;
}

KTEST(waitq_handed_100000_turns_none_lost_spread_and_on_one_cpu)
{
	uint64_t direct;

	hpp_cpu = (unsigned)-1;
	direct = hpp_play();
	printk("# spread over the CPUs: %llu direct switches\n", (unsigned long long)direct);
	hpp_cpu = 0;
	direct = hpp_play();
	/* On one CPU each player is asleep when the other hands the turn over, except when a
	 * tick preempts one between its hand-over and its sleep: nearly every turn. */
	KTEST_EXPECT(direct > PINGPONG_ROUNDS);
	printk("# on CPU 0: %llu direct switches for %d turns\n", (unsigned long long)direct,
	       2 * PINGPONG_ROUNDS);
}

/* A thread taken for a hand-over may be woken by something else before its waker sleeps
 * (a kill, say), and be asleep again by then, in another sleep: the put-off wake-up must
 * leave that later sleep alone. */
static struct spinlock hs_lock = SPINLOCK_INIT("handoff-stale", LOCK_ORDER_TEST);
static struct waitq hs_first;
static struct waitq hs_later = WAITQ_INIT(hs_later, "handoff-later");
static volatile int hs_stage;
static volatile bool hs_release;

static bool hs_released(void *arg)
{
	return READ_ONCE(hs_release);
}

static void hs_sleeper(void *arg)
{
	unsigned long box = 0;
	struct waiter w;

	spin_lock(&hs_lock);
	waitq_prepare_locked(&hs_first, &w);
	w.offer = &box;
	WRITE_ONCE(hs_stage, 1);
	if (waitq_sleep_handed_locked(&hs_first, &w, NULL) != WAITQ_HANDED) {
		spin_unlock(&hs_lock);
		return;         /* stage stays 1: the test fails */
	}
	WRITE_ONCE(hs_stage, 2);
	waitq_wait_cond(&hs_later, hs_released, NULL, 0);
	WRITE_ONCE(hs_stage, 3);
}

/* Wait (a bounded while) until t is BLOCKED at stage: true if so. */
static bool hs_blocked_at(struct thread *t, int stage)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (READ_ONCE(hs_stage) == stage && READ_ONCE(t->state) == THREAD_BLOCKED)
			return true;
		timer_sleep_ns(1000000);
	}
	return false;
}

KTEST(sched_put_off_wake_up_leaves_a_later_sleep_alone)
{
	struct sched_handoff h;
	struct thread *t;

	waitq_init_guarded(&hs_first, &hs_lock);
	hs_stage = 0;
	hs_release = false;
	t = thread_create("hs-sleeper", hs_sleeper, NULL, PRIO_NORMAL);
	KTEST_ASSERT(t != NULL);
	KTEST_ASSERT(hs_blocked_at(t, 1));
	spin_lock(&hs_lock);
	h = waitq_hand_over_locked(&hs_first, waitq_first_locked(&hs_first));
	spin_unlock(&hs_lock);
	KTEST_EXPECT(h.thread == t);
	sched_wake(t);          /* as a kill would: before the waker's own sleep */
	KTEST_ASSERT(hs_blocked_at(t, 2));
	KTEST_EXPECT(t->sleeps != h.sleep);
	sched_wake_handoff(&h); /* too late: must do nothing */
	timer_sleep_ns(10000000);
	KTEST_EXPECT_EQ(hs_stage, 2);
	KTEST_EXPECT_EQ(t->state, THREAD_BLOCKED);
	WRITE_ONCE(hs_release, true);
	waitq_wake_all(&hs_later);
	KTEST_ASSERT_EQ(thread_join(t, NULL), 0);
	KTEST_EXPECT_EQ(hs_stage, 3);
}
