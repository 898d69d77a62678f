/* sleep: wait for a while.
 *
 *   sleep N         N seconds
 *   sleep NNNms     NNN milliseconds (scripts and tests want less than a second)
 *
 * The kernel sleeps at least that long (SYS_sleep_ns), rounded up to its timer tick. */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define SLEEP_NS_PER_MS 1000000UL
#define SLEEP_MS_MAX (1000L * 1000 * 1000)     /* about eleven days: plenty */

/* Read the duration word names into *ns. Returns false when it is not a duration. */
static bool sleep_parse(char *word, unsigned long *ns)
{
	size_t len = strlen(word);
	unsigned long unit_ms = 1000;
	long n;

	if (len > 2 && strcmp(word + len - 2, "ms") == 0) {
		word[len - 2] = '\0';
		unit_ms = 1;
	}
	if (!args_number(word, 10, 0, SLEEP_MS_MAX / (long)unit_ms, &n))
		return false;
	*ns = (unsigned long)n * unit_ms * SLEEP_NS_PER_MS;
	return true;
}

int main(int argc, char **argv)
{
	unsigned long ns;

	if (argc != 2 || !sleep_parse(argv[1], &ns))
		args_usage("sleep SECONDS | sleep MILLISECONDSms");
	return sys_sleep_ns(ns) == 0 ? 0 : 1;
}
