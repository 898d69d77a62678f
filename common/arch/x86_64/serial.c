/* serial.c: the console on the first 16550 UART (COM1, I/O port 0x3f8), polled. */
#include <arch/console.h>
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
