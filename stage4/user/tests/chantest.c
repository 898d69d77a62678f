/* chantest: channels through the real system calls: mkchan, open, write, read, recv and
 * its metadata, call (a request and its reply in one system call) and its fast path, a
 * child process as producer and the parent as consumer, the shell's redirections, the
 * access check, and bad pointers. The kernel runs it with
 * utest=chantest (make check: utest-x86_64-chantest.qtest).
 *
 * A child mode (argv[1]) makes this program its own helper process:
 *   chantest produce PATH N    write N messages "msg I" to PATH, then exit 0
 *   chantest open PATH         exit 0 when opening PATH for reading gives -EACCES */
#include <stdbool.h>
#include <ulib/chanstat.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>
#include <ulib/utest.h>

#define CHANTEST_MSGS 50               /* messages of the producer */
#define CHANTEST_KERNEL_ADDR 0xffffffff80000000UL
#define CHANTEST_USER 1000

/* Run this program as a child with mode and its arguments, as uid (-1: the same). Returns
 * the child's exit status, or a negated errno. */
static int chantest_child(const char *mode, const char *a1, const char *a2, int uid)
{
	char *argv[] = { "chantest", (char *)mode, (char *)a1, (char *)a2, NULL };
	struct spawn_attr attr = { uid, uid };
	int pid = sys_spawn("/bin/chantest", argv, &attr), status = -1;

	if (pid < 0)
		return pid;
	return sys_wait(pid, &status) == pid ? status : -ECHILD;
}

/* Run the shell command line cmd; returns its exit status or a negated errno. */
static int chantest_sh(const char *cmd)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	int pid = sys_spawn("/bin/sh", argv, NULL), status = -1;

	if (pid < 0)
		return pid;
	return sys_wait(pid, &status) == pid ? status : -ECHILD;
}

/* Child mode "produce PATH N". */
static int chantest_produce(const char *path, const char *count)
{
	int fd = sys_open(path, O_WRONLY, 0), i, n = atoi(count);
	char msg[32];

	if (fd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(msg, sizeof msg, "msg %d", i);
		if (sys_write(fd, msg, strlen(msg)) != (long)strlen(msg))
			return 2;
	}
	return sys_close(fd) == 0 ? 0 : 3;
}

/* Child mode "call OUT IN": one call, a request of one byte on channel OUT and the wait
 * for the reply on IN. Its exit status is the reply's length, or 100 on a failure. */
static int chantest_call_once(const char *out, const char *in)
{
	int o = sys_open(out, O_WRONLY, 0), i = sys_open(in, O_RDONLY, 0);
	char buf[16];
	long n = o >= 0 && i >= 0 ? sys_call(o, "?", 1, i, buf, sizeof buf) : -1;

	return n >= 0 ? (int)n : 100;
}

/* The status of a child mode, or -1 when argv names none (then this is the test). */
static int chantest_child_main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "produce") == 0)
		return chantest_produce(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "call") == 0)
		return chantest_call_once(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "open") == 0)
		return sys_open(argv[2], O_RDONLY, 0) == -EACCES ? 0 : 1;
	return -1;
}

