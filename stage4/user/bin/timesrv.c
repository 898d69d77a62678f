/* timesrv: a small server on channels: it tells the time (ulib/timesrv.h has the protocol).
 *
 *   timesrv [PATH]     make the channel PATH (default /ipc/svc/time, its directory too)
 *                      and answer the requests written to it, for ever
 *
 * /etc/rc starts it in a normal boot (`timesrv &`), as root. One process answers every
 * client, one request at a time, in the order they were written: a channel is a queue, so
 * concurrent clients need no locking here.
 *
 * The lesson of this file is in chan_reply_open (ulib/ipc.h): a server acts for its clients with
 * its own rights, which are root's. The kernel's access check would let it open any
 * channel at all, so the server must make the check that matters itself: the reply
 * channel must belong to the user who sent the request. Without it, any user could have
 * the server write into a channel he may not write himself (the "confused deputy"). */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/ipc.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/timesrv.h>

#define TIMESRV_DIR "/ipc/svc"
#define TIMESRV_DIR_MODE 0755   /* root's: no user can take a service's name */

/* What the server has counted (the answer to "stats"). */
struct timesrv_counts {
	unsigned long served, refused, bad, unreachable;
};

/* Split the request in req (NUL-terminated, changed in place) into its two words: true
 * with *op and *reply set when it is exactly two words. */
static bool timesrv_parse(char *req, char **op, char **reply)
{
	char *sp = strchr(req, ' ');

	if (!sp || sp == req || sp[1] == '\0' || strchr(sp + 1, ' '))
		return false;
	*sp = '\0';
	*op = req;
	*reply = sp + 1;
	return true;
}

/* The answer to request op into buf; counts a bad one. */
static void timesrv_answer(const char *op, struct timesrv_counts *c, char *buf, size_t len)
{
	if (strcmp(op, "time") == 0) {
		snprintf(buf, len, "ok %ld", sys_clock_ns());
	} else if (strcmp(op, "stats") == 0) {
		snprintf(buf, len, "ok served=%lu refused=%lu bad=%lu unreachable=%lu",
			 c->served, c->refused, c->bad, c->unreachable);
	} else {
		c->bad++;
		snprintf(buf, len, "error unknown request");
	}
}

/* Handle one request req from the sender in info: answer it, or count why not. */
static void timesrv_handle(char *req, const struct chan_msg_info *info,
			   struct timesrv_counts *c)
{
	char answer[TIMESRV_REPLY_MAX], *op, *reply;
	int fd;

	if (!timesrv_parse(req, &op, &reply)) {
		c->bad++;
		return;
	}
	fd = chan_reply_open(reply, info->from.uid);
	if (fd < 0) {
		if (fd == -EPERM)
			c->refused++;
		else
			c->unreachable++;
		return;
	}
	timesrv_answer(op, c, answer, sizeof answer);
	if (sys_write(fd, answer, strlen(answer)) < 0)
		c->unreachable++;
	else if (strncmp(answer, "ok", 2) == 0)
		c->served++;
	sys_close(fd);
}

/* Make the channel path: its directory first when it is TIMESRV_DIR, and a channel left
 * there by an earlier server (killed, so it could not remove it) is replaced. Returns a
 * descriptor open for reading and writing (so the server never sees end of file while no
 * client is there), or -errno. */
static int timesrv_listen(const char *path)
{
	struct chan_attr attr = { TIMESRV_CAPACITY, TIMESRV_REQ_MAX };
	int err;

	if (strncmp(path, TIMESRV_DIR "/", sizeof TIMESRV_DIR) == 0) {
		err = sys_mkdir(TIMESRV_DIR, TIMESRV_DIR_MODE);
		if (err < 0 && err != -EEXIST)
			return err;
	}
	err = sys_unlink(path);
	if (err < 0 && err != -ENOENT)
		return err;
	err = sys_mkchan(path, TIMESRV_MODE, &attr);
	return err < 0 ? err : sys_open(path, O_RDWR, 0);
}

int main(int argc, char **argv)
{
	const char *path = argc == 2 ? argv[1] : TIMESRV_PATH;
	struct timesrv_counts counts = { 0, 0, 0, 0 };
	char req[TIMESRV_REQ_MAX + 1];
	struct chan_msg_info info;
	long n;
	int fd;

	if (argc > 2)
		args_usage("timesrv [PATH]");
	fd = timesrv_listen(path);
	if (fd < 0) {
		uerror("timesrv", path, fd);
		return 1;
	}
	for (;;) {
		n = sys_recv(fd, req, TIMESRV_REQ_MAX, &info);
		if (n < 0) {
			uerror("timesrv", "recv", (int)n);
			return 1;
		}
		req[n] = '\0';
		timesrv_handle(req, &info, &counts);
	}
}
