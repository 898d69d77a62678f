/* agent.c: a child process that acts as another user for a test (ulib/agent.h). */
#include <uapi/fs.h>
#include <ulib/agent.h>
#include <ulib/args.h>
#include <ulib/ipc.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define AGENT_PATH_MAX 96

void fd_close_all_except(const int *keep, int n)
{
	for (int fd = 3; fd < FD_MAX; fd++) {
		bool kept = false;

		for (int i = 0; i < n; i++)
			kept = kept || keep[i] == fd;
		if (!kept)
			sys_close(fd);
	}
}

bool agent_start(struct agent *a, const char *prog, const char *dir, int tag, int uid,
		 int gid)
{
	struct spawn_attr attr = { uid, gid };
	char req[AGENT_PATH_MAX], rep[AGENT_PATH_MAX], bin[AGENT_PATH_MAX], in[8], out[8];
	char *argv[] = { (char *)prog, "agent", in, out, NULL };
	int agent_in, agent_out;

	snprintf(req, sizeof req, "%s/req%d", dir, tag);
	snprintf(rep, sizeof rep, "%s/rep%d", dir, tag);
	snprintf(bin, sizeof bin, "/bin/%s", prog);
	if (sys_mkchan(req, 0600, NULL) || sys_mkchan(rep, 0600, NULL))
		return false;
	/* both ends open before the agent starts: neither side can see an end of file */
	a->req_fd = sys_open(req, O_WRONLY, 0);
	agent_in = sys_open(req, O_RDONLY, 0);
	a->rep_fd = sys_open(rep, O_RDONLY, 0);
	agent_out = sys_open(rep, O_WRONLY, 0);
	sys_unlink(req);
	sys_unlink(rep);
	snprintf(in, sizeof in, "%d", agent_in);
	snprintf(out, sizeof out, "%d", agent_out);
	a->pid = sys_spawn(bin, argv, &attr);
	sys_close(agent_in);
	sys_close(agent_out);
	return a->pid > 0 && a->req_fd >= 0 && a->rep_fd >= 0;
}

bool agent_call(const struct agent *a, const void *req, size_t req_len, void *rep,
		size_t rep_len)
{
	return sys_call(a->req_fd, req, req_len, a->rep_fd, rep, rep_len) == (long)rep_len;
}

void agent_stop(struct agent *a, const void *stop, size_t stop_len)
{
	sys_write(a->req_fd, stop, stop_len);
	if (a->pid > 0)
		sys_wait(a->pid, NULL);
	a->pid = 0;
}

bool agent_args(int argc, char **argv, int fds[2])
{
	long in, out;

	if (argc != 4 || strcmp(argv[1], "agent") != 0 ||
	    !args_number(argv[2], 10, 0, FD_MAX - 1, &in) ||
	    !args_number(argv[3], 10, 0, FD_MAX - 1, &out))
		return false;
	fds[0] = (int)in;
	fds[1] = (int)out;
	return true;
}

int agent_serve(const int fds[2], void *req, size_t req_len, void *rep, size_t rep_len,
		bool (*exec)(const void *req, void *rep))
{
	long n;

	fd_close_all_except(fds, 2); /* what it inherited from its parent but its channels */
	n = sys_read(fds[0], req, req_len);
	/* Each answer and the wait for the next request are one call, as the driver's
	 * request and its wait for the answer are (agent_call): in the steady state both
	 * take the fast path of a call. A call that fails before its answer is sent is the
	 * one failure; end of file (0) ends the agent. */
	while (n == (long)req_len && exec(req, rep))
		n = sys_call(fds[1], rep, rep_len, fds[0], req, req_len);
	return n < 0 ? 1 : 0;
}
