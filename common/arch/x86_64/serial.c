/* serial.c: the console on the first 16550 UART (COM1, I/O port 0x3f8). Output is polled;
 * input arrives by interrupt once arch_console_rx_enable() has run. */
#include <arch/console.h>
#include <kernel/console.h>
#include "acpi.h"
#include "ioapic.h"
#include "irq.h"
#include "x86.h"

#define COM1 0x3f8
#define UART_DATA 0     /* transmit/receive; with DLAB: divisor low byte */
#define UART_IER 1      /* interrupt enable; with DLAB: divisor high byte */
#define UART_FCR 2      /* FIFO control */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */
#define LCR_DLAB 0x80   /* divisor latch access */
#define LCR_8N1 0x03
#define FCR_ENABLE_CLEAR 0xc7
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_THR_EMPTY 0x20
#define LSR_DATA_READY 0x01
#define IER_RX_DATA 0x01 /* interrupt when received data is waiting */
#define COM1_ISA_IRQ 4

void arch_console_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1);      /* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

/* Send one byte once the transmitter can take it. */
static void serial_put_byte(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void arch_console_putc(char c)
{
	if (c == '\n')
		serial_put_byte('\r');
	serial_put_byte(c);
}

/* COM1's interrupt: hand every byte that is waiting to the console. Reading the data
 * register is what clears the UART's interrupt, so the loop runs until none is left. */
static void serial_rx_interrupt(unsigned vector)
{
	while (inb(COM1 + UART_LSR) & LSR_DATA_READY)
		console_rx((char)inb(COM1 + UART_DATA));
}

/* LAB(kernel-core): a device interrupt's path: the UART raises ISA IRQ 4, the IOAPIC turns
 * it into a message for CPU 0's LAPIC (the MCR's OUT2 bit, set in arch_console_init(),
 * connects the UART's interrupt line on PCs), and the CPU runs serial_rx_interrupt(). */
void arch_console_rx_enable(void)
{
	irq_register(IRQ_VEC_ISA_BASE + COM1_ISA_IRQ, serial_rx_interrupt);
	ioapic_route_isa(COM1_ISA_IRQ, IRQ_VEC_ISA_BASE + COM1_ISA_IRQ, acpi_madt.apic_ids[0]);
	outb(COM1 + UART_IER, IER_RX_DATA);
}
