/* kill: end processes.
 *
 *   kill PID...
 *
 * There are no signals: a killed process simply ends, with exit status EXIT_KILLED (137,
 * as a Unix shell shows a SIGKILL). Root may kill anything; other users their own
 * processes. */
#include <ulib/args.h>
#include <ulib/syscall.h>

#define KILL_PID_MAX 0x7fffffff

/* args_each() op: kill the process whose pid is word. */
static int kill_one(const char *word, void *arg)
{
	long pid;

	if (!args_number(word, 10, 1, KILL_PID_MAX, &pid))
		return -EINVAL;
	return sys_kill((int)pid);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		args_usage("kill PID...");
	return args_each(argc, argv, 1, "kill", kill_one, NULL);
}