UTEST(mkchan_open_write_read_unlink)
{
	struct chan_attr bad = { CHAN_CAPACITY_MAX + 1, 16 }, small = { 2, 16 };
	struct meminfo before, after;
	struct stat st;
	char buf[16];
	int r, w;

	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-rt", 0620, &small), 0);
	UTEST_EXPECT_EQ(sys_mkchan("/ipc/ut-rt", 0620, NULL), -EEXIST);
	UTEST_EXPECT_EQ(sys_mkchan("/ipc/ut-bad", 0620, &bad), -EINVAL);
	UTEST_EXPECT_EQ(sys_mkchan("/tmp/ut-chan", 0620, NULL), -EINVAL);
	w = sys_open("/ipc/ut-rt", O_WRONLY, 0);
	r = sys_open("/ipc/ut-rt", O_RDONLY, 0);
	UTEST_ASSERT(w >= 0 && r >= 0);
	UTEST_EXPECT_EQ(sys_write(w, "one", 3), 3);
	UTEST_EXPECT_EQ(sys_write(w, "two!", 4), 4);
	UTEST_EXPECT_EQ(sys_write(w, "0123456789abcdefX", 17), -EMSGSIZE);
	UTEST_ASSERT_EQ(sys_stat("/ipc/ut-rt", &st), 0);
	UTEST_EXPECT_EQ(st.st_mode, S_IFIFO | 0620);
	UTEST_EXPECT_EQ(st.st_size, 2);
	UTEST_EXPECT_EQ(st.st_extra[0], 2);
	UTEST_EXPECT_EQ(st.st_extra[1], 16);
	UTEST_EXPECT_EQ(sys_read(r, buf, 2), -EMSGSIZE);     /* and the message stays */
	UTEST_EXPECT_EQ(sys_read(r, buf, sizeof buf), 3);
	UTEST_EXPECT(memcmp(buf, "one", 3) == 0);
	UTEST_EXPECT_EQ(sys_read(r, buf, sizeof buf), 4);
	UTEST_EXPECT(memcmp(buf, "two!", 4) == 0);
	UTEST_EXPECT_EQ(sys_lseek(r, 0, SEEK_SET), -ESPIPE);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-rt"), 0);
	UTEST_EXPECT_EQ(sys_close(w), 0);
	UTEST_EXPECT_EQ(sys_read(r, buf, sizeof buf), 0);     /* no writer: end of file */
	UTEST_EXPECT_EQ(sys_close(r), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

UTEST(recv_gives_the_sender_and_end_of_file)
{
	struct chan_msg_info info;
	char buf[16];
	int fd, w;

	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-recv", 0600, NULL), 0);
	fd = sys_open("/ipc/ut-recv", O_RDONLY, 0);
	w = sys_open("/ipc/ut-recv", O_WRONLY, 0);
	UTEST_ASSERT(fd >= 0 && w >= 0);
	UTEST_EXPECT_EQ(sys_write(w, "hello", 5), 5);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, 2, &info), -EMSGSIZE);
	UTEST_EXPECT_EQ(info.len, 5);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 5);
	UTEST_EXPECT_EQ(info.len, 5);
	UTEST_EXPECT_EQ(info.from.pid, sys_getpid());
	UTEST_EXPECT_EQ(info.from.uid, sys_getuid());
	UTEST_EXPECT(!info.eof);
	UTEST_EXPECT_EQ(sys_recv(w, buf, sizeof buf, &info), -EBADF);   /* not open to read */
	UTEST_EXPECT_EQ(sys_recv(1, buf, sizeof buf, &info), -EINVAL);  /* not a channel */
	UTEST_EXPECT_EQ(sys_close(w), 0);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 0);
	UTEST_EXPECT(info.eof);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-recv"), 0);
}

UTEST(child_produces_parent_consumes_in_order)
{
	struct chan_attr attr = { 2, 32 };
	struct chan_msg_info info;
	char buf[32], want[32], count[16];
	char *argv[] = { "chantest", "produce", "/ipc/ut-pc", count, NULL };
	int fd, keep, pid, status = -1, i;

	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-pc", 0600, &attr), 0);
	fd = sys_open("/ipc/ut-pc", O_RDONLY, 0);
	keep = sys_open("/ipc/ut-pc", O_WRONLY, 0);  /* no end of file before the child opens */
	UTEST_ASSERT(fd >= 0 && keep >= 0);
	snprintf(count, sizeof count, "%d", CHANTEST_MSGS);
	pid = sys_spawn("/bin/chantest", argv, NULL);
	UTEST_ASSERT(pid > 0);
	UTEST_EXPECT_EQ(sys_close(keep), 0);         /* the child's copy is the last writer */
	for (i = 0; i < CHANTEST_MSGS; i++) {
		long n = sys_recv(fd, buf, sizeof buf - 1, &info);

		snprintf(want, sizeof want, "msg %d", i);
		UTEST_ASSERT_EQ(n, (long)strlen(want));
		buf[n] = '\0';
		UTEST_EXPECT_STREQ(buf, want);
		UTEST_EXPECT_EQ(info.from.pid, pid);
	}
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 0);
	UTEST_EXPECT(info.eof);
	UTEST_EXPECT_EQ(sys_wait(pid, &status), pid);
	UTEST_EXPECT_EQ(status, 0);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-pc"), 0);
}

