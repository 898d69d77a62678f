/* programs.h: the user programs built into the kernel image (no disk needed).
 *
 * mk/kernel.mk builds every program of common/user/ (and of later layers) for the kernel's
 * architecture and links their ELF files into the image, with a table of names. */
#ifndef KERNEL_PROGRAMS_H
#define KERNEL_PROGRAMS_H

#include <stddef.h>

struct program {
	const char *name;              /* "sh", "ls", ... */
	const unsigned char *image;    /* the ELF file */
	size_t size;
};

/* The program called name (a leading "/bin/" is ignored), or NULL. */
const struct program *program_find(const char *name);

/* The whole table, for listing /bin. */
const struct program *program_table(size_t *count);

/* The data files of /etc (the layers' UFILES), in the same shape: name, bytes, size. */
const struct program *etc_table(size_t *count);

#endif
