/* timeq: ask timesrv the time (ulib/timesrv.h has the protocol).
 *
 *   timeq [-s] [SERVER]    print the time since boot, as timesrv tells it; with -s, the
 *                          server's counters instead. SERVER: default /ipc/svc/time
 *
 * A client makes its reply channel itself, mode 0600: the channel is its user's, which is
 * what the server checks, and nobody else can read the answer or write a false one. The
 * answer must come from the server's user (root), else it is not believed. */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/ipc.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/timesrv.h>

#define TIMEQ_WAIT_NS 2000000000L       /* how long to wait for the answer */
#define TIMEQ_POLL_NS 10000000L

/* Wait for the answer on fd (non-blocking) into buf for at most TIMEQ_WAIT_NS, so that a
 * server that is gone does not hang the client. Returns its length or -errno. */
static long timeq_wait(int fd, char *buf, size_t len, struct chan_msg_info *info)
{
	long end = sys_clock_ns() + TIMEQ_WAIT_NS, n;

	while ((n = sys_recv(fd, buf, len, info)) == -EAGAIN && sys_clock_ns() < end)
		sys_sleep_ns(TIMEQ_POLL_NS);
	return n == -EAGAIN ? -ETIMEDOUT : n;
}

/* Send "op reply" to server and wait for the answer on reply (open as fd). Returns 0 with
 * the answer in buf, or -errno. */
static long timeq_ask(const char *server, const char *op, const char *reply, int fd,
		      char *buf, size_t len)
{
	char req[TIMESRV_REQ_MAX];
	struct chan_msg_info info;
	int s = sys_open(server, O_WRONLY, 0);
	long n;

	if (s < 0)
		return s;
	snprintf(req, sizeof req, "%s %s", op, reply);
	n = sys_write(s, req, strlen(req));
	sys_close(s);
	if (n < 0)
		return n;
	n = timeq_wait(fd, buf, len - 1, &info);
	if (n < 0)
		return n;
	if (info.from.uid != 0)
		return -EPERM;          /* not the server's answer */
	buf[n] = '\0';
	return 0;
}

/* Print the answer ans to op as a person reads it. Returns the exit status. */
static int timeq_print(const char *op, const char *ans)
{
	long ns;

	if (strncmp(ans, "ok ", 3) != 0) {
		dprintf(2, "timeq: the server says: %s\n", ans);
		return 1;
	}
	if (strcmp(op, "stats") == 0) {
		printf("%s\n", ans + 3);
		return 0;
	}
	ns = strtol(ans + 3, NULL, 10);
	printf("up %ld.%03ld s\n", ns / 1000000000L, ns / 1000000L % 1000);
	return 0;
}

int main(int argc, char **argv)
{
	bool stats = argc > 1 && strcmp(argv[1], "-s") == 0;
	const char *server = argc > 1 + stats ? argv[1 + stats] : TIMESRV_PATH;
	const char *op = stats ? "stats" : "time";
	char reply[32], ans[TIMESRV_REPLY_MAX];
	long err;
	int fd;

	if (argc > 2 + stats)
		args_usage("timeq [-s] [SERVER]");
	snprintf(reply, sizeof reply, "/ipc/timeq-%d", sys_getpid());
	err = sys_mkchan(reply, 0600, NULL);
	/* Read and write: as a writer of its own, the client sees "empty" (-EAGAIN) rather
	 * than end of file until the server, which opens and closes it, has answered. */
	fd = err < 0 ? (int)err : sys_open(reply, O_RDWR | O_NONBLOCK, 0);
	if (fd < 0) {
		uerror("timeq", reply, fd);
		return 1;
	}
	err = timeq_ask(server, op, reply, fd, ans, sizeof ans);
	sys_close(fd);
	sys_unlink(reply);
	if (err < 0) {
		uerror("timeq", server, (int)err);
		return 1;
	}
	return timeq_print(op, ans);
}
