/* ntfytest: notifications through the real system calls: endpoints, subscriptions, the
 * records a channel's and a directory's changes produce, coalescing, filters, overflow,
 * level and edge triggering, waiting (read, poll, timeouts), a killed waiter, memory, and
 * bad input. The kernel runs it with utest=ntfytest (make check:
 * utest-x86_64-ntfytest.qtest). lab-guides/stage4.md, "Notifications".
 *
 * The endpoint's own figures are read back from /kfs/ipc/notify (its line is found by
 * st_ino) and the totals from /kfs/ipc/summary, so each test also checks that the kernel
 * counts what the records show.
 *
 * A child mode (argv[1]) makes this program its own helper process:
 *   ntfytest write PATH TEXT   write the message TEXT to the channel PATH, then exit 0
 *   ntfytest late PATH TEXT    the same after NTFYTEST_LATE_NS (the parent waits by then)
 *   ntfytest denied PATH       exit 0 when watching PATH gives -EACCES
 *   ntfytest prio - -          exit 0 when raising to SCHED_HIGH is -EPERM, lowering works
 *   ntfytest read DIR N        subscribe one endpoint to DIR/c0 .. DIR/c(N-1), then sleep
 *                              in read for ever (the parent kills it)
 *   ntfytest poll DIR N        the same, asleep in poll on the endpoint and DIR/c0 */
#include <stdbool.h>
#include <kernel/compiler.h>    /* ARRAY_SIZE */
#include <ulib/chanstat.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/ntfystat.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>
#include <ulib/utest.h>

#define NTFYTEST_USER 1000
#define NTFYTEST_OVF_DIR "/ipc/nt-ovf"
#define NTFYTEST_OVF_CHANS 1000         /* channels one small endpoint watches */
#define NTFYTEST_OVF_CAP 8              /* that endpoint's capacity */
#define NTFYTEST_CYCLES 10000           /* watch/unwatch pairs of the memory test */
#define NTFYTEST_KILL_DIR "/ipc/nt-kill"
#define NTFYTEST_KILL_CHANS 4           /* subscriptions of the waiter that is killed */
#define NTFYTEST_LATE_NS 50000000L      /* 50 ms: how long a "late" child waits to write */
#define NTFYTEST_TIMEOUT_NS 5000000L    /* 5 ms: the timeout of the poll that times out */
#define NTFYTEST_SLACK_NS 2000000000L   /* how late a timeout may return: generous, for a
                                         * loaded host, yet far below a unit mistake (x1000) */
#define NTFYTEST_WAIT_NS 5000000000L    /* a child gets there within this */
#define NTFYTEST_BAD_FD (FD_MAX - 1)    /* never opened by this program */

/* A record's event and count, checked where the test's line shows in the diagnostic. */
#define NTFYTEST_EXPECT_REC(rec, event, n) \
	do { \
		UTEST_EXPECT_EQ((rec).events, (event)); \
		UTEST_EXPECT_EQ((rec).count, (n)); \
	} while (0)

/* Read at most max records from nfd into recs. Returns how many, or -errno. */
static long ntfytest_read(int nfd, struct ntfy_record *recs, size_t max)
{
	long r = sys_read(nfd, recs, max * sizeof *recs);

	return r < 0 ? r : r / (long)sizeof *recs;
}

/* Run this program as a child in mode with two arguments, as uid (-1: the same).
 * Returns its pid or -errno. */
static int ntfytest_spawn(const char *mode, const char *a1, const char *a2, int uid)
{
	char *argv[] = { "ntfytest", (char *)mode, (char *)a1, (char *)a2, NULL };
	struct spawn_attr attr = { uid, uid };

	return sys_spawn("/bin/ntfytest", argv, &attr);
}

/* Wait for pid (the result of a spawn); its exit status, or -1. */
static int ntfytest_wait(int pid)
{
	int status = -1;

	return pid > 0 && sys_wait(pid, &status) == pid ? status : -1;
}

/* Wait until key of /kfs/ipc/summary is want (a child is getting there). True when it is. */
static bool ntfytest_await(const char *key, long long want)
{
	long end = sys_clock_ns() + NTFYTEST_WAIT_NS;

	while (chanstat_summary(key) != want && sys_clock_ns() < end)
		sys_sleep_ns(1000000);
	return chanstat_summary(key) == want;
}

/* The figure in column of endpoint nfd's line of /kfs/ipc/notify, or -1. */
static long long ntfytest_notify(int nfd, const char *column)
{
	static char buf[NTFYSTAT_MAX + 1];
	unsigned long long v;
	struct stat st;

	if (sys_fstat(nfd, &st) < 0 || ntfystat_read(buf) < 0)
		return -1;
	return ntfystat_field(buf, st.st_ino, column, &v) == 0 ? (long long)v : -1;
}

/* Records pending on endpoint nfd (its size), or -1. */
static long long ntfytest_pending(int nfd)
{
	struct stat st;

	return sys_fstat(nfd, &st) < 0 ? -1 : (long long)st.st_size;
}

/* Subscriptions of endpoint nfd (st_extra[1]), or -1. */
static long long ntfytest_subs(int nfd)
{
	struct stat st;

	return sys_fstat(nfd, &st) < 0 ? -1 : (long long)st.st_extra[1];
}

/* Child modes "read DIR N" and "poll DIR N" (poll true). Return only when something
 * failed: nothing is written to the channels, so the child sleeps until it is killed. */
static int ntfytest_block(const char *dir, const char *count, bool poll)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	int nfd = sys_ntfy_new(0, 0), i, n = atoi(count);
	struct ntfy_record rec;
	struct pollfd pfd[2];
	char path[48];

	if (nfd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/c%d", dir, i);
		if (sys_watch(nfd, path, &w) < 0)
			return 2;
	}
	if (!poll)
		return sys_read(nfd, &rec, sizeof rec) < 0 ? 3 : 4;
	snprintf(path, sizeof path, "%s/c0", dir);
	pfd[0] = (struct pollfd){ .fd = nfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sys_open(path, O_RDWR, 0), .events = POLLIN };
	return sys_poll(pfd, 2, -1) < 0 ? 5 : 6;
}

/* The status of a child mode, or -1 when argv names none (then this is the test). */
static int ntfytest_child_main(int argc, char **argv)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };

	if (argc == 4 && strcmp(argv[1], "write") == 0)
		return chan_send_text(argv[2], argv[3], 0) == 0 ? 0 : 1;
	if (argc == 4 && strcmp(argv[1], "late") == 0) {
		sys_sleep_ns(NTFYTEST_LATE_NS);
		return chan_send_text(argv[2], argv[3], 0) == 0 ? 0 : 1;
	}
	if (argc == 4 && strcmp(argv[1], "prio") == 0) /* a user may lower, not raise */
		return sys_setprio(SCHED_HIGH) == -EPERM && sys_setprio(SCHED_LOW) == SCHED_NORMAL ?
		       0 : 1;
	if (argc == 3 && strcmp(argv[1], "denied") == 0)
		return sys_watch(sys_ntfy_new(0, 0), argv[2], &w) == -EACCES ? 0 : 1;
	if (argc == 4 && (strcmp(argv[1], "read") == 0 || strcmp(argv[1], "poll") == 0))
		return ntfytest_block(argv[2], argv[3], argv[1][0] == 'p');
	return -1;
}

