/*
 * lib/prop.h - property tests: one property, many seeded random cases.
 *
 * A property is a function that builds a random case from c->rng, runs the
 * code under test and checks an invariant. prop_check() runs it for many
 * iterations, each with its own case seed, and reports through TAP:
 *
 *	# prop chan_fifo: base seed 0x5eedc0de5eedc0de, 200 iterations
 *	# prop chan_fifo: FAILED at iteration 17, case seed 0x...: read 3, want 4
 *	# replay: prop.replay=0x...
 *	# prop chan_fifo: digest 0x...
 *
 * Replaying runs the one failing case from its case seed alone, so a
 * property must take every random choice from c->rng (c->iteration is for
 * messages only; it is 0 in a replay). The digest folds together what each
 * case passed to prop_observe(): the same seed must give the same digest on
 * x86_64, arm64 and riscv64, or the architectures disagree somewhere.
 */
#ifndef LIB_PROP_H
#define LIB_PROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lib/prng.h>
#include <lib/tap.h>

/* The base seed used until prop_set_seed() chooses another, so runs repeat. */
#define PROP_DEFAULT_SEED 0x5eedc0de5eedc0deULL

/* One case of a property: its generator, identity, observations and verdict. */
struct prop_case {
	struct prng rng;	/* seeded from seed; the only source of randomness */
	uint64_t seed;		/* this case's seed: replays it exactly */
	uint64_t digest;	/* FNV-1a-64 of every prop_observe()d value */
	unsigned iteration;	/* index within this run; 0 in a replay */
	char failure[160];	/* set by prop_fail(); empty while passing */
};

/*
 * Run fn(c, arg) for iterations cases and print the seed, the first failure
 * (with the line that replays it) and the run's digest as TAP diagnostics.
 * fn returns 0 if the property held. Case seeds are derived from the base
 * seed, so a run is reproducible. Returns 0 if every case passed, 1 if one
 * failed (the run stops there). The caller reports the TAP result itself,
 * e.g. tap_result(t, prop_check(t, "name", 100, fn, NULL) == 0, "name").
 */
int prop_check(struct tap *t, const char *name, unsigned iterations,
	       int (*fn)(struct prop_case *c, void *arg), void *arg);

/* Format a failure message into c->failure (truncated to fit) and return 1. */
int prop_fail(struct prop_case *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fold an observable result into the case digest (FNV-1a over its 8 bytes, low byte first). */
void prop_observe(struct prop_case *c, uint64_t value);

/*
 * Shrink a failing case: items[0..n), each size bytes, is a sequence for which
 * fails(items, n, arg) returns true. Try dropping runs of n/2, n/4, ... 1
 * items, keeping each drop after which it still fails; the kept items stay in
 * order at the front. scratch must hold n * size bytes. Returns the new length.
 * fails must be deterministic: the property's random choices belong in the
 * items, not in a generator it consults while running.
 */
size_t prop_shrink(void *items, size_t n, size_t size, void *scratch,
		   bool (*fails)(const void *items, size_t n, void *arg), void *arg);

/* Choose the base seed of later prop_check() runs. Call before running tests; not locked. */
void prop_set_seed(uint64_t base_seed);

/* The base seed of later prop_check() runs (to hand on to a helper process). */
uint64_t prop_get_seed(void);

/* Make later prop_check() runs execute only the case with this seed. Not locked. */
void prop_set_replay(uint64_t case_seed);

/* True while later runs replay one case (prop_set_replay), with *case_seed set to it. */
bool prop_replay_active(uint64_t *case_seed);

/* Return to normal runs after prop_set_replay(). Not locked. */
void prop_clear_replay(void);

#endif /* LIB_PROP_H */
