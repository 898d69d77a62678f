/* x86.h: x86_64 instructions the port needs that C cannot express (private to the port). */
#ifndef X86_H
#define X86_H

#include <stdint.h>
#include <arch/mmu.h>

#define KERNEL_VMA 0xffffffff80000000UL
#define X86_MAX_RAM_RANGES 32

/* What the PVH boot loader told us (start.c), for the memory and ACPI code. */
struct x86_boot_info {
	uint64_t rsdp_paddr;                        /* ACPI root pointer, 0 if none */
	struct mem_range ram[X86_MAX_RAM_RANGES];   /* usable RAM, as the firmware said */
	unsigned nr_ram;
};
extern struct x86_boot_info x86_boot;

/* The kernel image's virtual address for a physical address in the first 1 GiB. */
static inline void *x86_phys_to_kernel(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + KERNEL_VMA);
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* Set up the GDT and TSS (gdt.c) and the IDT (idt.c) of the calling CPU. */
void gdt_init(void);
void idt_init(void);

/* The C side of every interrupt and exception (trap.c), called from vectors.S. */
struct trap_frame;
void x86_trap_dispatch(struct trap_frame *tf);

#endif