UTEST(endpoint_records_of_a_channel)
{
	struct ntfy_watch w = { .events = NTFY_CHAN_EVENTS, .flags = NTFY_EDGE, .cookie = 42 };
	struct ntfy_record recs[8];
	struct meminfo before, after;
	struct stat st;
	int nfd, ch, id;
	char buf[16];

	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-basic", 0600, NULL), 0);
	nfd = sys_ntfy_new(8, O_NONBLOCK);
	UTEST_ASSERT(nfd >= 0);
	UTEST_EXPECT_EQ(ntfytest_read(nfd, recs, 8), -EAGAIN);
	id = sys_watch(nfd, "/ipc/nt-basic", &w);
	UTEST_ASSERT_EQ(id, 1);
	ch = sys_open("/ipc/nt-basic", O_RDWR, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_write(ch, "a", 1), 1);
	UTEST_EXPECT_EQ(sys_write(ch, "b", 1), 1);
	UTEST_EXPECT_EQ(sys_read(ch, buf, sizeof buf), 1);
	UTEST_ASSERT_EQ(sys_fstat(nfd, &st), 0);
	UTEST_EXPECT_EQ(st.st_mode & S_IFMT, S_IFNTFY);
	UTEST_EXPECT_EQ(st.st_size, 2);
	UTEST_EXPECT_EQ(st.st_extra[0], 8);
	UTEST_EXPECT_EQ(st.st_extra[1], 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 8), 2);
	UTEST_EXPECT_EQ(recs[0].events, NTFY_READABLE);
	UTEST_EXPECT_EQ(recs[0].count, 2);       /* the two writes coalesced */
	UTEST_EXPECT_EQ(recs[0].seq, 1);
	UTEST_EXPECT_EQ(recs[0].cookie, 42);
	UTEST_EXPECT_EQ(recs[0].sub, id);
	UTEST_EXPECT_EQ(recs[0].depth, 2);
	UTEST_EXPECT_EQ(recs[1].events, NTFY_WRITABLE);
	UTEST_EXPECT_EQ(recs[1].count, 1);
	UTEST_EXPECT_EQ(recs[1].seq, 2);
	UTEST_EXPECT_EQ(recs[1].depth, 1);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-basic"), 0);
	UTEST_EXPECT_EQ(sys_close(ch), 0);       /* the channel is freed: GONE */
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 8), 2);
	UTEST_EXPECT_EQ(recs[0].events, NTFY_HUP);
	UTEST_EXPECT_EQ(recs[1].events, NTFY_GONE);
	UTEST_EXPECT_EQ(recs[1].seq, 4);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, id), -ENOENT);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

UTEST(directory_records_and_poll)
{
	struct ntfy_watch w = { .events = NTFY_DIR_EVENTS, .cookie = 7 };
	struct ntfy_record recs[4];
	struct pollfd pfd;
	int nfd;

	nfd = sys_ntfy_new(0, 0);
	UTEST_ASSERT(nfd >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc", &w), 1);
	pfd = (struct pollfd){ .fd = nfd, .events = POLLIN };
	UTEST_EXPECT_EQ(sys_poll(&pfd, 1, 1000000), 0);         /* 1 ms: nothing yet */
	UTEST_EXPECT_EQ(pfd.revents, 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-dir", 0600, NULL), 0);
	UTEST_EXPECT_EQ(sys_poll(&pfd, 1, -1), 1);
	UTEST_EXPECT_EQ(pfd.revents, POLLIN);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-dir"), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 2);
	UTEST_EXPECT_EQ(recs[0].events, NTFY_CREATED);
	UTEST_EXPECT_STREQ(recs[0].name, "nt-dir");
	UTEST_EXPECT_EQ(recs[1].events, NTFY_REMOVED);
	UTEST_EXPECT_STREQ(recs[1].name, "nt-dir");
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
}

/* ---- overflow ---- */

/* The path of channel i of the overflow test. */
static void ntfytest_ovf_path(char *buf, size_t len, int i)
{
	snprintf(buf, len, NTFYTEST_OVF_DIR "/c%d", i);
}

/* Make the overflow test's channels and subscribe nfd to each (edge, READABLE, cookie i):
 * their ids are 1, 2, 3... Returns how many steps failed. */
static int ntfytest_ovf_make(int nfd)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	int i, failed = sys_mkdir(NTFYTEST_OVF_DIR, 0755) != 0;
	char path[48];

	for (i = 0; i < NTFYTEST_OVF_CHANS; i++) {
		ntfytest_ovf_path(path, sizeof path, i);
		w.cookie = (uint64_t)i;
		failed += sys_mkchan(path, 0600, NULL) != 0;
		failed += sys_watch(nfd, path, &w) != i + 1;
	}
	return failed;
}

/* One message into each of the first n channels. Returns how many writes failed. */
static int ntfytest_ovf_write(int n)
{
	char path[48];
	int i, failed = 0;

	for (i = 0; i < n; i++) {
		ntfytest_ovf_path(path, sizeof path, i);
		failed += chan_send_text(path, "x", 0) != 0;
	}
	return failed;
}

/* Remove the channels and their directory. Returns how many removals failed. */
static int ntfytest_ovf_remove(void)
{
	char path[48];
	int i, failed = 0;

	for (i = 0; i < NTFYTEST_OVF_CHANS; i++) {
		ntfytest_ovf_path(path, sizeof path, i);
		failed += sys_unlink(path) != 0;
	}
	return failed + (sys_rmdir(NTFYTEST_OVF_DIR) != 0);
}

/* Check that recs[0..NTFYTEST_OVF_CAP) are the READABLE records of channels 0, 1, 2...
 * with sequence numbers from first on. */
static void ntfytest_ovf_expect(const struct ntfy_record *recs, uint64_t first)
{
	int i;

	for (i = 0; i < NTFYTEST_OVF_CAP; i++) {
		NTFYTEST_EXPECT_REC(recs[i], NTFY_READABLE, 1);
		UTEST_EXPECT_EQ(recs[i].seq, first + (uint64_t)i);
		UTEST_EXPECT_EQ(recs[i].sub, i + 1);
		UTEST_EXPECT_EQ(recs[i].cookie, i);
	}
}

/* 1,000 events into 8 slots: 8 records, then one overflow record that counts the other
 * 992; the endpoint's line and the totals count them as lost. Once that overflow record
 * is read, the next loss starts a new one. */
UTEST(overflow_record_counts_every_lost_event_and_restarts_once_read)
{
	const int lost = NTFYTEST_OVF_CHANS - NTFYTEST_OVF_CAP;
	long long lost_before = chanstat_summary("notify_lost");
	struct ntfy_record recs[2 * NTFYTEST_OVF_CAP];
	int nfd = sys_ntfy_new(NTFYTEST_OVF_CAP, O_NONBLOCK);

	UTEST_ASSERT(nfd >= 0 && lost_before >= 0);
	UTEST_EXPECT_EQ(ntfytest_ovf_make(nfd), 0);
	UTEST_EXPECT_EQ(ntfytest_ovf_write(NTFYTEST_OVF_CHANS), 0);
	UTEST_EXPECT_EQ(ntfytest_pending(nfd), NTFYTEST_OVF_CAP + 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, ARRAY_SIZE(recs)), NTFYTEST_OVF_CAP + 1);
	ntfytest_ovf_expect(recs, 1);
	NTFYTEST_EXPECT_REC(recs[NTFYTEST_OVF_CAP], NTFY_OVERFLOW, lost);
	UTEST_EXPECT_EQ(recs[NTFYTEST_OVF_CAP].seq, NTFYTEST_OVF_CAP + 1);
	UTEST_EXPECT_EQ(recs[NTFYTEST_OVF_CAP].sub, 0);
	UTEST_EXPECT_EQ(recs[NTFYTEST_OVF_CAP].cookie, 0);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "lost"), lost);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "queued"), NTFYTEST_OVF_CAP);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "read"), NTFYTEST_OVF_CAP + 1);
	UTEST_EXPECT_EQ(chanstat_summary("notify_lost") - lost_before, lost);
	/* read: room for 8 again, and no overflow record pending */
	UTEST_EXPECT_EQ(ntfytest_ovf_write(NTFYTEST_OVF_CAP + 2), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, ARRAY_SIZE(recs)), NTFYTEST_OVF_CAP + 1);
	ntfytest_ovf_expect(recs, NTFYTEST_OVF_CAP + 2);
	NTFYTEST_EXPECT_REC(recs[NTFYTEST_OVF_CAP], NTFY_OVERFLOW, 2);
	UTEST_EXPECT_EQ(recs[NTFYTEST_OVF_CAP].seq, 2 * NTFYTEST_OVF_CAP + 2);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "lost"), lost + 2);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);      /* its subscriptions end first: no GONE */
	UTEST_EXPECT_EQ(ntfytest_ovf_remove(), 0);
}

