/* printk.c: formatted output on the console, built on the shared printf engine (lib/fmt.c).
 * Each call is formatted into a buffer and written with console_write_log(), so that lines
 * printed by different CPUs at the same time do not mix, and the kernel log
 * (kernel/klog.h) gets the same lines in the same order. */
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/printk.h>
#include <lib/fmt.h>

#define PRINTK_CHUNK 160

struct printk_buf {
	char data[PRINTK_CHUNK];
	size_t len;
	bool logged;            /* something went into the kernel log */
};

/* Write out what b holds. */
static void printk_flush(struct printk_buf *b)
{
	if (console_write_log(b->data, b->len))
		b->logged = true;
	b->len = 0;
}

/* fmt_vformat() sink: collect characters, writing out a full buffer. */
static void printk_emit(void *ctx, char c)
{
	struct printk_buf *b = ctx;

	b->data[b->len++] = c;
	if (b->len == sizeof b->data)
		printk_flush(b);
}

int vprintk(const char *fmt, va_list ap)
{
	struct printk_buf b = { .len = 0, .logged = false };
	int n = fmt_vformat(printk_emit, &b, fmt, ap);

	printk_flush(&b);
	if (b.logged)
		klog_wake();    /* after the console's lock is let go: waking takes others */
	return n;
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
