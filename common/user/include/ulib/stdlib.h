/* ulib/stdlib.h: memory allocation, ending the program, and number parsing. */
#ifndef ULIB_STDLIB_H
#define ULIB_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define EXIT_ABORTED 134   /* abort()'s status, as a shell shows it: 128 + SIGABRT's 6 */

/* Allocate n bytes aligned to 16, not initialised. Returns NULL when out of memory (or for
 * an absurd n). malloc(0) returns a unique pointer that free() accepts. Thread-safe. The
 * allocator's design and limits are described in common/user/lib/malloc.c. */
void *malloc(size_t n);

/* Give back a block from malloc, calloc or realloc; NULL is ignored. Freeing anything else,
 * or a block twice, ends the program through abort() with a message on fd 2. */
void free(void *p);

/* Allocate an array of n elements of size bytes, zero-filled. Returns NULL when out of
 * memory or when n * size overflows. */
void *calloc(size_t n, size_t size);

/* Resize block p to n bytes, keeping its contents up to the smaller size; the block may
 * move. realloc(NULL, n) is malloc(n); realloc(p, 0) frees p and returns NULL. When out of
 * memory, returns NULL and p stays valid. */
void *realloc(void *p, size_t n);

/* Write out buffered stdout, then end the process with status. Never returns. */
__attribute__((noreturn)) void exit(int status);

/* Write out buffered stdout, then end the process with EXIT_ABORTED: for broken
 * invariants. Never returns. */
__attribute__((noreturn)) void abort(void);

/* C strtol/strtoul: skip white space, read an optional sign and the digits of base (2..36;
 * 0 reads a 0x prefix as 16, a leading 0 as 8, else 10) and set *end (unless end is NULL)
 * after the last digit used, or to s when there is none. Out-of-range values are clamped
 * to LONG_MIN/LONG_MAX (strtol) or ULONG_MAX (strtoul); there is no errno to report it. */
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);

/* strtol(s, NULL, 10) as an int. */
int atoi(const char *s);

#endif