/* ---- coalescing and filters ---- */

/* Three writes while the first record is pending: one record of count 3, with the
 * first write's time and the last one's depth. After it is read, a write makes a new one. */
UTEST(coalesced_events_count_in_one_record_with_the_first_time)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch;
	long t0, t1;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-coal", 0600, NULL), 0);
	ch = sys_open("/ipc/nt-coal", O_WRONLY, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-coal", &w), 1);
	t0 = sys_clock_ns();
	UTEST_EXPECT_EQ(sys_write(ch, "a", 1), 1);
	t1 = sys_clock_ns();
	UTEST_EXPECT_EQ(sys_write(ch, "b", 1), 1);
	UTEST_EXPECT_EQ(sys_write(ch, "c", 1), 1);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "coalesced"), 2);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 3);
	UTEST_EXPECT_EQ(recs[0].depth, 3);
	UTEST_EXPECT(recs[0].time_ns >= (uint64_t)t0 && recs[0].time_ns <= (uint64_t)t1);
	UTEST_EXPECT_EQ(sys_write(ch, "d", 1), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 1);
	UTEST_EXPECT_EQ(recs[0].depth, 4);
	UTEST_EXPECT_EQ(recs[0].seq, 2);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "queued"), 2);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-coal"), 0);
}

/* NTFY_FROM_UID: root's messages around one from another user's process: only that one
 * makes a record; root's are counted as filtered. */
UTEST(from_uid_filter_passes_only_that_senders_messages)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE | NTFY_FROM_UID,
				.uid = NTFYTEST_USER };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-uid", 0622, NULL), 0);
	ch = sys_open("/ipc/nt-uid", O_WRONLY, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-uid", &w), 1);
	UTEST_EXPECT_EQ(sys_write(ch, "root", 4), 4);
	UTEST_EXPECT_EQ(ntfytest_wait(ntfytest_spawn("write", "/ipc/nt-uid", "user",
						     NTFYTEST_USER)), 0);
	UTEST_EXPECT_EQ(sys_write(ch, "root", 4), 4);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 1);
	UTEST_EXPECT_EQ(recs[0].depth, 2);      /* root's first message, then the user's */
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "filtered"), 2);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "coalesced"), 0);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-uid"), 0);
}

/* NTFY_DEPTH with threshold 2: four writes (depths 1 2 3 4) and four reads (3 2 1 0).
 * READABLE passes at depth >= 2, WRITABLE at depth <= 2; the other two are filtered. */
UTEST(depth_filter_passes_readable_at_or_above_and_writable_at_or_below)
{
	struct ntfy_watch w = { .events = NTFY_READABLE | NTFY_WRITABLE,
				.flags = NTFY_EDGE | NTFY_DEPTH, .depth = 2 };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch, i;
	char buf[4];

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-depth", 0600, NULL), 0);
	ch = sys_open("/ipc/nt-depth", O_RDWR, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-depth", &w), 1);
	for (i = 0; i < 4; i++)
		UTEST_EXPECT_EQ(sys_write(ch, "m", 1), 1);
	for (i = 0; i < 4; i++)
		UTEST_EXPECT_EQ(sys_read(ch, buf, sizeof buf), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 2);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 3);
	UTEST_EXPECT_EQ(recs[0].depth, 4);
	NTFYTEST_EXPECT_REC(recs[1], NTFY_WRITABLE, 3);
	UTEST_EXPECT_EQ(recs[1].depth, 0);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "filtered"), 2);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "coalesced"), 4);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-depth"), 0);
}

/* An endpoint of capacity 1: two filtered events, then one that passes. Had the filtered
 * ones taken the slot, the third would be lost to an overflow record. */
UTEST(filtered_events_cost_no_queue_space)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE | NTFY_DEPTH,
				.depth = 3 };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(1, O_NONBLOCK), ch, i;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-free", 0600, NULL), 0);
	ch = sys_open("/ipc/nt-free", O_WRONLY, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-free", &w), 1);
	for (i = 0; i < 3; i++)
		UTEST_EXPECT_EQ(sys_write(ch, "m", 1), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 1);
	UTEST_EXPECT_EQ(recs[0].depth, 3);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "filtered"), 2);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "lost"), 0);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-free"), 0);
}

/* ---- level triggering ---- */

