/* linux-ipcbench.c: the Linux side of `make bench` (lab-guides/benchmarking.md): the same
 * workloads as stage 4's ipcbench, with Linux's IPC mechanisms, so that both kernels can be
 * measured on the same emulated machine in the same way.
 *
 * It is linked statically and booted as /init, the only program of an initramfs, under
 * QEMU with the flags our kernel gets (tools/ipc-bench). It prints the same kind of line as
 * ipcbench, with the mechanism in front of the workload's name, then powers the machine
 * off:
 *
 *   ipcbench pipe.pingpong64 cpus=1 iterations=10000 round_trip_ns=...
 *   ipcbench mq.stream4096 cpus=2 messages=20000 bytes=81920000 ns=... ns_per_msg=... mb_per_s=...
 *   ipcbench eventfd.wake cpus=1 iterations=2000 wake_ns=...
 *
 * Mechanisms: pipes, AF_UNIX SOCK_SEQPACKET socket pairs, POSIX message queues and (for
 * the round trip and the wake-up, which carry no bytes) eventfd. Times come from
 * clock_gettime(CLOCK_MONOTONIC); under -icount shift=0 they count guest instructions, as
 * ours do. The two processes are pinned with sched_setaffinity: both on CPU 0 (cpus=1) or
 * the second on CPU 1 (cpus=2), like ipcbench's.
 *
 * The wake-up latency differs from ipcbench's in one point: Linux stamps no event, so the
 * clock is read in user space just before the write that wakes the waiter. That includes
 * the write's way into the kernel, which ipcbench's figure (from the kernel's record of the
 * event) leaves out. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 10000            /* round trips timed, as ipcbench */
#define WARMUP 100
#define WAKES 2000
#define SMALL 64
#define LARGE 4096
#define SMALL_COUNT 100000
#define LARGE_COUNT 20000
#define CAPACITY 64             /* a message queue's depth in the streams, as ipcbench's */
#define SCALE_MAX 10000         /* descriptors held open in the scaling rows */

/* The clock, in nanoseconds. */
static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Run the calling process on cpu only. */
static bool pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof set, &set) == 0;
}

/* Give up and say why: the runner sees the line and the missing figures. */
static void fail(const char *what)
{
	printf("linux-ipcbench: %s: %s\n", what, strerror(errno));
	fflush(stdout);
}

/* ---- the mechanisms: one-way channels with a writing and a reading descriptor ---- */

struct mech {
	const char *name;
	/* Make a channel for messages of at most size bytes: fds[0] to read, fds[1] to write. */
	int (*make)(int fds[2], size_t size);
	long (*send)(int fd, const void *buf, size_t n);
	/* Receive one message of n bytes into buf, which holds LARGE bytes. */
	long (*recv)(int fd, void *buf, size_t n);
};

static int pipe_make(int fds[2], size_t size)
{
	(void)size;
	return pipe(fds);
}

static long fd_send(int fd, const void *buf, size_t n)
{
	return write(fd, buf, n);
}

/* A pipe is a byte stream: read until the whole message of n bytes is in. */
static long pipe_recv(int fd, void *buf, size_t n)
{
	size_t got = 0;
	long r;

	while (got < n) {
		r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			return r;
		got += (size_t)r;
	}
	return (long)got;
}

static long fd_recv(int fd, void *buf, size_t n)
{
	return read(fd, buf, n);
}

static int seqpacket_make(int fds[2], size_t size)
{
	(void)size;
	return socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds);
}

static int mq_make(int fds[2], size_t size)
{
	struct mq_attr attr = { .mq_maxmsg = CAPACITY, .mq_msgsize = (long)size };
	mqd_t q = mq_open("/ipcbench", O_CREAT | O_EXCL | O_RDWR, 0600, &attr);

	if (q == (mqd_t)-1)
		return -1;
	mq_unlink("/ipcbench");
	fds[0] = fds[1] = q;
	return 0;
}

static long mq_sendf(int fd, const void *buf, size_t n)
{
	return mq_send(fd, buf, n, 0) == 0 ? (long)n : -1;
}

/* mq_receive wants room for the queue's largest message, whatever comes. */
static long mq_recvf(int fd, void *buf, size_t n)
{
	(void)n;
	return mq_receive(fd, buf, LARGE, NULL);
}

/* eventfd carries an 8-byte counter, not a message: the round trip's "message" is 1. */
static int eventfd_make(int fds[2], size_t size)
{
	(void)size;
	fds[0] = fds[1] = eventfd(0, 0);
	return fds[0] < 0 ? -1 : 0;
}

static long eventfd_send(int fd, const void *buf, size_t n)
{
	uint64_t one = 1;

	(void)buf;
	(void)n;
	return write(fd, &one, sizeof one) == sizeof one ? (long)n : -1;
}

