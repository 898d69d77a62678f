/* iomap.h: the device window, where the port maps physical ranges that are not ordinary
 * RAM (or not reachable yet): device registers and firmware tables (iomap.c). */
#ifndef X86_IOMAP_H
#define X86_IOMAP_H

#include <stddef.h>
#include <stdint.h>

/* The window: the last 1 GiB of the address space, above the kernel image's 1 GiB. Only
 * its first 2 MiB (one page table, IOMAP_PAGES pages) are used. */
#define IOMAP_BASE 0xffffffffc0000000UL
#define IOMAP_PAGES 512

/* How a mapping may be cached. */
enum iomap_type {
	IOMAP_DEVICE, /* device registers: uncached, every access reaches the device */
	IOMAP_RAM,    /* memory (firmware tables): cached, like every other mapping of RAM */
};

/* Hook the window's page table into the kernel's page tables. Called once by the boot CPU
 * in arch_early_init(), before any iomap(). */
void iomap_init(void);

/* Map physical [pa, pa + size) into the window, readable and writable, never executable,
 * and return the virtual address of pa. Mappings are permanent. Only the boot CPU calls
 * this, during boot; panics when the window is full (a kernel bug: it is sized for the few
 * devices and tables of a PC). */
void *iomap(uint64_t pa, size_t size, enum iomap_type type);

#endif
