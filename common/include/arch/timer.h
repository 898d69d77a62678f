/* arch/timer.h: the arch interface to time: a monotonic clock and a periodic tick. */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdint.h>

/* Nanoseconds since boot, monotonic and consistent across CPUs. Under QEMU -icount shift=0
 * this counts guest instructions (one per nanosecond). */
uint64_t arch_clock_ns(void);

/* Start the calling CPU's periodic timer interrupt at hz ticks per second; each tick calls
 * the generic timer_tick() (kernel/timer.c) with interrupts off. */
void arch_timer_start(unsigned hz);

/* Called by the port on every tick of the calling CPU. Generic. */
void timer_tick(void);

#endif
