/* cat: copy files, or the standard input, to the standard output.
 *
 *   cat [FILE...]       no FILE, or "-": read fd 0
 *
 * A file that cannot be opened or read gets one error line ("cat: /tmp/secret: Permission
 * denied") and cat goes on with the next; the exit status is 1 if any failed. */
#include <stdbool.h>
#include <ulib/error.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define CAT_CHUNK 512

/* Copy fd to fd 1 until the end of input. name is for error messages. Returns true on
 * success; a failed read or write has been reported. */
static bool cat_copy(int fd, const char *name)
{
	char buf[CAT_CHUNK];
	long n, err;

	while ((n = sys_read(fd, buf, sizeof buf)) > 0) {
		err = stdio_write_all(1, buf, (size_t)n);
		if (err) {
			uerror("cat", "write error", (int)err);
			return false;
		}
	}
	if (n < 0)
		uerror("cat", name, (int)n);
	return n == 0;
}

/* Copy the file at path (or fd 0 for "-"). Returns true on success. */
static bool cat_file(const char *path)
{
	bool ok;
	int fd;

	if (strcmp(path, "-") == 0)
		return cat_copy(0, "standard input");
	fd = sys_open(path, O_RDONLY, 0);
	if (fd < 0) {
		uerror("cat", path, fd);
		return false;
	}
	ok = cat_copy(fd, path);
	sys_close(fd);
	return ok;
}

int main(int argc, char **argv)
{
	bool ok = true;
	int i;

	if (argc == 1)
		return cat_file("-") ? 0 : 1;
	for (i = 1; i < argc; i++)
		ok = cat_file(argv[i]) && ok;
	return ok ? 0 : 1;
}
