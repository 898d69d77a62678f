/* args.c: command-line helpers of the tools (ulib/args.h). */
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>

bool args_number(const char *s, int base, long min, long max, long *out)
{
	char *end;
	long v;

	/* strtol() would skip blanks and accept "" as 0: rule both out first. */
	if (*s == '\0' || *s == ' ' || *s == '\t')
		return false;
	v = strtol(s, &end, base);
	if (end == s || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

int args_each(int argc, char **argv, int first, const char *prog,
	      int (*op)(const char *word, void *arg), void *arg)
{
	int i, err, status = 0;

	for (i = first; i < argc; i++) {
		err = op(argv[i], arg);
		if (err < 0) {
			uerror(prog, argv[i], err);
			status = 1;
		}
	}
	return status;
}

void args_usage(const char *text)
{
	dprintf(2, "usage: %s\n", text);
	exit(2);
}
