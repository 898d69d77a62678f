/* cmdline_test.c: parsing `key` and `key=value` words from the kernel command line. */
#include <kernel/cmdline.h>
#include <kernel/ktest.h>

/* Run the checks against a made-up command line, then put the real one back. */
static const char *cmdline_saved;
static void cmdline_use(const char *s)
{
	cmdline_saved = cmdline_get();
	cmdline_set(s);
}

KTEST(cmdline_finds_words_and_values)
{
	char buf[16];

	cmdline_use("  ktest=trap_*  seed=0x2a quiet key=  ");
	KTEST_EXPECT(cmdline_has("ktest"));
	KTEST_EXPECT(cmdline_has("quiet"));
	KTEST_EXPECT(!cmdline_has("kte"));
	KTEST_EXPECT(!cmdline_has("trap_*"));
	KTEST_EXPECT_STREQ(cmdline_value("ktest", buf, sizeof buf), "trap_*");
	KTEST_EXPECT_STREQ(cmdline_value("seed", buf, sizeof buf), "0x2a");
	KTEST_EXPECT_STREQ(cmdline_value("key", buf, sizeof buf), "");
	KTEST_EXPECT(cmdline_value("quiet", buf, sizeof buf) == NULL);
	KTEST_EXPECT(cmdline_value("absent", buf, sizeof buf) == NULL);
	cmdline_set(cmdline_saved);
}

KTEST(cmdline_value_truncates_to_buffer)
{
	char buf[4];

	cmdline_use("name=abcdefgh");
	KTEST_EXPECT_STREQ(cmdline_value("name", buf, sizeof buf), "abc");
	cmdline_set(cmdline_saved);
}

KTEST(cmdline_parses_numbers)
{
	unsigned long long v = 0;

	KTEST_EXPECT(cmdline_parse_u64("42", &v) && v == 42);
	KTEST_EXPECT(cmdline_parse_u64("0x2A", &v) && v == 42);
	KTEST_EXPECT(cmdline_parse_u64("18446744073709551615", &v) && v == ~0ULL);
	KTEST_EXPECT(!cmdline_parse_u64("18446744073709551616", &v));
	KTEST_EXPECT(!cmdline_parse_u64("12x", &v));
	KTEST_EXPECT(!cmdline_parse_u64("0x", &v));
	KTEST_EXPECT(!cmdline_parse_u64("", &v));
}
