/* trap_test.c: CPU exceptions in kernel mode are caught, reported and recovered from.
 * Each port makes the faults (arch/traps.h); the checks here are the same for every port. */
#include <arch/cpu.h>
#include <arch/traps.h>
#include <kernel/ktest.h>
#include <kernel/trap.h>

static void trap_do_bad_access(void *arg)
{
	arch_trigger_bad_access();
}

static void trap_do_undefined(void *arg)
{
	arch_trigger_undefined();
}

static void trap_do_nothing(void *arg)
{
	*(int *)arg = 1;
}

KTEST(trap_bad_access_is_caught_with_address)
{
	struct trap_info ti;

	KTEST_ASSERT(trap_catch_run(trap_do_bad_access, NULL, &ti));
	KTEST_EXPECT(ti.has_fault_addr);
	KTEST_EXPECT_EQ(ti.fault_addr, 8);
	KTEST_EXPECT(ti.pc != 0);
	KTEST_EXPECT(ti.name != NULL);
}

KTEST(trap_undefined_instruction_is_caught)
{
	struct trap_info ti;

	KTEST_ASSERT(trap_catch_run(trap_do_undefined, NULL, &ti));
	KTEST_EXPECT(!ti.has_fault_addr);
	KTEST_EXPECT(ti.pc != 0);
}

KTEST(trap_catch_without_fault_returns_normally)
{
	struct trap_info ti;
	int ran = 0;

	KTEST_EXPECT(!trap_catch_run(trap_do_nothing, &ran, &ti));
	KTEST_EXPECT_EQ(ran, 1);
}

KTEST(trap_recovery_is_repeatable_and_keeps_irq_state)
{
	struct trap_info ti;
	bool irqs = arch_irqs_enabled();
	int i;

	for (i = 0; i < 3; i++)
		KTEST_ASSERT(trap_catch_run(trap_do_bad_access, NULL, &ti));
	KTEST_EXPECT_EQ(arch_irqs_enabled(), irqs);
}
