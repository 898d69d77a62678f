/* ipcbench: what a channel costs: the round trip of a 64-byte message between two
 * processes (ping-pong, with write and read, and with SYS_call: "call64"), one-way
 * throughput of 64-byte and 4 KiB messages, and the wake-up latency of a notification
 * (from the event to the waiting thread running), each with both processes on one CPU and
 * on two (pinned with SYS_affinity).
 *
 *   ipcbench
 *
 * One line per figure for scripts, then a table for people:
 *
 *   ipcbench pingpong64 cpus=1 iterations=10000 round_trip_ns=...
 *   ipcbench call64 cpus=1 iterations=10000 round_trip_ns=...
 *   ipcbench stream4096 cpus=2 messages=20000 bytes=81920000 ns=... ns_per_msg=... mb_per_s=...
 *   ipcbench wake-high cpus=1 iterations=2000 wake_ns=...
 *   ipcbench pingpong64-chans10000 cpus=1 iterations=10000 round_trip_ns=...
 *
 * The scaling rows (one CPU) show how cost grows with work elsewhere: the round trip with
 * 1, 100 and 10,000 channels in the system (a process holds at most FD_MAX descriptors,
 * so the others are made, not opened), and the wake-up with 1, 10 and 1,000
 * subscriptions on the waiter's endpoint.
 *
 * The wake-up latency is the time from the kernel's record of the event (its time_ns: the
 * moment the writer's write posted it) to the waiter's first instruction after its read
 * of the endpoint returned. "wake" has the waiter at the writer's priority: on one CPU it
 * runs only once the writer blocks; "wake-high" has it at SCHED_HIGH, so the wake-up
 * preempts the writer at once.
 *
 * Times come from sys_clock_ns(). `make bench` boots the kernel under QEMU -icount
 * shift=0, where guest time advances one nanosecond per guest instruction: the figures
 * are then instruction counts, the same on every run and every host (lab-guides/stage4.md,
 * "Benchmarks"). Elsewhere they are the host's time and vary from run to run.
 *
 * The other process is this program again, in a child mode (argv[1]), using descriptors
 * it inherits from the parent (spawn copies them) so that no open races the first message:
 *   ipcbench pong IN_FD OUT_FD ROUNDS CPU CALL
 *                                            read a message, send it back, ROUNDS times;
 *                                            with CALL 1, each answer and the wait for the
 *                                            next request is one sys_call
 *   ipcbench sink IN_FD SIZE COUNT CPU       read COUNT messages of SIZE bytes
 *   ipcbench waiter NFD IN_FD OUT_FD ROUNDS CPU HIGH
 *                                            wait for a record on endpoint NFD, read the
 *                                            message on IN_FD, send the latency on OUT_FD */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define IPCBENCH_ROUNDS 10000            /* ping-pong round trips timed */
#define IPCBENCH_WARMUP 100              /* and done before the clock starts */
#define IPCBENCH_SMALL 64
#define IPCBENCH_LARGE 4096
#define IPCBENCH_SMALL_COUNT 100000      /* messages of the 64-byte stream */
#define IPCBENCH_LARGE_COUNT 20000       /* messages of the 4 KiB stream */
#define IPCBENCH_CAPACITY 64             /* queue of a stream's channel */
#define IPCBENCH_WAKES 2000              /* notification wake-ups timed */
#define IPCBENCH_POLL_NS 10000           /* the parent's pause while the waiter gets ready */
#define IPCBENCH_ROWS 20
#define IPCBENCH_IDLE_DIR "/ipc/bench-idle"     /* the scaling rows' idle channels */

/* One figure, for the table. */
struct ipcbench_row {
	const char *name;
	int cpus;
	long count, ns, bytes;           /* bytes 0: a latency, not a throughput */
	const char *unit;                /* of a latency: "round_trip_ns", "wake_ns" */
};

static struct ipcbench_row ipcbench_rows[IPCBENCH_ROWS];
static int ipcbench_nrows;

/* ---- the child ---- */

/* A number argument of a child mode (the parent wrote it, so it is well-formed). */
static long ipcbench_arg(const char *s)
{
	long v = -1;

	return args_number(s, 10, 0, 1L << 40, &v) ? v : -1;
}

