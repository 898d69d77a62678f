/* klog_test.c: the kernel log (kernel/klog.h) and klogd (ipc/klogd.h): lines reach the
 * channel in order, one message each, from pid 0; a full channel keeps the newest lines
 * and counts the ones it dropped; lines overwritten in the ring show as a gap and are
 * counted; a long line is cut in pieces; the channel is root's alone; and klogd leaves
 * no memory or thread behind.
 *
 * These boots start no services (kernel/init.h), so each test starts klogd itself on a
 * channel of its own and stops it. The lines printed start with "# ", a TAP comment. */
#include <uapi/errno.h>
#include <arch/timer.h>
#include <ipc/chan.h>
#include <ipc/klogd.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/klog.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <lib/fmt.h>
#include <lib/string.h>
#include <mm/kmalloc.h>

#define KLOGT_PATH "/ipc/kt-klog"
#define KLOGT_POLL_NS 100000ULL                 /* between looks at klogd's progress */
#define KLOGT_DEADLINE_NS 5000000000ULL         /* klogd is given this long to catch up */
#define KLOGT_LINES 5

/* What a test starts from: the heap, the threads, klogd's counters. */
struct klogt_base {
	struct kmalloc_stats heap;
	unsigned threads;
	struct klogd_stats stats;
};

/* Take every line the ring holds, so that a test sees only its own. */
static void klogt_drain_ring(void)
{
	char buf[KLOG_LINE_MAX + 1];
	uint64_t seq, lost;

	while (klog_take(buf, sizeof buf, &seq, &lost) >= 0)
		;
}

/* Note the counters in b, and start klogd on KLOGT_PATH. */
static int klogt_start_keeping_ring(struct klogt_base *b)
{
	kmalloc_stats(&b->heap);
	b->threads = thread_count();
	klogd_get_stats(&b->stats);
	return klogd_start(KLOGT_PATH);
}

/* The same, after emptying the ring. */
static int klogt_start(struct klogt_base *b)
{
	klogt_drain_ring();
	return klogt_start_keeping_ring(b);
}

/* Wait until klogd has queued (or failed to queue) n lines since b. True when it did. */
static bool klogt_wait_lines(const struct klogt_base *b, uint64_t n)
{
	uint64_t end = arch_clock_ns() + KLOGT_DEADLINE_NS;
	struct klogd_stats s;

	do {
		klogd_get_stats(&s);
		if (s.lines + s.failed - b->stats.lines - b->stats.failed >= n)
			return true;
	} while (timer_sleep_ns(KLOGT_POLL_NS) == 0 && arch_clock_ns() < end);
	return false;
}

/* Read the next message of f (non-blocking) into buf as a string; check that it is one
 * line "[seq] # klog-test <want>\n" from the kernel. Returns its seq, or -1 (and a failure
 * recorded) when it is not. */
static long long klogt_expect_line(struct file *f, int want)
{
	char buf[KLOGD_MSG_MAX + 1], text[48];
	struct chan_msg_info info;
	struct iobuf io = iobuf_kernel(buf, KLOGD_MSG_MAX);
	unsigned long long seq = 0;
	long n = chan_recv(f, &io, &info);
	const char *rest, *p;

	if (!KTEST_EXPECT(n > 0))
		return -1;
	buf[n] = '\0';
	KTEST_EXPECT_EQ(info.from.pid, 0);
	KTEST_EXPECT_EQ(info.from.uid, 0);
	KTEST_EXPECT(strchr(buf, '\n') == buf + n - 1);         /* one line, its newline last */
	rest = strchr(buf, ']');
	if (!KTEST_EXPECT(buf[0] == '[' && rest != NULL))
		return -1;
	for (p = buf + 1; p < rest; p++)
		seq = seq * 10 + (unsigned long long)(*p - '0');
	snprintf(text, sizeof text, "] # klog-test %d\n", want);
	KTEST_EXPECT_STREQ(rest, text);
	return (long long)seq;
}

