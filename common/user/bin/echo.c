/* echo: print the arguments, separated by single spaces, and a newline.
 *
 *   echo [-n] [ARG...]      -n: no newline at the end
 *
 * The whole line goes out in one write. That matters beyond speed: written to an IPC
 * channel (stage 4), where each write is one message, `echo hello world > /ipc/c` must
 * send one message "hello world\n", not three. */
#include <stdbool.h>
#include <uapi/errno.h>
#include <ulib/error.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>

/* The bytes the line of args[0..n) needs: each argument, a separator after each, and the
 * NUL that ends the last one when there is no newline. */
static size_t echo_length(char **args, int n)
{
	size_t len = 1;
	int i;

	for (i = 0; i < n; i++)
		len += strlen(args[i]) + 1;
	return len;
}

/* Join args[0..n) with spaces into line, ending it with a newline when newline is true.
 * Returns the length of the line. */
static size_t echo_join(char *line, char **args, int n, bool newline)
{
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			line[len++] = ' ';
		memcpy(line + len, args[i], strlen(args[i]));
		len += strlen(args[i]);
	}
	if (newline)
		line[len++] = '\n';
	return len;
}

int main(int argc, char **argv)
{
	bool newline = !(argc > 1 && strcmp(argv[1], "-n") == 0);
	char **args = argv + (newline ? 1 : 2);
	int n = argc - (newline ? 1 : 2);
	char *line = malloc(echo_length(args, n));
	long err;

	if (!line) {
		uerror("echo", NULL, -ENOMEM);
		return 1;
	}
	err = stdio_write_all(1, line, echo_join(line, args, n, newline));
	free(line);
	if (err) {
		uerror("echo", "write error", (int)err);
		return 1;
	}
	return 0;
}
