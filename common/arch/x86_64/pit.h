/* pit.h: channel 2 of the 8254 programmable interval timer, as a stopwatch of known rate
 * (pit.c): the reference the clock and the LAPIC timer are calibrated and tested against. */
#ifndef X86_PIT_H
#define X86_PIT_H

#include <stdint.h>

#define PIT_HZ 1193182ULL /* the PIT's input clock, the same on every PC */

/* Time an interval of `ticks` PIT clocks (at most 65535, about 55 ms) with the counter
 * now(), which must count up: *elapsed is its length in now()'s units, and *error how far
 * off that may be. Interrupts off, boot CPU only. */
void pit_time(uint16_t ticks, uint64_t (*now)(void), uint64_t *elapsed, uint64_t *error);

/* The rate of the counter now(), in counts per second, from the most precise of a few
 * timings of 50 ms; *ppm is its error in parts per million. Interrupts off, boot CPU only. */
uint64_t pit_rate(uint64_t (*now)(void), uint64_t *ppm);

#endif