static long eventfd_recv(int fd, void *buf, size_t n)
{
	uint64_t v;

	(void)buf;
	return read(fd, &v, sizeof v) == sizeof v ? (long)(n < SMALL ? n : SMALL) : -1;
}

static const struct mech mechs[] = {
	{ "pipe", pipe_make, fd_send, pipe_recv },
	{ "seqpacket", seqpacket_make, fd_send, fd_recv },
	{ "mq", mq_make, mq_sendf, mq_recvf },
	{ "eventfd", eventfd_make, eventfd_send, eventfd_recv },
};

static void close_pair(int fds[2])
{
	close(fds[0]);
	if (fds[1] != fds[0])
		close(fds[1]);
}

/* Wait for child pid; true when it exited with status 0. */
static bool reap(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* ---- the workloads ---- */

/* Send a message and wait for it to come back, rounds times. */
static bool rounds(const struct mech *m, int out, int in, long n)
{
	char buf[LARGE] = "ping";
	long i;

	for (i = 0; i < n; i++)
		if (m->send(out, buf, SMALL) != SMALL || m->recv(in, buf, SMALL) != SMALL)
			return false;
	return true;
}

/* Ping-pong of 64-byte messages with a child on CPU cpu. Returns the ns of ROUNDS round
 * trips, or -1. */
static long pingpong(const struct mech *m, int cpu)
{
	int req[2], rep[2];
	long start, ns = -1;
	pid_t pid;

	if (m->make(req, LARGE) < 0)
		return fail("pingpong channel"), -1;
	if (m->make(rep, LARGE) < 0) {
		close_pair(req);
		return fail("pingpong channel"), -1;
	}
	pid = fork();
	if (pid == 0) {
		char buf[LARGE];
		long i;

		if (!pin(cpu))
			_exit(1);
		for (i = 0; i < WARMUP + ROUNDS; i++)
			if (m->recv(req[0], buf, SMALL) != SMALL || m->send(rep[1], buf, SMALL) != SMALL)
				_exit(2);
		_exit(0);
	}
	if (pid > 0 && rounds(m, req[1], rep[0], WARMUP)) {
		start = now_ns();
		if (rounds(m, req[1], rep[0], ROUNDS))
			ns = now_ns() - start;
	}
	close_pair(req);
	close_pair(rep);
	return pid > 0 && reap(pid) ? ns : -1;
}

/* Stream count messages of size bytes to a child on CPU cpu. Returns the ns from the first
 * write to the child's end, or -1. */
static long stream(const struct mech *m, long size, long count, int cpu)
{
	static char buf[LARGE];
	long i, start;
	int ch[2];
	bool ok = true;
	pid_t pid;

	if (m->make(ch, (size_t)size) < 0)
		return fail("stream channel"), -1;
	pid = fork();
	if (pid == 0) {
		if (!pin(cpu))
			_exit(1);
		for (i = 0; i < count; i++)
			if (m->recv(ch[0], buf, (size_t)size) != size)
				_exit(2);
		_exit(0);
	}
	start = now_ns();
	for (i = 0; pid > 0 && ok && i < count; i++)
		ok = m->send(ch[1], buf, (size_t)size) == size;
	close_pair(ch);
	ok = pid > 0 && reap(pid) && ok;
	return ok ? now_ns() - start : -1;
}

/* True when process pid sleeps (state S in /proc/PID/stat). */
static bool sleeping(pid_t pid)
{
	char path[32], line[128], *p;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	p = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
	fclose(f);
	return p && p[1] == ' ' && p[2] == 'S';
}

/* Wake-ups of a child on CPU cpu asleep in epoll_wait on an eventfd, SCHED_FIFO if high,
 * with watched - 1 more eventfds registered that never fire. Returns the sum of WAKES
 * latencies (from just before the write to the child running), or -1. */
static long wake(int cpu, bool high, int watched)
{
	int efd = eventfd(0, 0), rep[2];
	long i, t0, t1, sum = 0;
	bool ok = efd >= 0 && pipe(rep) == 0;
	pid_t pid = ok ? fork() : -1;

	if (pid == 0) {
		struct sched_param sp = { .sched_priority = 1 };
		struct epoll_event ev = { .events = EPOLLIN };
		int ep = epoll_create1(0);
		uint64_t v;

		if (!pin(cpu) || (high && sched_setscheduler(0, SCHED_FIFO, &sp) != 0) || ep < 0 ||
		    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) != 0)
			_exit(1);
		for (i = 1; i < watched; i++)
			if (epoll_ctl(ep, EPOLL_CTL_ADD, eventfd(0, 0), &ev) != 0)
				_exit(1);
		for (i = 0; i < WARMUP + WAKES; i++) {
			if (epoll_wait(ep, &ev, 1, -1) != 1)
				_exit(2);
			t1 = now_ns();
			if (read(efd, &v, sizeof v) != sizeof v || write(rep[1], &t1, sizeof t1) != sizeof t1)
				_exit(3);
		}
		_exit(0);
	}
	for (i = 0; pid > 0 && ok && i < WARMUP + WAKES; i++) {
		uint64_t one = 1;

		while (!sleeping(pid))
			usleep(10);
		t0 = now_ns();
		ok = write(efd, &one, sizeof one) == sizeof one && read(rep[0], &t1, sizeof t1) == sizeof t1;
		if (i >= WARMUP)
			sum += t1 - t0;
	}
	if (efd >= 0)
		close(efd);
	close(rep[0]);
	close(rep[1]);
	return pid > 0 && reap(pid) && ok ? sum : -1;
}

