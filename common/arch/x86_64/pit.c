/* pit.c: channel 2 of the PIT as a stopwatch (pit.h).
 *
 * Of the PIT's three channels, 0 is wired to an interrupt and 1 was the memory refresh;
 * channel 2 drives the speaker, and is the one whose gate (start) and output (done)
 * software can reach, through port 0x61. In mode 0 the output goes low when the mode is
 * set and high when the count reaches 0, so polling that bit times an interval without
 * any interrupt. The speaker bit stays off: no sound. Only the boot CPU uses it, at boot
 * and in tests: no lock.
 *
 * LAB(kernel-core): measuring with error bars. Each end of the interval is seen between
 * two readings of the clock being measured: the start around the write that starts the
 * count, the end between the last poll that found the output low and the first that found
 * it high. The middle of each pair is the estimate, half the pair's distance the error. A
 * CPU that was busy elsewhere at either end (a host thread running QEMU may be descheduled
 * for milliseconds) gives a wide pair: pit_rate() then tries again, and keeps the most
 * precise run. */
#include <stdbool.h>
#include <kernel/panic.h>
#include "pit.h"
#include "x86.h"

#define PIT_CH2_DATA 0x42
#define PIT_MODE 0x43
#define PIT_CH2_ONESHOT 0xb0   /* channel 2, low byte then high byte, mode 0, binary */
#define PIT_PORT_B 0x61        /* the speaker port: channel 2's gate and output */
#define PORT_B_GATE2 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2 0x20
#define RATE_TICKS 59659U        /* 50 ms */
#define RATE_TRIES 20            /* a bound for a busy host; one try is the rule */
#define RATE_PRECISION 5000ULL   /* good enough: an error below 1/5000 (200 ppm) */
#define PPM 1000000ULL

static bool pit_done(void)
{
	return inb(PIT_PORT_B) & PORT_B_OUT2;
}

void pit_time(uint16_t ticks, uint64_t (*now)(void), uint64_t *elapsed, uint64_t *error)
{
	uint8_t port_b = inb(PIT_PORT_B);
	uint64_t start0, start1, low, poll;

	outb(PIT_PORT_B, (port_b & ~PORT_B_SPEAKER) | PORT_B_GATE2);
	outb(PIT_MODE, PIT_CH2_ONESHOT);
	outb(PIT_CH2_DATA, ticks & 0xff);
	start0 = now();
	outb(PIT_CH2_DATA, ticks >> 8); /* counting starts at this write */
	start1 = now();
	low = start0;                   /* if the very first poll finds it done */
	for (;;) {
		poll = now();
		if (pit_done())
			break;
		low = poll;
	}
	poll = now();
	*elapsed = (low + poll) / 2 - (start0 + start1) / 2;
	*error = (start1 - start0) / 2 + (poll - low) / 2;
}

uint64_t pit_rate(uint64_t (*now)(void), uint64_t *ppm)
{
	uint64_t best = 0, best_error = 0, t, e;
	unsigned i;

	for (i = 0; i < RATE_TRIES; i++) {
		pit_time(RATE_TICKS, now, &t, &e);
		if (i == 0 || e * best < best_error * t) {
			best = t;
			best_error = e;
		}
		if (best_error * RATE_PRECISION <= best)
			break;
	}
	if (best == 0)
		panic("pit: the counter being calibrated does not advance");
	*ppm = best_error * PPM / best;
	return best * PIT_HZ / RATE_TICKS;
}
