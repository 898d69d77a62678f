/*
 * fmt.c - the printf engine.
 *
 * A conversion is parsed into a struct fmt_spec, then printed by one of four
 * printers (integer, pointer, string, character). All output goes through
 * fmt_put(), which calls the sink's emit callback and counts.
 */
#include <stdbool.h>
#include <stdint.h>

#include <lib/fmt.h>
#include <lib/string.h>

/* The flag characters that may follow '%', as bits of fmt_spec.flags. */
enum fmt_flag {
	FMT_LEFT = 1 << 0,	/* '-': justify left, pad on the right */
	FMT_ZERO = 1 << 1,	/* '0': pad numbers with zeros, not spaces */
	FMT_PLUS = 1 << 2,	/* '+': always print a sign for %d */
	FMT_SPACE = 1 << 3,	/* ' ': a space where a '+' would go */
	FMT_ALT = 1 << 4,	/* '#': "0x" before hex, a leading 0 for octal */
};

/* The length modifier: which type va_arg must read for an integer. */
enum fmt_length {
	FMT_LENGTH_INT,		/* none: int */
	FMT_LENGTH_CHAR,	/* hh: char, promoted to int */
	FMT_LENGTH_SHORT,	/* h: short, promoted to int */
	FMT_LENGTH_LONG,	/* l: long */
	FMT_LENGTH_LLONG,	/* ll: long long */
	FMT_LENGTH_SIZE,	/* z: size_t */
	FMT_LENGTH_PTRDIFF,	/* t: ptrdiff_t */
	FMT_LENGTH_INTMAX,	/* j: intmax_t */
};

/* One parsed conversion, e.g. "%-08.3lx". */
struct fmt_spec {
	unsigned flags;		/* enum fmt_flag bits */
	int width;		/* minimum field width; 0 means none */
	int precision;		/* -1 when absent */
	enum fmt_length length;
	char conv;		/* the conversion character; '\0' if fmt ended */
};

/*
 * The formatter's state. The arguments live here as a va_list of our own (a
 * va_copy of the caller's), and helpers receive a pointer to this struct.
 * Passing the va_list itself to helpers would only work by accident: on
 * x86_64 va_list is an array, so a callee's va_arg advances the caller's
 * position too; on arm64 (a struct) and riscv64 (a pointer) the callee gets
 * a copy, and the caller would read the same argument again.
 */
struct fmt_state {
	void (*emit)(void *ctx, char c);
	void *ctx;
	size_t count;		/* characters emitted so far */
	va_list args;
};

/*
 * INT_MAX and CHAR_BIT come from the compiler's predefined macros: GCC's
 * <limits.h> pulls in the C library's <limits.h>, which a -nostdinc kernel
 * build does not have.
 */
#define FMT_INT_MAX __INT_MAX__

/* Enough digits for the largest integer in the smallest base (octal). */
#define FMT_MAX_DIGITS ((sizeof(uintmax_t) * __CHAR_BIT__ + 2) / 3)

static void fmt_put(struct fmt_state *st, char c)
{
	st->emit(st->ctx, c);
	st->count++;
}

static void fmt_repeat(struct fmt_state *st, char c, int n)
{
	for (int i = 0; i < n; i++)
		fmt_put(st, c);
}

static void fmt_put_n(struct fmt_state *st, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fmt_put(st, s[i]);
}

/*
 * Widths and precisions saturate at FMT_FIELD_MAX. The sum of a field's
 * parts (sign, prefix, zeros, digits) is then far below INT_MAX, so the int
 * arithmetic in fmt_number() cannot overflow, whatever the format says.
 */
#define FMT_FIELD_MAX (FMT_INT_MAX / 4)

/* Parse a run of decimal digits, saturating at FMT_FIELD_MAX. */
static int fmt_parse_decimal(const char **p)
{
	int value = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++) {
		int digit = **p - '0';

		value = value > (FMT_FIELD_MAX - digit) / 10 ? FMT_FIELD_MAX : value * 10 + digit;
	}
	return value;
}

