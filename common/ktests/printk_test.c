/* printk_test.c: the printf engine as the kernel uses it: edge values, widths, padding.
 * printk and snprintf share lib/fmt.c, so checking snprintf's output checks printk's too;
 * the printk tests check what only printk adds (its return value through the console). */
#include <kernel/limits.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <lib/fmt.h>

/* Format into a test buffer and return it, for one-line comparisons. */
static char fmt_buf[96];
#define FMT(...) (snprintf(fmt_buf, sizeof fmt_buf, __VA_ARGS__), fmt_buf)

KTEST(printk_int_min_and_max)
{
	KTEST_EXPECT_STREQ(FMT("%d", INT_MIN), "-2147483648");
	KTEST_EXPECT_STREQ(FMT("%d", INT_MAX), "2147483647");
	KTEST_EXPECT_STREQ(FMT("%lld", LLONG_MIN), "-9223372036854775808");
	KTEST_EXPECT_STREQ(FMT("%i", -1), "-1");
}

KTEST(printk_zero)
{
	KTEST_EXPECT_STREQ(FMT("%d", 0), "0");
	KTEST_EXPECT_STREQ(FMT("%u", 0u), "0");
	KTEST_EXPECT_STREQ(FMT("%x", 0u), "0");
	KTEST_EXPECT_STREQ(FMT("%5d|", 0), "    0|");
}

KTEST(printk_unsigned_max)
{
	KTEST_EXPECT_STREQ(FMT("%lu", ULONG_MAX), "18446744073709551615");
	KTEST_EXPECT_STREQ(FMT("%lx", ULONG_MAX), "ffffffffffffffff");
	KTEST_EXPECT_STREQ(FMT("%u", UINT_MAX), "4294967295");
	KTEST_EXPECT_STREQ(FMT("%X", 0xabcdefu), "ABCDEF");
}

KTEST(printk_null_string)
{
	const char *volatile null = NULL; /* volatile: the compiler must not see the NULL */

	KTEST_EXPECT_STREQ(FMT("[%s]", null), "[(null)]");
	KTEST_EXPECT_STREQ(FMT("[%8s]", null), "[  (null)]");
}

KTEST(printk_pointer)
{
	KTEST_EXPECT_STREQ(FMT("%p", (void *)0xffffffff80001000UL), "0xffffffff80001000");
	KTEST_EXPECT_STREQ(FMT("%p", (void *)0), "0x0000000000000000");
}

KTEST(printk_width_and_zero_padding)
{
	KTEST_EXPECT_STREQ(FMT("%08x", 0xbeefu), "0000beef");
	KTEST_EXPECT_STREQ(FMT("%05d", -42), "-0042");
	KTEST_EXPECT_STREQ(FMT("%-6s|", "ab"), "ab    |");
	KTEST_EXPECT_STREQ(FMT("%6s|", "ab"), "    ab|");
	KTEST_EXPECT_STREQ(FMT("%*d|", 4, 7), "   7|");
	KTEST_EXPECT_STREQ(FMT("%.3s", "abcdef"), "abc");
}

KTEST(printk_char_and_percent)
{
	KTEST_EXPECT_STREQ(FMT("%c%c%%", 'o', 'k'), "ok%");
	KTEST_EXPECT_STREQ(FMT("100%%"), "100%");
}

KTEST(printk_snprintf_truncates_and_counts)
{
	char small[4];

	KTEST_EXPECT_EQ(snprintf(small, sizeof small, "%d", 123456), 6);
	KTEST_EXPECT_STREQ(small, "123");
	KTEST_EXPECT_EQ(snprintf(NULL, 0, "%s", "abc"), 3);
}

KTEST(printk_returns_characters_written)
{
	/* 15 + 11 + 4 + 1: "# printk_test: ", the number, " end", the newline */
	KTEST_EXPECT_EQ(printk("# printk_test: %d %s\n", INT_MIN, "end"), 31);
}
