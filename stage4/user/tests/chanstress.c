/* chanstress: channels under load on several CPUs. 4 worker processes, each with 2 writer
 * and 2 reader threads, share one channel: the 8 writers send 1,000,000 messages in all,
 * and the 8 readers take them until end of file. Then the checker (this program's first
 * process) proves that no message was lost or duplicated, that each reader saw each
 * writer's messages in the order they were sent, and that the channel's statistics in
 * /kfs/ipc/channels count exactly what was done. The kernel runs it with utest=chanstress
 * on 4 CPUs (make check: utest-x86_64-chanstress.qtest, UTEST_SMP in stage4/Makefile.am).
 *
 * The design (lab-guides/stage4.md, "The stress test"):
 *  - A message is 8 bytes, its writer's id (0..7) and its sequence number (0..124,999):
 *    small, so the run costs system calls rather than copies.
 *  - Each reader keeps the last sequence number it saw per writer: one FIFO queue means a
 *    reader that takes two messages of one writer takes them in the order they were
 *    written, so a number that does not grow is an order error.
 *  - Each worker marks every (writer, sequence) its readers took in one bitmap (bit set
 *    atomically: a bit already set is a duplicate within the process), and reports the
 *    bitmap, its counts and its errors to the checker through a second channel. The
 *    checker ORs the 4 bitmaps: a bit set twice is a duplicate across processes, a bit
 *    never set a lost message.
 *  - End of file ends the readers: the checker holds a writer handle of the channel from
 *    before it starts the workers until each has said it has its own handles open, so no
 *    reader sees end of file before every writer has started. A child inherits that handle
 *    (spawn copies the descriptors) and closes its copy.
 *
 * Child mode (argv[1]):  chanstress worker INDEX HOLD_FD */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ulib/chanstat.h>
#include <ulib/ipc.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>
#include <ulib/utest.h>

#define CS_PROCS 4                       /* worker processes */
#define CS_SIDE 2                        /* writers, and readers, per worker */
#define CS_WRITERS (CS_PROCS * CS_SIDE)
#define CS_MESSAGES 1000000L
#define CS_PER_WRITER (CS_MESSAGES / CS_WRITERS)
#define CS_BITMAP ((CS_PER_WRITER + 7) / 8)     /* bytes of one writer's bitmap */
#define CS_DATA "/ipc/stress"
#define CS_RESULT "/ipc/stress-result"
#define CS_CAPACITY CHAN_CAPACITY_MAX
#define CS_RESULT_CAPACITY 64            /* every worker's reports fit: nobody blocks */

/* A message of the stress channel. */
struct cs_msg {
	uint32_t writer;
	uint32_t seq;
};

/* What a worker sends the checker, each a message of the result channel. */
enum cs_kind { CS_READY = 1, CS_REPORT, CS_BITS };

struct cs_report {
	uint32_t kind, proc;
	uint64_t msgs, bytes;            /* read by the worker's readers */
	uint64_t order_errors;           /* a writer's number that did not grow */
	uint64_t dups;                   /* a message its readers took twice */
	uint64_t malformed;              /* wrong length, writer or number */
	uint64_t failed;                 /* failed writes, reads, opens or threads */
};

struct cs_bits {
	uint32_t kind, proc, writer;
	uint8_t bits[CS_BITMAP];
};

/* ---- a worker process ---- */

/* One worker's state, shared by its threads. */
static struct {
	int proc;
	uint8_t seen[CS_WRITERS][CS_BITMAP];
	uint64_t msgs, order_errors, dups, malformed, failed;   /* atomic */
} cs_worker;

/* One thread of a worker: its descriptor and its writer id (writers only). */
struct cs_thread {
	int fd;
	uint32_t writer;
	struct uthread t;
};

