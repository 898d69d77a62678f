/* tsc.c: the kernel's clock, arch_clock_ns(), from the time-stamp counter (tsc.h).
 *
 * Why the TSC: it is read by one unprivileged instruction without leaving the CPU (the
 * HPET and the ACPI PM timer are device registers, slow to read, and under virtualisation
 * each read is a trap to the hypervisor). CPUs with an "invariant" TSC (CPUID 0x80000007,
 * EDX bit 8) tick it at a constant rate in every power state, and the CPUs of one machine
 * share it, so one reading means the same time on every CPU. QEMU's TCG derives every
 * CPU's TSC from one host clock, so it is consistent across CPUs there too. Under QEMU
 * -icount shift=0 the TSC advances with guest instructions (one tick per instruction,
 * and the PIT in the same virtual time), so the clock counts instructions: what makes
 * `make bench` figures repeatable (DESIGN.md, "Benchmarks").
 *
 * The TSC's rate is not written anywhere dependable, so it is measured: count TSC ticks
 * while the PIT (pit.c), whose input clock is exactly 1193182 Hz on every PC, counts
 * down a known interval. Nanoseconds are then ticks * 10^9 / rate, computed as one
 * multiplication and a shift by a 32.32 fixed-point factor (a division on every clock
 * read would be slow, and ticks * 10^9 overflows 64 bits after a few seconds). */
#include <arch/cpu.h>
#include <arch/timer.h>
#include <kernel/printk.h>
#include "pit.h"
#include "tsc.h"
#include "x86.h"

#define CALIBRATE_ROUND_HZ 1000ULL
#define NS_PER_SEC 1000000000ULL
#define MULT_SHIFT 32
#define CPUID_EXT_MAX 0x80000000U
#define CPUID_POWER 0x80000007U
#define CPUID_INVARIANT_TSC (1U << 8)

/* Set once by tsc_calibrate() on the boot CPU, read-only afterwards. */
static uint64_t tsc_hz;      /* ticks per second */
static uint64_t tsc_base;    /* the TSC when the clock read 0 */
static uint64_t tsc_ns_mult; /* nanoseconds per tick, times 2^32 */

/* rdtsc() as a function, for pit_time(). */
static uint64_t tsc_now(void)
{
	return rdtsc();
}

/* True when the CPU says its TSC runs at a constant rate. */
static bool tsc_invariant(void)
{
	uint32_t r[4];

	cpuid(CPUID_EXT_MAX, r);
	if (r[0] < CPUID_POWER)
		return false;
	cpuid(CPUID_POWER, r);
	return r[3] & CPUID_INVARIANT_TSC;
}

/* LAB(kernel-core): calibrating a clock (pit.c says how the error is kept small). The
 * rate is rounded to a kHz: under -icount it then comes out at exactly 1 GHz, so that
 * nanoseconds and instructions match one for one; elsewhere the rounding is far below the
 * measurement's own error. */
void tsc_calibrate(void)
{
	uint64_t ppm;

	tsc_hz = pit_rate(tsc_now, &ppm);
	tsc_hz = (tsc_hz + CALIBRATE_ROUND_HZ / 2) / CALIBRATE_ROUND_HZ * CALIBRATE_ROUND_HZ;
	tsc_ns_mult = (NS_PER_SEC << MULT_SHIFT) / tsc_hz;
	tsc_base = rdtsc();
	printk("clock: TSC at %lu kHz (+-%lu ppm)%s\n", (unsigned long)(tsc_hz / 1000),
	       (unsigned long)ppm,
	       tsc_invariant() ? ", invariant" : ", not reported invariant by CPUID");
}

uint64_t arch_clock_ns(void)
{
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_base) * tsc_ns_mult) >> MULT_SHIFT);
}

void tsc_delay_ns(uint64_t ns)
{
	uint64_t end = arch_clock_ns() + ns;

	while (arch_clock_ns() < end)
		arch_cpu_relax();
}
