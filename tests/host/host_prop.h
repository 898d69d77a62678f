/*
 * host_prop.h - a property (lib/prop.h) as one host test.
 */
#ifndef HOST_PROP_H
#define HOST_PROP_H

#include <stdbool.h>

struct prop_case;

/*
 * Run prop_check() for iterations cases, its seed, failure and digest lines
 * written as diagnostics of this program's TAP stream. With PROP_REPLAY=0x<case
 * seed> in the environment only that case runs. Returns true when every case
 * held.
 */
bool host_prop(const char *name, unsigned iterations,
	       int (*fn)(struct prop_case *c, void *arg), void *arg);

#endif /* HOST_PROP_H */
