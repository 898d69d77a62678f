/*
 * lib/tap.h - a TAP version 13 emitter (Test Anything Protocol).
 *
 * Kernel tests, host tests and user programs all report through this one
 * emitter, so every result reaches Automake's tap-driver.sh and `prove` in
 * the same shape. Output goes through a write callback: the kernel passes
 * its console, a host test passes stdout, a test of the emitter passes a
 * buffer. Each line up to TAP_LINE_MAX bytes reaches write() in one call, so
 * a callback that takes the console lock per call keeps lines from several
 * CPUs whole.
 *
 * A typical run:
 *	TAP version 13
 *	1..3
 *	ok 1 - chan_open
 *	not ok 2 - chan_read_blocks
 *	# expected 4 bytes, got 0
 *	ok 3 - chan_notify # SKIP no second CPU
 *
 * Test names have '#' and line breaks replaced by '_': a '#' would start a
 * directive (SKIP, TODO) and a newline would end the result line.
 */
#ifndef LIB_TAP_H
#define LIB_TAP_H

#include <stdbool.h>
#include <stddef.h>

/* Lines up to this many bytes, newline included, are written in one call. */
#define TAP_LINE_MAX 256

/* One TAP stream. Fill it with tap_init(); the counters are read by tap_exit_status(). */
struct tap {
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;
	unsigned planned;	/* from tap_plan(); 0 also after tap_skip_all() */
	unsigned run;		/* results so far, skipped ones included */
	unsigned failed;	/* "not ok" results */
	unsigned skipped;	/* results reported by tap_skip() */
};

/* Start a stream that writes through write(ctx, s, n), and print "TAP version 13". */
void tap_init(struct tap *t, void (*write)(void *ctx, const char *s, size_t n), void *ctx);

/* Write into a stream another program started (a test's helper process printing its
 * diagnostics): like tap_init, without the version line. */
void tap_continue(struct tap *t, void (*write)(void *ctx, const char *s, size_t n), void *ctx);

/* Print the plan "1..n": n results will follow (or have preceded). */
void tap_plan(struct tap *t, unsigned n);

/* Print "1..0 # SKIP reason": this whole program has nothing to test here. */
void tap_skip_all(struct tap *t, const char *reason);

/* Print the next result, "ok N - name" or "not ok N - name". */
void tap_result(struct tap *t, bool ok, const char *name);

/* Print the next result as skipped, "ok N - name # SKIP reason". */
void tap_skip(struct tap *t, const char *name, const char *reason);

/*
 * Print a printf-formatted diagnostic. Every line of the message gets its
 * own "# " prefix (an empty line just "#"); a trailing newline is optional.
 */
void tap_diag(struct tap *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Print "Bail out! reason": the harness stops reading this stream. */
void tap_bail(struct tap *t, const char *reason);

/* Return 0 if the plan was met (every planned result ran) and none failed, else 1. */
int tap_exit_status(const struct tap *t);

#endif /* LIB_TAP_H */
