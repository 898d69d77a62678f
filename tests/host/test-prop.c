/*
 * test-prop.c - host tests of the property-test helper (common/lib/prop.c).
 *
 * prop_check() reports through a TAP stream; here that stream goes into a
 * struct host_capture, so the tests can read back the seed, the failure and
 * the replay line exactly as a learner would see them.
 */
#include <stddef.h>
#include <stdint.h>

#include <lib/prop.h>
#include <lib/string.h>
#include <lib/tap.h>

#include "host_test.h"

/* Return the text just after the first occurrence of marker in text, or NULL. */
static const char *find_after(const char *text, const char *marker)
{
	const char *at = strstr(text, marker);

	return at != NULL ? at + strlen(marker) : NULL;
}

/* Parse the hex digits at s (no "0x"); *ok is cleared if there are none or too many. */
static uint64_t parse_hex(const char *s, bool *ok)
{
	uint64_t value = 0;
	int digits = 0;

	for (;; s++, digits++) {
		char c = *s;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			break;
		value = value << 4 | (uint64_t)d;
	}
	*ok = digits > 0 && digits <= 16;
	return value;
}

/* Run prop_check into a fresh capture; returns prop_check's result. */
static int run_captured(struct host_capture *cap, const char *name, unsigned iterations,
			int (*fn)(struct prop_case *c, void *arg), void *arg)
{
	struct tap t;

	cap->len = 0;
	cap->text[0] = '\0';
	tap_init(&t, host_capture_write, cap);
	return prop_check(&t, name, iterations, fn, arg);
}

/*
 * A true property of strlcpy: the result is strlen(src), dst is terminated
 * and holds the longest prefix of src that fits.
 */
static int prop_strlcpy_fits(struct prop_case *c, void *arg)
{
	char src[64];
	char dst[32];
	size_t len = (size_t)prng_below(&c->rng, sizeof(src));
	size_t size = (size_t)prng_range(&c->rng, 1, sizeof(dst));

	(void)arg;
	for (size_t i = 0; i < len; i++)
		src[i] = (char)prng_range(&c->rng, 'a', 'z');
	src[len] = '\0';
	size_t ret = strlcpy(dst, src, size);
	size_t kept = len < size ? len : size - 1;
	prop_observe(c, ret);
	prop_observe(c, strlen(dst));
	if (ret != len)
		return prop_fail(c, "strlcpy returned %zu for a %zu-byte source", ret, len);
	if (strlen(dst) != kept || memcmp(dst, src, kept) != 0)
		return prop_fail(c, "dst \"%s\" is not the %zu-byte prefix of \"%s\"", dst, kept, src);
	return 0;
}

/* A false property: it fails once a case draws a value of 990 or more. */
static int prop_draws_stay_small(struct prop_case *c, void *arg)
{
	unsigned *calls = arg;
	uint64_t x = prng_below(&c->rng, 1000);

	(*calls)++;
	prop_observe(c, x);
	if (x >= 990)
		return prop_fail(c, "drew %llu, limit 990", (unsigned long long)x);
	return 0;
}

HOST_TEST(prop_passing_property_reports_seed_and_digest)
{
	struct host_capture cap = { .len = 0 };

	CHECK_EQ_INT(run_captured(&cap, "strlcpy_fits", 500, prop_strlcpy_fits, NULL), 0);
	CHECK_TRUE(find_after(cap.text, "# prop strlcpy_fits: base seed 0x5eedc0de5eedc0de, "
				  "500 iterations\n") != NULL);
	CHECK_TRUE(find_after(cap.text, "# prop strlcpy_fits: digest 0x") != NULL);
	CHECK_TRUE(find_after(cap.text, "FAILED") == NULL);
}

/*
 * The failing case must be reported with a case seed, and replaying that
 * seed alone must reproduce the same failure message in a single call.
 */
