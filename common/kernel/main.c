/* main.c: the generic start of the kernel, the same on every architecture.
 *
 * The port's boot code calls kmain() on the boot CPU with a stack and nothing else set up
 * (arch/boot.h). From here on, everything is generic code plus arch_* calls. What happens
 * next depends on the command line (QEMU -append):
 *   ktest[=GLOB]   run the in-kernel tests and power off with their status (make check)
 *   seed=N         base seed of the property tests (default: a fixed seed, so runs repeat)
 *   selftest=MODE  a deliberately broken boot for the harness's own tests
 *   (nothing)      a normal boot */
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/power.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/selftest.h>
#include <lib/prop.h>

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

void kmain(void)
{
	char mode[16];

	arch_early_init();
	cmdline_set(arch_boot_cmdline());
	printk("\nTeaching kernel, %s, on %s; command line \"%s\"\n", KERNEL_STAGE, arch_name(),
	       cmdline_get());

	if (cmdline_value("selftest", mode, sizeof mode))
		selftest_run(mode);
	if (cmdline_has("ktest"))
		main_run_tests();

	printk("Boot complete. This kernel has no user space yet; leave QEMU with Ctrl-A X.\n");
	arch_halt();
}