UTEST(shell_echo_into_a_channel_and_cat_out_of_it)
{
	char buf[16];
	long n;
	int fd;

	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-demo", 0666, NULL), 0);
	UTEST_EXPECT_EQ(chantest_sh("echo hello > /ipc/ut-demo"), 0);
	UTEST_EXPECT_EQ(chantest_sh("cat /ipc/ut-demo > /tmp/ut-demo.out"), 0);
	fd = sys_open("/tmp/ut-demo.out", O_RDONLY, 0);
	UTEST_ASSERT(fd >= 0);
	n = sys_read(fd, buf, sizeof buf - 1);
	UTEST_ASSERT(n >= 0);
	buf[n] = '\0';
	UTEST_EXPECT_STREQ(buf, "hello\n");
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/tmp/ut-demo.out"), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-demo"), 0);
}

UTEST(other_user_cannot_open_a_0600_channel_of_root)
{
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-perm", 0600, NULL), 0);
	UTEST_EXPECT_EQ(chantest_child("open", "/ipc/ut-perm", NULL, CHANTEST_USER), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-perm"), 0);
}

UTEST(bad_pointers_are_efault_and_lose_nothing)
{
	struct chan_msg_info info;
	char buf[16];
	int fd;

	UTEST_EXPECT_EQ(sys_mkchan((const char *)CHANTEST_KERNEL_ADDR, 0600, NULL), -EFAULT);
	UTEST_EXPECT_EQ(sys_mkchan("/ipc/ut-fault", 0600,
				   (const struct chan_attr *)CHANTEST_KERNEL_ADDR), -EFAULT);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-fault", 0600, NULL), 0);
	fd = sys_open("/ipc/ut-fault", O_RDWR, 0);
	UTEST_ASSERT(fd >= 0);
	UTEST_EXPECT_EQ(sys_write(fd, (const void *)CHANTEST_KERNEL_ADDR, 4), -EFAULT);
	UTEST_EXPECT_EQ(sys_write(fd, "kept", 4), 4);
	UTEST_EXPECT_EQ(sys_read(fd, (void *)CHANTEST_KERNEL_ADDR, 4), -EFAULT);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, (struct chan_msg_info *)CHANTEST_KERNEL_ADDR),
			-EFAULT);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 4);   /* still queued */
	UTEST_EXPECT(memcmp(buf, "kept", 4) == 0);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-fault"), 0);
}

/* The reader thread of the test below: one blocking read of the channel at *fd. */
struct chantest_reader {
	int fd;
	long got;
	char buf[16];
};

static int chantest_read_once(void *arg)
{
	struct chantest_reader *r = arg;

	r->got = sys_read(r->fd, r->buf, sizeof r->buf);
	return 0;
}

/* read() borrows its file without a reference only in a process of one thread (fs_rw in
 * syscall_fs.c). With two, the reader must hold a reference of its own: a close by the
 * other thread while it sleeps takes the descriptor away, not the open file. */
