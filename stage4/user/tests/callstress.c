/* callstress: the fast path of a call under load on four CPUs (lab-guides/stage4.md, "The
 * fast path of a call"). A server process of CS_SERVERS threads answers, by call, the
 * calls of CS_CLIENTS client threads of this program, through one request channel and one
 * reply channel per client, while a watcher thread keeps subscribing a notification
 * endpoint to the channels and letting go of them again. So messages take the fast path
 * and the general one in every mix: a watched channel sends its messages the general way;
 * a reply longer than 256 bytes does not fit the place a call offers; a reply buffer too
 * small gets -EOVERFLOW, and the client reads the reply with recv; a server may be asleep
 * in a call or busy, and several are asleep on one channel.
 *
 * Requests are 8 to 299 bytes: the client's number, the call's number, then bytes made of
 * both. A reply is its request with every byte flipped and a '!' after it. Each client
 * checks every reply it gets against its own request; at the end, the statistics of every
 * channel must count exactly the calls made, with nothing queued and nobody asleep, and
 * both paths must have been taken. The sizes come from a generator seeded per client
 * (CS_SEED and the client's number), printed, so a failing run can be told apart from
 * another; which path each message takes depends on timing and is not repeatable.
 *
 *   callstress             the test (utest=callstress, on 4 CPUs: UTEST_SMP)
 *   callstress server      the server process (request channel read-only, replies
 *                          write-only, by name) */
#include <stdbool.h>
#include <stdint.h>
#include <lib/prng.h>
#include <ulib/agent.h>
#include <ulib/chanstat.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>
#include <ulib/utest.h>

#define CS_SERVERS 2
#define CS_CLIENTS 4
#define CS_CALLS 1500                   /* per client */
#define CS_MIN 8                        /* request bytes: the header and more */
#define CS_MAX 299
#define CS_BUF 400                      /* every channel's message size limit */
#define CS_REQ "/ipc/cs-req"
#define CS_REP_FMT "/ipc/cs-rep%d"
#define CS_SEED 0xca11ca11ULL

/* Byte i of request number call of client k. */
static unsigned char cs_byte(int k, uint32_t call, size_t i)
{
	switch (i) {
	case 0:
		return (unsigned char)k;
	case 1: case 2: case 3: case 4:
		return (unsigned char)(call >> (8 * (i - 1)));
	default:
		return (unsigned char)(k * 31 + call * 7 + i);
	}
}

/* ---- the server process ---- */

static int cs_req_fd, cs_rep_fd[CS_CLIENTS];

/* One server thread: the first request by recv, then each answer and the wait for the
 * next by call, until end of file. Its status: 0, or 1 for a request it cannot answer. */
static int cs_serve(void *arg)
{
	unsigned char req[CS_BUF], rep[CS_BUF];
	long n = sys_read(cs_req_fd, req, sizeof req), i;

	(void)arg;
	while (n >= CS_MIN && n <= CS_MAX && req[0] < CS_CLIENTS) {
		for (i = 0; i < n; i++)
			rep[i] = (unsigned char)~req[i];
		rep[n] = '!';
		n = sys_call(cs_rep_fd[req[0]], rep, (size_t)n + 1, cs_req_fd, req, sizeof req);
	}
	return n == 0 ? 0 : 1;
}

static int cs_server_main(void)
{
	struct uthread t[CS_SERVERS];
	char path[32];
	int i, code, status = 0;

	fd_close_all_except(NULL, 0); /* spawn copied the clients' handles: no end of file */
	cs_req_fd = sys_open(CS_REQ, O_RDONLY, 0);
	for (i = 0; i < CS_CLIENTS; i++) {
		snprintf(path, sizeof path, CS_REP_FMT, i);
		cs_rep_fd[i] = sys_open(path, O_WRONLY, 0);
		if (cs_rep_fd[i] < 0)
			return 2;
	}
	if (cs_req_fd < 0)
		return 2;
	for (i = 1; i < CS_SERVERS; i++)
		if (uthread_create(&t[i], cs_serve, NULL))
			return 3;
	status = cs_serve(NULL);
	for (i = 1; i < CS_SERVERS; i++)
		if (uthread_join(&t[i], &code) || code)
			status = 1;
	return status;
}

/* ---- the clients ---- */

/* What a client counts: the test's expectations of the statistics. hold is a writer
 * handle of its reply channel that the test keeps open, so that a call made before the
 * server has opened the channel waits for the reply instead of reading end of file. */
struct cs_client {
	int k, req, rep, hold;
	uint64_t overflows;             /* -EOVERFLOW, then recv */
	uint64_t unhandable;            /* over 256 bytes or too long for the buffer: a
					 * reply the fast path may not hand over */
	uint64_t bad;                   /* a wrong result or reply */
	uint64_t seed;
	struct uthread t;
};

