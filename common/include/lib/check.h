/* check.h: the comparisons behind the test assertions of the kernel (KTEST_EXPECT_EQ,
 * kernel/ktest.h) and of user programs (UTEST_EXPECT_EQ, ulib/utest.h), written once. Each
 * returns whether the check holds; when it does not, it writes the failure message
 * ("expected a == b: got 1 (0x1) and 2 (0x2)") into msg, which the caller reports. */
#ifndef LIB_CHECK_H
#define LIB_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#define CHECK_MSG_MAX 256

/* Integers a and b (the expressions ea and eb, as written in the test) are equal. */
bool check_eq(long long a, long long b, const char *ea, const char *eb, char *msg, size_t n);

/* Strings a and b are equal (a NULL never equals anything). */
bool check_streq(const char *a, const char *b, const char *ea, const char *eb, char *msg,
		 size_t n);

#endif
