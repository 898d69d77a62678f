/*
 * string.c - memory and string functions for freestanding code.
 *
 * Plain byte loops, except that memcpy and memset move aligned 8-byte words
 * when the buffers are large and aligned: that is where a kernel spends its
 * copying time (page tables, message buffers, struct copies).
 *
 * Build note: with builtins enabled, GCC at -O2 recognises a copy or fill
 * loop and replaces it with a call to memcpy or memset: inside those very
 * functions that recursion never ends, and in a host test it would quietly
 * test libc instead of this file. -ffreestanding (the kernel) and
 * -fno-builtin (tests/host) turn that off; keep one of them for this file.
 */
#include <stdbool.h>
#include <stdint.h>

#include <lib/string.h>

/*
 * The unit of the fast paths. may_alias tells the compiler that a word
 * access may read or write bytes of any type, which keeps the word loops
 * correct under the strict aliasing rules even where they are enabled.
 */
typedef uint64_t __attribute__((__may_alias__)) mem_word;

#define MEM_WORD_SIZE sizeof(mem_word)

/* Below this size the byte loop is as fast as setting up the word loop. */
#define MEM_WORD_MIN (4 * MEM_WORD_SIZE)

static bool mem_word_aligned(const void *p)
{
	return ((uintptr_t)p & (MEM_WORD_SIZE - 1)) == 0;
}

/* Fast path of memcpy: copy the whole words of n; return the bytes copied. */
static size_t mem_copy_words(void *dst, const void *src, size_t n)
{
	mem_word *d = dst;
	const mem_word *s = src;
	size_t words = n / MEM_WORD_SIZE;

	for (size_t i = 0; i < words; i++)
		d[i] = s[i];
	return words * MEM_WORD_SIZE;
}

/* Fast path of memset: fill the whole words of n; return the bytes filled. */
static size_t mem_set_words(void *dst, unsigned char byte, size_t n)
{
	mem_word *d = dst;
	mem_word pattern = byte * (mem_word)0x0101010101010101ULL;
	size_t words = n / MEM_WORD_SIZE;

	for (size_t i = 0; i < words; i++)
		d[i] = pattern;
	return words * MEM_WORD_SIZE;
}

/* Copy n bytes from src to dst, which must not overlap. Returns dst. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	size_t done = 0;

	if (n >= MEM_WORD_MIN && mem_word_aligned(d) && mem_word_aligned(s))
		done = mem_copy_words(d, s, n);
	for (; done < n; done++)
		d[done] = s[done];
	return dst;
}

/*
 * Copy n bytes from src to dst; the two may overlap. When dst lies above
 * src, copying front to back would overwrite source bytes before they are
 * read, so that case copies back to front. The addresses are compared as
 * integers: comparing pointers into different objects with '<' is undefined.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if ((uintptr_t)d <= (uintptr_t)s) {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		for (size_t i = n; i > 0; i--)
			d[i - 1] = s[i - 1];
	}
	return dst;
}

/* Set n bytes at dst to the byte value c. Returns dst. */
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	size_t done = 0;

	if (n >= MEM_WORD_MIN && mem_word_aligned(d))
		done = mem_set_words(d, (unsigned char)c, n);
	for (; done < n; done++)
		d[done] = (unsigned char)c;
	return dst;
}

/* Compare n bytes as unsigned chars; returns <0, 0 or >0 at the first difference. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] - y[i];
	}
	return 0;
}

/* Return the number of bytes in s before its terminating NUL. */
size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0')
		n++;
	return n;
}

/* Like strlen, but read at most max bytes of s; returns at most max. */
size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

/*
 * Compare two strings as unsigned chars (C11 7.24.4: "interpreted as
 * unsigned char"), so "\x80" sorts after "a" whatever the signedness of char.
 */
int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

/* Like strcmp, but compare at most n bytes; n == 0 compares equal. */
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i] || x[i] == '\0')
			return x[i] - y[i];
	}
	return 0;
}

/* Return the first byte of s equal to (char)c, or NULL; the NUL is part of s. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

/* Return the last byte of s equal to (char)c, or NULL; the NUL is part of s. */
char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

/*
 * Copy src into dst[size], truncating if needed, and NUL-terminate when
 * size > 0. Returns strlen(src), so the caller detects truncation with
 * "if (strlcpy(dst, src, size) >= size)".
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* Return 1 if s begins with prefix (every string begins with ""), else 0. */
int str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Return the first occurrence of needle in haystack, or NULL; "" is found at once. */
char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	return n == 0 ? (char *)haystack : NULL;
}
