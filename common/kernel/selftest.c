/* selftest.c: boots that fail on purpose, so the harness's own tests can show it notices.
 * tests/harness-selftest boots the kernel with selftest=hang, =panic and =noplan and checks
 * that tests/run-qemu turns each into a TAP failure with the right reason. */
#include <arch/cpu.h>
#include <arch/power.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/selftest.h>
#include <lib/string.h>

void selftest_run(const char *mode)
{
	if (strcmp(mode, "noplan") == 0) {
		printk("harness self-test: this boot prints no TAP plan and reports success\n");
		arch_power_off(0);
	}
	printk("TAP version 13\n1..2\nok 1 - selftest_%s_first_test_passes\n", mode);
	if (strcmp(mode, "hang") == 0) {
		printk("harness self-test: hanging with interrupts off\n");
		arch_irq_disable();
		for (;;)
			arch_cpu_relax();
	}
	if (strcmp(mode, "panic") == 0)
		panic("harness self-test: deliberate panic");
	panic("selftest: unknown mode \"%s\" (hang, panic or noplan)", mode);
}
