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

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Drop this CPU's cached translation of the page holding va. */
static inline void invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* The time-stamp counter. The lfence keeps rdtsc from being executed before the loads
 * and stores ahead of it, so a timestamp taken after an event really is later. */
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* CPUID leaf `leaf` (sub-leaf 0): out[0..3] = eax, ebx, ecx, edx. */
static inline void cpuid(uint32_t leaf, uint32_t out[4])
{
	__asm__ volatile("cpuid" : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
			 : "a"(leaf), "c"(0));
}

/* Memory the port keeps for itself, besides the kernel image:
 *  - physical page 0x8000 (TRAMP_PA, trampoline.h; assembly cannot include this file): the
 *    secondary CPUs' 16-bit start code, which must lie below 1 MiB for a start-up IPI. It
 *    must never be handed to the page allocator: mmu.c keeps the whole first MiB out of
 *    arch_mem_ranges(), this page with it. smp.c writes it only while it starts a CPU.
 *  - virtual 0xffffffffc0000000 up (the last GiB, after the kernel image's): the device
 *    window, where iomap.c maps the LAPIC, the IOAPIC and the ACPI tables (iomap.h). It
 *    hangs off the kernel image's PDPT, so it needs no top-level entry of its own. */

/* Set up the GDT and TSS of CPU `cpu` (gdt.c): each CPU has its own, since its TSS holds
 * its own interrupt stacks. Then the IDT (idt.c): idt_init() builds the one table all CPUs
 * share and loads it on the boot CPU; idt_load() loads it on a secondary CPU. */
void gdt_init(unsigned cpu);
void idt_init(void);
void idt_load(void);

/* Set the stack the calling CPU switches to on an interrupt or exception from user mode:
 * rsp0 in its own TSS (gdt.c). Interrupts off, so the caller stays on this CPU. */
void x86_tss_set_rsp0(uint64_t top);

/* Point the `syscall` instruction at syscall.S on the calling CPU (usermode.c). */
void x86_syscall_init(void);

/* The C side of every interrupt and exception (trap.c), called from vectors.S. */
struct trap_frame;
void x86_trap_dispatch(struct trap_frame *tf);

#endif
