/*
 * lib/string.h - memory and string functions for freestanding code.
 *
 * The kernel has no libc, but the compiler still emits calls to memcpy,
 * memmove, memset and memcmp for struct copies and large initialisers, so
 * these four must exist with exactly their C names and meanings. The string
 * functions follow C11 too; strlcpy follows the BSDs.
 */
#ifndef LIB_STRING_H
#define LIB_STRING_H

#include <stddef.h>

/* Copy n bytes from src to dst, which must not overlap. Returns dst. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);

/* Copy n bytes from src to dst; the two may overlap. Returns dst. */
void *memmove(void *dst, const void *src, size_t n);

/* Set n bytes at dst to the byte value c. Returns dst. */
void *memset(void *dst, int c, size_t n);

/*
 * Compare n bytes as unsigned chars. Returns <0, 0 or >0 as a is less than,
 * equal to or greater than b at the first byte where they differ.
 */
int memcmp(const void *a, const void *b, size_t n);

/* Return the number of bytes in s before its terminating NUL. */
size_t strlen(const char *s);

/* Like strlen, but read at most max bytes of s; returns at most max. */
size_t strnlen(const char *s, size_t max);

/* Compare two NUL-terminated strings as unsigned chars; returns <0, 0 or >0. */
int strcmp(const char *a, const char *b);

/* Like strcmp, but compare at most n bytes; n == 0 compares equal. */
int strncmp(const char *a, const char *b, size_t n);

/*
 * Return a pointer to the first (strchr) or last (strrchr) byte of s equal
 * to (char)c, or NULL if there is none. The terminating NUL counts as part
 * of s, so searching for '\0' finds the end of the string.
 */
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/*
 * Copy src into dst[size] and always NUL-terminate when size > 0, truncating
 * if needed (BSD strlcpy). Returns strlen(src): a result >= size means the
 * copy was truncated.
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

/* Return 1 if s begins with prefix (every string begins with ""), else 0. */
int str_starts_with(const char *s, const char *prefix);

/* The first occurrence of needle in haystack, or NULL ("" is found at the start). */
char *strstr(const char *haystack, const char *needle);

#endif /* LIB_STRING_H */