HOST_TEST(prop_failure_reports_seed_and_replays)
{
	struct host_capture cap = { .len = 0 };
	char first_failure[200];
	unsigned calls = 0;
	bool ok = false;

	CHECK_EQ_INT(run_captured(&cap, "small", 10000, prop_draws_stay_small, &calls), 1);
	CHECK_TRUE(calls < 10000);
	const char *failed = find_after(cap.text, "# prop small: FAILED at iteration ");
	const char *replay = find_after(cap.text, "# replay: prop.replay=0x");
	if (!CHECK_TRUE(failed != NULL) || !CHECK_TRUE(replay != NULL))
		return;
	uint64_t seed = parse_hex(replay, &ok);
	if (!CHECK_TRUE(ok))
		return;
	const char *message = find_after(failed, ": drew ");
	if (!CHECK_TRUE(message != NULL))
		return;
	strlcpy(first_failure, message, sizeof(first_failure));
	char *end = strchr(first_failure, '\n');
	if (!CHECK_TRUE(end != NULL))
		return;
	*end = '\0';

	calls = 0;
	prop_set_replay(seed);
	CHECK_EQ_INT(run_captured(&cap, "small", 10000, prop_draws_stay_small, &calls), 1);
	prop_clear_replay();
	CHECK_EQ_INT(calls, 1);
	const char *again = find_after(cap.text, "# prop small: FAILED at iteration 0, case seed 0x");
	if (!CHECK_TRUE(again != NULL))
		return;
	CHECK_EQ_U64(parse_hex(again, &ok), seed);
	const char *message_again = find_after(again, ": drew ");
	CHECK_TRUE(message_again != NULL && str_starts_with(message_again, first_failure));
}

HOST_TEST(prop_digest_depends_only_on_seed)
{
	struct host_capture first = { .len = 0 };
	struct host_capture second = { .len = 0 };
	struct host_capture other = { .len = 0 };

	run_captured(&first, "strlcpy_fits", 200, prop_strlcpy_fits, NULL);
	run_captured(&second, "strlcpy_fits", 200, prop_strlcpy_fits, NULL);
	prop_set_seed(0x1234);
	run_captured(&other, "strlcpy_fits", 200, prop_strlcpy_fits, NULL);
	prop_set_seed(PROP_DEFAULT_SEED);

	const char *a = find_after(first.text, "digest 0x");
	const char *b = find_after(second.text, "digest 0x");
	const char *c = find_after(other.text, "digest 0x");
	if (!CHECK_TRUE(a != NULL && b != NULL && c != NULL))
		return;
	CHECK_EQ_STR(first.text, second.text);
	CHECK_TRUE(strncmp(a, c, 16) != 0);
	CHECK_TRUE(find_after(other.text, "base seed 0x0000000000001234, 200 iterations") != NULL);
}

/* Observe one draw per case, so the run's digest has a known value. */
static int prop_observe_first_draw(struct prop_case *c, void *arg)
{
	(void)arg;
	prop_observe(c, prng_next(&c->rng));
	return 0;
}

/*
 * Known answer, computed outside this project from the definitions: base
 * seed 1 gives case seeds 0xb3f2af6d0fc710c5, 0x853b559647364cea and
 * 0x92f89756082a4514; each case observes its rng's first output; the run
 * digest chains the three case digests. Every architecture must print it.
 */
HOST_TEST(prop_digest_known_answer)
{
	struct host_capture cap = { .len = 0 };

	prop_set_seed(1);
	run_captured(&cap, "kat", 3, prop_observe_first_draw, NULL);
	prop_set_seed(PROP_DEFAULT_SEED);
	CHECK_EQ_STR(cap.text,
		     "TAP version 13\n"
		     "# prop kat: base seed 0x0000000000000001, 3 iterations\n"
		     "# prop kat: digest 0x3313875788650243\n");
}

struct case_log {
	unsigned calls;
	uint64_t seeds[8];
	bool fresh;		/* every case began unobserved, unfailed, rng from its seed */
	bool observe_ok;	/* prop_observe matched FNV-1a-64 of the value's bytes */
};

