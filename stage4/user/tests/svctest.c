/* svctest: timesrv, the example server (ulib/timesrv.h), through its protocol: answers to
 * time and stats, several clients of different users at once, a client that names a
 * channel it does not own, bad requests, and no memory left behind. The kernel runs it
 * with utest=svctest (make check: utest-x86_64-svctest.qtest).
 *
 * A test boot does not run init, so nothing runs /etc/rc: each test starts a server of
 * its own on SVCT_SERVER and kills it at the end.
 *
 * Child modes (argv[1]) make this program its own helper process:
 *   svctest client I N     as its own user: make /ipc/ut-cI, ask N times, check the answers
 *   svctest ask REPLY      send one "time REPLY" request, and exit 0 */
#include <stdbool.h>
#include <kernel/compiler.h>    /* ARRAY_SIZE */
#include <ulib/ipc.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/timesrv.h>
#include <ulib/utest.h>

#define SVCT_SERVER "/ipc/ut-timesrv"
#define SVCT_REPLY "/ipc/ut-reply"
#define SVCT_VICTIM "/ipc/ut-victim"
#define SVCT_USER 1000
#define SVCT_CLIENTS 4                  /* client processes at once */
#define SVCT_ASKS 25                    /* requests of each */
#define SVCT_WAIT_NS 5000000000L        /* an answer comes within this */
#define SVCT_POLL_NS 1000000L

/* Wait for the next message on fd (non-blocking) into buf as a string, from uid 0 (the
 * server). Returns its length, or -ETIMEDOUT, -EPERM (someone else wrote it) or -errno. */
static long svct_answer(int fd, char *buf, size_t len)
{
	long end = sys_clock_ns() + SVCT_WAIT_NS, n;
	struct chan_msg_info info;

	while ((n = sys_recv(fd, buf, len - 1, &info)) == -EAGAIN && sys_clock_ns() < end)
		sys_sleep_ns(SVCT_POLL_NS);
	if (n < 0)
		return n == -EAGAIN ? -ETIMEDOUT : n;
	buf[n] = '\0';
	return info.from.uid == 0 ? n : -EPERM;
}

/* Ask "op reply" and wait for the answer on fd into buf. Returns its length or -errno. */
static long svct_ask(const char *op, const char *reply, int fd, char *buf, size_t len)
{
	char req[TIMESRV_REQ_MAX];
	long err;

	snprintf(req, sizeof req, "%s %s", op, reply);
	err = chan_send_text(SVCT_SERVER, req, 0);
	return err < 0 ? err : svct_answer(fd, buf, len);
}

/* Make the channel path (mode 0600, the caller's) and open it for reading and writing
 * without blocking: a reply channel. Returns the descriptor or -errno. */
static int svct_reply_make(const char *path)
{
	int err = sys_mkchan(path, 0600, NULL);

	return err < 0 ? err : sys_open(path, O_RDWR | O_NONBLOCK, 0);
}

/* Child mode "client I N": N time requests, each answered with a clock that does not go
 * back and is not ahead of ours. Exit status 0, or the step that went wrong. */
static int svct_client(const char *index, const char *count)
{
	char reply[32], ans[TIMESRV_REPLY_MAX];
	long prev = 0, ns;
	int fd, i, n = atoi(count), status = 0;

	snprintf(reply, sizeof reply, "/ipc/ut-c%s", index);
	fd = svct_reply_make(reply);
	if (fd < 0)
		return 2;
	for (i = 0; i < n && status == 0; i++) {
		if (svct_ask("time", reply, fd, ans, sizeof ans) < 0 || strncmp(ans, "ok ", 3))
			status = 3;
		else if ((ns = strtol(ans + 3, NULL, 10)) < prev || ns > sys_clock_ns())
			status = 4;
		else
			prev = ns;
	}
	sys_close(fd);
	return sys_unlink(reply) == 0 ? status : 5;
}

/* The status of a child mode, or -1 when argv names none (then this is the test). */
static int svct_child_main(int argc, char **argv)
{
	char req[TIMESRV_REQ_MAX];

	if (argc == 4 && strcmp(argv[1], "client") == 0)
		return svct_client(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "ask") == 0) {
		snprintf(req, sizeof req, "time %s", argv[2]);
		return chan_send_text(SVCT_SERVER, req, 0) == 0 ? 0 : 1;
	}
	return -1;
}

