/* power.c: powering off QEMU's x86_64 machine, with a status for the test harness.
 * The convention for all ports is written down in arch/power.h. */
#include <arch/cpu.h>
#include <arch/power.h>
#include "x86.h"

#define ISA_DEBUG_EXIT_PORT 0xf4 /* tests/run-qemu adds -device isa-debug-exit,iobase=0xf4 */
#define Q35_PM1A_CNT 0x604       /* ACPI PM1a control on QEMU's q35 machine */
#define PM1_SLP_EN_S5 0x2000     /* SLP_EN with SLP_TYP = 0, which is S5 (off) on QEMU */

void arch_power_off(int status)
{
	arch_irq_disable();
	outl(ISA_DEBUG_EXIT_PORT, (uint32_t)status); /* QEMU exits with (status << 1) | 1 */
	outw(Q35_PM1A_CNT, PM1_SLP_EN_S5);           /* no debug-exit device: plain power-off */
	arch_halt();
}
