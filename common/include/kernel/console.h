/* console.h: the kernel console: output shared by every CPU, and the input queue that the
 * port's receive interrupt fills. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

/* Write n bytes as one piece: output of other CPUs never lands in the middle. */
void console_write(const char *s, size_t n);

/* The same, and record them in the kernel log (kernel/klog.h) under the same lock, so the
 * log holds the lines in the console's order: printk's output. Returns true when recorded
 * (not after a panic, when the log's lock may be held by a stopped CPU). */
bool console_write_log(const char *s, size_t n);

/* From now on write without taking the console lock (a panic: the CPU that held it may
 * have been stopped). */
void console_panic_mode(void);

/* Called by the port's console interrupt for each byte received (interrupts off). */
void console_rx(char c);

/* Read the next line of input (at most n bytes of it) into buf, sleeping until one is
 * complete (or, with nonblock, -EAGAIN when none is). Returns the count, 0 for end of file
 * (^D), or -EINTR when killed meanwhile. */
long console_read(char *buf, size_t n, bool nonblock);

/* ^C on the console kills process pid from now on (0: nobody). */
void console_set_foreground(int pid);

#endif