/* Is the reply in buf (n bytes) the one for request number call of client k, len long? */
static bool cs_reply_ok(int k, uint32_t call, size_t len, const unsigned char *buf, long n)
{
	size_t i;

	if (n != (long)len + 1 || buf[len] != '!')
		return false;
	for (i = 0; i < len; i++)
		if (buf[i] != (unsigned char)~cs_byte(k, call, i))
			return false;
	return true;
}

static int cs_client(void *arg)
{
	struct cs_client *c = arg;
	unsigned char req[CS_BUF], buf[CS_BUF];
	struct chan_msg_info info;
	struct prng rng;
	uint32_t call;
	size_t len, cap, i;
	long n;

	prng_seed(&rng, c->seed);
	for (call = 0; call < CS_CALLS; call++) {
		len = (size_t)prng_range(&rng, CS_MIN, CS_MAX);
		/* Mostly room for the reply; one call in eight a buffer too small for it. */
		cap = prng_chance(&rng, 12) ? (size_t)prng_range(&rng, 0, len) : CS_BUF;
		for (i = 0; i < len; i++)
			req[i] = cs_byte(c->k, call, i);
		c->unhandable += len + 1 > 256 || cap < len + 1;
		n = sys_call(c->req, req, len, c->rep, buf, cap);
		if (cap < len + 1) {
			c->overflows++;
			if (n != -EOVERFLOW) {
				c->bad++;
				continue;
			}
			n = sys_recv(c->rep, buf, sizeof buf, &info);
		}
		c->bad += !cs_reply_ok(c->k, call, len, buf, n);
	}
	return 0;
}

/* ---- the watcher ---- */

static volatile bool cs_stop;
static uint64_t cs_watches;

/* Watch the request channel and the reply channels in turn, a moment each, and
 * read what the endpoint got, until cs_stop. Edge-triggered: a level-triggered watch of a
 * channel with room would report it again at every read. */
static int cs_watcher(void *arg)
{
	const struct ntfy_watch w = { .events = NTFY_CHAN_EVENTS, .flags = NTFY_EDGE };
	struct ntfy_record rec[8];
	char path[32];
	int nfd = sys_ntfy_new(0, O_NONBLOCK), id, k = 0;

	(void)arg;
	while (nfd >= 0 && !cs_stop) {
		snprintf(path, sizeof path, CS_REP_FMT, k);
		k = (k + 1) % CS_CLIENTS;
		id = sys_watch(nfd, k % 2 ? CS_REQ : path, &w);
		sys_yield();
		sys_read(nfd, rec, sizeof rec);
		if (id > 0 && sys_unwatch(nfd, id) == 0)
			cs_watches++;
		sys_yield();
	}
	return nfd >= 0 ? sys_close(nfd) : 1;
}

/* ---- the test ---- */

static struct {
	bool ran;
	struct cs_client clients[CS_CLIENTS];
} cs_run;

/* Make the channels, open the clients' ends and start the server. Returns its pid. */
static int cs_setup(void)
{
	struct chan_attr req = { 4, CS_BUF }, rep = { 1, CS_BUF };
	char *argv[] = { "callstress", "server", NULL };
	char path[32];
	int k;

	if (sys_mkchan(CS_REQ, 0600, &req))
		return -1;
	for (k = 0; k < CS_CLIENTS; k++) {
		struct cs_client *c = &cs_run.clients[k];

		snprintf(path, sizeof path, CS_REP_FMT, k);
		if (sys_mkchan(path, 0600, &rep))
			return -1;
		*c = (struct cs_client){ .k = k, .seed = CS_SEED ^ (uint64_t)k << 32 };
		c->req = sys_open(CS_REQ, O_WRONLY, 0);
		c->rep = sys_open(path, O_RDONLY, 0);
		c->hold = sys_open(path, O_WRONLY, 0);
		if (c->req < 0 || c->rep < 0 || c->hold < 0)
			return -1;
	}
	return sys_spawn("/bin/callstress", argv, NULL);
}

