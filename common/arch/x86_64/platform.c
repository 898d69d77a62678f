/* platform.c: the order in which the PC's devices around the CPUs come up (platform.h).
 *
 * Each step needs the ones before it: the device window maps the ACPI tables; the MADT
 * says where the LAPIC and IOAPIC are and whether there are 8259s; the PICs are silenced
 * before anything could unmask an interrupt; the clock and the LAPIC timer are measured
 * against the PIT. Nothing here enables an interrupt: each CPU starts its timer itself
 * (arch_timer_start), and the console its receive interrupt. */
#include "acpi.h"
#include "ioapic.h"
#include "iomap.h"
#include "lapic.h"
#include "lapic_timer.h"
#include "pic.h"
#include "platform.h"
#include "smp_x86.h"
#include "tsc.h"

void platform_init(void)
{
	iomap_init();
	acpi_init();
	pic_disable();
	lapic_init();
	ioapic_init();
	tsc_calibrate();
	lapic_timer_calibrate();
	smp_x86_init();
}