/* Child mode "pong IN OUT ROUNDS CPU CALL". Returns its exit status. */
static int ipcbench_pong(char **argv)
{
	char buf[IPCBENCH_SMALL];
	int in = (int)ipcbench_arg(argv[2]), out = (int)ipcbench_arg(argv[3]);
	long i, rounds = ipcbench_arg(argv[4]), n;
	bool call = ipcbench_arg(argv[6]) == 1;

	if (sys_affinity((int)ipcbench_arg(argv[5])) < 0)
		return 1;
	n = sys_read(in, buf, sizeof buf);
	for (i = 1; n > 0 && i < rounds; i++)
		n = call ? sys_call(out, buf, (size_t)n, in, buf, sizeof buf) :
		    sys_write(out, buf, (size_t)n) == n ? sys_read(in, buf, sizeof buf) : -1;
	return n > 0 && sys_write(out, buf, (size_t)n) == n ? 0 : 2;
}

/* Child mode "sink IN SIZE COUNT CPU". Returns its exit status: 0 when every message had
 * the size expected. */
static int ipcbench_sink(char **argv)
{
	static char buf[IPCBENCH_LARGE];
	int in = (int)ipcbench_arg(argv[2]);
	long size = ipcbench_arg(argv[3]), count = ipcbench_arg(argv[4]), i;

	if (sys_affinity((int)ipcbench_arg(argv[5])) < 0)
		return 1;
	for (i = 0; i < count; i++)
		if (sys_read(in, buf, sizeof buf) != size)
			return 2;
	return 0;
}

/* Child mode "waiter NFD IN OUT ROUNDS CPU HIGH". Returns its exit status. */
static int ipcbench_waiter(char **argv)
{
	int nfd = (int)ipcbench_arg(argv[2]), in = (int)ipcbench_arg(argv[3]);
	int out = (int)ipcbench_arg(argv[4]);
	long i, rounds = ipcbench_arg(argv[5]), latency;
	struct ntfy_record rec;
	char buf[IPCBENCH_SMALL];

	if (sys_affinity((int)ipcbench_arg(argv[6])) < 0)
		return 1;
	if (ipcbench_arg(argv[7]) && sys_setprio(SCHED_HIGH) < 0)
		return 1;
	for (i = 0; i < rounds; i++) {
		if (sys_read(nfd, &rec, sizeof rec) != (long)sizeof rec)
			return 2;
		latency = (long)(sys_clock_ns() - rec.time_ns);
		if (sys_read(in, buf, sizeof buf) < 0 ||
		    sys_write(out, &latency, sizeof latency) != (long)sizeof latency)
			return 3;
	}
	return 0;
}

/* ---- the parent ---- */

/* Make channel path with capacity and open it twice: for reading into fds[0], for writing
 * into fds[1]. Unlinks the name at once (the handles keep the channel). Returns 0 or
 * -errno. */
static int ipcbench_channel(const char *path, unsigned capacity, int fds[2])
{
	struct chan_attr attr = { capacity, IPCBENCH_LARGE };
	int err = sys_mkchan(path, 0600, &attr);

	if (err)
		return err;
	fds[0] = sys_open(path, O_RDONLY, 0);
	fds[1] = sys_open(path, O_WRONLY, 0);
	sys_unlink(path);
	return fds[0] < 0 ? fds[0] : fds[1] < 0 ? fds[1] : 0;
}

#define IPCBENCH_CHILD_ARGS 6

/* Start this program as a child: argv[1] is the mode, then the n numbers of args. Returns
 * the pid or -errno. */
static int ipcbench_spawn(const char *mode, const long *args, int n)
{
	char s[IPCBENCH_CHILD_ARGS][24];
	char *argv[IPCBENCH_CHILD_ARGS + 3] = { "ipcbench", (char *)mode };
	int i;

	for (i = 0; i < n; i++) {
		snprintf(s[i], sizeof s[i], "%ld", args[i]);
		argv[i + 2] = s[i];
	}
	argv[n + 2] = NULL;
	return sys_spawn("/bin/ipcbench", argv, NULL);
}

/* Wait for child pid; true when it ended with status 0. */
static bool ipcbench_reap(int pid)
{
	int status = -1;

	return sys_wait(pid, &status) == pid && status == 0;
}

/* Close each descriptor of fds[n]. */
static void ipcbench_close(const int *fds, int n)
{
	while (n-- > 0)
		sys_close(fds[n]);
}

/* Send a 64-byte message out and wait for it to come back in, rounds times. Never
 * inlined: tools/ipc-profile finds the timed round trips by this function's address. */
