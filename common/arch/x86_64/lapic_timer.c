/* lapic_timer.c: the periodic tick of each CPU (lapic_timer.h, arch_timer_start()).
 *
 * Every LAPIC has a timer: a 32-bit counter, loaded from the "initial count" register,
 * that counts down at the bus (or crystal) clock divided by a chosen divisor and raises
 * the vector in its LVT entry at 0; in periodic mode it then reloads itself. Each CPU has
 * its own, so each CPU gets its own tick without any routing. Its input clock differs from
 * machine to machine, so it is measured once, against the PIT, like the TSC (tsc.c) but
 * separately: a test compares the tick with the clock (timer_test.c), and a mistake in
 * either calibration shows there. All LAPIC timers of a machine run from the same clock. */
#include <arch/timer.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include "irq.h"
#include "lapic.h"
#include "lapic_timer.h"
#include "pit.h"

#define TIMER_DIVIDE_16 0x3          /* divide configuration register: input clock / 16 */
#define TIMER_PERIODIC (1U << 17)
#define TIMER_COUNT_MAX 0xffffffffU  /* 68 s at QEMU's 62.5 MHz: calibration stays far below */

/* Set once by lapic_timer_calibrate() on the boot CPU, read-only afterwards. */
static uint64_t lapic_timer_hz; /* counts per second, at divide-by-16 */

/* The tick: hand it to generic code (kernel/timer.c). */
static void lapic_timer_interrupt(unsigned vector)
{
	timer_tick();
}

/* The counts since the timer was loaded with TIMER_COUNT_MAX: a counter that goes up, as
 * pit_rate() needs. */
static uint64_t lapic_timer_counted(void)
{
	return TIMER_COUNT_MAX - lapic_read(LAPIC_TIMER_CURRENT);
}

/* Run the timer once from its largest count, its interrupt masked, and time it. */
void lapic_timer_calibrate(void)
{
	uint64_t ppm;

	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | IRQ_VEC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, TIMER_COUNT_MAX);
	lapic_timer_hz = pit_rate(lapic_timer_counted, &ppm);
	lapic_write(LAPIC_TIMER_INITIAL, 0); /* stop it */
	irq_register(IRQ_VEC_TIMER, lapic_timer_interrupt);
	printk("timer: LAPIC timer at %lu kHz (+-%lu ppm)\n",
	       (unsigned long)(lapic_timer_hz / 1000), (unsigned long)ppm);
}

void arch_timer_start(unsigned hz)
{
	uint64_t count = hz ? lapic_timer_hz / hz : 0;

	if (count == 0 || count > TIMER_COUNT_MAX)
		panic("timer: cannot tick at %u Hz (LAPIC timer at %lu Hz)", hz,
		      (unsigned long)lapic_timer_hz);
	lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_16);
	lapic_write(LAPIC_LVT_TIMER, TIMER_PERIODIC | IRQ_VEC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)count);
}
