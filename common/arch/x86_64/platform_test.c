/* platform_test.c: tests of the x86_64 port's view of the PC: the MADT lists every CPU
 * QEMU was given, and the clock keeps the time of an independent hardware timer. */
#include <arch/cpu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/ktest.h>
#include <lib/string.h>
#include "acpi.h"
#include "pit.h"
#include "x86.h"

#define FW_CFG_SELECTOR 0x510    /* QEMU's firmware configuration device (q35, i440fx) */
#define FW_CFG_DATA 0x511
#define FW_CFG_SIGNATURE 0x0000  /* "QEMU" */
#define FW_CFG_NB_CPUS 0x0005    /* 16 bits: the CPUs -smp started the machine with */
#define NS_PER_SEC 1000000000ULL
#define PPM 1000000ULL

/* Read n bytes of QEMU's configuration item key. */
static void fw_cfg_read(uint16_t key, void *buf, size_t n)
{
	uint8_t *b = buf;

	outw(FW_CFG_SELECTOR, key);
	while (n--)
		*b++ = inb(FW_CFG_DATA);
}

/* The CPU count QEMU reports through fw_cfg is independent of the ACPI tables. */
KTEST(x86_madt_lists_every_cpu)
{
	char sig[4];
	uint16_t qemu_cpus = 0;

	KTEST_EXPECT_EQ(arch_cpu_count(),
			acpi_madt.madt_cpus < MAX_CPUS ? acpi_madt.madt_cpus : MAX_CPUS);
	fw_cfg_read(FW_CFG_SIGNATURE, sig, sizeof sig);
	if (memcmp(sig, "QEMU", sizeof sig) != 0)
		KTEST_SKIP("not QEMU: no fw_cfg CPU count to compare the MADT with");
	fw_cfg_read(FW_CFG_NB_CPUS, &qemu_cpus, sizeof qemu_cpus);
	KTEST_EXPECT_EQ(acpi_madt.madt_cpus, qemu_cpus);
}

/* The clock against the PIT, an independent timer of known rate: the calibration chose
 * the clock's rate from the PIT, and this checks what arch_clock_ns() makes of it. A
 * second of the PIT must be a second of the clock, within the measurement's error and
 * 0.1% (the calibration's own error stays far below). */
KTEST(x86_clock_keeps_pit_time)
{
	unsigned long flags = arch_irq_save();
	uint64_t ppm, rate = pit_rate(arch_clock_ns, &ppm), diff;

	arch_irq_restore(flags);
	diff = rate > NS_PER_SEC ? rate - NS_PER_SEC : NS_PER_SEC - rate;
	if (diff > NS_PER_SEC / PPM * ppm + NS_PER_SEC / 1000)
		ktest_fail(__FILE__, __LINE__, "the clock counts %llu ns in a second of the PIT "
			   "(+-%llu ppm)", (unsigned long long)rate, (unsigned long long)ppm);
}
