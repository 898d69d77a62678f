/* thread_test.c: threads run, end, are joined and leave nothing behind. */
#include <uapi/errno.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <mm/kmalloc.h>
#include <mm/page.h>

static void thread_test_return_arg(void *arg)
{
	thread_exit((int)(uintptr_t)arg);
}

KTEST(thread_create_join_exit_codes)
{
	struct thread *t[8];
	int i, code;

	for (i = 0; i < 8; i++) {
		t[i] = thread_create("worker", thread_test_return_arg, (void *)(uintptr_t)(100 + i),
				     PRIO_NORMAL);
		KTEST_ASSERT(t[i] != NULL);
	}
	for (i = 0; i < 8; i++) {
		KTEST_ASSERT_EQ(thread_join(t[i], &code), 0);
		KTEST_EXPECT_EQ(code, 100 + i);
	}
}

static void thread_test_nothing(void *arg)
{
}

KTEST(thread_1000_lifecycles_leave_no_memory)
{
	struct page_stats p0, p1;
	struct kmalloc_stats k0, k1;
	unsigned threads0 = thread_count();
	int i;

	page_stats(&p0);
	kmalloc_stats(&k0);
	for (i = 0; i < 1000; i++) {
		struct thread *t = thread_create("short", thread_test_nothing, NULL, PRIO_NORMAL);

		KTEST_ASSERT(t != NULL);
		KTEST_ASSERT_EQ(thread_join(t, NULL), 0);
	}
	page_stats(&p1);
	kmalloc_stats(&k1);
	KTEST_EXPECT_EQ(thread_count(), threads0);
	KTEST_EXPECT_EQ(p1.free_pages, p0.free_pages);
	KTEST_EXPECT_EQ(k1.bytes_in_use, k0.bytes_in_use);
	KTEST_EXPECT_EQ(k1.allocs_in_use, k0.allocs_in_use);
}

static struct waitq thread_test_never = WAITQ_INIT(thread_test_never, "never");

/* Wait on a queue nobody wakes: only a kill ends it. Exit code: the wait's result. */
static void thread_test_wait_forever(void *arg)
{
	struct waiter w;

	waitq_prepare(&thread_test_never, &w);
	thread_exit(waitq_sleep(&thread_test_never, &w, 0));
}

KTEST(thread_kill_interrupts_a_wait)
{
	struct thread *t = thread_create("victim", thread_test_wait_forever, NULL, PRIO_NORMAL);
	int code = 0;

	KTEST_ASSERT(t != NULL);
	timer_sleep_ns(5000000); /* let it block */
	thread_kill(t);
	KTEST_ASSERT_EQ(thread_join(t, &code), 0);
	KTEST_EXPECT_EQ(code, -EINTR);
	KTEST_EXPECT(waitq_empty(&thread_test_never));
}

KTEST(timer_sleep_lasts_at_least_its_time)
{
	uint64_t start = arch_clock_ns(), took;

	KTEST_ASSERT_EQ(timer_sleep_ns(20000000), 0);
	took = arch_clock_ns() - start;
	KTEST_EXPECT(took >= 20000000);
	/* Woken by the first tick after the deadline. The bound is loose on purpose: the
	 * guest's clock runs on while a busy host does not run the guest (a test asserts
	 * behaviour, not speed). */
	KTEST_EXPECT(took < 20000000 + 1000000000);
}

KTEST(waitq_deadline_returns_etimedout)
{
	struct waitq wq = WAITQ_INIT(wq, "timeout-test");
	struct waiter w;
	uint64_t start = arch_clock_ns();

	waitq_prepare(&wq, &w);
	KTEST_EXPECT_EQ(waitq_sleep(&wq, &w, start + 10000000), -ETIMEDOUT);
	KTEST_EXPECT(arch_clock_ns() - start >= 10000000);
	KTEST_EXPECT(waitq_empty(&wq));
}
