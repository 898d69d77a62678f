/* init: the first user process (pid 1), which the kernel starts at the end of its boot.
 *
 *   init            run an interactive shell on the console, and a new one when it exits
 *   init SCRIPT     run `sh SCRIPT`, then power off with its exit status (make demo)
 *
 * Either way, init first runs `sh /etc/rc` to its end when that file exists: the hook
 * through which a layer starts its servers (stage 4's starts timesrv). A layer adds the
 * file with UFILES (mk/user.mk); common has none. The servers it starts in the background
 * become init's children when rc's shell ends, like any orphan.
 *
 * Besides starting the shell, init has the job every Unix init has: when a process ends
 * before its children, the kernel makes them children of pid 1, and init must wait() for
 * them, or they would stay zombies for ever. So init spends its life in wait(-1), telling
 * the shell's end apart from the orphans'.
 *
 * The arguments come from the kernel, which starts init with the script named on its
 * command line. */
#include <ulib/error.h>
#include <ulib/stdio.h>
#include <ulib/syscall.h>

#define INIT_CONSOLE "/dev/console"
#define INIT_SHELL "/bin/sh"
#define INIT_RC "/etc/rc"
#define INIT_RESPAWN_MIN_NS 1000000000L    /* a shell that lived less waits before respawn */

/* Make descriptors 0, 1 and 2 the console, for the shell to inherit; any the kernel has
 * opened already are kept. Without a console nobody could use the system: power off. */
static void init_console(void)
{
	struct stat st;
	int fd, i;

	for (i = 0; i < 3; i++) {
		if (sys_fstat(i, &st) == 0)
			continue;
		fd = sys_open(INIT_CONSOLE, O_RDWR, 0);
		if (fd < 0)
			sys_poweroff(1);
		if (fd != i) {
			sys_dup2(fd, i);
			sys_close(fd);
		}
	}
}

/* Wait for children, reaping orphans on the way, until child pid ends. Returns its exit
 * status (1 if waiting fails, which would be a kernel bug: pid is init's own child). */
static int init_reap_until(int pid)
{
	int r, status;

	for (;;) {
		r = sys_wait(-1, &status);
		if (r == pid)
			return status;
		if (r < 0 && r != -EINTR) {
			uerror("init", "wait", r);
			return 1;
		}
	}
}

/* Run `sh SCRIPT` to its end. Returns its exit status (127 if sh cannot start). */
static int init_sh(char *script)
{
	char *argv[] = { INIT_SHELL, script, NULL };
	int pid = sys_spawn(INIT_SHELL, argv, NULL);

	if (pid < 0) {
		uerror("init", INIT_SHELL, pid);
		return 127;
	}
	return init_reap_until(pid);
}

/* Run the script of `init SCRIPT` and say how it ended. Returns its exit status. */
static int init_script(char *script)
{
	int status = init_sh(script);

	printf("init: %s exited with status %d\n", script, status);
	return status;
}

/* Run /etc/rc, if there is one; a failure is reported, and the boot goes on. */
static void init_rc(void)
{
	struct stat st;
	int status;

	if (sys_stat(INIT_RC, &st) < 0)
		return;
	status = init_sh(INIT_RC);
	if (status != 0)
		printf("init: %s exited with status %d\n", INIT_RC, status);
}

/* Run interactive shells one after the other, for ever. A shell that dies at once (a
 * broken /bin/sh) would otherwise be restarted in a tight loop flooding the console: one
 * that lived less than INIT_RESPAWN_MIN_NS is restarted a second later. Returns 1 when
 * no shell can be started at all. */
static int init_interactive(void)
{
	char *argv[] = { INIT_SHELL, NULL };
	long started;
	int pid, status;

	printf("Welcome. This is %s on the console; `ls /bin` lists the commands.\n",
	       INIT_SHELL);
	for (;;) {
		started = sys_clock_ns();
		pid = sys_spawn(INIT_SHELL, argv, NULL);
		if (pid < 0) {
			uerror("init", INIT_SHELL, pid);
			return 1;
		}
		status = init_reap_until(pid);
		printf("init: the shell exited with status %d; starting a new one\n", status);
		if (sys_clock_ns() - started < INIT_RESPAWN_MIN_NS)
			sys_sleep_ns(INIT_RESPAWN_MIN_NS);
	}
}

/* When init has nothing left to do, the machine stops, with the script's status as
 * QEMU's exit status: that is how a script run by `make demo` passes or fails. */
int main(int argc, char **argv)
{
	int status = 2;

	init_console();
	init_rc();
	if (argc > 2)
		dprintf(2, "usage: init [SCRIPT]\n");
	else
		status = argc == 2 ? init_script(argv[1]) : init_interactive();
	stdout_flush();
	uerror("init", "poweroff", sys_poweroff(status));
	return status;
}
