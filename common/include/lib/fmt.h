/*
 * lib/fmt.h - the printf engine: one formatter, many sinks.
 *
 * fmt_vformat() turns a format string and its arguments into characters and
 * hands each one to a callback. The console, snprintf() and the TAP emitter
 * are all thin sinks on top of it, so every conversion is written once.
 *
 * Supported: %d %i %u %x %X %o %c %s %p %%, length modifiers hh h l ll z t j,
 * flags '-' '0' '+' ' ' '#', field width and precision (both also as '*').
 * There is no floating point (the kernel never uses the FPU) and no %n (a
 * format string should never be able to write memory). Any conversion not
 * listed is printed literally, so "%q" prints "%q".
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Format fmt with the arguments in ap, calling emit(ctx, c) once per output
 * character (a %c of 0 emits a NUL character like any other). Returns the
 * number of characters emitted, or -1 if that number does not fit in an int.
 */
int fmt_vformat(void (*emit)(void *ctx, char c), void *ctx, const char *fmt, va_list ap);

/*
 * C99 vsnprintf: write at most size - 1 characters to buf and always
 * NUL-terminate when size > 0 (buf may be NULL when size is 0). Returns the
 * length the full output would have had, so a result >= size means the
 * output was truncated.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* C99 snprintf: vsnprintf() with the arguments given directly. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIB_FMT_H */
