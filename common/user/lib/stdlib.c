/* stdlib.c: exit, abort and number parsing (ulib/stdlib.h). */
#include <stdbool.h>
#include <kernel/limits.h>      /* only compiler macros: shared with the kernel */
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/syscall.h>

void exit(int status)
{
	stdout_flush();
	sys_exit(status);
}

void abort(void)
{
	stdout_flush();
	sys_exit(EXIT_ABORTED);
}

/* What strtol and strtoul read, before each converts it to its own type. */
struct stdlib_number {
	unsigned long magnitude;
	bool negative;
	bool overflow;          /* the digits exceed ULONG_MAX */
	const char *end;        /* after the last digit used; the start of the string if none */
};

static bool stdlib_isspace(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of digit c in bases up to 36, or 36 for anything that is not a digit. */
static unsigned stdlib_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'z')
		return (unsigned)(c - 'a') + 10;
	if (c >= 'A' && c <= 'Z')
		return (unsigned)(c - 'A') + 10;
	return 36;
}

/* Settle base 0 or 16 from the prefix at *p, stepping over a "0x" that hex digits follow
 * ("0x" alone is the number 0 followed by an x). Returns the base to use. */
static int stdlib_base(const char **p, int base)
{
	bool hex_prefix = (*p)[0] == '0' && ((*p)[1] == 'x' || (*p)[1] == 'X') &&
			  stdlib_digit((*p)[2]) < 16;

	if ((base == 0 || base == 16) && hex_prefix) {
		*p += 2;
		return 16;
	}
	if (base == 0)
		return (*p)[0] == '0' ? 8 : 10;
	return base;
}

static void stdlib_parse(const char *s, int base, struct stdlib_number *num)
{
	const char *p = s;
	unsigned d;

	*num = (struct stdlib_number){ .end = s };
	while (stdlib_isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		num->negative = *p++ == '-';
	base = stdlib_base(&p, base);
	if (base < 2 || base > 36)
		return;
	for (; (d = stdlib_digit(*p)) < (unsigned)base; p++) {
		if (num->magnitude > (ULONG_MAX - d) / (unsigned)base)
			num->overflow = true;
		else
			num->magnitude = num->magnitude * (unsigned)base + d;
		num->end = p + 1;
	}
}

long strtol(const char *s, char **end, int base)
{
	struct stdlib_number num;

	stdlib_parse(s, base, &num);
	if (end)
		*end = (char *)num.end;
	if (num.negative)   /* -LONG_MIN does not fit a long: compare magnitudes */
		return num.overflow || num.magnitude > (unsigned long)LONG_MAX + 1 ? LONG_MIN :
		       (long)(0 - num.magnitude);
	return num.overflow || num.magnitude > LONG_MAX ? LONG_MAX : (long)num.magnitude;
}

/* As in C, a minus sign negates the unsigned result: strtoul("-1") is ULONG_MAX. */
unsigned long strtoul(const char *s, char **end, int base)
{
	struct stdlib_number num;

	stdlib_parse(s, base, &num);
	if (end)
		*end = (char *)num.end;
	if (num.overflow)
		return ULONG_MAX;
	return num.negative ? 0 - num.magnitude : num.magnitude;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