UTEST(close_by_another_thread_leaves_a_blocked_reader_its_file)
{
	struct chantest_reader rd = { .got = 1 };
	struct meminfo before, after;
	struct uthread t;
	char buf[4];
	int w;

	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-close", 0600, NULL), 0);
	rd.fd = sys_open("/ipc/ut-close", O_RDONLY, 0);
	w = sys_open("/ipc/ut-close", O_WRONLY, 0);
	UTEST_ASSERT(rd.fd >= 0 && w >= 0);
	UTEST_ASSERT_EQ(uthread_create(&t, chantest_read_once, &rd), 0);
	UTEST_EXPECT_EQ(sys_sleep_ns(20000000), 0);         /* the reader is asleep by now */
	UTEST_EXPECT_EQ(sys_close(rd.fd), 0);
	UTEST_EXPECT_EQ(sys_read(rd.fd, buf, sizeof buf), -EBADF);
	/* Unlinked, a channel whose last reader is gone refuses writes (-EPIPE): this one
	 * still has its reader, the sleeping thread's open file. */
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-close"), 0);
	UTEST_EXPECT_EQ(sys_write(w, "late", 4), 4);
	UTEST_ASSERT_EQ(uthread_join(&t, NULL), 0);
	UTEST_EXPECT_EQ(rd.got, 4);
	UTEST_EXPECT(memcmp(rd.buf, "late", 4) == 0);
	UTEST_EXPECT_EQ(sys_write(w, "gone", 4), -EPIPE);   /* now the reader is gone */
	UTEST_EXPECT_EQ(sys_close(w), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	/* Not free_pages: the thread's stack may have needed a page table, which stays with
	 * the address space (mm/vm.c). The open file and the channel are on the heap. */
	UTEST_EXPECT_EQ(after.heap_allocs, before.heap_allocs);
	UTEST_EXPECT_EQ(after.heap_bytes, before.heap_bytes);
	UTEST_EXPECT_EQ(after.threads, before.threads);
}

/* ---- call: a request and its reply in one system call ---- */

#define CHANTEST_CALLS 20

/* The server thread of the call tests: answers each request with the request and a '!',
 * by call (the answer, then the wait for the next request), until end of file; on CPU 0
 * with pin. */
struct chantest_server {
	int req, rep;
	bool pin;
	long answered, last;
};

static int chantest_serve(void *arg)
{
	struct chantest_server *s = arg;
	char buf[512];
	long n = s->pin && sys_affinity(0) < 0 ? -1 : sys_read(s->req, buf, sizeof buf - 1);

	while (n > 0) {
		buf[n] = '!';
		s->answered++;
		n = sys_call(s->rep, buf, (size_t)n + 1, s->req, buf, sizeof buf - 1);
	}
	s->last = n;
	return 0;
}

/* The client's reply descriptor is O_NONBLOCK: a call waits for its reply all the same. */
UTEST(call_sends_the_request_and_waits_for_the_reply)
{
	struct chantest_server srv = { 0 };
	struct meminfo before, after;
	char msg[32], buf[40];
	struct uthread t;
	int req_w, rep_r, i;

	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-call-req", 0600, &(struct chan_attr){ 1, 40 }), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-call-rep", 0600, &(struct chan_attr){ 1, 40 }), 0);
	srv.req = sys_open("/ipc/ut-call-req", O_RDONLY, 0);
	req_w = sys_open("/ipc/ut-call-req", O_WRONLY, 0);
	rep_r = sys_open("/ipc/ut-call-rep", O_RDONLY | O_NONBLOCK, 0);
	srv.rep = sys_open("/ipc/ut-call-rep", O_WRONLY, 0);
	UTEST_ASSERT(srv.req >= 0 && req_w >= 0 && rep_r >= 0 && srv.rep >= 0);
	UTEST_ASSERT_EQ(uthread_create(&t, chantest_serve, &srv), 0);
	for (i = 0; i < CHANTEST_CALLS; i++) {
		long n;

		snprintf(msg, sizeof msg, "request %d", i * 37);
		n = sys_call(req_w, msg, strlen(msg), rep_r, buf, sizeof buf - 1);
		UTEST_ASSERT_EQ(n, (long)strlen(msg) + 1);
		buf[n] = '\0';
		UTEST_EXPECT_EQ(buf[n - 1], '!');
		buf[n - 1] = '\0';
		UTEST_EXPECT_STREQ(buf, msg);
	}
	UTEST_EXPECT_EQ(sys_close(req_w), 0);           /* the server's call sees end of file */
	UTEST_ASSERT_EQ(uthread_join(&t, NULL), 0);
	UTEST_EXPECT_EQ(srv.answered, CHANTEST_CALLS);
	UTEST_EXPECT_EQ(srv.last, 0);
	UTEST_EXPECT_EQ(sys_read(rep_r, buf, sizeof buf), -EAGAIN);  /* every reply was read */
	UTEST_EXPECT_EQ(sys_close(srv.req) | sys_close(rep_r) | sys_close(srv.rep), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-call-req") | sys_unlink("/ipc/ut-call-rep"), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_EQ(after.heap_allocs, before.heap_allocs);
	UTEST_EXPECT_EQ(after.heap_bytes, before.heap_bytes);
}

/* The messages queued on the channel of fd (its size in fstat), or -1. */
static long chantest_depth(int fd)
{
	struct stat st;

	return sys_fstat(fd, &st) == 0 ? (long)st.st_size : -1;
}

