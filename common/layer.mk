# common/layer.mk: the base kernel every stage shares (included by mk/kernel.mk).
# The port's own sources are listed in arch/ARCH/arch.mk.

# ---- kernel ----
KSRCS += common/kernel/backtrace.c
KSRCS += common/kernel/cmdline.c
KSRCS += common/kernel/ktest.c
KSRCS += common/kernel/main.c
KSRCS += common/kernel/panic.c
KSRCS += common/kernel/printk.c
KSRCS += common/kernel/selftest.c
KSRCS += common/kernel/trap.c
KSRCS += common/kernel/ubsan.c

# ---- library (also built for the host tests, tests/host) ----
KSRCS += common/lib/fmt.c
KSRCS += common/lib/prng.c
KSRCS += common/lib/prop.c
KSRCS += common/lib/string.c
KSRCS += common/lib/tap.c

# ---- in-kernel tests ----
KSRCS += common/ktests/backtrace_test.c
KSRCS += common/ktests/cmdline_test.c
KSRCS += common/ktests/printk_test.c
KSRCS += common/ktests/prng_test.c
KSRCS += common/ktests/trap_test.c
KSRCS += common/ktests/ubsan_test.c

# Built without -fsanitize: the sanitizer's own runtime.
KNOSAN += common/kernel/ubsan.c