/* Read count messages, markers first .. first + count - 1, numbered one after the other;
 * then the channel must be empty. */
static void klogt_expect_lines(struct file *f, int first, int count)
{
	long long seq, prev = -1;
	char buf[8];
	int i;

	for (i = 0; i < count; i++) {
		seq = klogt_expect_line(f, first + i);
		if (prev >= 0)
			KTEST_EXPECT_EQ(seq, prev + 1);
		prev = seq;
	}
	KTEST_EXPECT_EQ(chan_read(f, buf, sizeof buf), -EAGAIN);
}

/* Stop klogd; then the heap and the thread count must be as in b. */
static void klogt_stop(const struct klogt_base *b)
{
	struct kmalloc_stats heap;

	KTEST_EXPECT_EQ(klogd_stop(), 0);
	kmalloc_stats(&heap);
	KTEST_EXPECT_EQ(heap.allocs_in_use, b->heap.allocs_in_use);
	KTEST_EXPECT_EQ(heap.bytes_in_use, b->heap.bytes_in_use);
	KTEST_EXPECT_EQ(thread_count(), b->threads);
}

/* Print the marker lines first .. first + count - 1; with b, one at a time, each after
 * klogd has queued the one before (so that the ring never overflows). */
static void klogt_print(const struct klogt_base *b, int first, int count)
{
	int i;

	for (i = 0; i < count; i++) {
		printk("# klog-test %d\n", first + i);
		if (b)
			KTEST_EXPECT(klogt_wait_lines(b, (uint64_t)i + 1));
	}
}

KTEST(klog_lines_reach_the_channel_in_order_from_the_kernel)
{
	struct klogt_base b;
	struct klogd_stats s;
	struct file *f;

	KTEST_ASSERT_EQ(klogt_start(&b), 0);
	KTEST_EXPECT_EQ(klogd_start(KLOGT_PATH), -EBUSY);
	if (KTEST_EXPECT_EQ(chan_open(KLOGT_PATH, O_RDONLY | O_NONBLOCK, &f), 0)) {
		printk("# klog-test 0\n# klog-test 1\n# klog-");    /* pieces make lines */
		printk("test 2\n");
		klogt_print(NULL, 3, KLOGT_LINES - 3);
		KTEST_EXPECT(klogt_wait_lines(&b, KLOGT_LINES));
		klogt_expect_lines(f, 0, KLOGT_LINES);
		file_put(f);
	}
	klogd_get_stats(&s);
	KTEST_EXPECT_EQ(s.lines - b.stats.lines, KLOGT_LINES);
	KTEST_EXPECT_EQ(s.dropped, b.stats.dropped);
	KTEST_EXPECT_EQ(s.lost, b.stats.lost);
	klogt_stop(&b);
	KTEST_EXPECT_EQ(klogd_stop(), -ESRCH);
}

/* Nobody reads: the channel keeps its KLOGD_CAPACITY newest lines; klogd took out the
 * oldest, one per line beyond the capacity, and counted them. */
KTEST(klog_full_channel_keeps_the_newest_lines_and_counts_the_dropped)
{
	const int extra = 10, total = KLOGD_CAPACITY + extra;
	struct klogt_base b;
	struct klogd_stats s;
	struct file *f;

	KTEST_ASSERT_EQ(klogt_start(&b), 0);
	klogt_print(&b, 0, total);
	klogd_get_stats(&s);
	KTEST_EXPECT_EQ(s.lines - b.stats.lines, total);
	KTEST_EXPECT_EQ(s.dropped - b.stats.dropped, extra);
	KTEST_EXPECT_EQ(s.lost, b.stats.lost);
	KTEST_EXPECT_EQ(s.failed, b.stats.failed);
	if (KTEST_EXPECT_EQ(chan_open(KLOGT_PATH, O_RDONLY | O_NONBLOCK, &f), 0)) {
		klogt_expect_lines(f, extra, KLOGD_CAPACITY);
		file_put(f);
	}
	klogt_stop(&b);
}