static __attribute__((noinline)) bool ipcbench_rounds(int out, int in, long rounds)
{
	char buf[IPCBENCH_SMALL] = "ping";
	long i;

	for (i = 0; i < rounds; i++)
		if (sys_write(out, buf, sizeof buf) != (long)sizeof buf ||
		    sys_read(in, buf, sizeof buf) != (long)sizeof buf)
			return false;
	return true;
}

/* The same with one sys_call per round trip. Never inlined, for tools/ipc-profile --call. */
static __attribute__((noinline)) bool ipcbench_calls(int out, int in, long rounds)
{
	char buf[IPCBENCH_SMALL] = "ping";
	long i;

	for (i = 0; i < rounds; i++)
		if (sys_call(out, buf, sizeof buf, in, buf, sizeof buf) != (long)sizeof buf)
			return false;
	return true;
}

/* Ping-pong with the child on CPU cpu (the parent is on CPU 0), both with write and read,
 * or both with sys_call when call. Returns the time of IPCBENCH_ROUNDS round trips in ns,
 * or -1. */
static long ipcbench_pingpong(int cpu, bool call)
{
	bool (*rounds)(int, int, long) = call ? ipcbench_calls : ipcbench_rounds;
	int req[2], rep[2], pid;
	long start, ns = -1;

	if (ipcbench_channel("/ipc/bench-req", 1, req) || ipcbench_channel("/ipc/bench-rep", 1, rep))
		return -1;
	pid = ipcbench_spawn("pong", (long[]){ req[0], rep[1], IPCBENCH_WARMUP + IPCBENCH_ROUNDS,
					       cpu, call }, 5);
	if (pid > 0 && rounds(req[1], rep[0], IPCBENCH_WARMUP)) {
		start = sys_clock_ns();
		if (rounds(req[1], rep[0], IPCBENCH_ROUNDS))
			ns = sys_clock_ns() - start;
	}
	ipcbench_close(req, 2);
	ipcbench_close(rep, 2);
	return pid > 0 && ipcbench_reap(pid) ? ns : -1;
}

/* Stream count messages of size bytes to a child on CPU cpu, which reads them all.
 * Returns the time from the first write to the child's end in ns, or -1. */
static long ipcbench_stream(long size, long count, int cpu)
{
	static char buf[IPCBENCH_LARGE];
	int ch[2], pid;
	long i, start = 0;
	bool ok;

	if (ipcbench_channel("/ipc/bench-stream", IPCBENCH_CAPACITY, ch))
		return -1;
	pid = ipcbench_spawn("sink", (long[]){ ch[0], size, count, cpu }, 4);
	ok = pid > 0;
	start = sys_clock_ns();
	for (i = 0; ok && i < count; i++)
		ok = sys_write(ch[1], buf, (size_t)size) == size;
	ipcbench_close(ch, 2);
	ok = pid > 0 && ipcbench_reap(pid) && ok;
	return ok ? sys_clock_ns() - start : -1;
}

/* ---- the scaling rows: idle channels in the system, idle subscriptions ---- */

static int ipcbench_idle;                /* channels made in IPCBENCH_IDLE_DIR */

/* The name of idle channel i. */
static void ipcbench_idle_path(int i, char *buf, size_t size)
{
	snprintf(buf, size, "%s/c%d", IPCBENCH_IDLE_DIR, i);
}

/* Make idle channels until there are n. Returns 0 or -errno. */
static int ipcbench_idle_grow(int n)
{
	char path[48];
	int err;

	if (ipcbench_idle == 0 && n > 0 && (err = sys_mkdir(IPCBENCH_IDLE_DIR, 0700)) != 0)
		return err;
	for (; ipcbench_idle < n; ipcbench_idle++) {
		ipcbench_idle_path(ipcbench_idle, path, sizeof path);
		if ((err = sys_mkchan(path, 0600, NULL)) != 0)
			return err;
	}
	return 0;
}

/* Remove every idle channel. */
static void ipcbench_idle_remove(void)
{
	char path[48];

	while (ipcbench_idle > 0) {
		ipcbench_idle_path(--ipcbench_idle, path, sizeof path);
		sys_unlink(path);
	}
	sys_rmdir(IPCBENCH_IDLE_DIR);
}

/* Make an endpoint in *nfd subscribed (edge-triggered, READABLE) to a new channel opened
 * like ipcbench_channel's into fds, and to the first idle - 1 idle channels, which never
 * fire. Returns 0 or -errno. */