/* Two messages queued before the subscription: a report of count 0 at once; each read of
 * it re-arms it while a message remains; once the channel is drained, it stops. */
UTEST(level_reports_a_state_at_subscription_and_rearms_while_it_holds)
{
	struct ntfy_watch w = { .events = NTFY_READABLE };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch;
	char buf[4];

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-level", 0600, NULL), 0);
	ch = sys_open("/ipc/nt-level", O_RDWR, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_write(ch, "a", 1), 1);
	UTEST_EXPECT_EQ(sys_write(ch, "b", 1), 1);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-level", &w), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);        /* the state at subscription */
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 0);
	UTEST_EXPECT_EQ(recs[0].depth, 2);
	UTEST_EXPECT_EQ(ntfytest_pending(nfd), 1);              /* re-armed by that read */
	UTEST_EXPECT_EQ(sys_read(ch, buf, sizeof buf), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 0);
	UTEST_EXPECT_EQ(recs[0].seq, 2);
	UTEST_EXPECT_EQ(ntfytest_pending(nfd), 1);              /* one message is left */
	UTEST_EXPECT_EQ(sys_read(ch, buf, sizeof buf), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);        /* armed before the drain */
	UTEST_EXPECT_EQ(recs[0].seq, 3);
	UTEST_EXPECT_EQ(recs[0].depth, 1);
	UTEST_EXPECT_EQ(ntfytest_read(nfd, recs, 4), -EAGAIN);  /* drained: not re-armed */
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "rearmed"), 2);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-level"), 0);
}

/* Level WRITABLE on an empty channel of capacity 2: reported at once and re-armed while
 * there is room; once the channel is full the stale report is read and not re-armed; a
 * message read makes room again: an event, count 1. */
UTEST(level_writable_holds_while_there_is_room)
{
	struct ntfy_watch w = { .events = NTFY_WRITABLE };
	struct chan_attr attr = { 2, 8 };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch;
	char buf[8];

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-room", 0600, &attr), 0);
	ch = sys_open("/ipc/nt-room", O_RDWR, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-room", &w), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_WRITABLE, 0);
	UTEST_EXPECT_EQ(recs[0].depth, 0);
	UTEST_EXPECT_EQ(sys_write(ch, "a", 1), 1);
	UTEST_EXPECT_EQ(sys_write(ch, "b", 1), 1);              /* full */
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);        /* re-armed before */
	NTFYTEST_EXPECT_REC(recs[0], NTFY_WRITABLE, 0);
	UTEST_EXPECT_EQ(ntfytest_read(nfd, recs, 4), -EAGAIN);
	UTEST_EXPECT_EQ(sys_read(ch, buf, sizeof buf), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_WRITABLE, 1);
	UTEST_EXPECT_EQ(recs[0].depth, 1);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-room"), 0);
}

/* unwatch ends a subscription but not its records: the pending one is read as usual
 * (its id no longer exists), and later events make no record. */
UTEST(unwatch_keeps_pending_records_and_stops_new_ones)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE, .cookie = 9 };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch, id;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-unw", 0600, NULL), 0);
	ch = sys_open("/ipc/nt-unw", O_WRONLY, 0);
	UTEST_ASSERT(ch >= 0);
	id = sys_watch(nfd, "/ipc/nt-unw", &w);
	UTEST_EXPECT_EQ(id, 1);
	UTEST_EXPECT_EQ(sys_write(ch, "a", 1), 1);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, id), 0);
	UTEST_EXPECT_EQ(sys_write(ch, "b", 1), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 1);
	UTEST_EXPECT_EQ(recs[0].sub, id);
	UTEST_EXPECT_EQ(recs[0].cookie, 9);
	UTEST_EXPECT_EQ(ntfytest_read(nfd, recs, 4), -EAGAIN);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-unw"), 0);
}

/* ---- hang-up, error, gone ---- */

/* HUP when the last of two writers closes, when the name is removed, and when the last
 * reader closes after that; then the channel is freed: GONE, and the subscription with it. */
UTEST(hup_on_last_writer_close_on_unlink_and_gone_when_freed)
{
	struct ntfy_watch w = { .events = NTFY_HUP, .flags = NTFY_EDGE };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), r, w1, w2, id;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-hup", 0600, NULL), 0);
	r = sys_open("/ipc/nt-hup", O_RDONLY, 0);
	w1 = sys_open("/ipc/nt-hup", O_WRONLY, 0);
	w2 = sys_open("/ipc/nt-hup", O_WRONLY, 0);
	UTEST_ASSERT(r >= 0 && w1 >= 0 && w2 >= 0);
	id = sys_watch(nfd, "/ipc/nt-hup", &w);
	UTEST_EXPECT_EQ(id, 1);
	UTEST_EXPECT_EQ(sys_close(w1), 0);
	UTEST_EXPECT_EQ(ntfytest_read(nfd, recs, 4), -EAGAIN);  /* a writer is left */
	UTEST_EXPECT_EQ(sys_close(w2), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_HUP, 1);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-hup"), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_HUP, 1);
	UTEST_EXPECT_EQ(sys_close(r), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 2);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_HUP, 1);
	NTFYTEST_EXPECT_REC(recs[1], NTFY_GONE, 1);
	UTEST_EXPECT_EQ(recs[1].sub, id);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, id), -ENOENT);
	UTEST_EXPECT_EQ(ntfytest_subs(nfd), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
}

/* A write longer than the channel's messages fails: one ERROR record. */
UTEST(error_on_a_too_long_write)
{
	struct ntfy_watch w = { .events = NTFY_ERROR | NTFY_READABLE, .flags = NTFY_EDGE };
	struct chan_attr attr = { 4, 8 };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-err", 0600, &attr), 0);
	ch = sys_open("/ipc/nt-err", O_WRONLY, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-err", &w), 1);
	UTEST_EXPECT_EQ(sys_write(ch, "123456789", 9), -EMSGSIZE);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_ERROR, 1);
	UTEST_EXPECT_EQ(recs[0].depth, 0);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-err"), 0);
}

/* GONE cannot be asked for and comes all the same: a subscription to READABLE only sees
 * the channel freed, and is gone with it. */
UTEST(gone_ends_a_subscription_that_did_not_ask_for_it)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE, .cookie = 5 };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), id;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-gone", 0600, NULL), 0);
	id = sys_watch(nfd, "/ipc/nt-gone", &w);
	UTEST_EXPECT_EQ(id, 1);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-gone"), 0);     /* not open: freed at once */
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_GONE, 1);
	UTEST_EXPECT_EQ(recs[0].cookie, 5);
	UTEST_EXPECT_EQ(recs[0].sub, id);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, id), -ENOENT);
	UTEST_EXPECT_EQ(ntfytest_subs(nfd), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
}

/* GONE needs a slot like any record: on a full endpoint it is lost into the overflow
 * record (ipc/ntfy_core.h, "Overflow"), and the subscription ends all the same. */
