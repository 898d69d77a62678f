/* stdio.c: buffered output to file descriptors (ulib/stdio.h).
 *
 * A struct stdio_buf collects characters for one descriptor and writes them out at each
 * newline and when it fills. stdout is one such buffer that lives for the whole program,
 * behind a lock; dprintf() uses a short-lived one on its own stack. */
#include <ulib/lock.h>
#include <ulib/stdio.h>
#include <ulib/syscall.h>

#define STDIO_BUF_SIZE 256

struct stdio_buf {
	int fd;
	long err;                    /* the first failed write's -errno, else 0 */
	size_t len;
	char buf[STDIO_BUF_SIZE];
};

/* The stdout buffer. Locks: lock protects out (every field). */
static struct {
	struct ulock lock;
	struct stdio_buf out;
} stdio_stdout = { ULOCK_INIT, { .fd = 1 } };

long stdio_write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		long r = sys_write(fd, s, n);

		if (r <= 0)
			return r < 0 ? r : -EIO;
		s += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Write out and empty b, remembering the first error. */
static void stdio_buf_flush(struct stdio_buf *b)
{
	long err = stdio_write_all(b->fd, b->buf, b->len);

	if (err && !b->err)
		b->err = err;
	b->len = 0;
}

static void stdio_buf_putc(struct stdio_buf *b, char c)
{
	b->buf[b->len++] = c;
	if (c == '\n' || b->len == sizeof b->buf)
		stdio_buf_flush(b);
}

/* fmt_vformat() sink: ctx is the struct stdio_buf. */
static void stdio_buf_emit(void *ctx, char c)
{
	stdio_buf_putc(ctx, c);
}

int vprintf(const char *fmt, va_list ap)
{
	int n;

	ulock_acquire(&stdio_stdout.lock);
	n = fmt_vformat(stdio_buf_emit, &stdio_stdout.out, fmt, ap);
	ulock_release(&stdio_stdout.lock);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	struct stdio_buf b = { .fd = fd };
	int n;

	stdout_flush();
	n = fmt_vformat(stdio_buf_emit, &b, fmt, ap);
	stdio_buf_flush(&b);
	return b.err ? (int)b.err : n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	ulock_acquire(&stdio_stdout.lock);
	for (; *s != '\0'; s++)
		stdio_buf_putc(&stdio_stdout.out, *s);
	stdio_buf_putc(&stdio_stdout.out, '\n');
	ulock_release(&stdio_stdout.lock);
	return 0;
}

int putchar(int c)
{
	ulock_acquire(&stdio_stdout.lock);
	stdio_buf_putc(&stdio_stdout.out, (char)c);
	ulock_release(&stdio_stdout.lock);
	return (unsigned char)c;
}

void stdout_flush(void)
{
	ulock_acquire(&stdio_stdout.lock);
	stdio_buf_flush(&stdio_stdout.out);
	ulock_release(&stdio_stdout.lock);
}

long stdio_read_file(const char *path, char *buf, size_t size)
{
	int fd = sys_open(path, O_RDONLY, 0);
	long n = 0, len = 0;

	if (fd < 0)
		return fd;
	while ((size_t)len < size - 1 && (n = sys_read(fd, buf + len, size - 1 - (size_t)len)) > 0)
		len += n;
	sys_close(fd);
	buf[len] = '\0';
	return n < 0 ? n : len;
}
