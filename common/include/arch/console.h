/* arch/console.h: the arch interface to the boot console (a serial port on every port). */
#ifndef ARCH_CONSOLE_H
#define ARCH_CONSOLE_H

/* Initialise the console device. Called from arch_early_init(). */
void arch_console_init(void);

/* Write one character, waiting (polling) until the device accepts it. '\n' is sent as
 * "\r\n". Safe in any context, with interrupts on or off. */
void arch_console_putc(char c);

#endif
