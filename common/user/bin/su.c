/* su: run a command as another user.
 *
 *   su UID [COMMAND [ARG...]]       COMMAND defaults to /bin/sh
 *
 * Only root may: su asks sys_spawn for the new uid and gid (the gid is the uid: there are
 * no group files) through struct spawn_attr, and the kernel refuses anyone but root with
 * EPERM. su waits for the command and exits with its status, so `su 1000 cat f; echo $?`
 * shows the command's own failure.
 *
 * While the command runs, Ctrl-C on the console goes to it (SYS_console_fg), not to su:
 * otherwise Ctrl-C would end su and leave its child running behind the shell's back. */
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/spawn.h>
#include <ulib/syscall.h>

#define SU_ID_MAX 65535

int main(int argc, char **argv)
{
	static char *const default_argv[] = { "/bin/sh", NULL };
	struct spawn_attr attr;
	long uid;
	int pid, status;

	if (argc < 2 || !args_number(argv[1], 10, 0, SU_ID_MAX, &uid))
		args_usage("su UID [COMMAND [ARG...]]");
	attr.uid = attr.gid = (int)uid;
	pid = spawn_command(argc > 2 ? argv + 2 : default_argv, &attr);
	if (pid < 0) {
		uerror("su", argc > 2 ? argv[2] : default_argv[0], pid);
		return pid == -ENOENT ? 127 : 126;
	}
	/* Handing Ctrl-C over is a convenience: if the kernel refuses, the command still runs. */
	sys_console_fg(pid);
	if (sys_wait(pid, &status) < 0)
		return 1;
	return status;
}
