/* printk.h: formatted output on the kernel console. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <kernel/compiler.h>

/* Format like printf (see lib/fmt.h for the conversions) and write to the console, and
 * to the kernel log (kernel/klog.h). Usable from any context, including trap handlers.
 * Returns the number of characters. */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#endif