UTEST(clients_and_servers_in_two_processes_get_every_reply_right)
{
	struct uthread watcher;
	int pid, k, status = -1;
	bool ok = true;

	pid = cs_setup();
	UTEST_ASSERT(pid > 0);
	cs_stop = false;
	ok &= UTEST_EXPECT_EQ(uthread_create(&watcher, cs_watcher, NULL), 0);
	for (k = 0; k < CS_CLIENTS; k++)
		ok &= UTEST_EXPECT_EQ(uthread_create(&cs_run.clients[k].t, cs_client,
						     &cs_run.clients[k]), 0);
	for (k = 0; k < CS_CLIENTS; k++) {
		struct cs_client *c = &cs_run.clients[k];

		ok &= UTEST_EXPECT_EQ(uthread_join(&c->t, NULL), 0);
		ok &= UTEST_EXPECT_EQ(c->bad, 0);
		ok &= UTEST_EXPECT_EQ(sys_close(c->req), 0);  /* the last one: end of file */
		tap_diag(utest_tap(), "client %d (seed 0x%llx): %d calls, %llu replies too long "
			 "for the buffer, %llu for the fast path", k, (unsigned long long)c->seed,
			 CS_CALLS, (unsigned long long)c->overflows,
			 (unsigned long long)c->unhandable);
	}
	cs_stop = true;
	ok &= UTEST_EXPECT_EQ(uthread_join(&watcher, NULL), 0);
	ok &= UTEST_EXPECT_EQ(sys_wait(pid, &status), pid);
	ok &= UTEST_EXPECT_EQ(status, 0);
	tap_diag(utest_tap(), "the watcher watched a channel %llu times",
		 (unsigned long long)cs_watches);
	cs_run.ran = ok;
}

/* The figure column of channel path, or -1. */
static long long cs_figure(const char *text, const char *path, const char *column)
{
	unsigned long long v;

	return chanstat_field(text, path, column, &v) == 0 ? (long long)v : -1;
}

UTEST(statistics_count_every_call_and_both_paths_were_taken)
{
	static char text[CHANSTAT_MAX + 1];
	static const char *const none[] = { "depth", "blocked_readers", "blocked_writers",
					    "eagain", "epipe", "enomem", "efault" };
	long long calls = (long long)CS_CLIENTS * CS_CALLS, handed = 0;
	char path[32];
	size_t i;
	int k;

	UTEST_ASSERT(cs_run.ran);
	UTEST_ASSERT(chanstat_read(text) > 0);
	UTEST_EXPECT_EQ(cs_figure(text, CS_REQ, "msgs_written"), calls);
	UTEST_EXPECT_EQ(cs_figure(text, CS_REQ, "msgs_read"), calls);
	UTEST_EXPECT(cs_figure(text, CS_REQ, "handed") > 0);
	UTEST_EXPECT(cs_figure(text, CS_REQ, "handed") < calls);
	for (i = 0; i < sizeof none / sizeof none[0]; i++)
		UTEST_EXPECT_EQ(cs_figure(text, CS_REQ, none[i]), 0);
	for (k = 0; k < CS_CLIENTS; k++) {
		const struct cs_client *c = &cs_run.clients[k];

		snprintf(path, sizeof path, CS_REP_FMT, k);
		UTEST_EXPECT_EQ(cs_figure(text, path, "msgs_written"), CS_CALLS);
		UTEST_EXPECT_EQ(cs_figure(text, path, "msgs_read"), CS_CALLS);
		/* The read half of each call too small for its reply fails once, then recv. */
		UTEST_EXPECT_EQ(cs_figure(text, path, "emsgsize"), (long long)c->overflows);
		UTEST_EXPECT(cs_figure(text, path, "handed") <= CS_CALLS - (long long)c->unhandable);
		for (i = 0; i < sizeof none / sizeof none[0]; i++)
			UTEST_EXPECT_EQ(cs_figure(text, path, none[i]), 0);
		handed += cs_figure(text, path, "handed");
	}
	UTEST_EXPECT(handed > 0);
	tap_diag(utest_tap(), "handed over: %lld of %lld requests, %lld of %lld replies",
		 cs_figure(text, CS_REQ, "handed"), calls, handed, calls);
}

/* Unlinked, with every handle closed (the server's went with its process), each channel
 * is freed: its line is gone from /kfs/ipc/channels. */
UTEST(channels_go_when_unlinked_and_closed)
{
	static char text[CHANSTAT_MAX + 1];
	char path[32];
	int k;

	UTEST_EXPECT_EQ(sys_unlink(CS_REQ), 0);
	for (k = 0; k < CS_CLIENTS; k++) {
		snprintf(path, sizeof path, CS_REP_FMT, k);
		UTEST_EXPECT_EQ(sys_close(cs_run.clients[k].rep), 0);
		UTEST_EXPECT_EQ(sys_close(cs_run.clients[k].hold), 0);
		UTEST_EXPECT_EQ(sys_unlink(path), 0);
	}
	UTEST_ASSERT(chanstat_read(text) > 0);
	UTEST_EXPECT_EQ(cs_figure(text, CS_REQ, "depth"), -1);
	UTEST_EXPECT_EQ(cs_figure(text, "-", "depth"), -1);  /* no unlinked one left open */
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "server") == 0)
		return cs_server_main();
	return utest_main(argc, argv);
}