UTEST(gone_lost_to_overflow_still_ends_the_subscription)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(1, O_NONBLOCK), id;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-full", 0600, NULL), 0);
	id = sys_watch(nfd, "/ipc/nt-full", &w);
	UTEST_EXPECT_EQ(id, 1);
	UTEST_EXPECT_EQ(chan_send_text("/ipc/nt-full", "x", 0), 0);     /* the one slot */
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-full"), 0);
	UTEST_EXPECT_EQ(ntfytest_subs(nfd), 0);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, id), -ENOENT);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 2);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 1);
	NTFYTEST_EXPECT_REC(recs[1], NTFY_OVERFLOW, 1);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "lost"), 1);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
}

/* ---- directories ---- */

/* CREATED and REMOVED carry the name; two creations while one record is pending
 * coalesce into it, which keeps the first name. */
UTEST(directory_watch_names_what_is_created_and_removed)
{
	struct ntfy_watch w = { .events = NTFY_CREATED | NTFY_REMOVED };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK);

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkdir("/ipc/nt-d", 0755), 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-d", &w), 1);
	UTEST_EXPECT_EQ(sys_mkchan("/ipc/nt-d/a", 0600, NULL), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_CREATED, 1);
	UTEST_EXPECT_STREQ(recs[0].name, "a");
	UTEST_EXPECT_EQ(sys_mkchan("/ipc/nt-d/b", 0600, NULL), 0);
	UTEST_EXPECT_EQ(sys_mkdir("/ipc/nt-d/sub", 0755), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-d/a"), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 2);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_CREATED, 2);
	UTEST_EXPECT_STREQ(recs[0].name, "b");
	NTFYTEST_EXPECT_REC(recs[1], NTFY_REMOVED, 1);
	UTEST_EXPECT_STREQ(recs[1].name, "a");
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-d/b"), 0);
	UTEST_EXPECT_EQ(sys_rmdir("/ipc/nt-d/sub"), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 1);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_REMOVED, 2);
	UTEST_EXPECT_STREQ(recs[0].name, "b");
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_rmdir("/ipc/nt-d"), 0);
}

/* A watched subdirectory removed: HUP (the directory itself went), then GONE (freed);
 * its parent's watcher sees REMOVED. */
UTEST(rmdir_of_a_watched_directory_gives_hup_then_gone)
{
	struct ntfy_watch dir = { .events = NTFY_HUP, .cookie = 1 };
	struct ntfy_watch parent = { .events = NTFY_REMOVED, .cookie = 2 };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, O_NONBLOCK), id;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkdir("/ipc/nt-p", 0755), 0);
	UTEST_ASSERT_EQ(sys_mkdir("/ipc/nt-p/sub", 0755), 0);
	id = sys_watch(nfd, "/ipc/nt-p/sub", &dir);
	UTEST_EXPECT_EQ(id, 1);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-p", &parent), 2);
	UTEST_EXPECT_EQ(sys_rmdir("/ipc/nt-p/sub"), 0);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 4), 3);
	NTFYTEST_EXPECT_REC(recs[0], NTFY_HUP, 1);
	UTEST_EXPECT_EQ(recs[0].cookie, 1);
	NTFYTEST_EXPECT_REC(recs[1], NTFY_REMOVED, 1);
	UTEST_EXPECT_EQ(recs[1].cookie, 2);
	UTEST_EXPECT_STREQ(recs[1].name, "sub");
	NTFYTEST_EXPECT_REC(recs[2], NTFY_GONE, 1);
	UTEST_EXPECT_EQ(recs[2].cookie, 1);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, id), -ENOENT);
	UTEST_EXPECT_EQ(ntfytest_subs(nfd), 1);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_rmdir("/ipc/nt-p"), 0);
}

/* ---- waiting ---- */

/* Nothing comes: poll returns 0 when its timeout has passed, not before, and not much
 * after; a timeout of 0 only looks. */
UTEST(poll_with_a_timeout_returns_zero_on_time)
{
	int nfd = sys_ntfy_new(0, 0);
	struct pollfd pfd = { .fd = nfd, .events = POLLIN, .revents = 0xff };
	long t0, elapsed;

	UTEST_ASSERT(nfd >= 0);
	t0 = sys_clock_ns();
	UTEST_EXPECT_EQ(sys_poll(&pfd, 1, NTFYTEST_TIMEOUT_NS), 0);
	elapsed = sys_clock_ns() - t0;
	UTEST_EXPECT_EQ(pfd.revents, 0);
	UTEST_EXPECT(elapsed >= NTFYTEST_TIMEOUT_NS);
	UTEST_EXPECT(elapsed < NTFYTEST_TIMEOUT_NS + NTFYTEST_SLACK_NS);
	t0 = sys_clock_ns();
	UTEST_EXPECT_EQ(sys_poll(&pfd, 1, 0), 0);
	UTEST_EXPECT(sys_clock_ns() - t0 < NTFYTEST_SLACK_NS);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
}

/* A read that sleeps on an empty endpoint returns with the record when a child process
 * writes to the watched channel NTFYTEST_LATE_NS later; the endpoint counts one wake-up. */
UTEST(blocked_read_returns_when_a_child_writes)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	struct ntfy_record recs[4];
	int nfd = sys_ntfy_new(4, 0), pid;
	long t0, elapsed;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-late", 0600, NULL), 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-late", &w), 1);
	t0 = sys_clock_ns();
	pid = ntfytest_spawn("late", "/ipc/nt-late", "wake", -1);
	UTEST_EXPECT(pid > 0);
	UTEST_EXPECT_EQ(ntfytest_read(nfd, recs, 4), 1);
	elapsed = sys_clock_ns() - t0;
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 1);
	UTEST_EXPECT(elapsed >= NTFYTEST_LATE_NS && elapsed < NTFYTEST_WAIT_NS);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "woken"), 1);
	UTEST_EXPECT_EQ(ntfytest_wait(pid), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-late"), 0);
}

/* A thread of this process that writes to fd after NTFYTEST_LATE_NS. */
static int ntfytest_late_writer(void *arg)
{
	sys_sleep_ns(NTFYTEST_LATE_NS);
	return sys_write(*(int *)arg, "t", 1) == 1 ? 0 : 1;
}

/* poll with no timeout on a channel and an endpoint that watches it: both become ready
 * when another thread writes. */
