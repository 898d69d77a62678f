/*
 * tap.c - the TAP version 13 emitter.
 *
 * Every line is assembled in a struct tap_line on the stack and handed to
 * the stream's write callback when it ends (or, for a very long line, each
 * time the buffer fills). Nothing here allocates or sleeps, so the kernel
 * can report test results from any context the callback allows.
 */
#include <stdarg.h>

#include <lib/fmt.h>
#include <lib/string.h>
#include <lib/tap.h>

/* One output line being assembled. */
struct tap_line {
	struct tap *t;
	size_t len;
	char buf[TAP_LINE_MAX];
};

static void tap_line_flush(struct tap_line *l)
{
	if (l->len > 0)
		l->t->write(l->t->ctx, l->buf, l->len);
	l->len = 0;
}

static void tap_line_putc(struct tap_line *l, char c)
{
	if (l->len == sizeof(l->buf))
		tap_line_flush(l);
	l->buf[l->len++] = c;
}

/* Adapter so fmt_vformat() can print into a line. */
static void tap_line_emit(void *ctx, char c)
{
	tap_line_putc(ctx, c);
}

static void tap_line_vprintf(struct tap_line *l, const char *fmt, va_list ap)
{
	fmt_vformat(tap_line_emit, l, fmt, ap);
}

static __attribute__((format(printf, 2, 3)))
void tap_line_printf(struct tap_line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_line_vprintf(l, fmt, ap);
	va_end(ap);
}

/*
 * Append s with every byte found in bad replaced by '_'. Names are printed
 * with bad = "#\n\r" (a '#' would start a directive); reasons with "\n\r".
 */
static void tap_line_put_clean(struct tap_line *l, const char *s, const char *bad)
{
	for (; *s != '\0'; s++)
		tap_line_putc(l, strchr(bad, *s) != NULL ? '_' : *s);
}

static void tap_line_end(struct tap_line *l)
{
	tap_line_putc(l, '\n');
	tap_line_flush(l);
}

/* " - name", or nothing for a nameless result. */
static void tap_line_put_name(struct tap_line *l, const char *name)
{
	if (name == NULL || name[0] == '\0')
		return;
	tap_line_printf(l, " - ");
	tap_line_put_clean(l, name, "#\n\r");
}

/* " # SKIP reason", or " # SKIP" without one. */
static void tap_line_put_skip(struct tap_line *l, const char *reason)
{
	tap_line_printf(l, " # SKIP");
	if (reason == NULL || reason[0] == '\0')
		return;
	tap_line_putc(l, ' ');
	tap_line_put_clean(l, reason, "\n\r");
}

/* Go on with a stream another program started: write through write(ctx, s, n), print
 * nothing yet. */
void tap_continue(struct tap *t, void (*write)(void *ctx, const char *s, size_t n), void *ctx)
{
	*t = (struct tap){ .write = write, .ctx = ctx };
}

/* Start a stream that writes through write(ctx, s, n), and print "TAP version 13". */
void tap_init(struct tap *t, void (*write)(void *ctx, const char *s, size_t n), void *ctx)
{
	tap_continue(t, write, ctx);
	struct tap_line l = { .t = t };
	tap_line_printf(&l, "TAP version 13");
	tap_line_end(&l);
}

/* Print the plan "1..n": n results will follow (or have preceded). */
void tap_plan(struct tap *t, unsigned n)
{
	struct tap_line l = { .t = t };

	t->planned = n;
	tap_line_printf(&l, "1..%u", n);
	tap_line_end(&l);
}

/* Print "1..0 # SKIP reason": this whole program has nothing to test here. */
void tap_skip_all(struct tap *t, const char *reason)
{
	struct tap_line l = { .t = t };

	t->planned = 0;
	tap_line_printf(&l, "1..0");
	tap_line_put_skip(&l, reason);
	tap_line_end(&l);
}

/* Print the next result, "ok N - name" or "not ok N - name". */
void tap_result(struct tap *t, bool ok, const char *name)
{
	struct tap_line l = { .t = t };

	t->run++;
	if (!ok)
		t->failed++;
	tap_line_printf(&l, "%sok %u", ok ? "" : "not ", t->run);
	tap_line_put_name(&l, name);
	tap_line_end(&l);
}

/* Print the next result as skipped, "ok N - name # SKIP reason". */
void tap_skip(struct tap *t, const char *name, const char *reason)
{
	struct tap_line l = { .t = t };

	t->run++;
	t->skipped++;
	tap_line_printf(&l, "ok %u", t->run);
	tap_line_put_name(&l, name);
	tap_line_put_skip(&l, reason);
	tap_line_end(&l);
}

/* A diagnostic being printed: the "# " prefix is written lazily per line. */
struct tap_diag_line {
	struct tap_line line;
	bool at_line_start;
};

/*
 * fmt_vformat() sink for tap_diag(). The prefix is only written once the
 * first character of a line is known: an empty line becomes "#" without a
 * trailing space, and a message ending in '\n' does not produce an extra
 * empty "#" line.
 */
static void tap_diag_emit(void *ctx, char c)
{
	struct tap_diag_line *d = ctx;

	if (d->at_line_start) {
		tap_line_putc(&d->line, '#');
		if (c != '\n')
			tap_line_putc(&d->line, ' ');
		d->at_line_start = false;
	}
	if (c == '\n') {
		tap_line_end(&d->line);
		d->at_line_start = true;
		return;
	}
	tap_line_putc(&d->line, c);
}

/* Print a formatted diagnostic, each line prefixed "# ", the last line ended for the caller. */
void tap_diag(struct tap *t, const char *fmt, ...)
{
	struct tap_diag_line d = { .line = { .t = t }, .at_line_start = true };
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vformat(tap_diag_emit, &d, fmt, ap);
	va_end(ap);
	if (n == 0)
		tap_diag_emit(&d, '\n');
	else if (!d.at_line_start)
		tap_line_end(&d.line);
}

/* Print "Bail out! reason": the harness stops reading this stream. */
void tap_bail(struct tap *t, const char *reason)
{
	struct tap_line l = { .t = t };

	tap_line_printf(&l, "Bail out!");
	if (reason != NULL && reason[0] != '\0') {
		tap_line_putc(&l, ' ');
		tap_line_put_clean(&l, reason, "\n\r");
	}
	tap_line_end(&l);
}

/* Return 0 if the plan was met (every planned result ran) and none failed, else 1. */
int tap_exit_status(const struct tap *t)
{
	return t->run == t->planned && t->failed == 0 ? 0 : 1;
}
