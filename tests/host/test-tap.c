/*
 * test-tap.c - host tests of the TAP emitter (common/lib/tap.c).
 *
 * Each test sends a stream into a capture buffer and compares the exact
 * text, since tap-driver.sh and prove parse it byte by byte.
 */
#include <stddef.h>

#include <lib/fmt.h>
#include <lib/string.h>
#include <lib/tap.h>

#include "host_test.h"

/* Start a stream into cap, then forget the header so tests compare only what follows. */
static void capture_start(struct tap *t, struct host_capture *cap)
{
	tap_init(t, host_capture_write, cap);
	cap->len = 0;
	cap->writes = 0;
	cap->text[0] = '\0';
}

HOST_TEST(tap_stream_header_plan_results)
{
	struct host_capture cap = { .len = 0 };
	struct tap t;

	tap_init(&t, host_capture_write, &cap);
	tap_plan(&t, 4);
	tap_result(&t, true, "first");
	tap_result(&t, false, "second");
	tap_skip(&t, "third", "needs two CPUs");
	tap_result(&t, true, "fourth");
	CHECK_EQ_STR(cap.text,
		     "TAP version 13\n"
		     "1..4\n"
		     "ok 1 - first\n"
		     "not ok 2 - second\n"
		     "ok 3 - third # SKIP needs two CPUs\n"
		     "ok 4 - fourth\n");
	CHECK_EQ_INT(t.planned, 4);
	CHECK_EQ_INT(t.run, 4);
	CHECK_EQ_INT(t.failed, 1);
	CHECK_EQ_INT(t.skipped, 1);
	CHECK_EQ_INT(cap.writes, 6);
}

HOST_TEST(tap_names_cannot_start_directives)
{
	struct host_capture cap = { .len = 0 };
	struct tap t;

	capture_start(&t, &cap);
	tap_result(&t, true, "issue #12 fixed");
	tap_result(&t, true, "two\nlines");
	tap_skip(&t, "a#b", "reason with # is fine\nbut not a newline");
	tap_result(&t, true, "");
	tap_result(&t, false, NULL);
	CHECK_EQ_STR(cap.text,
		     "ok 1 - issue _12 fixed\n"
		     "ok 2 - two_lines\n"
		     "ok 3 - a_b # SKIP reason with # is fine_but not a newline\n"
		     "ok 4\n"
		     "not ok 5\n");
}

HOST_TEST(tap_diag_prefixes_every_line)
{
	struct host_capture cap = { .len = 0 };
	struct tap t;

	capture_start(&t, &cap);
	tap_diag(&t, "seed 0x%x", 0x5eedU);
	tap_diag(&t, "line one\nline two\n\nline four");
	tap_diag(&t, "ends with newline\n");
	tap_diag(&t, "%s", "");
	CHECK_EQ_STR(cap.text,
		     "# seed 0x5eed\n"
		     "# line one\n"
		     "# line two\n"
		     "#\n"
		     "# line four\n"
		     "# ends with newline\n"
		     "#\n");
}

HOST_TEST(tap_long_line_survives_buffer_flushes)
{
	struct host_capture cap = { .len = 0 };
	char want[400];
	char name[300];
	struct tap t;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	capture_start(&t, &cap);
	tap_result(&t, true, name);
	CHECK_EQ_INT(snprintf(want, sizeof(want), "ok 1 - %s\n", name), 307);
	CHECK_EQ_STR(cap.text, want);
	CHECK_TRUE(cap.writes > 1);
}

HOST_TEST(tap_skip_all_and_bail)
{
	struct host_capture cap = { .len = 0 };
	struct tap t;

	capture_start(&t, &cap);
	tap_skip_all(&t, "no riscv64 toolchain");
	tap_bail(&t, "kernel panicked\nat boot");
	tap_bail(&t, NULL);
	tap_skip_all(&t, "");
	CHECK_EQ_STR(cap.text,
		     "1..0 # SKIP no riscv64 toolchain\n"
		     "Bail out! kernel panicked_at boot\n"
		     "Bail out!\n"
		     "1..0 # SKIP\n");
}

HOST_TEST(tap_exit_status_needs_full_plan_and_no_failure)
{
	struct host_capture cap = { .len = 0 };
	struct tap t;

	tap_init(&t, host_capture_write, &cap);
	tap_plan(&t, 2);
	tap_result(&t, true, "a");
	CHECK_EQ_INT(tap_exit_status(&t), 1);
	tap_skip(&t, "b", "skipped counts as run");
	CHECK_EQ_INT(tap_exit_status(&t), 0);
	tap_result(&t, true, "c");
	CHECK_EQ_INT(tap_exit_status(&t), 1);

	tap_init(&t, host_capture_write, &cap);
	tap_plan(&t, 1);
	tap_result(&t, false, "a");
	CHECK_EQ_INT(tap_exit_status(&t), 1);

	tap_init(&t, host_capture_write, &cap);
	tap_skip_all(&t, "nothing to do");
	CHECK_EQ_INT(tap_exit_status(&t), 0);
}