static unsigned fmt_parse_flags(const char **p)
{
	unsigned flags = 0;

	for (;; (*p)++) {
		switch (**p) {
		case '-': flags |= FMT_LEFT; break;
		case '0': flags |= FMT_ZERO; break;
		case '+': flags |= FMT_PLUS; break;
		case ' ': flags |= FMT_SPACE; break;
		case '#': flags |= FMT_ALT; break;
		default: return flags;
		}
	}
}

/* A width of '*' comes from the arguments; a negative one means '-' (C11 7.21.6.1). */
static void fmt_parse_width(struct fmt_state *st, const char **p, struct fmt_spec *spec)
{
	if (**p != '*') {
		spec->width = fmt_parse_decimal(p);
		return;
	}
	(*p)++;
	int width = va_arg(st->args, int);
	if (width < 0) {
		spec->flags |= FMT_LEFT;
		width = width < -FMT_FIELD_MAX ? FMT_FIELD_MAX : -width;
	}
	spec->width = width < FMT_FIELD_MAX ? width : FMT_FIELD_MAX;
}

/* A '.' alone means precision 0; a negative '*' precision means "none". */
static void fmt_parse_precision(struct fmt_state *st, const char **p, struct fmt_spec *spec)
{
	spec->precision = -1;
	if (**p != '.')
		return;
	(*p)++;
	if (**p != '*') {
		spec->precision = fmt_parse_decimal(p);
		return;
	}
	(*p)++;
	int precision = va_arg(st->args, int);
	if (precision > FMT_FIELD_MAX)
		precision = FMT_FIELD_MAX;
	spec->precision = precision < 0 ? -1 : precision;
}

static enum fmt_length fmt_parse_length(const char **p)
{
	const char *s = *p;
	enum fmt_length length;

	switch (s[0]) {
	case 'h': length = s[1] == 'h' ? FMT_LENGTH_CHAR : FMT_LENGTH_SHORT; break;
	case 'l': length = s[1] == 'l' ? FMT_LENGTH_LLONG : FMT_LENGTH_LONG; break;
	case 'z': length = FMT_LENGTH_SIZE; break;
	case 't': length = FMT_LENGTH_PTRDIFF; break;
	case 'j': length = FMT_LENGTH_INTMAX; break;
	default: return FMT_LENGTH_INT;
	}
	*p += length == FMT_LENGTH_CHAR || length == FMT_LENGTH_LLONG ? 2 : 1;
	return length;
}

/* Parse the conversion after '%' at *p; leaves *p on the conversion character. */
static void fmt_parse_spec(struct fmt_state *st, const char **p, struct fmt_spec *spec)
{
	spec->flags = fmt_parse_flags(p);
	fmt_parse_width(st, p, spec);
	fmt_parse_precision(st, p, spec);
	spec->length = fmt_parse_length(p);
	spec->conv = **p;
}

/*
 * Read a signed argument of the spec's length. %hhd and %hd receive an int
 * (default promotion) and convert it back down. There is no portable
 * "signed size_t"; ptrdiff_t is the signed type of the same width on every
 * target we build, so %zd reads that.
 */
static intmax_t fmt_arg_signed(struct fmt_state *st, enum fmt_length length)
{
	switch (length) {
	case FMT_LENGTH_CHAR: return (signed char)va_arg(st->args, int);
	case FMT_LENGTH_SHORT: return (short)va_arg(st->args, int);
	case FMT_LENGTH_LONG: return va_arg(st->args, long);
	case FMT_LENGTH_LLONG: return va_arg(st->args, long long);
	case FMT_LENGTH_SIZE: return va_arg(st->args, ptrdiff_t);
	case FMT_LENGTH_PTRDIFF: return va_arg(st->args, ptrdiff_t);
	case FMT_LENGTH_INTMAX: return va_arg(st->args, intmax_t);
	default: return va_arg(st->args, int);
	}
}