/* Start this program in child mode argv[1..] as uid. Returns its pid or -errno. */
static int svct_spawn(char *const argv[], int uid)
{
	struct spawn_attr attr = { uid, uid };

	return sys_spawn("/bin/svctest", argv, &attr);
}

/* Wait for pid (the result of a spawn); its exit status, or -1. */
static int svct_wait(int pid)
{
	int status = -1;

	return pid > 0 && sys_wait(pid, &status) == pid ? status : -1;
}

/* Start timesrv on SVCT_SERVER and wait until its channel is there. Returns its pid or
 * -errno. */
static int svct_server_start(void)
{
	char *argv[] = { "timesrv", SVCT_SERVER, NULL };
	long end = sys_clock_ns() + SVCT_WAIT_NS;
	struct stat st;
	int pid = sys_spawn("/bin/timesrv", argv, NULL);

	while (pid > 0 && sys_stat(SVCT_SERVER, &st) < 0 && sys_clock_ns() < end)
		sys_sleep_ns(SVCT_POLL_NS);
	return pid;
}

/* Kill the server pid and remove its channel. Returns 0 when all went as it should. */
static int svct_server_stop(int pid)
{
	int failed = sys_kill(pid) != 0;

	failed += svct_wait(pid) != EXIT_KILLED;
	return failed + (sys_unlink(SVCT_SERVER) != 0);
}

/* Ask for the server's counters and check them against the four numbers wanted. */
static void svct_expect_counts(int fd, unsigned long served, unsigned long refused,
			       unsigned long bad, unsigned long unreachable)
{
	char ans[TIMESRV_REPLY_MAX], want[TIMESRV_REPLY_MAX];

	snprintf(want, sizeof want, "ok served=%lu refused=%lu bad=%lu unreachable=%lu",
		 served, refused, bad, unreachable);
	UTEST_EXPECT(svct_ask("stats", SVCT_REPLY, fd, ans, sizeof ans) > 0);
	UTEST_EXPECT_STREQ(ans, want);
}

UTEST(server_answers_the_time_and_its_counters)
{
	char ans[TIMESRV_REPLY_MAX];
	long before = sys_clock_ns(), ns;
	int pid = svct_server_start(), fd = svct_reply_make(SVCT_REPLY);

	UTEST_ASSERT(pid > 0 && fd >= 0);
	UTEST_EXPECT(svct_ask("time", SVCT_REPLY, fd, ans, sizeof ans) > 0);
	UTEST_EXPECT_EQ(strncmp(ans, "ok ", 3), 0);
	ns = strtol(ans + 3, NULL, 10);
	UTEST_EXPECT(ns >= before && ns <= sys_clock_ns());
	svct_expect_counts(fd, 1, 0, 0, 0);     /* the stats answer is counted after it */
	svct_expect_counts(fd, 2, 0, 0, 0);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink(SVCT_REPLY), 0);
	UTEST_EXPECT_EQ(svct_server_stop(pid), 0);
}

/* SVCT_CLIENTS processes, each of its own user, ask at the same time: one server answers
 * them all, each into its own channel. */
UTEST(concurrent_clients_of_several_users_each_get_their_answers)
{
	char index[SVCT_CLIENTS][8], count[8];
	int server = svct_server_start(), pids[SVCT_CLIENTS], i, fd;

	UTEST_ASSERT(server > 0);
	snprintf(count, sizeof count, "%d", SVCT_ASKS);
	for (i = 0; i < SVCT_CLIENTS; i++) {
		char *argv[] = { "svctest", "client", index[i], count, NULL };

		snprintf(index[i], sizeof index[i], "%d", i);
		pids[i] = svct_spawn(argv, SVCT_USER + i);
		UTEST_EXPECT(pids[i] > 0);
	}
	for (i = 0; i < SVCT_CLIENTS; i++)
		UTEST_EXPECT_EQ(svct_wait(pids[i]), 0);
	fd = svct_reply_make(SVCT_REPLY);
	UTEST_ASSERT(fd >= 0);
	svct_expect_counts(fd, SVCT_CLIENTS * SVCT_ASKS, 0, 0, 0);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink(SVCT_REPLY), 0);
	UTEST_EXPECT_EQ(svct_server_stop(server), 0);
}

