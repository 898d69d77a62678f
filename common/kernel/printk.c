/* printk.c: formatted output on the console, built on the shared printf engine (lib/fmt.c).
 * Each call is formatted into a buffer and written with console_write(), so that lines
 * printed by different CPUs at the same time do not mix. */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <lib/fmt.h>

#define PRINTK_CHUNK 160

struct printk_buf {
	char data[PRINTK_CHUNK];
	size_t len;
};

/* fmt_vformat() sink: collect characters, writing out a full buffer. */
static void printk_emit(void *ctx, char c)
{
	struct printk_buf *b = ctx;

	b->data[b->len++] = c;
	if (b->len == sizeof b->data) {
		console_write(b->data, b->len);
		b->len = 0;
	}
}

int vprintk(const char *fmt, va_list ap)
{
	struct printk_buf b = { .len = 0 };
	int n = fmt_vformat(printk_emit, &b, fmt, ap);

	console_write(b.data, b.len);
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
