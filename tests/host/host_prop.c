/*
 * host_prop.c - a property as one host test (host_prop.h).
 */
#include <stdlib.h>

#include <lib/prop.h>
#include <lib/tap.h>

#include "host_prop.h"
#include "host_test.h"

bool host_prop(const char *name, unsigned iterations,
	       int (*fn)(struct prop_case *c, void *arg), void *arg)
{
	const char *replay = getenv("PROP_REPLAY");
	struct tap t;
	int failed;

	if (replay != NULL)
		prop_set_replay(strtoull(replay, NULL, 0));
	/* the property's diagnostics continue this program's stream, which counts the tests */
	tap_continue(&t, host_write, NULL);
	failed = prop_check(&t, name, iterations, fn, arg);
	prop_clear_replay();
	return failed == 0;
}
