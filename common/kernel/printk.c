/* printk.c: formatted output on the console, built on the shared printf engine (lib/fmt.c). */
#include <arch/console.h>
#include <kernel/printk.h>
#include <lib/fmt.h>

/* fmt_vformat() sink: one character to the console. */
static void printk_emit(void *ctx, char c)
{
	(void)ctx;
	arch_console_putc(c);
}

int vprintk(const char *fmt, va_list ap)
{
	return fmt_vformat(printk_emit, NULL, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
