/* shelltest: end-to-end tests of the shell and the tools, through real system calls.
 *
 * There is no disk with test scripts, so each test writes its script to /tmp, runs
 * `/bin/sh /tmp/shelltest.sh` with the shell's descriptors 1 and 2 both on one output
 * file, and compares what the file holds afterwards with what a user would have seen on
 * the console, error lines included. The kernel runs it with utest=shelltest (make check:
 * utest-x86_64-shelltest.qtest). */
#include <stdbool.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/utest.h>

#define SHELLTEST_SCRIPT "/tmp/shelltest.sh"
#define SHELLTEST_OUT "/tmp/shelltest.out"
#define SHELLTEST_OUT_MAX 2048
#define SHELLTEST_USER 1000          /* an ordinary user: not root */
#define SHELLTEST_AS_ME (-1)         /* run the shell with the test's own uid */

/* Create (or empty) the file path with mode and write text into it. Returns 0 or a
 * negated errno. */
static int shelltest_write_file(const char *path, const char *text, int mode)
{
	int fd = sys_open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	long err;

	if (fd < 0)
		return fd;
	err = stdio_write_all(fd, text, strlen(text));
	sys_close(fd);
	return (int)err;
}

/* Spawn /bin/sh with argv as uid (and gid uid; SHELLTEST_AS_ME: the test's own) with its
 * descriptors 1 and 2 on SHELLTEST_OUT, the way a shell redirects a child: dup2 around
 * the spawn, then the test's own 1 and 2 back. Returns the pid or a negated errno. */
