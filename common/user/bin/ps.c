/* ps: list the processes, from the kernel's /kfs/procs.
 *
 *   ps
 *
 * The kernel describes its processes as text (common/kernel/kfsstat.c): a header line
 * "pid ppid uid gid state threads name", then one line per process, fields separated by
 * single spaces. ps only lines the columns up:
 *
 *     PID  PPID   UID   GID STATE  THREADS NAME
 *       1     0     0     0 live         1 init
 *
 * A zombie is a process that has ended but whose parent has not yet wait()ed for it. If
 * the header is not the one above (the kernel changed the format), ps prints the file as
 * it is rather than guess. */
#include <stdbool.h>
#include <ulib/error.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define PS_FILE "/kfs/procs"
#define PS_FILE_MAX 16384       /* the kernel cuts a /kfs file there (TEXTFILE_MAX) */
#define PS_FIELDS 7
#define PS_HEADER "pid ppid uid gid state threads name"

/* Read the whole of PS_FILE into buf[PS_FILE_MAX + 1] as a string. Returns its length or
 * a negated errno. */
static long ps_read(char *buf)
{
	long n = 0, len = 0;
	int fd = sys_open(PS_FILE, O_RDONLY, 0);

	if (fd < 0)
		return fd;
	while (len < PS_FILE_MAX && (n = sys_read(fd, buf + len, PS_FILE_MAX - (size_t)len)) > 0)
		len += n;
	sys_close(fd);
	if (n < 0)
		return n;
	buf[len] = '\0';
	return len;
}

/* Cut line into its space-separated fields. Returns true if it has exactly PS_FIELDS. */
static bool ps_split(char *line, char *field[PS_FIELDS])
{
	int n = 0;
	char *p = line;

	while (*p != '\0') {
		if (n == PS_FIELDS)
			return false;
		field[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n == PS_FIELDS;
}

/* Print one line of the table: a process, or with upper set the header. A line that does
 * not have the expected fields is printed as it is. */
static void ps_line(char *line, bool upper)
{
	char *f[PS_FIELDS], *p;

	if (upper)
		for (p = line; *p != '\0'; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
	if (!ps_split(line, f)) {
		printf("%s\n", line);
		return;
	}
	printf("%5s %5s %5s %5s %-6s %7s %s\n", f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
}

int main(void)
{
	static char buf[PS_FILE_MAX + 1];
	long len = ps_read(buf);
	char *line, *nl, *next;

	if (len < 0) {
		uerror("ps", PS_FILE, (int)len);
		return 1;
	}
	if (!str_starts_with(buf, PS_HEADER "\n")) {
		printf("%s", buf);
		return 0;
	}
	for (line = buf; *line != '\0'; line = next) {
		nl = strchr(line, '\n');
		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		ps_line(line, line == buf);
	}
	return 0;
}