static int prop_log_cases(struct prop_case *c, void *arg)
{
	struct case_log *log = arg;
	struct prng expect;

	prng_seed(&expect, c->seed);
	log->fresh = log->fresh && c->iteration == log->calls && c->failure[0] == '\0' &&
		     c->digest == 0xcbf29ce484222325ULL && prng_next(&expect) == prng_next(&c->rng);
	log->seeds[log->calls++] = c->seed;
	prop_observe(c, 0x0102030405060708ULL);
	log->observe_ok = log->observe_ok && c->digest == 0x0c6d4496e17859d5ULL;
	prop_fail(c, "left behind");
	return 0;
}

HOST_TEST(prop_cases_are_fresh_and_distinct)
{
	struct host_capture cap = { .len = 0 };
	struct case_log log = { .calls = 0, .fresh = true, .observe_ok = true };

	CHECK_EQ_INT(run_captured(&cap, "log", 8, prop_log_cases, &log), 0);
	CHECK_EQ_INT(log.calls, 8);
	CHECK_TRUE(log.fresh);
	CHECK_TRUE(log.observe_ok);
	for (int i = 0; i < 8; i++) {
		for (int j = i + 1; j < 8; j++)
			CHECK_TRUE(log.seeds[i] != log.seeds[j]);
	}
}

HOST_TEST(prop_fail_formats_and_truncates)
{
	struct prop_case c;
	char want[sizeof(c.failure)];

	CHECK_EQ_INT(prop_fail(&c, "got %d, want %s", -3, "4"), 1);
	CHECK_EQ_STR(c.failure, "got -3, want 4");

	memset(want, 'x', sizeof(want) - 1);
	want[sizeof(want) - 1] = '\0';
	CHECK_EQ_INT(prop_fail(&c, "%s%s", want, "overflow"), 1);
	CHECK_EQ_STR(c.failure, want);
}

static int prop_fails_silently(struct prop_case *c, void *arg)
{
	(void)c;
	(void)arg;
	return -1;
}

HOST_TEST(prop_failure_without_message)
{
	struct host_capture cap = { .len = 0 };

	CHECK_EQ_INT(run_captured(&cap, "silent", 5, prop_fails_silently, NULL), 1);
	CHECK_TRUE(find_after(cap.text, "FAILED at iteration 0, case seed 0x") != NULL);
	CHECK_TRUE(find_after(cap.text, ": (no message)\n# replay: prop.replay=0x") != NULL);
}

/* A property that fails when both 3 and 7 are in the array. */
static bool has_3_and_7(const void *items, size_t n, void *arg)
{
	const int *v = items;
	bool three = false, seven = false;

	(void)arg;
	for (size_t i = 0; i < n; i++) {
		three = three || v[i] == 3;
		seven = seven || v[i] == 7;
	}
	return three && seven;
}

HOST_TEST(prop_shrink_finds_the_two_items_that_matter)
{
	int v[] = { 1, 9, 3, 4, 4, 8, 0, 7, 2, 7, 5 }, scratch[11];
	size_t n = prop_shrink(v, 11, sizeof(v[0]), scratch, has_3_and_7, NULL);

	CHECK_EQ_INT(n, 2);
	CHECK_EQ_INT(v[0], 3);
	CHECK_EQ_INT(v[1], 7);
}

/* A property that fails whatever the items: shrinks to nothing. */
static bool always_fails(const void *items, size_t n, void *arg)
{
	(void)items;
	(void)n;
	(void)arg;
	return true;
}

HOST_TEST(prop_shrink_of_an_always_failing_case_is_empty)
{
	int v[] = { 5, 6, 7 }, scratch[3];

	CHECK_EQ_INT(prop_shrink(v, 3, sizeof(v[0]), scratch, always_fails, NULL), 0);
}
