/* main.c: the generic start of the kernel, the same on every architecture.
 *
 * The port's boot code calls kmain() on the boot CPU with a stack and nothing else set up
 * (arch/boot.h). From here on, everything is generic code plus arch_* calls. What happens
 * next depends on the command line (QEMU -append):
 *   ktest[=GLOB]   run the in-kernel tests and power off with their status (make check)
 *   seed=N         base seed of the property tests (default: a fixed seed, so runs repeat)
 *   selftest=MODE  a deliberately broken boot for the harness's own tests
 *   utest=NAME     run the user test program /bin/NAME and power off with its status
 *   (nothing)      a normal boot: the layers' services (kernel/init.h), then /bin/init */
#include <uapi/fs.h>
#include <arch/boot.h>
#include <arch/console.h>
#include <arch/cpu.h>
#include <arch/power.h>
#include <arch/timer.h>
#include <kernel/cmdline.h>
#include <kernel/init.h>
#include <kernel/kfs.h>
#include <kernel/ktest.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/selftest.h>
#include <kernel/smp.h>
#include <kernel/syscall.h>
#include <kernel/utest.h>
#include <lib/prop.h>
#include <mm/mm.h>

/* Read the property-test seed options before any test runs. */
static void main_prop_options(void)
{
	char buf[32];
	unsigned long long v;

	if (cmdline_value("seed", buf, sizeof buf) && cmdline_parse_u64(buf, &v))
		prop_set_seed(v);
	if (cmdline_value("prop.replay", buf, sizeof buf) && cmdline_parse_u64(buf, &v))
		prop_set_replay(v);
}

/* Run the in-kernel tests selected by `ktest` or `ktest=GLOB` and power off. */
static __noreturn void main_run_tests(void)
{
	char glob[64];

	main_prop_options();
	arch_power_off(ktest_run_all(cmdline_value("ktest", glob, sizeof glob)));
}

/* A normal boot: start the layers' services (kernel/init.h), then /bin/init (with the
 * script of `init=SCRIPT`, if given), wait for it, and power off with its status when it
 * ends. */
static __noreturn void main_run_init(void)
{
	char script[PATH_MAX];
	const char *argv[2] = { "init", script };
	int argc = cmdline_value("init", script, sizeof script) ? 2 : 1;
	int status = 1, pid;

	layer_services_start();
	pid = process_spawn("/bin/init", argv, argc, 0, 0, NULL);
	if (pid < 0) {
		printk("main: cannot start /bin/init (error %d)\n", pid);
		arch_power_off(1);
	}
	if (process_wait(NULL, pid, &status) == pid)
		printk("main: init ended with status %d; powering off\n", status);
	arch_power_off(status);
}

void kmain(void)
{
	char mode[16];

	/* Per-CPU data first: spinlocks (and so printk and the allocators) need cpu_self(). */
	percpu_init(0);
	arch_early_init();
	mm_init();
	cmdline_set(arch_boot_cmdline());
	printk("\nTeaching kernel, %s, on %s; command line \"%s\"\n", KERNEL_STAGE, arch_name(),
	       cmdline_get());
	sched_init();       /* this code becomes the thread "main" of CPU 0 */
	kfs_init();         /* the namespace: /dev, /bin, /etc, /tmp, /kfs, /ipc */
	syscall_init();
	layer_init_run();   /* what the later layers add (kernel/init.h) */
	process_init();
	smp_init();         /* the other CPUs start and enter their schedulers */
	arch_timer_start(SCHED_HZ);
	arch_console_rx_enable();
	arch_irq_enable();

	if (cmdline_value("selftest", mode, sizeof mode))
		selftest_run(mode);
	if (cmdline_has("ktest"))
		main_run_tests();
	if (cmdline_has("utest"))
		utest_run();

	main_run_init();
}
