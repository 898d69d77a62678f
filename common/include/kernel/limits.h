/* limits.h: integer limits for freestanding kernel code, from the compiler's own macros.
 * (GCC's <limits.h> wants the C library's when it is not built as a cross compiler.) */
#ifndef KERNEL_LIMITS_H
#define KERNEL_LIMITS_H

#define INT_MAX __INT_MAX__
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (INT_MAX * 2U + 1U)
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-LONG_MAX - 1L)
#define ULONG_MAX (LONG_MAX * 2UL + 1UL)
#define LLONG_MAX __LONG_LONG_MAX__
#define LLONG_MIN (-LLONG_MAX - 1LL)
#define ULLONG_MAX (LLONG_MAX * 2ULL + 1ULL)

#endif