static void cs_count(uint64_t *counter, uint64_t n)
{
	if (n)
		__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

/* A writer thread: its CS_PER_WRITER messages in order, then close. */
static int cs_writer(void *arg)
{
	struct cs_thread *w = arg;
	struct cs_msg m = { w->writer, 0 };
	uint64_t failed = 0;

	for (m.seq = 0; m.seq < CS_PER_WRITER; m.seq++)
		failed += sys_write(w->fd, &m, sizeof m) != (long)sizeof m;
	failed += sys_close(w->fd) != 0;
	cs_count(&cs_worker.failed, failed);
	return 0;
}

/* Mark message m seen; a bit already set is a duplicate. */
static void cs_mark(const struct cs_msg *m)
{
	uint8_t bit = (uint8_t)(1u << (m->seq % 8));

	if (__atomic_fetch_or(&cs_worker.seen[m->writer][m->seq / 8], bit, __ATOMIC_RELAXED) & bit)
		cs_count(&cs_worker.dups, 1);
}

/* A reader thread: messages until end of file, each checked and marked. */
static int cs_reader(void *arg)
{
	struct cs_thread *r = arg;
	long last[CS_WRITERS], n;
	uint64_t msgs = 0, order = 0, bad = 0;
	struct cs_msg m;
	int w;

	for (w = 0; w < CS_WRITERS; w++)
		last[w] = -1;
	while ((n = sys_read(r->fd, &m, sizeof m)) > 0) {
		msgs++;
		if (n != (long)sizeof m || m.writer >= CS_WRITERS || m.seq >= CS_PER_WRITER) {
			bad++;
			continue;
		}
		order += (long)m.seq <= last[m.writer];
		last[m.writer] = m.seq;
		cs_mark(&m);
	}
	cs_count(&cs_worker.failed, (uint64_t)(n < 0) + (sys_close(r->fd) != 0));
	cs_count(&cs_worker.msgs, msgs);
	cs_count(&cs_worker.order_errors, order);
	cs_count(&cs_worker.malformed, bad);
	return 0;
}

/* Send the report and the bitmaps to the checker on fd. Returns 0 or 1. */
static int cs_send_results(int fd)
{
	static struct cs_bits b;
	struct cs_report rep = { CS_REPORT, (uint32_t)cs_worker.proc, cs_worker.msgs,
				 cs_worker.msgs * sizeof(struct cs_msg), cs_worker.order_errors,
				 cs_worker.dups, cs_worker.malformed, cs_worker.failed };
	int w, failed = sys_write(fd, &rep, sizeof rep) != (long)sizeof rep;

	for (w = 0; w < CS_WRITERS; w++) {
		b = (struct cs_bits){ CS_BITS, (uint32_t)cs_worker.proc, (uint32_t)w, { 0 } };
		memcpy(b.bits, cs_worker.seen[w], CS_BITMAP);
		failed |= sys_write(fd, &b, sizeof b) != (long)sizeof b;
	}
	return failed;
}

/* Open the handles of the worker's threads: writers first, so that they exist when the
 * worker reports ready. Returns 0, or -1 when an open failed. */
static int cs_open_all(struct cs_thread *wr, struct cs_thread *rd)
{
	int i;

	for (i = 0; i < CS_SIDE; i++) {
		wr[i].fd = sys_open(CS_DATA, O_WRONLY, 0);
		wr[i].writer = (uint32_t)(cs_worker.proc * CS_SIDE + i);
		if (wr[i].fd < 0)
			return -1;
	}
	for (i = 0; i < CS_SIDE; i++) {
		rd[i].fd = sys_open(CS_DATA, O_RDONLY, 0);
		if (rd[i].fd < 0)
			return -1;
	}
	return 0;
}

/* Child mode "worker INDEX HOLD_FD". Returns its exit status: 0, or 1 when it could not
 * run (its report then never comes, and the checker fails). */
static int cs_worker_main(const char *index, const char *hold)
{
	struct cs_thread wr[CS_SIDE], rd[CS_SIDE];
	struct cs_report ready = { .kind = CS_READY };
	int i, res = sys_open(CS_RESULT, O_WRONLY, 0);

	cs_worker.proc = atoi(index);
	ready.proc = (uint32_t)cs_worker.proc;
	if (res < 0 || cs_open_all(wr, rd) != 0 || sys_close(atoi(hold)) != 0 ||
	    sys_write(res, &ready, sizeof ready) != (long)sizeof ready)
		return 1;
	for (i = 0; i < CS_SIDE; i++) {
		if (uthread_create(&wr[i].t, cs_writer, &wr[i]) != 0 ||
		    uthread_create(&rd[i].t, cs_reader, &rd[i]) != 0)
			return 1;
	}
	for (i = 0; i < CS_SIDE; i++)
		cs_count(&cs_worker.failed, (uint64_t)(uthread_join(&wr[i].t, NULL) != 0) +
					    (uthread_join(&rd[i].t, NULL) != 0));
	return cs_send_results(res) | (sys_close(res) != 0);
}

/* ---- the checker ---- */

/* What the checker gathered; the tests after the first look at it. */
static struct {
	bool ran;                         /* every worker reported and exited 0 */
	int pids[CS_PROCS];
	struct cs_report rep[CS_PROCS];
	uint8_t seen[CS_WRITERS][CS_BITMAP];
	uint64_t cross_dups;              /* bits set by two workers */
	int bitmaps;                      /* bitmap messages received */
	long elapsed_ns;
	struct meminfo before;
} cs_run;

/* The worker index of pid, or -1. */
static int cs_proc_of(int pid)
{
	int i;

	for (i = 0; i < CS_PROCS; i++)
		if (cs_run.pids[i] == pid)
			return i;
	return -1;
}

/* Start worker i, which inherits the descriptor hold. Returns its pid or -errno. */
static int cs_spawn(int i, int hold)
{
	char index[8], fd[8];
	char *argv[] = { "chanstress", "worker", index, fd, NULL };

	snprintf(index, sizeof index, "%d", i);
	snprintf(fd, sizeof fd, "%d", hold);
	return sys_spawn("/bin/chanstress", argv, NULL);
}

/* Take in one bitmap: bits already set came from another worker too. */
static void cs_merge(const struct cs_bits *b)
{
	size_t i;

	for (i = 0; i < CS_BITMAP; i++) {
		cs_run.cross_dups += (uint64_t)__builtin_popcount(cs_run.seen[b->writer][i] & b->bits[i]);
		cs_run.seen[b->writer][i] |= b->bits[i];
	}
	cs_run.bitmaps++;
}

/* A message of the result channel: the report (also the ready) or a bitmap. */
union cs_result {
	struct cs_report rep;
	struct cs_bits bits;
};

/* The size of a result message of kind, or 0 for no kind. */
static size_t cs_size_of(uint32_t kind)
{
	if (kind == CS_READY || kind == CS_REPORT)
		return sizeof(struct cs_report);
	return kind == CS_BITS ? sizeof(struct cs_bits) : 0;
}

/* Receive one message of the result channel fd into *m: it must be of its kind's size,
 * from a worker, and name that worker. Returns the worker's index, or -1 (having said
 * why). */
static int cs_receive(int fd, union cs_result *m)
{
	struct chan_msg_info info;
	long n = sys_recv(fd, m, sizeof *m, &info);
	int proc = cs_proc_of(info.from.pid);

	if (n < 8 || (size_t)n != cs_size_of(m->rep.kind) || proc < 0 ||
	    m->rep.proc != (uint32_t)proc || (m->rep.kind == CS_BITS &&
					      m->bits.writer >= CS_WRITERS)) {
		utest_fail(__FILE__, __LINE__, "result message: %ld bytes, kind %u from pid %d",
			   n, n >= 8 ? m->rep.kind : 0, info.from.pid);
		return -1;
	}
	return proc;
}

/* Wait for every worker's ready. */
static bool cs_all_ready(int res)
{
	static union cs_result m;
	int i;

	for (i = 0; i < CS_PROCS; i++)
		if (cs_receive(res, &m) < 0 || m.rep.kind != CS_READY)
			return false;
	return true;
}

/* Receive every worker's report and bitmaps: the workers' messages come interleaved, so
 * each is taken by its kind; one that comes twice is an error. */
static bool cs_collect(int res)
{
	static union cs_result m;
	static bool got_rep[CS_PROCS], got_bits[CS_PROCS][CS_WRITERS];
	int i, proc;
	bool *got;

	for (i = 0; i < CS_PROCS * (1 + CS_WRITERS); i++) {
		proc = cs_receive(res, &m);
		if (proc < 0 || m.rep.kind == CS_READY)
			return false;
		got = m.rep.kind == CS_REPORT ? &got_rep[proc] : &got_bits[proc][m.bits.writer];
		if (*got)
			return false;
		*got = true;
		if (m.rep.kind == CS_REPORT)
			cs_run.rep[proc] = m.rep;
		else
			cs_merge(&m.bits);
	}
	return true;
}

/* Wait for every worker, after killing them when the run failed (they might wait for
 * ever); true when all exited 0. */
static bool cs_wait_all(bool failed)
{
	bool ok = true;
	int i, status;

	for (i = 0; i < CS_PROCS; i++) {
		status = -1;
		if (cs_run.pids[i] <= 0)
			continue;
		if (failed)
			sys_kill(cs_run.pids[i]);
		if (sys_wait(cs_run.pids[i], &status) != cs_run.pids[i] || status != 0) {
			utest_fail(__FILE__, __LINE__, "worker %d: status %d", i, status);
			ok = false;
		}
	}
	return ok;
}

UTEST(eight_writers_and_eight_readers_in_four_processes_finish)
{
	struct chan_attr data = { CS_CAPACITY, sizeof(struct cs_msg) };
	struct chan_attr result = { CS_RESULT_CAPACITY, sizeof(struct cs_bits) };
	long start = sys_clock_ns();
	int hold, res, i;
	bool ok = true;

	UTEST_ASSERT_EQ(sys_meminfo(&cs_run.before), 0);
	UTEST_ASSERT_EQ(sys_mkchan(CS_DATA, 0600, &data), 0);
	UTEST_ASSERT_EQ(sys_mkchan(CS_RESULT, 0600, &result), 0);
	hold = sys_open(CS_DATA, O_WRONLY, 0);
	UTEST_ASSERT(hold >= 0);
	for (i = 0; i < CS_PROCS; i++)
		ok &= UTEST_EXPECT((cs_run.pids[i] = cs_spawn(i, hold)) > 0);
	/* Read and write, as a FIFO server opens: read-only, a read before any worker has
	 * opened the channel would be end of file at once (no writer yet). */
	res = sys_open(CS_RESULT, O_RDWR, 0);
	ok = ok && UTEST_EXPECT(res >= 0) && cs_all_ready(res);
	UTEST_EXPECT_EQ(sys_close(hold), 0);    /* now the end of file can come */
	ok = ok && cs_collect(res);
	ok &= cs_wait_all(!ok);
	cs_run.elapsed_ns = sys_clock_ns() - start;
	UTEST_EXPECT(ok);
	UTEST_EXPECT_EQ(sys_close(res), 0);
	tap_diag(utest_tap(), "%ld messages through %s in %ld ms", CS_MESSAGES, CS_DATA,
		 cs_run.elapsed_ns / 1000000);
	cs_run.ran = ok;
}

/* The sum over the 4 reports of the counter at offset off of struct cs_report. */
static uint64_t cs_sum(size_t off)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < CS_PROCS; i++)
		sum += *(const uint64_t *)((const char *)&cs_run.rep[i] + off);
	return sum;
}