static int ipcbench_watched(const char *path, int fds[2], int *nfd, int idle)
{
	struct ntfy_watch w = { .events = NTFY_READABLE, .flags = NTFY_EDGE };
	struct chan_attr attr = { 1, IPCBENCH_LARGE };
	int err = sys_mkchan(path, 0600, &attr), i;
	char name[48];

	if (err)
		return err;
	*nfd = sys_ntfy_new(4, 0);
	err = *nfd < 0 ? *nfd : sys_watch(*nfd, path, &w);
	for (i = 0; err >= 0 && i < idle - 1; i++) {
		ipcbench_idle_path(i, name, sizeof name);
		err = sys_watch(*nfd, name, &w);
	}
	fds[0] = sys_open(path, O_RDONLY, 0);
	fds[1] = sys_open(path, O_WRONLY, 0);
	sys_unlink(path);
	return err < 0 ? err : fds[0] < 0 ? fds[0] : fds[1] < 0 ? fds[1] : 0;
}

/* True once a thread sleeps in read() on endpoint nfd (fstat's st_extra[2]). */
static bool ipcbench_waiting(int nfd)
{
	struct stat st;

	return sys_fstat(nfd, &st) == 0 && st.st_extra[2] > 0;
}

/* Notification wake-ups with the waiter on CPU cpu, at SCHED_HIGH if high, its endpoint
 * subscribed to watched channels in all (watched - 1 of them idle). Before each
 * event the waiter is asleep (the parent checks, with fstat). Returns the sum of
 * IPCBENCH_WAKES latencies in ns, or -1. The parent sleeps rather than yields while it
 * waits: under -icount a CPU that never idles can keep the other one from running. */
static long ipcbench_wake(int cpu, bool high, int watched)
{
	int ch[2], rep[2], nfd = -1, pid = -1;
	long i, latency, sum = 0;
	bool ok;

	ok = ipcbench_watched("/ipc/bench-wake", ch, &nfd, watched) == 0 &&
	     ipcbench_channel("/ipc/bench-wake-rep", 1, rep) == 0;
	if (ok)
		pid = ipcbench_spawn("waiter", (long[]){ nfd, ch[0], rep[1],
					 IPCBENCH_WARMUP + IPCBENCH_WAKES, cpu, high }, 6);
	ok = ok && pid > 0;
	for (i = 0; ok && i < IPCBENCH_WARMUP + IPCBENCH_WAKES; i++) {
		while (!ipcbench_waiting(nfd))
			sys_sleep_ns(IPCBENCH_POLL_NS);

		ok = sys_write(ch[1], "x", 1) == 1 &&
		     sys_read(rep[0], &latency, sizeof latency) == (long)sizeof latency;
		if (i >= IPCBENCH_WARMUP)
			sum += latency;
	}
	ipcbench_close(ch, 2);
	ipcbench_close(rep, 2);
	sys_close(nfd);
	return pid > 0 && ipcbench_reap(pid) && ok ? sum : -1;
}

/* Record a figure and print its machine-readable line; unit names a latency's figure
 * (size 0), NULL for a throughput. */
static void ipcbench_report(const char *name, int cpus, long count, long ns, long size,
			    const char *unit)
{
	struct ipcbench_row *r = &ipcbench_rows[ipcbench_nrows++];

	*r = (struct ipcbench_row){ name, cpus, count, ns, size * count, unit };
	if (size == 0)
		printf("ipcbench %s cpus=%d iterations=%ld %s=%ld\n", name, cpus, count, unit,
		       ns / count);
	else
		printf("ipcbench %s cpus=%d messages=%ld bytes=%ld ns=%ld ns_per_msg=%ld "
		       "mb_per_s=%ld\n", name, cpus, count, r->bytes, ns, ns / count,
		       r->bytes * 1000 / ns);
}

/* Print the table of every figure recorded. */
static void ipcbench_table(void)
{
	int i;

	printf("\n%-21s %4s %10s %12s %8s\n", "benchmark", "cpus", "count", "ns/op", "MB/s");
	for (i = 0; i < ipcbench_nrows; i++) {
		const struct ipcbench_row *r = &ipcbench_rows[i];

		if (r->bytes)
			printf("%-21s %4d %10ld %12ld %8ld\n", r->name, r->cpus, r->count,
			       r->ns / r->count, r->bytes * 1000 / r->ns);
		else
			printf("%-21s %4d %10ld %12ld %8s\n", r->name, r->cpus, r->count,
			       r->ns / r->count, "-");
	}
}

