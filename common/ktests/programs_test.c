/* programs_test.c: the embedded program table (kernel/programs.h) holds every UPROGS
 * program, sorted by name, each an ELF image, and program_find takes "/bin/NAME" or NAME. */
#include <stdint.h>
#include <kernel/ktest.h>
#include <kernel/programs.h>
#include <lib/string.h>

KTEST(programs_table_sorted_elf_images)
{
	size_t i, count;
	const struct program *t = program_table(&count);

	KTEST_ASSERT(count >= 2);
	for (i = 0; i < count; i++) {
		KTEST_EXPECT(t[i].size > 4 && memcmp(t[i].image, "\177ELF", 4) == 0);
		KTEST_EXPECT((uintptr_t)t[i].image % 16 == 0);
		if (i > 0)
			KTEST_EXPECT(strcmp(t[i - 1].name, t[i].name) < 0);
	}
}

KTEST(programs_find_by_name_or_bin_path)
{
	const struct program *p = program_find("/bin/true");

	KTEST_ASSERT(p != NULL);
	KTEST_EXPECT_STREQ(p->name, "true");
	KTEST_EXPECT(program_find("true") == p);
	KTEST_EXPECT(program_find("/bin/") == NULL);
	KTEST_EXPECT(program_find("tru") == NULL);
	KTEST_EXPECT(program_find("/bin/true/") == NULL);
	KTEST_EXPECT(program_find("/sbin/true") == NULL);
}