UTEST(poll_returns_when_a_thread_writes)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch, code = -1;
	struct pollfd pfd[2];
	struct uthread t;
	long t0;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-thr", 0600, NULL), 0);
	ch = sys_open("/ipc/nt-thr", O_RDWR, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-thr", &w), 1);
	pfd[0] = (struct pollfd){ .fd = ch, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = nfd, .events = POLLIN };
	t0 = sys_clock_ns();
	UTEST_ASSERT_EQ(uthread_create(&t, ntfytest_late_writer, &ch), 0);
	UTEST_EXPECT_EQ(sys_poll(pfd, 2, -1), 2);
	UTEST_EXPECT(sys_clock_ns() - t0 >= NTFYTEST_LATE_NS);
	UTEST_EXPECT_EQ(pfd[0].revents, POLLIN);
	UTEST_EXPECT_EQ(pfd[1].revents, POLLIN);
	UTEST_EXPECT_EQ(uthread_join(&t, &code), 0);
	UTEST_EXPECT_EQ(code, 0);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-thr"), 0);
}

/* A waiter thread for the preemption test: on CPU 0 at prio, it blocks in read on the
 * endpoint, and notes the time it runs again. */
struct ntfytest_waiter {
	int nfd, prio;
	long woke_ns;
};

static int ntfytest_waiter_main(void *arg)
{
	struct ntfytest_waiter *w = arg;
	struct ntfy_record rec;

	if (sys_affinity(0) != 0 || sys_setprio(w->prio) < 0)
		return 1;
	if (sys_read(w->nfd, &rec, sizeof rec) != (long)sizeof rec)
		return 2;
	w->woke_ns = sys_clock_ns();
	return 0;
}

/* With the waiter asleep on CPU 0 at prio, write to the channel it watches from CPU 0 and
 * note the time the write returns. Returns the waiter's wake time minus that time. */
static long ntfytest_wake_order(int prio)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	struct ntfytest_waiter wt = { .prio = prio };
	long written_ns = 0;
	struct uthread t;
	struct stat st;
	int ch, code = -1;

	wt.nfd = sys_ntfy_new(4, 0);
	if (wt.nfd < 0 || sys_mkchan("/ipc/nt-prio", 0600, NULL) ||
	    sys_watch(wt.nfd, "/ipc/nt-prio", &w) != 1)
		return 0;
	ch = sys_open("/ipc/nt-prio", O_RDWR, 0);
	if (ch >= 0 && uthread_create(&t, ntfytest_waiter_main, &wt) == 0) {
		do
			sys_sleep_ns(100000);
		while (sys_fstat(wt.nfd, &st) == 0 && st.st_extra[2] == 0);
		if (sys_write(ch, "x", 1) == 1)
			written_ns = sys_clock_ns();
		uthread_join(&t, &code);
	}
	sys_close(ch);
	sys_close(wt.nfd);
	sys_unlink("/ipc/nt-prio");
	return code == 0 && written_ns ? wt.woke_ns - written_ns : 0;
}

/* Scheduling: a waiter of higher priority than the writer on the writer's CPU runs the
 * moment the notification makes it runnable, before the writer's write even returns; one
 * of the same priority waits its turn (here: until the writer's thread waits to join). */
UTEST(a_notified_waiter_of_higher_priority_preempts_the_writer)
{
	UTEST_ASSERT_EQ(sys_affinity(0), 0);
	UTEST_EXPECT(ntfytest_wake_order(SCHED_HIGH) < 0);
	UTEST_EXPECT(ntfytest_wake_order(SCHED_NORMAL) > 0);
	UTEST_EXPECT_EQ(sys_setprio(SCHED_LOW + 1), -EINVAL);
	UTEST_EXPECT_EQ(sys_setprio(-1), -EINVAL);
	UTEST_EXPECT_EQ(sys_setprio(SCHED_NORMAL), SCHED_NORMAL);
	UTEST_EXPECT_EQ(ntfytest_wait(ntfytest_spawn("prio", "-", "-", 1000)), 0);
	UTEST_EXPECT(sys_affinity(-1) >= 0);
}

/* Each descriptor gets its own answer: a channel with a message (in and out), one with a
 * writer and nothing queued (nothing), one with no writer (in and hang-up, unasked), an
 * endpoint with a record, a descriptor that is not open (POLLNVAL alone) and a negative
 * one (skipped). */
UTEST(poll_reports_each_descriptor_on_its_own)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	int nfd = sys_ntfy_new(4, O_NONBLOCK), a, b, c;
	struct stat st;
	struct pollfd pfd[6];
	size_t i;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_fstat(NTFYTEST_BAD_FD, &st), -EBADF);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-pa", 0600, NULL), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-pb", 0600, NULL), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-pc", 0600, NULL), 0);
	a = sys_open("/ipc/nt-pa", O_RDWR, 0);
	b = sys_open("/ipc/nt-pb", O_RDWR, 0);
	c = sys_open("/ipc/nt-pc", O_RDONLY, 0);
	UTEST_ASSERT(a >= 0 && b >= 0 && c >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-pa", &w), 1);
	UTEST_EXPECT_EQ(sys_write(a, "x", 1), 1);
	pfd[0] = (struct pollfd){ .fd = a, .events = POLLIN | POLLOUT };
	pfd[1] = (struct pollfd){ .fd = b, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = c, .events = POLLIN };
	pfd[3] = (struct pollfd){ .fd = nfd, .events = POLLIN };
	pfd[4] = (struct pollfd){ .fd = NTFYTEST_BAD_FD, .events = POLLIN };
	pfd[5] = (struct pollfd){ .fd = -1, .events = POLLIN };
	for (i = 0; i < ARRAY_SIZE(pfd); i++)
		pfd[i].revents = 0xffff;
	UTEST_EXPECT_EQ(sys_poll(pfd, ARRAY_SIZE(pfd), -1), 4);
	UTEST_EXPECT_EQ(pfd[0].revents, POLLIN | POLLOUT);
	UTEST_EXPECT_EQ(pfd[1].revents, 0);
	UTEST_EXPECT_EQ(pfd[2].revents, POLLIN | POLLHUP);
	UTEST_EXPECT_EQ(pfd[3].revents, POLLIN);
	UTEST_EXPECT_EQ(pfd[4].revents, POLLNVAL);
	UTEST_EXPECT_EQ(pfd[5].revents, 0);
	UTEST_EXPECT_EQ(sys_close(a) + sys_close(b) + sys_close(c) + sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-pa") + sys_unlink("/ipc/nt-pb") +
			sys_unlink("/ipc/nt-pc"), 0);
}

/* ---- what is left behind ---- */

/* Make (make true) or remove the killed waiter's channels. Returns how many steps failed. */
static int ntfytest_kill_chans(bool make)
{
	char path[48];
	int i, failed = 0;

	if (make)
		failed += sys_mkdir(NTFYTEST_KILL_DIR, 0755) != 0;
	for (i = 0; i < NTFYTEST_KILL_CHANS; i++) {
		snprintf(path, sizeof path, NTFYTEST_KILL_DIR "/c%d", i);
		failed += (make ? sys_mkchan(path, 0600, NULL) : sys_unlink(path)) != 0;
	}
	if (!make)
		failed += sys_rmdir(NTFYTEST_KILL_DIR) != 0;
	return failed;
}