/* Every failure of a call's checks or of its write leaves the request unsent. */
UTEST(call_that_fails_before_sending_sends_nothing)
{
	char buf[16];
	int out, in, wo;

	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-call-chk", 0600, &(struct chan_attr){ 1, 8 }), 0);
	out = sys_open("/ipc/ut-call-chk", O_RDWR, 0);
	in = sys_open("/ipc/ut-call-chk", O_RDONLY, 0);
	wo = sys_open("/ipc/ut-call-chk", O_WRONLY | O_NONBLOCK, 0);
	UTEST_ASSERT(out >= 0 && in >= 0 && wo >= 0);
	UTEST_EXPECT_EQ(sys_call(-1, "x", 1, in, buf, sizeof buf), -EBADF);
	UTEST_EXPECT_EQ(sys_call(out, "x", 1, 60, buf, sizeof buf), -EBADF);
	UTEST_EXPECT_EQ(sys_call(in, "x", 1, in, buf, sizeof buf), -EBADF);   /* out read-only */
	UTEST_EXPECT_EQ(sys_call(out, "x", 1, wo, buf, sizeof buf), -EBADF);  /* in write-only */
	UTEST_EXPECT_EQ(sys_call(1, "x", 1, in, buf, sizeof buf), -EINVAL);   /* not a channel */
	UTEST_EXPECT_EQ(sys_call(out, "x", 1, 1, buf, sizeof buf), -EINVAL);
	UTEST_EXPECT_EQ(sys_call(out, (const void *)CHANTEST_KERNEL_ADDR, 1, in, buf, sizeof buf),
			-EFAULT);
	UTEST_EXPECT_EQ(sys_call(out, "x", 1, in, (void *)CHANTEST_KERNEL_ADDR, 1), -EFAULT);
	UTEST_EXPECT_EQ(sys_call(out, "123456789", 9, in, buf, sizeof buf), -EMSGSIZE);
	UTEST_EXPECT_EQ(chantest_depth(out), 0);
	UTEST_EXPECT_EQ(sys_write(wo, "full", 4), 4);
	UTEST_EXPECT_EQ(sys_call(wo, "x", 1, in, buf, sizeof buf), -EAGAIN); /* O_NONBLOCK, full */
	UTEST_EXPECT_EQ(chantest_depth(out), 1);
	UTEST_EXPECT_EQ(sys_read(in, buf, sizeof buf), 4);
	UTEST_EXPECT(memcmp(buf, "full", 4) == 0);
	UTEST_EXPECT_EQ(sys_close(out) | sys_close(in) | sys_close(wo), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-call-chk"), 0);
}

/* Once sent, a reply that does not fit is -EOVERFLOW and stays queued (not -EMSGSIZE,
 * which says the request was not sent); end of file on in is 0. A call may send to and
 * wait on the same channel: the reply is then its own request. */
UTEST(call_reply_too_long_stays_queued_and_end_of_file_is_zero)
{
	struct chan_msg_info info;
	char buf[16];
	int fd, eof;

	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-call-own", 0600, NULL), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-call-eof", 0600, NULL), 0);
	fd = sys_open("/ipc/ut-call-own", O_RDWR, 0);
	eof = sys_open("/ipc/ut-call-eof", O_RDONLY, 0);  /* nobody will ever write to it */
	UTEST_ASSERT(fd >= 0 && eof >= 0);
	UTEST_EXPECT_EQ(sys_call(fd, "hello", 5, fd, buf, 2), -EOVERFLOW);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 5);
	UTEST_EXPECT(memcmp(buf, "hello", 5) == 0);
	UTEST_EXPECT_EQ(info.from.pid, sys_getpid());
	UTEST_EXPECT_EQ(sys_call(fd, "echo", 4, fd, buf, sizeof buf), 4);
	UTEST_EXPECT(memcmp(buf, "echo", 4) == 0);
	UTEST_EXPECT_EQ(sys_call(fd, "sent", 4, eof, buf, sizeof buf), 0);
	UTEST_EXPECT_EQ(chantest_depth(fd), 1);
	UTEST_EXPECT_EQ(sys_read(fd, buf, sizeof buf), 4);
	UTEST_EXPECT(memcmp(buf, "sent", 4) == 0);
	UTEST_EXPECT_EQ(sys_close(fd) | sys_close(eof), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-call-own") | sys_unlink("/ipc/ut-call-eof"), 0);
}

