/*
 * prng.c - xoshiro256** seeded by splitmix64.
 *
 * Both algorithms are written from their published definitions (Vigna,
 * https://prng.di.unimi.it/). All arithmetic is on uint64_t, where C defines
 * overflow as wrapping modulo 2^64, so the sequence is bit-identical on
 * every architecture.
 */
#include <lib/prng.h>

static uint64_t prng_rotl(uint64_t x, unsigned k)
{
	return (x << k) | (x >> (64 - k));
}

/*
 * One step of splitmix64: advance a Weyl sequence by the golden-ratio
 * constant and scramble it. The scramble is a bijection, so consecutive
 * (distinct) states give distinct outputs and at most one of the four words
 * it fills is zero: the xoshiro state is never all zero, the one state from
 * which xoshiro would return 0 forever.
 */
static uint64_t prng_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Seed r from one 64-bit value via splitmix64; any seed, including 0, is fine. */
void prng_seed(struct prng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = prng_splitmix64(&seed);
}

/*
 * Return the next 64 random bits and advance r. The output scrambles s[1]
 * ("**": multiply, rotate, multiply); the state update is the xoshiro
 * linear step of xors, a shift and a rotation.
 */
uint64_t prng_next(struct prng *r)
{
	uint64_t *s = r->s;
	uint64_t result = prng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = prng_rotl(s[3], 45);
	return result;
}

/*
 * Return a uniform value in [0, n), or 0 when n is 0. "next % n" alone is
 * biased when 2^64 is not a multiple of n: the lowest (2^64 mod n) residues
 * would come up once more often. So draws below that threshold are rejected;
 * the remaining range is an exact multiple of n. The threshold is computed
 * as (0 - n) % n, which equals 2^64 mod n without needing 65-bit numbers.
 * At most half of all draws are rejected, so the loop ends quickly.
 */
uint64_t prng_below(struct prng *r, uint64_t n)
{
	if (n == 0)
		return 0;
	uint64_t threshold = (0 - n) % n;
	for (;;) {
		uint64_t x = prng_next(r);
		if (x >= threshold)
			return x % n;
	}
}

/*
 * Return a uniform value in [lo, hi], both inclusive (swapped if lo > hi).
 * The full range [0, UINT64_MAX] has 2^64 values, one more than a uint64_t
 * can count, so it is served by prng_next() directly.
 */
uint64_t prng_range(struct prng *r, uint64_t lo, uint64_t hi)
{
	if (lo > hi) {
		uint64_t t = lo;
		lo = hi;
		hi = t;
	}
	uint64_t span = hi - lo + 1;
	if (span == 0)
		return prng_next(r);
	return lo + prng_below(r, span);
}

/* Return true with probability percent/100 (always for percent >= 100). */
bool prng_chance(struct prng *r, unsigned percent)
{
	return prng_below(r, 100) < percent;
}