/* ---- reporting ---- */

static void report_latency(const char *mech, const char *name, int cpus, long count, long ns,
			   const char *unit)
{
	if (ns > 0)
		printf("ipcbench %s.%s cpus=%d iterations=%ld %s=%ld\n", mech, name, cpus, count,
		       unit, ns / count);
	else
		printf("linux-ipcbench: %s.%s cpus=%d failed\n", mech, name, cpus);
	fflush(stdout);
}

static void report_stream(const char *mech, const char *name, int cpus, long count, long size,
			  long ns)
{
	if (ns > 0)
		printf("ipcbench %s.%s cpus=%d messages=%ld bytes=%ld ns=%ld ns_per_msg=%ld "
		       "mb_per_s=%ld\n", mech, name, cpus, count, size * count, ns, ns / count,
		       size * count * 1000 / ns);
	else
		printf("linux-ipcbench: %s.%s cpus=%d failed\n", mech, name, cpus);
	fflush(stdout);
}

/* The scaling rows: the round trip with 1, 100 and 10,000 pipes open in the process, and
 * the wake-up with 1, 10 and 1,000 eventfds watched by the waiter's epoll. */
static void scaling(void)
{
	static const int watched[] = { 1, 10, 1000 };
	static const int counts[] = { 1, 100, SCALE_MAX };
	static int extra[2 * SCALE_MAX];
	struct rlimit rl = { 2 * SCALE_MAX + 64, 2 * SCALE_MAX + 64 };
	char name[32];
	unsigned i;
	int n = 0;

	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		return fail("setrlimit");
	for (i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		/* the round trip's own two channels count among the open ones */
		while (n / 2 + 2 < counts[i]) {
			if (pipe(&extra[n]) != 0)
				return fail("scaling pipes");
			n += 2;
		}
		snprintf(name, sizeof name, "pingpong64-open%d", counts[i]);
		report_latency("pipe", name, 1, ROUNDS, pingpong(&mechs[0], 0), "round_trip_ns");
	}
	while (n > 0)
		close(extra[--n]);
	for (i = 0; i < sizeof watched / sizeof watched[0]; i++) {
		snprintf(name, sizeof name, "wake-watch%d", watched[i]);
		report_latency("eventfd", name, 1, WAKES, wake(0, false, watched[i]), "wake_ns");
	}
}

int main(void)
{
	struct utsname u;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int cpu;
	unsigned i;

	mount("proc", "/proc", "proc", 0, NULL);
	uname(&u);
	printf("linux-ipcbench: Linux %s %s, %ld CPUs\n", u.release, u.machine, cpus);
	if (!pin(0))
		fail("sched_setaffinity");
	for (cpu = 0; cpu < 2 && cpu < cpus; cpu++) {
		for (i = 0; i < sizeof mechs / sizeof mechs[0]; i++)
			report_latency(mechs[i].name, "pingpong64", cpu + 1, ROUNDS,
				       pingpong(&mechs[i], cpu), "round_trip_ns");
		for (i = 0; i < 3; i++) {
			report_stream(mechs[i].name, "stream64", cpu + 1, SMALL_COUNT, SMALL,
				      stream(&mechs[i], SMALL, SMALL_COUNT, cpu));
			report_stream(mechs[i].name, "stream4096", cpu + 1, LARGE_COUNT, LARGE,
				      stream(&mechs[i], LARGE, LARGE_COUNT, cpu));
		}
		report_latency("eventfd", "wake", cpu + 1, WAKES, wake(cpu, false, 1), "wake_ns");
		report_latency("eventfd", "wake-high", cpu + 1, WAKES, wake(cpu, true, 1), "wake_ns");
	}
	scaling();
	printf("linux-ipcbench: done\n");
	fflush(stdout);
	reboot(RB_POWER_OFF);
	return 0;
}
