/* utest.h: the kernel's side of user test programs: the `utest=NAME` boot mode.
 *
 * The user side (common/user/include/ulib/utest.h) is a library for writing test programs
 * that print TAP; this mode runs one of them as the only process and turns its exit status
 * into the power-off status, so `make check` judges it like a ktest boot. */
#ifndef KERNEL_UTEST_H
#define KERNEL_UTEST_H

#include <kernel/compiler.h>

/* Run the program named by `utest=NAME` on the command line: spawn /bin/NAME as root with
 * argv { NAME } (followed by seed=N and prop.replay=N when the command line has them),
 * wait for it, and power off with status 0 if it exited with 0, else 1. Expects the
 * scheduler and the process table to be running. Never returns. */
__noreturn void utest_run(void);

#endif
