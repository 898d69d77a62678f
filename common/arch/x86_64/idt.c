/* idt.c: the x86_64 interrupt descriptor table: 256 gates, one per vector, each pointing at
 * its stub in vectors.S. All are interrupt gates (interrupts off on entry) for ring 0.
 * Every CPU loads the same table: the gates are the same everywhere, and the IST numbers
 * in them pick stacks from the TSS of whichever CPU takes the interrupt (gdt.c). */
#include <stdint.h>
#include "x86.h"

#define IDT_VECTORS 256
#define IDT_STUB_SIZE 16
#define IDT_INTERRUPT_GATE 0x8e /* present, DPL 0, type 0xe */
#define IDT_IST_DOUBLE_FAULT 1  /* gdt.c: IST1 */
#define IDT_IST_NMI 2           /* gdt.c: IST2 */
#define VEC_NMI 2
#define VEC_DOUBLE_FAULT 8
#define GDT_KERNEL_CODE 0x08

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

extern char x86_vector_stubs[];
static struct idt_gate idt_table[IDT_VECTORS];

/* Point gate v at its stub; ist selects an interrupt stack from the TSS (0 = none). */
static void idt_set_gate(unsigned v, uint8_t ist)
{
	uint64_t addr = (uint64_t)(x86_vector_stubs + v * IDT_STUB_SIZE);

	idt_table[v] = (struct idt_gate){
		.offset_low = addr & 0xffff,
		.selector = GDT_KERNEL_CODE,
		.ist = ist,
		.type = IDT_INTERRUPT_GATE,
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_high = addr >> 32,
	};
}

void idt_load(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} ptr = { sizeof idt_table - 1, (uint64_t)idt_table };

	__asm__ volatile("lidt %0" : : "m"(ptr));
}

void idt_init(void)
{
	unsigned v;

	for (v = 0; v < IDT_VECTORS; v++)
		idt_set_gate(v, 0);
	idt_set_gate(VEC_NMI, IDT_IST_NMI);
	idt_set_gate(VEC_DOUBLE_FAULT, IDT_IST_DOUBLE_FAULT);
	idt_load();
}
