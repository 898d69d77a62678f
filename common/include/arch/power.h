/* arch/power.h: the arch interface for stopping the machine, and how QEMU tests see the status.
 *
 * The exit convention for tests (DESIGN.md; tests/run-qemu reads it as a second signal, the
 * TAP stream is the first):
 *   x86_64  write the status to QEMU's isa-debug-exit device (I/O port 0xf4, added by the
 *           harness); QEMU exits with (status << 1) | 1, so 1 = passed, 3 = failed. Without
 *           that device, fall back to ACPI power-off (QEMU exits 0).
 *   arm64   PSCI SYSTEM_OFF (function 0x84000008) through the conduit the DTB names (hvc on
 *           QEMU virt); the status, when wanted, is reported first through semihosting
 *           SYS_EXIT_EXTENDED (QEMU -semihosting), whose exit code is the status itself.
 *   riscv64 SBI System Reset extension ("SRST", EID 0x53525354), type shutdown, reason
 *           0 (no reason) for status 0 and 1 (system failure) otherwise; QEMU exits 0 either
 *           way, so there the harness relies on the TAP stream alone. */
#ifndef ARCH_POWER_H
#define ARCH_POWER_H

#include <kernel/compiler.h>

/* Power the machine off, reporting status (0 = success) to QEMU where the arch can.
 * Does not return; if power-off fails the CPU halts. */
__noreturn void arch_power_off(int status);

#endif
