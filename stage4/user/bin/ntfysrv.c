/* ntfysrv: one thread serves several channels, woken by notifications rather than asleep
 * in one channel's read (lab-guides/stage4.md, "Notifications").
 *
 *   ntfysrv DIR N              serve: make the directory of channels DIR (if need be) and
 *                              in it the request channels req0 .. req(N-1), until "quit"
 *   ntfysrv -c CHANNEL TEXT... a client: send TEXT to the server's CHANNEL, print the answer
 *   ntfysrv -q CHANNEL         a client: tell the server to quit
 *
 * The protocol, one message each way:
 *   "REPLY TEXT"   the server writes TEXT in capitals into the channel REPLY, which must
 *                  belong to the user who sent the request (as in timesrv: the server runs
 *                  with its own rights, so it makes the check that matters itself)
 *   "quit"         the server removes its channels and ends; only from its own user
 * A newline at the end of a request is dropped, so that `echo quit > DIR/req0` works too.
 * The client makes its reply channel DIR/cli-PID beside CHANNEL, sends one request, waits
 * for the answer with poll (at most NTFYSRV_WAIT_NS), prints it and removes the channel.
 *
 * The server holds one endpoint. It watches each request channel for READABLE,
 * level-triggered, and DIR for CREATED and REMOVED, so that it can say which clients come
 * and go. A READABLE record names a channel (its cookie is the channel's number); the
 * server takes at most NTFYSRV_BATCH requests from it, non-blocking, then goes on to the
 * next record. Level triggering is what makes that batch limit safe: a channel that still
 * holds requests when its record is read is reported again at once (the record is
 * re-armed), so a busy client cannot starve the others and no request is forgotten. With
 * edge triggering the server would have to drain each channel to -EAGAIN, or lose track
 * of what is left. The price: a record re-armed while the requests about to be served
 * were still there may find the channel empty, which costs one recv (-EAGAIN); ipcstat's
 * "rearmed" column counts them.
 *
 * An overflow record means some records were lost, so the server no longer knows which
 * channels hold requests: it serves all of them. */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define NTFYSRV_USAGE \
	"ntfysrv DIR N\n" \
	"       ntfysrv -c CHANNEL TEXT...\n" \
	"       ntfysrv -q CHANNEL"
#define NTFYSRV_CHANS_MAX 16            /* request channels at most */
#define NTFYSRV_DIR_MODE 01777          /* like /ipc: clients make their channels here */
#define NTFYSRV_REQ_MODE 0622           /* anyone may ask; only the server reads */
#define NTFYSRV_REQ_MAX 128             /* bytes of a request (the channels' message size) */
#define NTFYSRV_CAPACITY 16             /* requests queued per channel */
#define NTFYSRV_BATCH 4                 /* requests served per record */
#define NTFYSRV_RECORDS 16              /* records read at once */
#define NTFYSRV_WAIT_NS 2000000000L     /* a client waits this long for its answer */
#define NTFYSRV_PATH_MAX 128

/* The server's state. */
struct ntfysrv {
	const char *dir;
	int n;                                  /* request channels */
	int fds[NTFYSRV_CHANS_MAX];             /* open for reading and writing, non-blocking */
	int nfd;                                /* the endpoint */
	unsigned long served, refused;          /* answered; not (bad, not the sender's, full) */
	bool quit;
};

/* ---- the server ---- */

/* The path of request channel i of dir into buf. */
static void ntfysrv_req_path(char *buf, const char *dir, int i)
{
	snprintf(buf, NTFYSRV_PATH_MAX, "%s/req%d", dir, i);
}

