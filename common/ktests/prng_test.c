/* prng_test.c: the property-test PRNG and prop_check() work inside the kernel as on the host. */
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <lib/prng.h>
#include <lib/prop.h>
#include <lib/string.h>

KTEST(prng_reproducible_from_seed)
{
	struct prng a, b, c;
	unsigned i, same_as_c = 0;

	prng_seed(&a, 12345);
	prng_seed(&b, 12345);
	prng_seed(&c, 12346);
	for (i = 0; i < 1000; i++) {
		uint64_t x = prng_next(&a);

		KTEST_ASSERT_EQ(x, prng_next(&b));
		same_as_c += x == prng_next(&c);
	}
	KTEST_EXPECT_EQ(same_as_c, 0);
}

KTEST(prng_below_stays_in_range)
{
	struct prng r;
	unsigned i, hits[10] = { 0 };

	prng_seed(&r, 7);
	for (i = 0; i < 10000; i++) {
		uint64_t v = prng_below(&r, 10);

		KTEST_ASSERT(v < 10);
		hits[v]++;
	}
	for (i = 0; i < 10; i++)
		KTEST_EXPECT(hits[i] > 800 && hits[i] < 1200);
}

/* A property that fails for roughly one case in four, to check failure reports. */
static int prng_prop_rarely_fails(struct prop_case *c, void *arg)
{
	uint64_t v = prng_below(&c->rng, 4);

	prop_observe(c, v);
	return v == 3 ? prop_fail(c, "drew %u", (unsigned)v) : 0;
}

/* Collects a tap stream's text, to check what prop_check() printed. */
static char prng_out[1024];
static size_t prng_out_len;
static void prng_out_write(void *ctx, const char *s, size_t n)
{
	if (prng_out_len + n < sizeof prng_out) {
		memcpy(prng_out + prng_out_len, s, n);
		prng_out_len += n;
		prng_out[prng_out_len] = '\0';
	}
}

KTEST(prop_check_reports_and_replays_failing_seed)
{
	struct tap t;
	const char *replay;
	char word[24];
	unsigned long long seed;
	uint64_t outer_replay;
	size_t n = 0;
	int first, again;

	if (prop_replay_active(&outer_replay))
		KTEST_SKIP("this boot replays one property case (prop.replay=)");
	prng_out_len = 0;
	tap_init(&t, prng_out_write, NULL);
	first = prop_check(&t, "rarely_fails", 100, prng_prop_rarely_fails, NULL);
	KTEST_ASSERT(first != 0);
	replay = strstr(prng_out, "prop.replay=");
	KTEST_ASSERT(replay != NULL);
	for (replay += 12; replay[n] > ' ' && n < sizeof word - 1; n++)
		word[n] = replay[n];
	word[n] = '\0';
	KTEST_ASSERT(cmdline_parse_u64(word, &seed));
	prop_set_replay(seed);
	again = prop_check(&t, "rarely_fails", 100, prng_prop_rarely_fails, NULL);
	prop_clear_replay();
	KTEST_EXPECT(again != 0);
}
