/* platform.h: bringing up the PC around the boot CPU (platform.c). */
#ifndef X86_PLATFORM_H
#define X86_PLATFORM_H

/* Find the CPUs and interrupt controllers (ACPI), silence the 8259s, set up the boot CPU's
 * LAPIC and the IOAPIC, calibrate the clock and the timer, register the IPI vectors. Called
 * once from arch_early_init(), with interrupts off. */
void platform_init(void);

#endif