/* Answer "REPLY TEXT" (req, NUL-terminated, changed in place) from user uid. */
static void ntfysrv_answer(struct ntfysrv *s, int chan, char *req, int uid)
{
	char *text = strchr(req, ' '), *p;
	long r;
	int fd;

	if (!text || text == req) {
		printf("ntfysrv: req%d: bad request from uid %d\n", chan, uid);
		s->refused++;
		return;
	}
	*text++ = '\0';
	fd = chan_reply_open(req, uid);
	if (fd < 0) {
		printf("ntfysrv: req%d: %s: %s\n", chan, req, strerror(fd));
		s->refused++;
		return;
	}
	for (p = text; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	r = sys_write(fd, text, strlen(text));
	sys_close(fd);
	if (r < 0) {
		printf("ntfysrv: req%d: %s: %s\n", chan, req, strerror((int)r));
		s->refused++;
		return;
	}
	s->served++;
	printf("ntfysrv: req%d: uid %d -> %s: %s\n", chan, uid, req, text);
}

/* Serve at most NTFYSRV_BATCH requests of channel chan: the rest, if any, comes back as a
 * re-armed record (level triggering). */
static void ntfysrv_serve(struct ntfysrv *s, int chan)
{
	char req[NTFYSRV_REQ_MAX + 1];
	struct chan_msg_info info;
	long n;
	int i;

	for (i = 0; i < NTFYSRV_BATCH && !s->quit; i++) {
		n = sys_recv(s->fds[chan], req, NTFYSRV_REQ_MAX, &info);
		if (n < 0) {
			if (n != -EAGAIN)
				uerror("ntfysrv", "recv", (int)n);
			return;
		}
		if (n > 0 && req[n - 1] == '\n')
			n--;
		req[n] = '\0';
		if (strcmp(req, "quit") != 0)
			ntfysrv_answer(s, chan, req, info.from.uid);
		else if (info.from.uid == sys_getuid())
			s->quit = true;
		else
			printf("ntfysrv: req%d: quit refused to uid %d\n", chan, info.from.uid);
	}
}

/* Act on one record. */
static void ntfysrv_record(struct ntfysrv *s, const struct ntfy_record *r)
{
	int i;

	if (r->events == NTFY_OVERFLOW) {
		printf("ntfysrv: %u notifications lost: serving every channel\n", r->count);
		for (i = 0; i < s->n; i++)
			ntfysrv_serve(s, i);
	} else if (r->cookie < (uint64_t)s->n) {
		if (r->events == NTFY_READABLE)
			ntfysrv_serve(s, (int)r->cookie);
	} else if (r->events == NTFY_CREATED) {
		printf("ntfysrv: %s came\n", r->name);
	} else if (r->events == NTFY_REMOVED) {
		printf("ntfysrv: %s went\n", r->name);
	}
}

/* Make request channel i at path (replacing one a killed server left), open it and
 * subscribe the endpoint to it, level-triggered, with cookie i. Returns 0 or -errno. */
static int ntfysrv_open_req(struct ntfysrv *s, int i, const char *path)
{
	struct chan_attr attr = { NTFYSRV_CAPACITY, NTFYSRV_REQ_MAX };
	struct ntfy_watch w = { .events = NTFY_READABLE, .cookie = (uint64_t)i };
	int r = sys_unlink(path);

	if (r < 0 && r != -ENOENT)
		return r;
	r = sys_mkchan(path, NTFYSRV_REQ_MODE, &attr);
	s->fds[i] = r < 0 ? r : sys_open(path, O_RDWR | O_NONBLOCK, 0);
	return s->fds[i] < 0 ? s->fds[i] : sys_watch(s->nfd, path, &w);
}

/* Make DIR and the request channels and subscribe the endpoint to all of them, DIR last
 * (so that the server's own channels are not reported as clients). Returns 0, or 1 after
 * printing what failed. */
static int ntfysrv_setup(struct ntfysrv *s)
{
	struct ntfy_watch dir = { .events = NTFY_CREATED | NTFY_REMOVED, .flags = NTFY_EDGE,
				  .cookie = (uint64_t)s->n };
	char path[NTFYSRV_PATH_MAX];
	int i, r = sys_mkdir(s->dir, NTFYSRV_DIR_MODE);

	for (i = 0; i < s->n && (r >= 0 || r == -EEXIST); i++) {
		ntfysrv_req_path(path, s->dir, i);
		r = ntfysrv_open_req(s, i, path);
		if (r < 0) {
			uerror("ntfysrv", path, r);
			return 1;
		}
	}
	if (r >= 0 || r == -EEXIST)
		r = sys_watch(s->nfd, s->dir, &dir);
	if (r < 0) {
		uerror("ntfysrv", s->dir, r);
		return 1;
	}
	return 0;
}

/* Close and remove the request channels, the endpoint, and DIR when it is left empty. */
static void ntfysrv_teardown(struct ntfysrv *s)
{
	char path[NTFYSRV_PATH_MAX];
	int i;

	sys_close(s->nfd);
	for (i = 0; i < s->n; i++) {
		ntfysrv_req_path(path, s->dir, i);
		sys_close(s->fds[i]);
		sys_unlink(path);
	}
	sys_rmdir(s->dir);
}

/* The server: returns the exit status. */
static int ntfysrv_main(const char *dir, const char *count)
{
	struct ntfy_record recs[NTFYSRV_RECORDS];
	struct ntfysrv s = { .dir = dir };
	long n, i;

	if (!args_number(count, 10, 1, NTFYSRV_CHANS_MAX, &n))
		args_usage(NTFYSRV_USAGE);
	s.n = (int)n;
	s.nfd = sys_ntfy_new(0, 0);
	if (s.nfd < 0) {
		uerror("ntfysrv", "ntfy_new", s.nfd);
		return 1;
	}
	if (ntfysrv_setup(&s))
		return 1;
	printf("ntfysrv: serving %s/req0 .. req%d\n", dir, s.n - 1);
	while (!s.quit) {
		n = sys_read(s.nfd, recs, sizeof recs);
		if (n < 0) {
			uerror("ntfysrv", "read", (int)n);
			return 1;
		}
		for (i = 0; i < n / (long)sizeof recs[0] && !s.quit; i++)
			ntfysrv_record(&s, &recs[i]);
	}
	ntfysrv_teardown(&s);
	printf("ntfysrv: quit: %lu served, %lu refused\n", s.served, s.refused);
	return 0;
}

/* ---- the client ---- */

/* Wait on fd for the answer, at most NTFYSRV_WAIT_NS, and print it. 0 or -errno. */
static long ntfysrv_await(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char ans[NTFYSRV_REQ_MAX + 1];
	struct chan_msg_info info;
	long n = sys_poll(&pfd, 1, NTFYSRV_WAIT_NS);

	if (n == 0)
		return -ETIMEDOUT;
	n = n < 0 ? n : sys_recv(fd, ans, NTFYSRV_REQ_MAX, &info);
	if (n < 0)
		return n;
	ans[n] = '\0';
	printf("%s\n", ans);
	return 0;
}

/* Make the request "REPLY WORDS..." in req: reply, then words[0..n) after a space each.
 * False when it does not fit in NTFYSRV_REQ_MAX bytes. */
static bool ntfysrv_request(char *req, const char *reply, char **words, int n)
{
	size_t len = strlcpy(req, reply, NTFYSRV_REQ_MAX + 1);
	int i;

	for (i = 0; i < n && len < NTFYSRV_REQ_MAX; i++) {
		req[len++] = ' ';
		len += strlcpy(req + len, words[i], NTFYSRV_REQ_MAX + 1 - len);
	}
	return i == n && len <= NTFYSRV_REQ_MAX;
}

/* The client: send words[0..n) to the server at channel and print the answer. Returns
 * the exit status. */
static int ntfysrv_client(const char *channel, char **words, int n)
{
	char reply[NTFYSRV_PATH_MAX], req[NTFYSRV_REQ_MAX + 1];
	const char *slash = strrchr(channel, '/');
	long r;
	int fd;

	if (!slash || slash == channel) {
		dprintf(2, "ntfysrv: %s: the server's channel must be in a directory\n", channel);
		return 1;
	}
	snprintf(reply, sizeof reply, "%.*s/cli-%d", (int)(slash - channel), channel,
		 sys_getpid());
	if (!ntfysrv_request(req, reply, words, n)) {
		dprintf(2, "ntfysrv: the request is longer than %d bytes\n", NTFYSRV_REQ_MAX);
		return 1;
	}
	r = sys_mkchan(reply, 0600, NULL);
	if (r < 0) {
		uerror("ntfysrv", reply, (int)r);
		return 1;
	}
	fd = sys_open(reply, O_RDWR | O_NONBLOCK, 0);
	r = fd < 0 ? fd : chan_send_text(channel, req, O_NONBLOCK);
	if (r < 0)
		uerror("ntfysrv", fd < 0 ? reply : channel, (int)r);
	else if ((r = ntfysrv_await(fd)) < 0)
		uerror("ntfysrv", "no answer", (int)r);
	if (fd >= 0)
		sys_close(fd);
	sys_unlink(reply);
	return r < 0;
}

int main(int argc, char **argv)
{
	long r;

	if (argc >= 4 && strcmp(argv[1], "-c") == 0)
		return ntfysrv_client(argv[2], argv + 3, argc - 3);
	if (argc == 3 && strcmp(argv[1], "-q") == 0) {
		r = chan_send_text(argv[2], "quit", O_NONBLOCK);
		if (r < 0)
			uerror("ntfysrv", argv[2], (int)r);
		return r < 0;
	}
	if (argc == 3 && argv[1][0] != '-')
		return ntfysrv_main(argv[1], argv[2]);
	args_usage(NTFYSRV_USAGE);
}