/* ---- the fast path of a call (lab-guides/stage4.md, "The fast path of a call") ---- */

#define CHANTEST_FAST_CALLS 20
#define CHANTEST_FAST_REQ "/ipc/ut-fast-req"
#define CHANTEST_FAST_REP "/ipc/ut-fast-rep"

/* The figures of /kfs/ipc/channels that may not depend on the path a message took. (How
 * often a side slept may: a tick can preempt a call between its two halves.) */
static const char *const chantest_same[] = {
	"depth", "msgs_written", "bytes_written", "msgs_read", "bytes_read", "high_water",
	"blocked_readers", "blocked_writers", "eagain", "emsgsize", "epipe", "enomem", "efault",
};
#define CHANTEST_SAME (sizeof chantest_same / sizeof chantest_same[0])

/* The figures of the request channel ([0]) and the reply channel ([1]) after a run. */
struct chantest_figures {
	unsigned long long same[2][CHANTEST_SAME];
	unsigned long long handed[2];
};

/* The figure column of channel path in /kfs/ipc/channels: *out; false when missing. */
static bool chantest_figure(const char *path, const char *column, unsigned long long *out)
{
	static char text[CHANSTAT_MAX + 1];

	return chanstat_read(text) > 0 && chanstat_field(text, path, column, out) == 0;
}

/* Read the figures of both channels into *fig. False when one is missing. */
static bool chantest_figures_of(struct chantest_figures *fig)
{
	static const char *const paths[2] = { CHANTEST_FAST_REQ, CHANTEST_FAST_REP };
	size_t c, k;

	for (c = 0; c < 2; c++) {
		for (k = 0; k < CHANTEST_SAME; k++)
			if (!chantest_figure(paths[c], chantest_same[k], &fig->same[c][k]))
				return false;
		if (!chantest_figure(paths[c], "handed", &fig->handed[c]))
			return false;
	}
	return true;
}

/* CHANTEST_FAST_CALLS calls from this thread to chantest_serve, both on CPU 0, through
 * fresh channels of capacity 1: so each side is asleep in a call when the other calls,
 * and the fast path can hand every message over but the first request (the server waits
 * for it in a plain read). With watched, a notification endpoint watches both channels,
 * which sends every message the general way. Checks every reply and fills *fig. */
static bool chantest_calls(bool watched, struct chantest_figures *fig)
{
	const struct ntfy_watch w = { .events = NTFY_CHAN_EVENTS };
	struct chantest_server srv = { .pin = true };
	struct chan_attr one = { 1, 40 };
	char msg[32], buf[40];
	struct uthread t;
	bool ok = true;
	int req_w, rep_r, nfd = -1, i;

	if (sys_mkchan(CHANTEST_FAST_REQ, 0600, &one) || sys_mkchan(CHANTEST_FAST_REP, 0600, &one))
		return false;
	srv.req = sys_open(CHANTEST_FAST_REQ, O_RDONLY, 0);
	req_w = sys_open(CHANTEST_FAST_REQ, O_WRONLY, 0);
	rep_r = sys_open(CHANTEST_FAST_REP, O_RDONLY, 0);
	srv.rep = sys_open(CHANTEST_FAST_REP, O_WRONLY, 0);
	if (watched) {
		nfd = sys_ntfy_new(0, O_NONBLOCK);
		ok = sys_watch(nfd, CHANTEST_FAST_REQ, &w) > 0 && sys_watch(nfd, CHANTEST_FAST_REP, &w) > 0;
	}
	ok = ok && sys_affinity(0) == 0 && uthread_create(&t, chantest_serve, &srv) == 0;
	for (i = 0; ok && i < CHANTEST_FAST_CALLS; i++) {
		long n;

		snprintf(msg, sizeof msg, "request %d", i);
		n = sys_call(req_w, msg, strlen(msg), rep_r, buf, sizeof buf);
		ok = UTEST_EXPECT_EQ(n, (long)strlen(msg) + 1) &&
		     UTEST_EXPECT(memcmp(buf, msg, strlen(msg)) == 0);
	}
	sys_close(req_w);                         /* the server sees end of file */
	ok = ok && uthread_join(&t, NULL) == 0 && UTEST_EXPECT_EQ(srv.answered, CHANTEST_FAST_CALLS);
	ok = ok && UTEST_EXPECT(chantest_figures_of(fig));
	sys_affinity(-1);
	sys_close(srv.req);
	sys_close(rep_r);
	sys_close(srv.rep);
	if (nfd >= 0)
		sys_close(nfd);
	return (sys_unlink(CHANTEST_FAST_REQ) | sys_unlink(CHANTEST_FAST_REP)) == 0 && ok;
}