/* Read an unsigned argument of the spec's length (%tu reads a size_t, see above). */
static uintmax_t fmt_arg_unsigned(struct fmt_state *st, enum fmt_length length)
{
	switch (length) {
	case FMT_LENGTH_CHAR: return (unsigned char)va_arg(st->args, unsigned int);
	case FMT_LENGTH_SHORT: return (unsigned short)va_arg(st->args, unsigned int);
	case FMT_LENGTH_LONG: return va_arg(st->args, unsigned long);
	case FMT_LENGTH_LLONG: return va_arg(st->args, unsigned long long);
	case FMT_LENGTH_SIZE: return va_arg(st->args, size_t);
	case FMT_LENGTH_PTRDIFF: return va_arg(st->args, size_t);
	case FMT_LENGTH_INTMAX: return va_arg(st->args, uintmax_t);
	default: return va_arg(st->args, unsigned int);
	}
}

/* Write value's digits right-aligned into buf[FMT_MAX_DIGITS]; return how many. */
static int fmt_digits(char *buf, uintmax_t value, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		buf[FMT_MAX_DIGITS - 1 - n++] = digits[value % base];
		value /= base;
	} while (value != 0);
	return n;
}

/*
 * Print a number as: [spaces] [sign] [prefix] [zeros] digits [spaces].
 * The zeros come from the precision (a minimum digit count) or, with the '0'
 * flag and no precision, from the width. A precision of 0 prints nothing for
 * the value 0; octal '#' still guarantees one leading 0.
 */
static void fmt_number(struct fmt_state *st, const struct fmt_spec *spec, uintmax_t magnitude,
		       char sign, const char *prefix, unsigned base)
{
	char buf[FMT_MAX_DIGITS];
	int ndigits = fmt_digits(buf, magnitude, base, spec->conv == 'X');
	int zeros = 0;

	if (spec->precision == 0 && magnitude == 0)
		ndigits = 0;
	if (spec->precision > ndigits)
		zeros = spec->precision - ndigits;
	bool leading_zero = zeros > 0 || (magnitude == 0 && ndigits == 1);
	if (base == 8 && (spec->flags & FMT_ALT) && !leading_zero)
		zeros = 1;

	int prefix_len = (int)strlen(prefix);
	int body = (sign != '\0') + prefix_len + zeros + ndigits;
	int pad = spec->width > body ? spec->width - body : 0;
	if ((spec->flags & (FMT_ZERO | FMT_LEFT)) == FMT_ZERO && spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(spec->flags & FMT_LEFT))
		fmt_repeat(st, ' ', pad);
	if (sign != '\0')
		fmt_put(st, sign);
	fmt_put_n(st, prefix, (size_t)prefix_len);
	fmt_repeat(st, '0', zeros);
	fmt_put_n(st, buf + FMT_MAX_DIGITS - ndigits, (size_t)ndigits);
	if (spec->flags & FMT_LEFT)
		fmt_repeat(st, ' ', pad);
}

/*
 * %d and %i. The magnitude of a negative value is computed in unsigned
 * arithmetic: -INT_MIN overflows an int (undefined behaviour), but
 * 0 - (uintmax_t)INT_MIN is well defined and exact.
 */
static void fmt_signed(struct fmt_state *st, const struct fmt_spec *spec)
{
	intmax_t value = fmt_arg_signed(st, spec->length);
	uintmax_t magnitude = value < 0 ? (uintmax_t)0 - (uintmax_t)value : (uintmax_t)value;
	char sign = '\0';

	if (value < 0)
		sign = '-';
	else if (spec->flags & FMT_PLUS)
		sign = '+';
	else if (spec->flags & FMT_SPACE)
		sign = ' ';
	fmt_number(st, spec, magnitude, sign, "", 10);
}

/* %u %x %X %o: '#' adds "0x"/"0X" before a nonzero hex value. */
static void fmt_unsigned(struct fmt_state *st, const struct fmt_spec *spec)
{
	uintmax_t value = fmt_arg_unsigned(st, spec->length);
	unsigned base = spec->conv == 'u' ? 10 : spec->conv == 'o' ? 8 : 16;
	const char *prefix = "";

	if (base == 16 && (spec->flags & FMT_ALT) && value != 0)
		prefix = spec->conv == 'X' ? "0X" : "0x";
	fmt_number(st, spec, value, '\0', prefix, base);
}

/*
 * %p: always "0x" and every hex digit of the pointer, so addresses line up
 * in columns and NULL reads as 0x0000000000000000. Width and '-' still apply.
 */
