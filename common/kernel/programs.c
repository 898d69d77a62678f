/* programs.c: the user programs embedded in the kernel image (kernel/programs.h).
 *
 * The table itself is generated: mk/user.mk builds every program of UPROGS, and
 * mk/programs.awk writes obj-ARCH/programs.S, which .incbin's each ELF file and lays out
 * programs_embedded[] as { name, image, size } in .rodata, sorted by name. */
#include <stdint.h>
#include <kernel/programs.h>
#include <lib/string.h>

/* programs.S emits each entry as three .quad values: the struct must match that. */
_Static_assert(sizeof(struct program) == 3 * sizeof(uint64_t), "see mk/programs.awk");

extern const struct program programs_embedded[], etc_embedded[];
extern const size_t programs_embedded_count, etc_embedded_count;

const struct program *program_find(const char *name)
{
	size_t i;

	if (str_starts_with(name, "/bin/"))
		name += 5;
	for (i = 0; i < programs_embedded_count; i++)
		if (strcmp(programs_embedded[i].name, name) == 0)
			return &programs_embedded[i];
	return NULL;
}

const struct program *program_table(size_t *count)
{
	*count = programs_embedded_count;
	return programs_embedded;
}

const struct program *etc_table(size_t *count)
{
	*count = etc_embedded_count;
	return etc_embedded;
}