/* The same calls with and without the fast path leave the same figures, but for handed. */
UTEST(call_fast_path_hands_over_and_counts_as_the_general_path)
{
	struct chantest_figures fast, general;
	size_t c, k;

	UTEST_ASSERT(chantest_calls(false, &fast));
	UTEST_ASSERT(chantest_calls(true, &general));
	for (c = 0; c < 2; c++)
		for (k = 0; k < CHANTEST_SAME; k++)
			if (!UTEST_EXPECT_EQ(fast.same[c][k], general.same[c][k]))
				tap_diag(utest_tap(), "column %s of the %s channel", chantest_same[k],
					 c ? "reply" : "request");
	UTEST_EXPECT_EQ(fast.same[0][1], CHANTEST_FAST_CALLS);     /* msgs_written */
	UTEST_EXPECT_EQ(fast.same[1][3], CHANTEST_FAST_CALLS);     /* msgs_read */
	UTEST_EXPECT_EQ(general.handed[0] + general.handed[1], 0); /* watched: never */
	/* Unwatched, nearly all: a tick that preempts a call between its halves makes the
	 * other side find nobody asleep yet, and that message takes the general path. */
	UTEST_EXPECT(fast.handed[0] >= 1 && fast.handed[0] <= CHANTEST_FAST_CALLS - 1);
	UTEST_EXPECT(fast.handed[1] >= 1 && fast.handed[1] <= CHANTEST_FAST_CALLS);
	tap_diag(utest_tap(), "handed over: %llu of %d requests, %llu of %d replies",
		 fast.handed[0], CHANTEST_FAST_CALLS, fast.handed[1], CHANTEST_FAST_CALLS);
}

/* A message too long for the place a call offers (256 bytes), or for its buffer, takes
 * the general path: the first arrives whole, the second is -EOVERFLOW and stays queued. */
UTEST(call_fast_path_leaves_long_replies_to_the_general_path)
{
	struct chantest_server srv = { .pin = false };
	struct chan_attr big = { 1, 400 };
	char msg[300], buf[400];
	unsigned long long handed = 1;
	struct uthread t;
	int req_w, rep_r;

	UTEST_ASSERT(sys_mkchan(CHANTEST_FAST_REQ, 0600, &big) == 0 &&
		     sys_mkchan(CHANTEST_FAST_REP, 0600, &big) == 0);
	srv.req = sys_open(CHANTEST_FAST_REQ, O_RDONLY, 0);
	req_w = sys_open(CHANTEST_FAST_REQ, O_WRONLY, 0);
	rep_r = sys_open(CHANTEST_FAST_REP, O_RDONLY, 0);
	srv.rep = sys_open(CHANTEST_FAST_REP, O_WRONLY, 0);
	UTEST_ASSERT(uthread_create(&t, chantest_serve, &srv) == 0);
	memset(msg, 'L', sizeof msg);
	UTEST_EXPECT_EQ(sys_call(req_w, msg, 299, rep_r, buf, sizeof buf), 300);
	UTEST_EXPECT(memcmp(buf, msg, 299) == 0 && buf[299] == '!');
	UTEST_EXPECT_EQ(sys_call(req_w, "hello", 5, rep_r, buf, 4), -EOVERFLOW);
	UTEST_EXPECT_EQ(sys_read(rep_r, buf, sizeof buf), 6);
	UTEST_EXPECT(memcmp(buf, "hello!", 6) == 0);
	UTEST_EXPECT(chantest_figure(CHANTEST_FAST_REP, "handed", &handed));
	UTEST_EXPECT_EQ(handed, 0);
	sys_close(req_w);
	UTEST_EXPECT_EQ(uthread_join(&t, NULL), 0);
	UTEST_EXPECT_EQ(srv.answered, 2);
	UTEST_EXPECT_EQ(sys_close(srv.req) | sys_close(rep_r) | sys_close(srv.rep), 0);
	UTEST_EXPECT_EQ(sys_unlink(CHANTEST_FAST_REQ) | sys_unlink(CHANTEST_FAST_REP), 0);
}

