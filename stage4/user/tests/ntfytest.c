/* ntfytest: notifications through the real system calls: endpoints, subscriptions, the
 * records a channel's and a directory's changes produce, filters, overflow, poll with a
 * timeout, and bad input. The kernel runs it with utest=ntfytest (make check:
 * utest-x86_64-ntfytest.qtest). lab-guides/stage4.md, "Notifications". */
#include <stdbool.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/utest.h>

/* Read at most max records from nfd into recs. Returns how many, or -errno. */
static long ntfytest_read(int nfd, struct ntfy_record *recs, size_t max)
{
	long r = sys_read(nfd, recs, max * sizeof *recs);

	return r < 0 ? r : r / (long)sizeof *recs;
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

int main(int argc, char **argv)
{
	return utest_main(argc, argv);
}
