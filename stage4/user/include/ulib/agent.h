/* ulib/agent.h: acting as another user from one test program. An agent is a child process
 * running the same program as another uid, which executes the requests its parent sends it
 * through one channel and sends the answers back through another; property tests
 * (chanprop, ntfyprop) use agents to run each operation as the user it names. Requests
 * and answers are fixed-size structs the program defines. */
#ifndef ULIB_AGENT_H
#define ULIB_AGENT_H

#include <stdbool.h>
#include <stddef.h>

struct agent {
	int pid;                /* 0 until started */
	int req_fd, rep_fd;     /* the parent's ends: requests out, answers in */
};

/* Start /bin/prog as uid and gid in its agent mode (argv: prog agent IN OUT). The two
 * channels are made as DIR/reqTAG and DIR/repTAG, opened at both ends and unlinked at
 * once; the agent inherits its ends, which are then closed here. True when it runs. */
bool agent_start(struct agent *a, const char *prog, const char *dir, int tag, int uid,
		 int gid);

/* Send the request req and wait for the answer into rep, in one call (sys_call). False
 * when the agent is gone. */
bool agent_call(const struct agent *a, const void *req, size_t req_len, void *rep,
		size_t rep_len);

/* Send the request stop (one the agent's exec answers false to) and wait for its end. */
void agent_stop(struct agent *a, const void *stop, size_t stop_len);

/* The agent's side, from main: true when argv is "PROG agent IN OUT", with fds[0] IN (the
 * requests) and fds[1] OUT (the answers). */
bool agent_args(int argc, char **argv, int fds[2]);

/* Close every inherited descriptor but fds, then read requests of req_len bytes into req
 * and answer each with rep (rep_len bytes) filled by exec, until exec returns false or end
 * of file; each answer and the wait for the next request are one call. Returns the exit
 * status: 0, or 1 when an answer cannot be sent. */
int agent_serve(const int fds[2], void *req, size_t req_len, void *rep, size_t rep_len,
		bool (*exec)(const void *req, void *rep));

/* Close every descriptor above the console (3 and up) but the n in keep. */
void fd_close_all_except(const int *keep, int n);

#endif
