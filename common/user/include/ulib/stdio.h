/* ulib/stdio.h: formatted output for user programs, through the kernel's printf engine
 * (lib/fmt.h: the same conversions as printk, no floating point).
 *
 * printf(), puts() and putchar() write to fd 1 through one buffer that is written out at
 * every newline, when it fills, by stdout_flush() and by exit(): a whole line reaches the
 * console in one system call, and lines of several threads never mix (the buffer has a
 * lock). dprintf() writes to any descriptor the same way, through a buffer of its own that
 * is written out before it returns. There are no FILE streams and no input functions. */
#ifndef ULIB_STDIO_H
#define ULIB_STDIO_H

#include <stdarg.h>
#include <lib/fmt.h>

/* Format like printf into the stdout buffer. Returns the number of characters formatted;
 * a failed write is not reported (there is no ferror()): the buffer is dropped. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Format and write to fd, after writing out the stdout buffer so the output keeps its
 * order on a shared console. Returns the number of characters formatted, or the negated
 * errno of the first failed write (e.g. -EBADF). */
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int vdprintf(int fd, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Write s and a newline to stdout. Returns 0. */
int puts(const char *s);

/* Write the character c (converted to unsigned char) to stdout. Returns that character. */
int putchar(int c);

/* Write out what the stdout buffer holds. */
void stdout_flush(void);

/* Write all of s[0..n) to fd, unbuffered, repeating sys_write as long as it takes fewer
 * bytes than asked. Returns 0, or the negated errno of the write that failed (-EIO if the
 * kernel took nothing). */
long stdio_write_all(int fd, const char *s, size_t n);

/* Read the file path into buf[size] as a string, cut at size - 1 bytes (a /kfs snapshot, a
 * test's output file). Returns its length or a negated errno. */
long stdio_read_file(const char *path, char *buf, size_t size);

#endif
