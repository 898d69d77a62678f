/* cmdline.c: reading the kernel command line as words: `key` or `key=value`. */
#include <kernel/cmdline.h>
#include <lib/string.h>

static const char *cmdline = "";

void cmdline_set(const char *s)
{
	cmdline = s ? s : "";
}

const char *cmdline_get(void)
{
	return cmdline;
}

/* The start of the word `key` or `key=...` in the command line, or NULL. */
static const char *cmdline_find(const char *key)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		if (strncmp(p, key, klen) == 0 && (p[klen] == '\0' || p[klen] == ' ' || p[klen] == '='))
			return p;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

bool cmdline_has(const char *key)
{
	return cmdline_find(key) != NULL;
}

const char *cmdline_value(const char *key, char *buf, size_t n)
{
	const char *p = cmdline_find(key);
	size_t len = 0;

	if (!p || p[strlen(key)] != '=' || n == 0)
		return NULL;
	p += strlen(key) + 1;
	while (p[len] && p[len] != ' ')
		len++;
	if (len >= n)
		len = n - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

/* The value of one digit in base 16 (or more than 15 when c is not a hex digit). */
static unsigned cmdline_digit(char c)
{
	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (unsigned)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (unsigned)(c - 'A' + 10);
	return 99;
}

bool cmdline_parse_u64(const char *s, unsigned long long *out)
{
	unsigned base = 10, d;
	unsigned long long v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		d = cmdline_digit(*s);
		if (d >= base || v > (~0ULL - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}