static int shelltest_spawn(char *const argv[], int uid)
{
	struct spawn_attr attr = { uid, uid };
	int out, saved1, saved2, pid;

	stdout_flush();         /* nothing of the TAP stream may land in the file */
	out = sys_open(SHELLTEST_OUT, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		return out;
	saved1 = sys_dup(1);
	saved2 = sys_dup(2);
	sys_dup2(out, 1);
	sys_dup2(out, 2);
	pid = sys_spawn("/bin/sh", argv, &attr);
	sys_dup2(saved1, 1);
	sys_dup2(saved2, 2);
	sys_close(saved1);
	sys_close(saved2);
	sys_close(out);
	return pid;
}

/* Run `sh ARGS...` (argv[0] is "sh") as uid; put its exit status in *status and what it
 * printed in out[SHELLTEST_OUT_MAX]. Returns true when all that worked (and says why not
 * otherwise, as a TAP diagnostic). */
static bool shelltest_run(char *const argv[], int uid, int *status, char *out)
{
	int pid = shelltest_spawn(argv, uid);
	long len;

	if (pid < 0) {
		utest_fail(__FILE__, __LINE__, "spawning /bin/sh: %d", pid);
		return false;
	}
	if (sys_wait(pid, status) != pid) {
		utest_fail(__FILE__, __LINE__, "waiting for sh (pid %d) failed", pid);
		return false;
	}
	len = stdio_read_file(SHELLTEST_OUT, out, SHELLTEST_OUT_MAX);
	if (len < 0) {
		utest_fail(__FILE__, __LINE__, "reading %s: %ld", SHELLTEST_OUT, len);
		return false;
	}
	return true;
}

/* Write script to SHELLTEST_SCRIPT and run `sh SHELLTEST_SCRIPT` as uid, as
 * shelltest_run does. */
static bool shelltest_script(const char *script, int uid, int *status, char *out)
{
	char *argv[] = { "sh", SHELLTEST_SCRIPT, NULL };
	int err = shelltest_write_file(SHELLTEST_SCRIPT, script, 0644);

	if (err) {
		utest_fail(__FILE__, __LINE__, "writing %s: %d", SHELLTEST_SCRIPT, err);
		return false;
	}
	return shelltest_run(argv, uid, status, out);
}

/* Run script as root and expect exactly output and exit status. */
static void shelltest_expect(const char *script, const char *output, int status)
{
	static char out[SHELLTEST_OUT_MAX];
	int got;

	if (!shelltest_script(script, SHELLTEST_AS_ME, &got, out))
		return;
	UTEST_EXPECT_STREQ(out, output);
	UTEST_EXPECT_EQ(got, status);
}

UTEST(redirect_output_then_shell_output_is_back)
{
	shelltest_expect("echo hi > /tmp/st_a\n"
			 "echo back\n"
			 "cat /tmp/st_a\n",
			 "back\nhi\n", 0);
}

UTEST(append_and_truncate)
{
	shelltest_expect("echo one > /tmp/st_b\n"
			 "echo two >> /tmp/st_b\n"
			 "cat /tmp/st_b\n"
			 "echo three >/tmp/st_b\n"
			 "cat /tmp/st_b\n",
			 "one\ntwo\nthree\n", 0);
}

UTEST(input_redirect)
{
	shelltest_expect("echo in > /tmp/st_c\n"
			 "cat < /tmp/st_c\n"
			 "cat</tmp/st_c>/tmp/st_c2\n"
			 "cat /tmp/st_c2\n",
			 "in\nin\n", 0);
}

UTEST(exit_status_in_dollar_question)
{
	shelltest_expect("false\n"
			 "echo $?\n"
			 "true\n"
			 "echo $?\n"
			 "echo \"[$?]\" x$?x\n"
			 "false\n",
			 "1\n0\n[0] x0x\n", 1);
}

UTEST(semicolons_separate_commands)
{
	shelltest_expect("echo a; echo b ;false;echo $?;\n"
			 "echo \"x;y\" > /tmp/st_s; cat /tmp/st_s # ; echo not run\n"
			 "cd /tmp; cat st_s\n",
			 "a\nb\n1\nx;y\nx;y\n", 0);
}

UTEST(exit_builtin_ends_the_script)
{
	shelltest_expect("echo before\n"
			 "exit 3\n"
			 "echo after\n",
			 "before\n", 3);
}

UTEST(quotes_comments_and_blanks)
{
	shelltest_expect("# a comment line\n"
			 "\n"
			 "   echo  \"a  b\"   c \"\" d\t e\n"
			 "echo \"x > y & z ; # w\" # a trailing comment\n"
			 "echo a\"b c\"d\n"
			 "echo -n no newline\n"
			 "echo \";\" \n"
			 "echo last line without newline",
			 "a  b c  d e\nx > y & z ; # w\nab cd\nno newline;\n"
			 "last line without newline\n", 0);
}

UTEST(background_job_and_wait)
{
	static char out[SHELLTEST_OUT_MAX], want[SHELLTEST_OUT_MAX];
	long t0 = sys_clock_ns();
	int status, pid = 0;

	if (!shelltest_script("sleep 200ms &\n"
			      "echo started $?\n"
			      "wait; echo after\n", SHELLTEST_AS_ME, &status, out))
		return;
	UTEST_EXPECT(out[0] == '[');
	pid = atoi(out + 1);
	UTEST_EXPECT(pid > 0);
	snprintf(want, sizeof want, "[%d]\nstarted 0\n[%d] done, status 0\nafter\n", pid, pid);
	UTEST_EXPECT_STREQ(out, want);
	UTEST_EXPECT_EQ(status, 0);
	UTEST_EXPECT(sys_clock_ns() - t0 >= 200000000L);
}

UTEST(kill_reports_bad_pids)
{
	shelltest_expect("kill 1000000\n"
			 "kill 12x\n"
			 "echo $?\n",
			 "kill: 1000000: No such process\nkill: 12x: Invalid argument\n1\n", 0);
}

UTEST(permission_denied_for_another_user)
{
	static char out[SHELLTEST_OUT_MAX];
	int status;

	UTEST_ASSERT_EQ(shelltest_write_file("/tmp/secret", "root only\n", 0600), 0);
	shelltest_expect("cat /tmp/secret\n"
			 "su 1000 cat /tmp/secret\n"
			 "echo $?\n"
			 "su 1000 id\n",
			 "root only\n"
			 "cat: /tmp/secret: Permission denied\n1\n"
			 "uid=1000 gid=1000\n", 0);
	/* The same shell as uid 1000 itself: its own redirection is refused too. */
	if (!shelltest_script("echo x > /tmp/secret\n"
			      "echo $?\n"
			      "id\n"
			      "poweroff\n",
			      SHELLTEST_USER, &status, out))
		return;
	UTEST_EXPECT_STREQ(out, "sh: /tmp/secret: Permission denied\n1\nuid=1000 gid=1000\n"
			   "poweroff: Operation not permitted\n");
	UTEST_EXPECT_EQ(status, 1);
}

UTEST(cd_and_relative_paths)
{
	shelltest_expect("mkdir /tmp/st_dir\n"
			 "cd /tmp/st_dir\n"
			 "echo rel > f\n"
			 "cat /tmp/st_dir/f\n"
			 "cd ..\n"
			 "cat st_dir/f\n"
			 "ls st_dir\n"
			 "cd /nosuch\n"
			 "echo $?\n"
			 "cd\n"
			 "ls -d\n",
			 "rel\nrel\nf\nsh: cd: /nosuch: No such file or directory\n1\n"
			 "usage: ls [-a] [-l] [PATH...]\n", 2);
}

UTEST(command_not_found)
{
	shelltest_expect("nosuch\n"
			 "echo $?\n"
			 "/bin/nosuch x\n"
			 "echo $?\n",
			 "sh: nosuch: command not found\n127\n"
			 "sh: /bin/nosuch: No such file or directory\n127\n", 0);
}

UTEST(syntax_errors)
{
	shelltest_expect("echo a >\n"
			 "echo $?\n"
			 "echo \"open\n"
			 "cat < a < b\n"
			 "&\n"
			 "echo first; ; echo never\n"
			 "echo still here\n",
			 "sh: syntax error: a file name must follow '<', '>' or '>>'\n2\n"
			 "sh: syntax error: a \" is missing its closing \"\n"
			 "sh: syntax error: one '<' and one '>' per command at most\n"
			 "sh: syntax error: a command must come before ';' or '&'\n"
			 "first\n"
			 "sh: syntax error: a command must come before ';' or '&'\n"
			 "still here\n", 0);
}

UTEST(overlong_line_is_dropped)
{
	static char script[1200];
	size_t i;

	strlcpy(script, "echo ", sizeof script);
	for (i = 5; i < 700; i++)
		script[i] = 'x';
	strlcpy(script + i, "\necho next\n", sizeof script - i);
	shelltest_expect(script, "sh: line too long (at most 511 bytes)\nnext\n", 0);
}

UTEST(dash_c_runs_one_command)
{
	static char out[SHELLTEST_OUT_MAX];
	char *argv[] = { "sh", "-c", "echo one \"two  three\" > /tmp/st_dc", NULL };
	char *argv_cat[] = { "sh", "-c", "cat /tmp/st_dc", NULL };
	char *argv_exit[] = { "sh", "-c", "exit 4", NULL };
	int status;

	if (!shelltest_run(argv, SHELLTEST_AS_ME, &status, out))
		return;
	UTEST_EXPECT_STREQ(out, "");
	UTEST_EXPECT_EQ(status, 0);
	if (!shelltest_run(argv_cat, SHELLTEST_AS_ME, &status, out))
		return;
	UTEST_EXPECT_STREQ(out, "one two  three\n");
	UTEST_EXPECT_EQ(status, 0);
	if (!shelltest_run(argv_exit, SHELLTEST_AS_ME, &status, out))
		return;
	UTEST_EXPECT_EQ(status, 4);
}

UTEST(file_tools)
{
	shelltest_expect("mkdir /tmp/st_t\n"
			 "echo x > /tmp/st_t/f\n"
			 "chmod 640 /tmp/st_t/f\n"
			 "chown 1000:7 /tmp/st_t/f\n"
			 "ls -l /tmp/st_t/f\n"
			 "chown 1001 /tmp/st_t/f\n"
			 "ls -l /tmp/st_t/f\n"
			 "ls /tmp/st_t\n"
			 "ls -a /tmp/st_t\n"
			 "ls /tmp/st_t /tmp/st_t/f /nosuch\n"
			 "rmdir /tmp/st_t\n"
			 "rm /tmp/st_t/f /tmp/st_t/g\n"
			 "rmdir /tmp/st_t\n"
			 "ls /tmp/st_t\n"
			 "chmod 999 x\n",
			 "-rw-r----- 1000    7      2 /tmp/st_t/f\n"
			 "-rw-r----- 1001    7      2 /tmp/st_t/f\n"
			 "f\n"
			 ".\n..\nf\n"
			 "/tmp/st_t/f\nls: /nosuch: No such file or directory\n\n/tmp/st_t:\nf\n"
			 "rmdir: /tmp/st_t: Directory not empty\n"
			 "rm: /tmp/st_t/g: No such file or directory\n"
			 "ls: /tmp/st_t: No such file or directory\n"
			 "usage: chmod MODE FILE...   (MODE: octal, 0 to 777)\n", 2);
}

UTEST(ps_lists_the_shell_and_itself)
{
	static char out[SHELLTEST_OUT_MAX];
	int status;

	if (!shelltest_script("ps\n", SHELLTEST_AS_ME, &status, out))
		return;
	UTEST_EXPECT_EQ(status, 0);
	if (!UTEST_EXPECT(str_starts_with(out, "  PID  PPID   UID   GID STATE  THREADS NAME\n")) ||
	    !UTEST_EXPECT(strstr(out, " live         1 sh\n") != NULL) ||
	    !UTEST_EXPECT(strstr(out, " live         1 ps\n") != NULL))
		tap_diag(utest_tap(), "ps printed:\n%s", out);
}

int main(int argc, char **argv)
{
	return utest_main(argc, argv);
}
