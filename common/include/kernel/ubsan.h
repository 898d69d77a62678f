/* ubsan.h: the kernel's UndefinedBehaviorSanitizer runtime (./configure --enable-ubsan). */
#ifndef KERNEL_UBSAN_H
#define KERNEL_UBSAN_H

#include <stdbool.h>

/* True when this kernel was built with --enable-ubsan. */
bool ubsan_enabled(void);

/* Number of UBSan reports printed since boot. */
unsigned long ubsan_report_count(void);

/* Declare that the next n reports are provoked on purpose by a test: they are printed and
 * counted, but do not fail the running test. Any other report fails it. */
void ubsan_expect(unsigned n);

#endif