static void fmt_pointer(struct fmt_state *st, const struct fmt_spec *spec)
{
	struct fmt_spec hex = *spec;

	hex.conv = 'x';
	hex.precision = (int)sizeof(void *) * 2;
	fmt_number(st, &hex, (uintptr_t)va_arg(st->args, void *), '\0', "0x", 16);
}

/* Print n bytes of s inside the spec's field width (spaces only, even with '0'). */
static void fmt_field(struct fmt_state *st, const struct fmt_spec *spec, const char *s, size_t n)
{
	int pad = (size_t)spec->width > n ? spec->width - (int)n : 0;

	if (!(spec->flags & FMT_LEFT))
		fmt_repeat(st, ' ', pad);
	fmt_put_n(st, s, n);
	if (spec->flags & FMT_LEFT)
		fmt_repeat(st, ' ', pad);
}

/*
 * %s: the precision caps how many bytes are read, so "%.4s" may point at an
 * array that is not NUL-terminated. NULL prints "(null)" (also capped by the
 * precision), a debugging aid rather than a crash inside the console.
 */
static void fmt_string(struct fmt_state *st, const struct fmt_spec *spec)
{
	const char *s = va_arg(st->args, const char *);

	if (s == NULL)
		s = "(null)";
	size_t n = spec->precision >= 0 ? strnlen(s, (size_t)spec->precision) : strlen(s);
	fmt_field(st, spec, s, n);
}

static void fmt_char(struct fmt_state *st, const struct fmt_spec *spec)
{
	char c = (char)va_arg(st->args, int);

	fmt_field(st, spec, &c, 1);
}

/* Print one parsed conversion; return false if the conversion is unknown. */
static bool fmt_convert(struct fmt_state *st, const struct fmt_spec *spec)
{
	switch (spec->conv) {
	case 'd':
	case 'i':
		fmt_signed(st, spec);
		return true;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		fmt_unsigned(st, spec);
		return true;
	case 'p': fmt_pointer(st, spec); return true;
	case 's': fmt_string(st, spec); return true;
	case 'c': fmt_char(st, spec); return true;
	case '%': fmt_put(st, '%'); return true;
	default: return false;
	}
}

/*
 * Format fmt with the arguments in ap, calling emit(ctx, c) once per output
 * character. Unknown conversions, and a '%' at the very end, are printed as
 * written. Returns the number of characters emitted, or -1 on int overflow.
 */
int fmt_vformat(void (*emit)(void *ctx, char c), void *ctx, const char *fmt, va_list ap)
{
	struct fmt_state st = { .emit = emit, .ctx = ctx, .count = 0 };
	const char *p = fmt;

	va_copy(st.args, ap);
	while (*p != '\0') {
		if (*p != '%') {
			fmt_put(&st, *p++);
			continue;
		}
		const char *start = p++;
		struct fmt_spec spec;
		fmt_parse_spec(&st, &p, &spec);
		if (spec.conv == '\0') {
			fmt_put_n(&st, start, (size_t)(p - start));
			break;
		}
		p++;
		if (!fmt_convert(&st, &spec))
			fmt_put_n(&st, start, (size_t)(p - start));
	}
	va_end(st.args);
	return st.count > FMT_INT_MAX ? -1 : (int)st.count;
}

/* A sink that fills a bounded buffer and keeps counting past its end. */
struct fmt_buffer {
	char *buf;
	size_t size;
	size_t len;		/* length of the full output so far */
};

static void fmt_buffer_emit(void *ctx, char c)
{
	struct fmt_buffer *b = ctx;

	if (b->len + 1 < b->size)
		b->buf[b->len] = c;
	b->len++;
}

/*
 * C99 vsnprintf: write at most size - 1 characters to buf and always
 * NUL-terminate when size > 0. Returns the length the full output would
 * have had; a result >= size means it was truncated.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_buffer b = { .buf = buf, .size = size, .len = 0 };
	int n = fmt_vformat(fmt_buffer_emit, &b, fmt, ap);

	if (size > 0)
		buf[b.len < size ? b.len : size - 1] = '\0';
	return n;
}

/* C99 snprintf: vsnprintf() with the arguments given directly. */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
