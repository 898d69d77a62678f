/*
 * test-string.c - host tests of the freestanding string functions
 * (common/lib/string.c), built renamed (memcpy is kmemcpy here, see
 * Makefile.am) so that these calls reach the kernel's code, not libc's.
 *
 * memcpy and memset have a word fast path for large aligned buffers and a
 * byte path for everything else; the tests below drive both, and check that
 * not one byte outside the destination range changes.
 */
#include <stddef.h>
#include <stdint.h>

#include <lib/string.h>

#include "host_test.h"

/* Big enough for several fast-path words plus a guard area on each side. */
#define AREA 256

/* The value pattern_fill() stores at index i, different for neighbouring bytes. */
static unsigned char pattern_byte(size_t i, unsigned salt)
{
	return (unsigned char)(i * 7 + salt);
}

static void pattern_fill(unsigned char *p, size_t n, unsigned salt)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pattern_byte(i, salt);
}

/*
 * Copy n bytes with memcpy into dst + offset and check every byte of dst:
 * the copied range equals the source, everything else kept its pattern.
 */
static bool check_memcpy(size_t dst_offset, size_t src_offset, size_t n)
{
	_Alignas(8) unsigned char src[AREA];
	_Alignas(8) unsigned char dst[AREA];
	bool ok = true;

	pattern_fill(src, AREA, 1);
	pattern_fill(dst, AREA, 100);
	CHECK_TRUE(memcpy(dst + dst_offset, src + src_offset, n) == dst + dst_offset);
	for (size_t i = 0; i < AREA && ok; i++) {
		bool inside = i >= dst_offset && i < dst_offset + n;
		unsigned char want = inside ? src[src_offset + i - dst_offset] : pattern_byte(i, 100);

		ok = CHECK_EQ_INT(dst[i], want);
	}
	if (!ok)
		host_diag("memcpy(dst + %zu, src + %zu, %zu)", dst_offset, src_offset, n);
	return ok;
}

HOST_TEST(memcpy_word_path_aligned)
{
	check_memcpy(8, 0, 200);
	check_memcpy(16, 64, 32);
	check_memcpy(0, 0, 203);
}

HOST_TEST(memcpy_byte_path)
{
	check_memcpy(1, 0, 200);
	check_memcpy(8, 3, 100);
	check_memcpy(5, 5, 64);
	check_memcpy(8, 8, 31);
	check_memcpy(8, 8, 0);
	check_memcpy(9, 8, 1);
}

/* Fill n bytes at offset with memset and check every byte of the area. */
static bool check_memset(size_t offset, size_t n, int c)
{
	_Alignas(8) unsigned char area[AREA];
	bool ok = true;

	pattern_fill(area, AREA, 9);
	CHECK_TRUE(memset(area + offset, c, n) == area + offset);
	for (size_t i = 0; i < AREA && ok; i++) {
		bool inside = i >= offset && i < offset + n;

		ok = CHECK_EQ_INT(area[i], inside ? (unsigned char)c : pattern_byte(i, 9));
	}
	if (!ok)
		host_diag("memset(area + %zu, %d, %zu)", offset, c, n);
	return ok;
}

HOST_TEST(memset_both_paths)
{
	check_memset(8, 200, 0xa5);
	check_memset(0, 256, 0);
	check_memset(16, 33, 0x100 + 0x7f);
	check_memset(3, 100, 0xff);
	check_memset(8, 31, 'x');
	check_memset(8, 0, 'x');
}

/* memmove between two ranges of one buffer, compared with a copy made by hand. */
static void check_memmove(size_t dst, size_t src, size_t n)
{
	unsigned char area[64];
	unsigned char want[64];

	pattern_fill(area, sizeof(area), 3);
	pattern_fill(want, sizeof(want), 3);
	for (size_t i = 0; i < n; i++)
		want[dst + i] = pattern_byte(src + i, 3);
	CHECK_TRUE(memmove(area + dst, area + src, n) == area + dst);
	if (!CHECK_TRUE(memcmp(area, want, sizeof(area)) == 0))
		host_diag("memmove(area + %zu, area + %zu, %zu)", dst, src, n);
}

HOST_TEST(memmove_overlapping_both_directions)
{
	check_memmove(4, 0, 40);
	check_memmove(0, 4, 40);
	check_memmove(1, 0, 63);
	check_memmove(0, 1, 63);
	check_memmove(10, 10, 20);
	check_memmove(40, 0, 20);
	check_memmove(0, 0, 0);
}

HOST_TEST(memcmp_orders_unsigned_bytes)
{
	CHECK_EQ_INT(memcmp("abc", "abc", 3), 0);
	CHECK_TRUE(memcmp("abc", "abd", 3) < 0);
	CHECK_TRUE(memcmp("abd", "abc", 3) > 0);
	CHECK_TRUE(memcmp("\x80", "\x01", 1) > 0);
	CHECK_EQ_INT(memcmp("abX", "abY", 2), 0);
	CHECK_EQ_INT(memcmp("a", "b", 0), 0);
	CHECK_TRUE(memcmp("a\0b", "a\0c", 3) < 0);
}

