/*
 * prop.c - seeded property tests with replay and cross-architecture digests.
 *
 * Seeds: the base seed seeds a generator whose i-th output is the seed of
 * case i. A case seed alone rebuilds the case (its rng is seeded from it),
 * which is what makes "prop.replay=0x..." work without the base seed or the
 * iteration number.
 *
 * Digests: FNV-1a-64 (Fowler, Noll, Vo) over the bytes of each observed
 * value, taken low byte first so that little- and big-endian machines agree.
 * The run's digest chains the case digests the same way.
 */
#include <stdarg.h>
#include <stdbool.h>

#include <lib/fmt.h>
#include <lib/prop.h>
#include <lib/string.h>

#define PROP_FNV_OFFSET_BASIS 0xcbf29ce484222325ULL
#define PROP_FNV_PRIME 0x100000001b3ULL

/* The knobs below are set once, before tests run, from the command line or a test main. */
static uint64_t prop_base_seed = PROP_DEFAULT_SEED;
static bool prop_replaying;
static uint64_t prop_replay_seed;

/* Choose the base seed of later prop_check() runs. Call before running tests; not locked. */
void prop_set_seed(uint64_t base_seed)
{
	prop_base_seed = base_seed;
}

/* The base seed of later prop_check() runs. */
uint64_t prop_get_seed(void)
{
	return prop_base_seed;
}

/* Make later prop_check() runs execute only the case with this seed. Not locked. */
void prop_set_replay(uint64_t case_seed)
{
	prop_replaying = true;
	prop_replay_seed = case_seed;
}

/* Return true, with *case_seed, while runs replay one case. */
bool prop_replay_active(uint64_t *case_seed)
{
	*case_seed = prop_replay_seed;
	return prop_replaying;
}

/* Return to normal runs after prop_set_replay(). Not locked. */
void prop_clear_replay(void)
{
	prop_replaying = false;
}

/* One FNV-1a step per byte of value, low byte first. */
static uint64_t prop_fnv_u64(uint64_t hash, uint64_t value)
{
	for (int i = 0; i < 8; i++) {
		hash ^= (value >> (8 * i)) & 0xff;
		hash *= PROP_FNV_PRIME;
	}
	return hash;
}

/* Fold an observable result into the case digest (FNV-1a over its 8 bytes, low byte first). */
void prop_observe(struct prop_case *c, uint64_t value)
{
	c->digest = prop_fnv_u64(c->digest, value);
}

/* Format a failure message into c->failure (truncated to fit) and return 1. */
int prop_fail(struct prop_case *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->failure, sizeof(c->failure), fmt, ap);
	va_end(ap);
	return 1;
}

/* Build case number iteration from its seed and run the property on it; returns fn's verdict. */
static int prop_run_case(struct prop_case *c, uint64_t seed, unsigned iteration,
			 int (*fn)(struct prop_case *c, void *arg), void *arg)
{
	prng_seed(&c->rng, seed);
	c->seed = seed;
	c->digest = PROP_FNV_OFFSET_BASIS;
	c->iteration = iteration;
	c->failure[0] = '\0';
	return fn(c, arg) != 0;
}

static void prop_report_failure(struct tap *t, const char *name, const struct prop_case *c)
{
	tap_diag(t, "prop %s: FAILED at iteration %u, case seed 0x%016llx: %s", name,
		 c->iteration, (unsigned long long)c->seed,
		 c->failure[0] != '\0' ? c->failure : "(no message)");
	tap_diag(t, "replay: prop.replay=0x%016llx", (unsigned long long)c->seed);
}

/*
 * Run up to iterations cases, stopping at the first failure, and leave the
 * last case run in *c. Case seeds come from the base seed's generator, or
 * are the replay seed in a replay (the caller then asks for one case).
 * Returns 1 if a case failed, else 0; *digest chains every case run.
 */
static int prop_run_cases(struct prop_case *c, unsigned iterations, uint64_t *digest,
			  int (*fn)(struct prop_case *c, void *arg), void *arg)
{
	struct prng seeds;
	int failed = 0;

	prng_seed(&seeds, prop_base_seed);
	*digest = PROP_FNV_OFFSET_BASIS;
	for (unsigned i = 0; i < iterations && !failed; i++) {
		uint64_t seed = prop_replaying ? prop_replay_seed : prng_next(&seeds);
		failed = prop_run_case(c, seed, i, fn, arg);
		*digest = prop_fnv_u64(*digest, c->digest);
	}
	return failed;
}

/*
 * Run fn(c, arg) for iterations cases (or just the replayed case) and report
 * the seed, the first failure with its replay line, and the digest as TAP
 * diagnostics. Returns 0 if every case passed, 1 if one failed.
 */
int prop_check(struct tap *t, const char *name, unsigned iterations,
	       int (*fn)(struct prop_case *c, void *arg), void *arg)
{
	struct prop_case c;
	uint64_t digest;

	if (prop_replaying) {
		iterations = 1;
		tap_diag(t, "prop %s: replaying case seed 0x%016llx", name,
			 (unsigned long long)prop_replay_seed);
	} else {
		tap_diag(t, "prop %s: base seed 0x%016llx, %u iterations", name,
			 (unsigned long long)prop_base_seed, iterations);
	}
	int failed = prop_run_cases(&c, iterations, &digest, fn, arg);
	if (failed)
		prop_report_failure(t, name, &c);
	tap_diag(t, "prop %s: digest 0x%016llx", name, (unsigned long long)digest);
	return failed;
}

/*
 * Shrink items[0..n) to a shorter sequence that still fails (lib/prop.h): for chunk sizes
 * n/2, n/4, ... 1, try the sequence without each run of chunk items in turn, and keep the
 * shorter one whenever it still fails. A greedy search, not the shortest possible case,
 * but it ends after O(n log n) runs of the property and usually leaves a handful of items.
 */
size_t prop_shrink(void *items, size_t n, size_t size, void *scratch,
		   bool (*fails)(const void *items, size_t n, void *arg), void *arg)
{
	unsigned char *all = items, *try = scratch;

	for (size_t chunk = n / 2 > 0 ? n / 2 : 1; chunk > 0 && n > 0; chunk /= 2) {
		for (size_t at = 0; at + chunk <= n;) {
			memcpy(try, all, at * size);
			memcpy(try + at * size, all + (at + chunk) * size, (n - at - chunk) * size);
			if (fails(try, n - chunk, arg)) {
				n -= chunk;
				memcpy(all, try, n * size);
			} else {
				at += chunk;
			}
		}
	}
	return n;
}
