/* dmesg: print the kernel log: the lines queued in /ipc/klog (ipc/klogd.h), and return.
 *
 *   dmesg          (root only: the log is mode 0400)
 *
 * Reading takes each line out of the channel, so a second dmesg prints only what came
 * since. `cat /ipc/klog` reads the same lines but then waits for more: klogd keeps the
 * channel open, so it never reaches end of file. dmesg opens it O_NONBLOCK and stops at
 * the first -EAGAIN: "nothing queued now".
 *
 * Each line is "[N] text", N counting the kernel's lines since boot; a jump in N means
 * lines were lost (the log holds the newest ones when nobody reads), which dmesg says.
 * dmesg reads with recv, which tells who wrote each message: the kernel is pid 0. Root
 * may write into the channel too, and such a line is shown as what it is, not as the
 * kernel's. */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/ipc.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/syscall.h>

#define DMESG_PATH "/ipc/klog"
#define DMESG_MSG_MAX 512       /* more than klogd's largest message */

/* Print the message m (NUL-terminated, ending with its newline) from info, noting lines
 * lost before it; *next is the number the next kernel line should have (-1: unknown). */
static void dmesg_show(const char *m, const struct chan_msg_info *info, long *next)
{
	long seq;

	if (info->from.pid != 0) {
		printf("dmesg: not from the kernel (pid %d, uid %d): %s", info->from.pid,
		       info->from.uid, m);
		return;
	}
	seq = m[0] == '[' ? strtol(m + 1, NULL, 10) : -1;
	if (seq >= 0 && *next >= 0 && seq > *next)
		printf("dmesg: %ld lines lost\n", seq - *next);
	if (seq >= 0)
		*next = seq + 1;
	printf("%s", m);
}

int main(int argc, char **argv)
{
	char msg[DMESG_MSG_MAX + 1];
	struct chan_msg_info info;
	long n, next = -1;
	int fd;

	(void)argv;
	if (argc != 1)
		args_usage("dmesg");
	fd = sys_open(DMESG_PATH, O_RDONLY | O_NONBLOCK, 0);
	if (fd < 0) {
		uerror("dmesg", DMESG_PATH, fd);
		return 1;
	}
	while ((n = sys_recv(fd, msg, DMESG_MSG_MAX, &info)) > 0 || (n == 0 && !info.eof)) {
		msg[n] = '\0';
		dmesg_show(msg, &info, &next);
	}
	sys_close(fd);
	if (n < 0 && n != -EAGAIN) {
		uerror("dmesg", DMESG_PATH, (int)n);
		return 1;
	}
	return 0;
}