/* Lines printed while nobody takes them overwrite the oldest in the ring: the reader
 * finds a gap in the numbers, and klogd counts the lines as lost. (The channel holds the
 * whole ring, so none is dropped there.) */
_Static_assert(KLOG_LINES <= KLOGD_CAPACITY, "klogd's channel holds the ring");

KTEST(klog_ring_overflow_is_a_gap_counted_as_lost)
{
	const int extra = 5;
	struct klogt_base b;
	struct klogd_stats s;
	struct file *f;

	klogt_drain_ring();
	klogt_print(NULL, 0, KLOG_LINES + extra);       /* klogd is not running yet */
	KTEST_ASSERT_EQ(klogt_start_keeping_ring(&b), 0);
	KTEST_EXPECT(klogt_wait_lines(&b, KLOG_LINES));
	klogd_get_stats(&s);
	KTEST_EXPECT_EQ(s.lost - b.stats.lost, extra);
	KTEST_EXPECT_EQ(s.dropped, b.stats.dropped);
	if (KTEST_EXPECT_EQ(chan_open(KLOGT_PATH, O_RDONLY | O_NONBLOCK, &f), 0)) {
		klogt_expect_lines(f, extra, KLOG_LINES);
		file_put(f);
	}
	klogt_stop(&b);
}

/* The log is root's: mode 0400, so another user can neither read nor write it. */
KTEST(klog_channel_is_root_only)
{
	static const struct cred user = { 1000, 1000 };
	struct klogt_base b;
	struct stat st;
	struct file *f;

	KTEST_ASSERT_EQ(klogt_start(&b), 0);
	KTEST_EXPECT_EQ(file_open(kfs_root(), KLOGT_PATH, O_RDONLY, 0, &user, &f), -EACCES);
	KTEST_EXPECT_EQ(file_open(kfs_root(), KLOGT_PATH, O_WRONLY, 0, &user, &f), -EACCES);
	if (KTEST_EXPECT_EQ(chan_open(KLOGT_PATH, O_RDONLY, &f), 0)) {
		kfs_stat(f->node, &st);
		KTEST_EXPECT_EQ(st.st_mode, S_IFIFO | KLOGD_MODE);
		KTEST_EXPECT_EQ(st.st_uid, 0);
		KTEST_EXPECT_EQ(st.st_extra[0], KLOGD_CAPACITY);
		file_put(f);
	}
	klogt_stop(&b);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), KLOGT_PATH, &user, false), -ENOENT);
}

/* A line longer than KLOG_LINE_MAX goes into the ring in pieces of that size, and one
 * exactly that long is one line, not a line and an empty one. */
KTEST(klog_long_line_is_cut_in_pieces)
{
	char line[KLOG_LINE_MAX + 11], buf[KLOG_LINE_MAX + 1];
	uint64_t seq, lost;

	memset(line, 'x', sizeof line - 1);
	line[0] = '#';
	line[1] = ' ';
	line[sizeof line - 1] = '\0';
	klogt_drain_ring();
	printk("%s\n", line);
	KTEST_EXPECT_EQ(klog_take(buf, sizeof buf, &seq, &lost), KLOG_LINE_MAX);
	KTEST_EXPECT(memcmp(buf, line, KLOG_LINE_MAX) == 0);
	KTEST_EXPECT_EQ(klog_take(buf, sizeof buf, &seq, &lost), 10);
	KTEST_EXPECT_STREQ(buf, "xxxxxxxxxx");
	KTEST_EXPECT_EQ(lost, 0);
	line[KLOG_LINE_MAX] = '\0';
	printk("%s\n", line);
	KTEST_EXPECT_EQ(klog_take(buf, sizeof buf, &seq, &lost), KLOG_LINE_MAX);
	KTEST_EXPECT_EQ(klog_take(buf, sizeof buf, &seq, &lost), -EAGAIN);
}
