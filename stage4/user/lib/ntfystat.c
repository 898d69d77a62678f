/* ntfystat.c: reading the kernel's table of notification endpoints (ulib/ntfystat.h). */
#include <ulib/ntfystat.h>
#include <ulib/stdio.h>

long ntfystat_read(char *buf)
{
	return stdio_read_file(NTFYSTAT_PATH, buf, NTFYSTAT_MAX + 1);
}

/* A line is found by its first field, so the inode number is written as the kernel
 * writes it and looked up as chanstat_field looks up a channel's path. */
int ntfystat_field(const char *table, uint64_t ino, const char *column,
		   unsigned long long *out)
{
	char key[24];

	snprintf(key, sizeof key, "%llu", (unsigned long long)ino);
	return chanstat_field(table, key, column, out);
}
