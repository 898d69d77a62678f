/* chanstat.c: reading the kernel's table of channels (ulib/chanstat.h). */
#include <uapi/errno.h>
#include <ulib/chanstat.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>

long chanstat_read(char *buf)
{
	return stdio_read_file(CHANSTAT_PATH, buf, CHANSTAT_MAX + 1);
}

/* The start of field i (from 0) of the line at p, or NULL when the line is shorter. */
static const char *chanstat_skip(const char *p, int i)
{
	for (; i > 0; i--) {
		while (*p != ' ' && *p != '\n' && *p != '\0')
			p++;
		if (*p != ' ')
			return NULL;
		p++;
	}
	return p;
}

/* The number of the header's column called name, or -1. */
static int chanstat_column(const char *table, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (int i = 0; (p = chanstat_skip(table, i)) != NULL; i++) {
		if (strncmp(p, name, len) == 0 && (p[len] == ' ' || p[len] == '\n'))
			return i;
	}
	return -1;
}

int chanstat_field(const char *table, const char *path, const char *column,
		   unsigned long long *out)
{
	int col = chanstat_column(table, column);
	size_t len = strlen(path);
	const char *line = table;

	while ((line = strchr(line, '\n')) != NULL && !(strncmp(++line, path, len) == 0 &&
							line[len] == ' '))
		;
	if (col < 0 || line == NULL || (line = chanstat_skip(line, col)) == NULL)
		return -ENOENT;
	*out = strtoul(line, NULL, 0);
	return 0;
}

long long chanstat_summary(const char *key)
{
	static char buf[CHANSTAT_MAX + 1];
	size_t len = strlen(key);
	char *line, *nl;

	if (stdio_read_file(CHANSTAT_SUMMARY, buf, sizeof buf) < 0)
		return -1;
	for (line = buf; (nl = strchr(line, '\n')) != NULL; line = nl + 1)
		if (strncmp(line, key, len) == 0 && line[len] == ' ')
			return (long long)strtoul(line + len + 1, NULL, 10);
	return -1;
}
