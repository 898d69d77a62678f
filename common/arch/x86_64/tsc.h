/* tsc.h: the time-stamp counter as the kernel's clock (tsc.c, which also implements
 * arch_clock_ns() of arch/timer.h). */
#ifndef X86_TSC_H
#define X86_TSC_H

#include <stdint.h>

/* Measure the TSC's frequency against the PIT and start the clock at 0. Called once by
 * the boot CPU at boot, with interrupts off; arch_clock_ns() is 0 until then. */
void tsc_calibrate(void);

/* Wait (spinning) for at least ns nanoseconds. */
void tsc_delay_ns(uint64_t ns);

#endif