#define CS_SUM(field) cs_sum(offsetof(struct cs_report, field))

UTEST(no_worker_failed_an_operation)
{
	UTEST_ASSERT(cs_run.ran);
	UTEST_EXPECT_EQ(CS_SUM(failed), 0);
	UTEST_EXPECT_EQ(CS_SUM(malformed), 0);
}

/* Every (writer, sequence) was taken by exactly one reader of one worker. */
UTEST(every_message_arrives_exactly_once)
{
	long missing = 0;
	int w, s;

	UTEST_ASSERT(cs_run.ran);
	UTEST_EXPECT_EQ(cs_run.bitmaps, CS_PROCS * CS_WRITERS);
	for (w = 0; w < CS_WRITERS; w++)
		for (s = 0; s < CS_PER_WRITER; s++)
			missing += !(cs_run.seen[w][s / 8] & (1u << (s % 8)));
	UTEST_EXPECT_EQ(missing, 0);
	UTEST_EXPECT_EQ(CS_SUM(dups), 0);
	UTEST_EXPECT_EQ(cs_run.cross_dups, 0);
	UTEST_EXPECT_EQ(CS_SUM(msgs), CS_MESSAGES);
}

UTEST(each_reader_sees_each_writers_messages_in_order)
{
	UTEST_ASSERT(cs_run.ran);
	UTEST_EXPECT_EQ(CS_SUM(order_errors), 0);
}

