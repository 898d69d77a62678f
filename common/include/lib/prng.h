/*
 * lib/prng.h - a small seeded pseudo-random number generator for tests.
 *
 * xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", 2018): fast, 256 bits of state, good statistical quality.
 * The same seed gives the same sequence on every architecture, which is what
 * lets a property test be replayed and compared across kernels. It is NOT
 * cryptographic: never use it for anything an attacker may want to predict.
 */
#ifndef LIB_PRNG_H
#define LIB_PRNG_H

#include <stdbool.h>
#include <stdint.h>

/* Generator state. Never all zero (prng_seed guarantees it). */
struct prng {
	uint64_t s[4];
};

/*
 * Seed r from a single 64-bit value by running splitmix64 over it, as the
 * xoshiro authors recommend: similar seeds (0, 1, 2...) still give unrelated
 * states. Any seed, including 0, is fine.
 */
void prng_seed(struct prng *r, uint64_t seed);

/* Return the next 64 random bits and advance r. */
uint64_t prng_next(struct prng *r);

/* Return a uniform value in [0, n) with no modulo bias; returns 0 when n is 0. */
uint64_t prng_below(struct prng *r, uint64_t n);

/* Return a uniform value in [lo, hi], both inclusive. Expects lo <= hi (swapped if not). */
uint64_t prng_range(struct prng *r, uint64_t lo, uint64_t hi);

/* Return true with probability percent/100 (always for percent >= 100). */
bool prng_chance(struct prng *r, unsigned percent);

#endif /* LIB_PRNG_H */