/* Report a figure as ipcbench_report(), or say that its benchmark failed (ns <= 0).
 * Returns 0, or 1 for a failure. */
static int ipcbench_result(const char *name, int cpus, long count, long ns, long size,
			   const char *unit)
{
	if (ns <= 0) {
		dprintf(2, "ipcbench: %s with cpus=%d failed\n", name, cpus);
		return 1;
	}
	ipcbench_report(name, cpus, count, ns, size, unit);
	return 0;
}

/* Run every benchmark with the other process on CPU cpu (0: the same CPU as this one).
 * Returns 0, or 1 after saying which failed. */
static int ipcbench_all_on(int cpu)
{
	static const struct { const char *name; long size, count; } streams[] = {
		{ "stream64", IPCBENCH_SMALL, IPCBENCH_SMALL_COUNT },
		{ "stream4096", IPCBENCH_LARGE, IPCBENCH_LARGE_COUNT },
	};
	static const char *const rounds[] = { "pingpong64", "call64" };
	static const char *const wakes[] = { "wake", "wake-high" };
	unsigned i;

	for (i = 0; i < 2; i++)
		if (ipcbench_result(rounds[i], cpu + 1, IPCBENCH_ROUNDS,
				    ipcbench_pingpong(cpu, i == 1), 0, "round_trip_ns"))
			return 1;
	for (i = 0; i < sizeof streams / sizeof streams[0]; i++)
		if (ipcbench_result(streams[i].name, cpu + 1, streams[i].count,
				    ipcbench_stream(streams[i].size, streams[i].count, cpu),
				    streams[i].size, NULL))
			return 1;
	for (i = 0; i < 2; i++)
		if (ipcbench_result(wakes[i], cpu + 1, IPCBENCH_WAKES, ipcbench_wake(cpu, i == 1, 1),
				    0, "wake_ns"))
			return 1;
	return 0;
}

/* The scaling rows, on one CPU: the round trip with 1, 100 and 10,000 channels in the
 * system (its own two among them, the others idle), and the wake-up with 1, 10 and 1,000
 * subscriptions on the waiter's endpoint. Returns 0, or 1 after saying which failed. */
static int ipcbench_scaling(void)
{
	static const int chans[] = { 1, 100, 10000 }, watched[] = { 1, 10, 1000 };
	static char names[6][32];
	unsigned i;
	long ns;

	for (i = 0; i < 3; i++) {
		snprintf(names[i], sizeof names[i], "pingpong64-chans%d", chans[i]);
		ns = ipcbench_idle_grow(chans[i] > 2 ? chans[i] - 2 : 0) ? -1 : ipcbench_pingpong(0, false);
		if (ipcbench_result(names[i], 1, IPCBENCH_ROUNDS, ns, 0, "round_trip_ns"))
			return 1;
	}
	for (i = 0; i < 3; i++) {
		snprintf(names[3 + i], sizeof names[3 + i], "wake-watch%d", watched[i]);
		if (ipcbench_result(names[3 + i], 1, IPCBENCH_WAKES,
				    ipcbench_wake(0, false, watched[i]), 0, "wake_ns"))
			return 1;
	}
	ipcbench_idle_remove();
	return 0;
}

int main(int argc, char **argv)
{
	int err;

	if (argc == 7 && strcmp(argv[1], "pong") == 0)
		return ipcbench_pong(argv);
	if (argc == 6 && strcmp(argv[1], "sink") == 0)
		return ipcbench_sink(argv);
	if (argc == 8 && strcmp(argv[1], "waiter") == 0)
		return ipcbench_waiter(argv);
	if (argc != 1)
		args_usage("ipcbench");
	err = sys_affinity(0);
	if (err < 0) {
		uerror("ipcbench", "affinity", err);
		return 1;
	}
	if (ipcbench_all_on(0))
		return 1;
	if (sys_affinity(1) < 0)
		printf("ipcbench: one CPU only: no figures with cpus=2\n");
	else if (sys_affinity(0) < 0 || ipcbench_all_on(1))
		return 1;
	if (sys_affinity(0) < 0 || ipcbench_scaling())
		return 1;
	ipcbench_table();
	return sys_affinity(-1) < 0;
}