/* The value in column name of the line of path in the table text, or -1. */
static long long cs_column(const char *text, const char *path, const char *name)
{
	unsigned long long v;

	return chanstat_field(text, path, name, &v) == 0 ? (long long)v : -1;
}

UTEST(statistics_count_exactly_what_was_done)
{
	static char text[CHANSTAT_MAX + 1];
	static const char *const zero[] = { "depth", "readers", "writers", "eagain", "emsgsize",
					    "epipe", "enomem", "efault" };
	size_t i;

	UTEST_ASSERT(cs_run.ran);
	UTEST_ASSERT(chanstat_read(text) > 0);
	UTEST_EXPECT_EQ(cs_column(text, CS_DATA, "msgs_written"), CS_MESSAGES);
	UTEST_EXPECT_EQ(cs_column(text, CS_DATA, "bytes_written"),
			CS_MESSAGES * (long)sizeof(struct cs_msg));
	UTEST_EXPECT_EQ(cs_column(text, CS_DATA, "msgs_read"), CS_MESSAGES);
	UTEST_EXPECT_EQ(cs_column(text, CS_DATA, "bytes_read"), (long long)CS_SUM(bytes));
	UTEST_EXPECT_EQ(cs_column(text, CS_DATA, "bytes_read"),
			CS_MESSAGES * (long)sizeof(struct cs_msg));
	UTEST_EXPECT_EQ(cs_column(text, CS_RESULT, "msgs_written"), CS_PROCS * (2 + CS_WRITERS));
	UTEST_EXPECT_EQ(cs_column(text, CS_RESULT, "msgs_read"), CS_PROCS * (2 + CS_WRITERS));
	for (i = 0; i < sizeof zero / sizeof zero[0]; i++)
		if (!UTEST_EXPECT_EQ(cs_column(text, CS_DATA, zero[i]), 0))
			tap_diag(utest_tap(), "column %s", zero[i]);
	tap_diag(utest_tap(), "high water %lld of %d, readers slept %lld times, writers %lld",
		 cs_column(text, CS_DATA, "high_water"), CS_CAPACITY,
		 cs_column(text, CS_DATA, "times_blocked_read"),
		 cs_column(text, CS_DATA, "times_blocked_write"));
}

/* Unlinked with no handle open, both channels go, and the workers with them: the kernel's
 * memory is as it was before the run. */
UTEST(memory_returns_to_where_it_was)
{
	struct meminfo after;

	UTEST_ASSERT(cs_run.ran);
	UTEST_EXPECT_EQ(sys_unlink(CS_DATA), 0);
	UTEST_EXPECT_EQ(sys_unlink(CS_RESULT), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_MEMINFO_EQ(&cs_run.before, &after);
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "worker") == 0)
		return cs_worker_main(argv[2], argv[3]);
	return utest_main(argc, argv);
}