HOST_TEST(strlen_and_strnlen)
{
	static const char unterminated[3] = { 'a', 'b', 'c' };

	CHECK_EQ_INT(strlen(""), 0);
	CHECK_EQ_INT(strlen("hello"), 5);
	CHECK_EQ_INT(strlen("ab\0cd"), 2);
	CHECK_EQ_INT(strnlen("hello", 3), 3);
	CHECK_EQ_INT(strnlen("hello", 10), 5);
	CHECK_EQ_INT(strnlen("hello", 0), 0);
	CHECK_EQ_INT(strnlen(unterminated, sizeof(unterminated)), 3);
}

HOST_TEST(strcmp_and_strncmp)
{
	CHECK_EQ_INT(strcmp("", ""), 0);
	CHECK_EQ_INT(strcmp("kfs", "kfs"), 0);
	CHECK_TRUE(strcmp("abc", "abd") < 0);
	CHECK_TRUE(strcmp("abc", "ab") > 0);
	CHECK_TRUE(strcmp("ab", "abc") < 0);
	CHECK_TRUE(strcmp("\x80", "a") > 0);
	CHECK_EQ_INT(strncmp("chan_open", "chan_read", 5), 0);
	CHECK_TRUE(strncmp("chan_open", "chan_read", 6) < 0);
	CHECK_EQ_INT(strncmp("abc", "xyz", 0), 0);
	CHECK_EQ_INT(strncmp("ab", "ab", 100), 0);
	CHECK_TRUE(strncmp("ab", "abc", 3) < 0);
	CHECK_EQ_INT(strncmp("ab\0x", "ab\0y", 4), 0);
}

HOST_TEST(strchr_and_strrchr)
{
	const char *path = "/dev/chan/ipc";

	CHECK_TRUE(strchr(path, '/') == path);
	CHECK_TRUE(strrchr(path, '/') == path + 9);
	CHECK_TRUE(strchr(path, 'c') == path + 5);
	CHECK_TRUE(strrchr(path, 'c') == path + 12);
	CHECK_TRUE(strchr(path, 'z') == NULL);
	CHECK_TRUE(strrchr(path, 'z') == NULL);
	CHECK_TRUE(strchr(path, '\0') == path + 13);
	CHECK_TRUE(strrchr(path, '\0') == path + 13);
	CHECK_TRUE(strchr("a\xff", 0x1ff) != NULL);
}

HOST_TEST(strlcpy_truncates_and_terminates)
{
	char buf[8];

	memset(buf, '@', sizeof(buf));
	CHECK_EQ_INT(strlcpy(buf, "hello", sizeof(buf)), 5);
	CHECK_EQ_STR(buf, "hello");
	CHECK_EQ_INT(buf[6], '@');

	CHECK_EQ_INT(strlcpy(buf, "truncated!", sizeof(buf)), 10);
	CHECK_EQ_STR(buf, "truncat");

	CHECK_EQ_INT(strlcpy(buf, "1234567", sizeof(buf)), 7);
	CHECK_EQ_STR(buf, "1234567");

	memset(buf, '@', sizeof(buf));
	CHECK_EQ_INT(strlcpy(buf, "abc", 1), 3);
	CHECK_EQ_INT(buf[0], '\0');
	CHECK_EQ_INT(buf[1], '@');

	CHECK_EQ_INT(strlcpy(buf, "abc", 0), 3);
	CHECK_EQ_INT(buf[0], '\0');
	CHECK_EQ_INT(strlcpy(NULL, "xyz", 0), 3);
}

HOST_TEST(str_starts_with_prefixes)
{
	CHECK_TRUE(str_starts_with("prop.replay=0x1", "prop.replay="));
	CHECK_TRUE(str_starts_with("abc", "abc"));
	CHECK_TRUE(str_starts_with("abc", ""));
	CHECK_TRUE(str_starts_with("", ""));
	CHECK_TRUE(!str_starts_with("ab", "abc"));
	CHECK_TRUE(!str_starts_with("", "a"));
	CHECK_TRUE(!str_starts_with("prop.seed=1", "prop.replay="));
	CHECK_EQ_INT(str_starts_with("abc", "ab"), 1);
	CHECK_EQ_INT(str_starts_with("abc", "b"), 0);
}

HOST_TEST(strstr_finds_first_occurrence)
{
	const char *line = "# replay: prop.replay=0x1f prop.replay=0x2f";
	const char *overlap = "aaab";

	CHECK_TRUE(strstr(line, "prop.replay=") == line + 10);
	CHECK_TRUE(strstr(line, "0x2f") == line + 39);
	CHECK_TRUE(strstr(line, "#") == line);
	CHECK_TRUE(strstr(line, "") == line);
	CHECK_TRUE(strstr("", "") != NULL);
	CHECK_TRUE(strstr("", "a") == NULL);
	CHECK_TRUE(strstr(overlap, "aab") == overlap + 1);
	CHECK_TRUE(strstr(overlap, "b") == overlap + 3);
	CHECK_TRUE(strstr(overlap, "aaabc") == NULL);
	CHECK_TRUE(strstr("prop.replay", "replay=") == NULL);
}
