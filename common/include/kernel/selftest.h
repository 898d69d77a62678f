/* selftest.h: deliberately broken boots that prove the test harness catches failures. */
#ifndef KERNEL_SELFTEST_H
#define KERNEL_SELFTEST_H

/* Run the harness self-test named by mode: "hang" (prints a plan, then hangs), "panic"
 * (prints a plan and one result, then panics) or "noplan" (prints no TAP at all and powers
 * off reporting success). tests/harness-selftest checks that tests/run-qemu reports each one
 * as a failure. Does not return. An unknown mode panics with its name. */
__attribute__((noreturn)) void selftest_run(const char *mode);

#endif