/* Start a child in mode "read" or "poll" on NTFYTEST_KILL_CHANS channels, wait until it
 * sleeps, kill it, and check that its endpoint and subscriptions are gone from the totals,
 * and that the channels can then be freed (a poller still hooked on one would trip the
 * kernel's assertion there). */
static void ntfytest_kill_waiter(const char *mode)
{
	long long subs = chanstat_summary("notify_subs");
	long long alive = chanstat_summary("notify_endpoints_alive");
	long long waiting = chanstat_summary("notify_waiting");
	bool reader = strcmp(mode, "read") == 0;
	struct meminfo before, after;
	char count[8];
	int pid;

	UTEST_ASSERT(subs >= 0 && alive >= 0 && waiting >= 0);
	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	UTEST_EXPECT_EQ(ntfytest_kill_chans(true), 0);
	snprintf(count, sizeof count, "%d", NTFYTEST_KILL_CHANS);
	pid = ntfytest_spawn(mode, NTFYTEST_KILL_DIR, count, -1);
	UTEST_EXPECT(pid > 0);
	UTEST_EXPECT(ntfytest_await("notify_subs", subs + NTFYTEST_KILL_CHANS));
	/* a reader shows in notify_waiting; a poller is given time to get into poll */
	if (reader)
		UTEST_EXPECT(ntfytest_await("notify_waiting", waiting + 1));
	else
		sys_sleep_ns(NTFYTEST_LATE_NS);
	UTEST_EXPECT_EQ(sys_kill(pid), 0);
	UTEST_EXPECT_EQ(ntfytest_wait(pid), EXIT_KILLED);
	UTEST_EXPECT_EQ(chanstat_summary("notify_subs"), subs);
	UTEST_EXPECT_EQ(chanstat_summary("notify_endpoints_alive"), alive);
	UTEST_EXPECT_EQ(chanstat_summary("notify_waiting"), waiting);
	UTEST_EXPECT_EQ(ntfytest_kill_chans(false), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

/* A child subscribed to several channels and asleep in read is killed: its endpoint, its
 * subscriptions and their memory all go with it. */
UTEST(a_killed_reader_leaves_no_subscription_behind)
{
	ntfytest_kill_waiter("read");
}

/* The same for a child asleep in poll on its endpoint and a channel. */
UTEST(a_killed_poller_leaves_no_subscription_behind)
{
	ntfytest_kill_waiter("poll");
}

/* NTFYTEST_CYCLES subscriptions made and ended one after the other: the kernel's memory is
 * where it was, and ids are never reused. */
UTEST(memory_returns_to_baseline_after_many_watch_unwatch_cycles)
{
	struct ntfy_watch w = { .events = NTFY_CHAN_EVENTS, .flags = NTFY_EDGE };
	struct meminfo before, after;
	int nfd, i, id = 0, failed = 0;

	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-cycle", 0600, NULL), 0);
	nfd = sys_ntfy_new(0, O_NONBLOCK);
	UTEST_ASSERT(nfd >= 0);
	for (i = 0; i < NTFYTEST_CYCLES; i++) {
		id = sys_watch(nfd, "/ipc/nt-cycle", &w);
		failed += id != i + 1;
		failed += sys_unwatch(nfd, id) != 0;
	}
	UTEST_EXPECT_EQ(failed, 0);
	UTEST_EXPECT_EQ(id, NTFYTEST_CYCLES);
	UTEST_EXPECT_EQ(ntfytest_subs(nfd), 0);
	UTEST_EXPECT_EQ(ntfytest_pending(nfd), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-cycle"), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

/* One endpoint takes NTFY_SUBS_MAX subscriptions, and not one more. */
UTEST(an_endpoint_holds_at_most_NTFY_SUBS_MAX_subscriptions)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	int nfd = sys_ntfy_new(0, O_NONBLOCK), i, failed = 0;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-many", 0600, NULL), 0);
	for (i = 0; i < NTFY_SUBS_MAX; i++)
		failed += sys_watch(nfd, "/ipc/nt-many", &w) != i + 1;
	UTEST_EXPECT_EQ(failed, 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-many", &w), -ENOSPC);
	UTEST_EXPECT_EQ(ntfytest_subs(nfd), NTFY_SUBS_MAX);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, 1), 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-many", &w), NTFY_SUBS_MAX + 1);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-many"), 0);
}

/* ---- bad input ---- */

/* A request watch() must refuse, and the object it is made on. */
struct ntfytest_bad {
	const char *path;
	struct ntfy_watch w;
};

/* Empty or unknown masks, events the object never posts (GONE and OVERFLOW included),
 * unknown flags, FROM_UID without EDGE or with no uid, a depth above any channel's, a depth
 * filter on a directory: each -EINVAL, and no subscription is made. */
UTEST(watch_rejects_bad_masks_flags_and_filters)
{
	static const struct ntfytest_bad bad[] = {
		{ "/ipc/nt-bad", { .events = 0, .flags = NTFY_EDGE } },
		{ "/ipc/nt-bad", { .events = 0x100, .flags = NTFY_EDGE } },
		{ "/ipc/nt-bad", { .events = NTFY_READABLE | 0x80000000u } },
		{ "/ipc/nt-bad", { .events = NTFY_CREATED } },
		{ "/ipc/nt-bad", { .events = NTFY_GONE } },
		{ "/ipc/nt-bad", { .events = NTFY_OVERFLOW } },
		{ "/ipc/nt-bad", { .events = NTFY_READABLE, .flags = 0x8 } },
		{ "/ipc/nt-bad", { .events = NTFY_READABLE, .flags = NTFY_FROM_UID } },
		{ "/ipc/nt-bad", { .events = NTFY_READABLE, .flags = NTFY_EDGE | NTFY_FROM_UID,
				   .uid = -1 } },
		{ "/ipc/nt-bad", { .events = NTFY_READABLE, .flags = NTFY_DEPTH,
				   .depth = CHAN_CAPACITY_MAX + 1 } },
		{ "/ipc/nt-baddir", { .events = NTFY_READABLE } },
		{ "/ipc/nt-baddir", { .events = NTFY_WRITABLE | NTFY_CREATED } },
		{ "/ipc/nt-baddir", { .events = NTFY_CREATED, .flags = NTFY_DEPTH } },
		{ "/ipc/nt-none", { .events = 0 } },    /* the request is checked before the path */
	};
	struct ntfy_watch chan_ok = { .events = NTFY_CHAN_EVENTS,
				      .flags = NTFY_EDGE | NTFY_FROM_UID | NTFY_DEPTH,
				      .depth = CHAN_CAPACITY_MAX };
	struct ntfy_watch dir_ok = { .events = NTFY_DIR_EVENTS, .flags = NTFY_EDGE };
	int nfd = sys_ntfy_new(0, O_NONBLOCK);
	size_t i;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-bad", 0600, NULL), 0);
	UTEST_ASSERT_EQ(sys_mkdir("/ipc/nt-baddir", 0755), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (!UTEST_EXPECT_EQ(sys_watch(nfd, bad[i].path, &bad[i].w), -EINVAL))
			tap_diag(utest_tap(), "bad request %u", (unsigned)i);
	UTEST_EXPECT_EQ(ntfytest_subs(nfd), 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-bad", &chan_ok), 1);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-baddir", &dir_ok), 2);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-bad"), 0);
	UTEST_EXPECT_EQ(sys_rmdir("/ipc/nt-baddir"), 0);
}

/* What watch() is pointed at: nothing (-ENOENT), a plain file or a directory that holds no
 * channels (-EINVAL), a channel the caller may not read (-EACCES, as another user). */
UTEST(watch_needs_a_channel_or_directory_the_caller_may_read)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	struct ntfy_watch d = { .events = NTFY_CREATED };
	int nfd = sys_ntfy_new(0, O_NONBLOCK);

	UTEST_ASSERT(nfd >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-none", &w), -ENOENT);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-none/x", &w), -ENOENT);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/etc/rc", &w), -EINVAL);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/tmp", &d), -EINVAL);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-secret", 0600, NULL), 0);
	UTEST_EXPECT_EQ(ntfytest_wait(ntfytest_spawn("denied", "/ipc/nt-secret", NULL,
						     NTFYTEST_USER)), 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-secret", &w), 1);       /* root may */
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-secret"), 0);
}

