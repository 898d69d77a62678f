/* lapic_timer.h: each CPU's periodic tick, from its LAPIC timer (lapic_timer.c, which also
 * implements arch_timer_start() of arch/timer.h). */
#ifndef X86_LAPIC_TIMER_H
#define X86_LAPIC_TIMER_H

/* Measure the LAPIC timer's rate against the PIT and register the tick's vector. Called
 * once by the boot CPU at boot, with interrupts off. */
void lapic_timer_calibrate(void);

#endif