/* Start "chantest call REQ REP" and read its request: then it sends nothing more and is
 * on its way to sleep for the reply. Returns its pid, or a negated errno. */
static int chantest_caller(int req_r)
{
	char *argv[] = { "chantest", "call", CHANTEST_FAST_REQ, CHANTEST_FAST_REP, NULL };
	int pid = sys_spawn("/bin/chantest", argv, NULL);
	char c;

	return pid > 0 && sys_read(req_r, &c, 1) != 1 ? -EIO : pid;
}

/* Wait until n threads sleep on the reply channel; false after about a second. */
static bool chantest_sleepers(unsigned long long n)
{
	unsigned long long now = ~0ULL;
	int i;

	for (i = 0; i < 1000 && (!chantest_figure(CHANTEST_FAST_REP, "blocked_readers", &now) ||
				 now != n); i++)
		sys_sleep_ns(1000000);
	return now == n;
}

/* A call asleep for its reply, with a place offered, is also woken the general way: by a
 * plain write, which it reads, and by a kill, which leaves no sleeper behind. */
UTEST(call_asleep_for_its_reply_wakes_for_a_write_and_for_a_kill)
{
	unsigned long long handed = 1, slept = 0;
	int req_r, req_w, rep_w, pid, status = -1;
	char buf[8];

	UTEST_ASSERT(sys_mkchan(CHANTEST_FAST_REQ, 0666, NULL) == 0 &&
		     sys_mkchan(CHANTEST_FAST_REP, 0666, NULL) == 0);
	/* A writer of each channel stays open, so neither side reads end of file. */
	req_r = sys_open(CHANTEST_FAST_REQ, O_RDONLY, 0);
	req_w = sys_open(CHANTEST_FAST_REQ, O_WRONLY, 0);
	rep_w = sys_open(CHANTEST_FAST_REP, O_WRONLY, 0);
	UTEST_ASSERT(req_r >= 0 && req_w >= 0 && rep_w >= 0);
	pid = chantest_caller(req_r);
	UTEST_ASSERT(pid > 0);
	UTEST_EXPECT(chantest_sleepers(1));
	UTEST_EXPECT_EQ(sys_write(rep_w, "plain", 5), 5);
	UTEST_EXPECT_EQ(sys_wait(pid, &status), pid);
	UTEST_EXPECT_EQ(status, 5);
	pid = chantest_caller(req_r);
	UTEST_ASSERT(pid > 0);
	UTEST_EXPECT(chantest_sleepers(1));
	UTEST_EXPECT_EQ(sys_kill(pid), 0);
	UTEST_EXPECT_EQ(sys_wait(pid, &status), pid);
	UTEST_EXPECT(chantest_sleepers(0));
	UTEST_EXPECT(chantest_figure(CHANTEST_FAST_REP, "handed", &handed));
	UTEST_EXPECT(chantest_figure(CHANTEST_FAST_REP, "times_blocked_read", &slept));
	UTEST_EXPECT_EQ(handed, 0);
	UTEST_EXPECT_EQ(slept, 2);
	UTEST_EXPECT_EQ(sys_write(rep_w, "after", 5), 5);   /* still a working channel */
	UTEST_EXPECT_EQ(sys_close(rep_w), 0);
	rep_w = sys_open(CHANTEST_FAST_REP, O_RDONLY, 0);
	UTEST_EXPECT_EQ(sys_read(rep_w, buf, sizeof buf), 5);
	UTEST_EXPECT_EQ(sys_close(req_r) | sys_close(req_w) | sys_close(rep_w), 0);
	UTEST_EXPECT_EQ(sys_unlink(CHANTEST_FAST_REQ) | sys_unlink(CHANTEST_FAST_REP), 0);
}

int main(int argc, char **argv)
{
	int status = chantest_child_main(argc, argv);

	return status >= 0 ? status : utest_main(argc, argv);
}
