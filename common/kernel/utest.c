/* utest.c: the `utest=NAME` boot mode (kernel/utest.h).
 *
 * The test stream is the program's own TAP output on the console; the kernel adds only a
 * line saying how the program ended, which tests/run-qemu shows as a '#' comment. A
 * program that cannot start prints no plan at all, which run-qemu reports as a failure
 * ("no TAP plan") with this file's message among the last console lines. */
#include <uapi/fs.h>
#include <arch/power.h>
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/utest.h>
#include <lib/fmt.h>

/* Command-line options passed on to the program as "key=value" arguments: the property
 * tests of the program read them as the kernel's own tests do (ulib/utest.h). */
static const char *const utest_forwarded[] = { "seed", "prop.replay" };

#define UTEST_ARGS (1 + ARRAY_SIZE(utest_forwarded))

/* The program's arguments, built from the command line. */
struct utest_args {
	int argc;
	const char *argv[UTEST_ARGS];
	char words[UTEST_ARGS][64];
};

/* Fill a from the command line. Returns false when there is no utest=NAME. */
static bool utest_args_build(struct utest_args *a)
{
	char value[40];
	size_t i;

	if (!cmdline_value("utest", a->words[0], sizeof a->words[0]) || a->words[0][0] == '\0')
		return false;
	a->argv[0] = a->words[0];
	a->argc = 1;
	for (i = 0; i < ARRAY_SIZE(utest_forwarded); i++) {
		if (!cmdline_value(utest_forwarded[i], value, sizeof value))
			continue;
		snprintf(a->words[a->argc], sizeof a->words[0], "%s=%s", utest_forwarded[i], value);
		a->argv[a->argc] = a->words[a->argc];
		a->argc++;
	}
	return true;
}

void utest_run(void)
{
	struct utest_args a;
	char path[PATH_MAX];
	int pid, status = 0;

	if (!utest_args_build(&a)) {
		printk("utest: name the program to run: utest=NAME\n");
		arch_power_off(1);
	}
	snprintf(path, sizeof path, "/bin/%s", a.argv[0]);
	pid = process_spawn(path, a.argv, a.argc, 0, 0, NULL);
	if (pid < 0) {
		printk("utest: cannot start /bin/%s (error %d)\n", a.argv[0], pid);
		arch_power_off(1);
	}
	pid = process_wait(NULL, pid, &status);
	if (pid < 0) {
		printk("utest: waiting for /bin/%s failed (error %d)\n", a.argv[0], pid);
		arch_power_off(1);
	}
	printk("utest: /bin/%s exited with status %d\n", a.argv[0], status);
	arch_power_off(status == 0 ? 0 : 1);
}
