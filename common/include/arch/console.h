/* arch/console.h: the arch interface to the boot console (a serial port on every port). */
#ifndef ARCH_CONSOLE_H
#define ARCH_CONSOLE_H

/* Initialise the console device. Called from arch_early_init(). */
void arch_console_init(void);

/* Write one character, waiting (polling) until the device accepts it. '\n' is sent as
 * "\r\n". Safe in any context, with interrupts on or off. */
void arch_console_putc(char c);

/* Start receiving: enable the console device's receive interrupt, so that each byte that
 * arrives is passed to the generic console_rx() (kernel/console.h), with interrupts off,
 * on the boot CPU. Call once, after arch_early_init(). */
void arch_console_rx_enable(void);

#endif
