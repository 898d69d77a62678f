/* arch/boot.h: the arch interface for bringing up the machine (declarations only).
 *
 * Boot order, the same on every architecture (common/kernel/main.c):
 *   1. the port's entry code (assembly) gets a stack, saves what the boot loader passed
 *      (memory map, command line), turns on what C needs and calls kmain();
 *   2. kmain() sets up CPU 0's per-CPU data (arch_cpu_set_self), calls arch_early_init(),
 *      then uses only generic code and arch_* calls. */
#ifndef ARCH_BOOT_H
#define ARCH_BOOT_H

/* Set up what printk and panic need on the boot CPU: the console, the CPU's descriptor or
 * vector tables, exception handling, and the platform (interrupt controllers, clock).
 * Called once, early in kmain(). */
void arch_early_init(void);

/* The kernel command line the boot loader passed (QEMU -append), or "" when none. */
const char *arch_boot_cmdline(void);

/* A short description of the machine for the boot banner (e.g. "x86_64 PVH"). */
const char *arch_name(void);

/* Generic entry point the port's boot code calls on the boot CPU. Does not return. */
void kmain(void) __attribute__((noreturn));

#endif