/* The server is root and could open any channel; it answers only into the sender's own.
 * A user names another user's private channel, root's, and the server's own: each is
 * refused, and the victim's channel stays empty. */
UTEST(a_client_cannot_redirect_answers_into_a_channel_it_does_not_own)
{
	char *victim[] = { "svctest", "ask", SVCT_VICTIM, NULL };
	char *rootc[] = { "svctest", "ask", SVCT_REPLY, NULL };
	char *server[] = { "svctest", "ask", SVCT_SERVER, NULL };
	int pid = svct_server_start(), fd = svct_reply_make(SVCT_REPLY);
	struct stat st;

	UTEST_ASSERT(pid > 0 && fd >= 0);
	UTEST_ASSERT_EQ(sys_mkchan(SVCT_VICTIM, 0600, NULL), 0);
	UTEST_EXPECT_EQ(sys_chown(SVCT_VICTIM, SVCT_USER + 1, SVCT_USER + 1), 0);
	UTEST_EXPECT_EQ(svct_wait(svct_spawn(victim, SVCT_USER)), 0);
	UTEST_EXPECT_EQ(svct_wait(svct_spawn(rootc, SVCT_USER)), 0);
	UTEST_EXPECT_EQ(svct_wait(svct_spawn(server, SVCT_USER)), 0);
	/* One queue, one server: the stats request is answered after the three. */
	svct_expect_counts(fd, 0, 3, 0, 0);
	UTEST_EXPECT_EQ(sys_stat(SVCT_VICTIM, &st), 0);
	UTEST_EXPECT_EQ(st.st_size, 0);                 /* nothing was written into it */
	UTEST_EXPECT_EQ(sys_unlink(SVCT_VICTIM), 0);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink(SVCT_REPLY), 0);
	UTEST_EXPECT_EQ(svct_server_stop(pid), 0);
}

/* Requests the server cannot parse, cannot answer or does not know: each is counted, an
 * unknown one that names a good channel gets an error answer, and the server goes on. */
UTEST(bad_requests_are_counted_and_the_server_goes_on)
{
	static const char *const bad[] = { "", "time", " " SVCT_REPLY, "time " SVCT_REPLY " x",
					   "time  " SVCT_REPLY };
	char ans[TIMESRV_REPLY_MAX];
	int pid = svct_server_start(), fd = svct_reply_make(SVCT_REPLY);
	size_t i;

	UTEST_ASSERT(pid > 0 && fd >= 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		UTEST_EXPECT_EQ(chan_send_text(SVCT_SERVER, bad[i], 0), 0);
	UTEST_EXPECT_EQ(chan_send_text(SVCT_SERVER, "time /ipc/ut-nonexistent", 0), 0);
	UTEST_EXPECT(svct_ask("frobnicate", SVCT_REPLY, fd, ans, sizeof ans) > 0);
	UTEST_EXPECT_STREQ(ans, "error unknown request");
	UTEST_EXPECT(svct_ask("time", SVCT_REPLY, fd, ans, sizeof ans) > 0);
	UTEST_EXPECT_EQ(strncmp(ans, "ok ", 3), 0);
	svct_expect_counts(fd, 1, 0, ARRAY_SIZE(bad) + 1, 1);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink(SVCT_REPLY), 0);
	UTEST_EXPECT_EQ(svct_server_stop(pid), 0);
}

/* One round: a server, two clients of their own users, the server killed. */
static int svct_round(void)
{
	char *argv[] = { "svctest", "client", "9", "5", NULL };
	int server = svct_server_start(), failed = server <= 0;

	failed += svct_wait(svct_spawn(argv, SVCT_USER)) != 0;
	failed += svct_wait(svct_spawn(argv, SVCT_USER + 1)) != 0;
	return failed + (server > 0 ? svct_server_stop(server) : 0);
}

/* After rounds of server and clients, the kernel's counters are where they were (one
 * round first, so that what the kernel sets up on first use is there in both readings). */
UTEST(server_and_clients_leave_nothing_behind)
{
	struct meminfo before, after;
	int failed = svct_round();

	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	failed += svct_round() + svct_round();
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_EQ(failed, 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

int main(int argc, char **argv)
{
	int status = svct_child_main(argc, argv);

	return status >= 0 ? status : utest_main(argc, argv);
}