/* watch and unwatch on a descriptor that is not an endpoint (-EINVAL) or not open
 * (-EBADF), with an unmapped request (-EFAULT), and unwatch of an id never given
 * (-ENOENT). */
UTEST(watch_and_unwatch_need_an_open_endpoint_and_a_known_id)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	int nfd = sys_ntfy_new(0, O_NONBLOCK), ch;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-fd", 0600, NULL), 0);
	ch = sys_open("/ipc/nt-fd", O_RDONLY, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(ch, "/ipc/nt-fd", &w), -EINVAL);
	UTEST_EXPECT_EQ(sys_unwatch(ch, 1), -EINVAL);
	UTEST_EXPECT_EQ(sys_watch(NTFYTEST_BAD_FD, "/ipc/nt-fd", &w), -EBADF);
	UTEST_EXPECT_EQ(sys_unwatch(NTFYTEST_BAD_FD, 1), -EBADF);
	UTEST_EXPECT_EQ(sys_watch(-1, "/ipc/nt-fd", &w), -EBADF);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-fd", (const struct ntfy_watch *)8), -EFAULT);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, 1), -ENOENT);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-fd", &w), 1);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, 2), -ENOENT);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, 0), -ENOENT);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, -1), -ENOENT);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, 1), 0);
	UTEST_EXPECT_EQ(sys_unwatch(nfd, 1), -ENOENT);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-fd"), 0);
}

/* read() on an endpoint wants room for a whole record (-EINVAL) in memory it may write
 * (-EFAULT); either failure leaves the records queued. An endpoint is not for writing. */
UTEST(endpoint_read_needs_a_whole_record_of_writable_memory)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	int nfd = sys_ntfy_new(4, O_NONBLOCK), ch;
	struct ntfy_record recs[2];
	long gone, ro;

	UTEST_ASSERT(nfd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/nt-rd", 0600, NULL), 0);
	ch = sys_open("/ipc/nt-rd", O_WRONLY, 0);
	UTEST_ASSERT(ch >= 0);
	UTEST_EXPECT_EQ(sys_watch(nfd, "/ipc/nt-rd", &w), 1);
	UTEST_EXPECT_EQ(sys_write(ch, "x", 1), 1);
	gone = sys_map(4096, PROT_READ | PROT_WRITE);
	ro = sys_map(4096, PROT_READ);
	UTEST_ASSERT(gone > 0 && ro > 0);
	UTEST_EXPECT_EQ(sys_unmap((void *)gone, 4096), 0);
	UTEST_EXPECT_EQ(sys_read(nfd, recs, sizeof recs[0] - 1), -EINVAL);
	UTEST_EXPECT_EQ(sys_read(nfd, (void *)gone, sizeof recs[0]), -EFAULT);
	UTEST_EXPECT_EQ(sys_read(nfd, (void *)ro, sizeof recs[0]), -EFAULT);
	UTEST_EXPECT_EQ(ntfytest_pending(nfd), 1);
	UTEST_ASSERT_EQ(ntfytest_read(nfd, recs, 2), 1);        /* still there */
	NTFYTEST_EXPECT_REC(recs[0], NTFY_READABLE, 1);
	UTEST_EXPECT_EQ(recs[0].seq, 1);
	UTEST_EXPECT_EQ(sys_write(nfd, "x", 1), -EBADF);
	UTEST_EXPECT_EQ(sys_unmap((void *)ro, 4096), 0);
	UTEST_EXPECT_EQ(sys_close(ch), 0);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/nt-rd"), 0);
}

/* ntfy_new: a capacity above NTFY_CAPACITY_MAX or a flag other than O_NONBLOCK is -EINVAL
 * (the largest capacity is fine). poll: more than POLL_MAX descriptors or a timeout below
 * -1 is -EINVAL. */
UTEST(ntfy_new_and_poll_reject_bad_arguments)
{
	static struct pollfd fds[POLL_MAX + 1];
	size_t i;
	int nfd;

	UTEST_EXPECT_EQ(sys_ntfy_new(NTFY_CAPACITY_MAX + 1, 0), -EINVAL);
	UTEST_EXPECT_EQ(sys_ntfy_new(0, O_RDWR), -EINVAL);
	UTEST_EXPECT_EQ(sys_ntfy_new(0, O_NONBLOCK | O_APPEND), -EINVAL);
	nfd = sys_ntfy_new(NTFY_CAPACITY_MAX, O_NONBLOCK);
	UTEST_ASSERT(nfd >= 0);
	UTEST_EXPECT_EQ(ntfytest_notify(nfd, "capacity"), NTFY_CAPACITY_MAX);
	UTEST_EXPECT_EQ(sys_close(nfd), 0);
	for (i = 0; i < ARRAY_SIZE(fds); i++)
		fds[i] = (struct pollfd){ .fd = -1, .events = POLLIN };
	UTEST_EXPECT_EQ(sys_poll(fds, POLL_MAX + 1, 0), -EINVAL);
	UTEST_EXPECT_EQ(sys_poll(fds, POLL_MAX, 0), 0);
	UTEST_EXPECT_EQ(sys_poll(fds, 1, -2), -EINVAL);
	UTEST_EXPECT_EQ(sys_poll(fds, 1, -1000000000L), -EINVAL);
}

int main(int argc, char **argv)
{
	int status = ntfytest_child_main(argc, argv);

	return status >= 0 ? status : utest_main(argc, argv);
}
