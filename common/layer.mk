# common/layer.mk: the base kernel every stage shares (included by mk/kernel.mk).
# The port's own sources are listed in arch/ARCH/arch.mk.

# ---- kernel ----
KSRCS += common/kernel/backtrace.c
KSRCS += common/kernel/binfs.c
KSRCS += common/kernel/cmdline.c
KSRCS += common/kernel/console.c
KSRCS += common/kernel/devfs.c
KSRCS += common/kernel/elf.c
KSRCS += common/kernel/file.c
KSRCS += common/kernel/init.c
KSRCS += common/kernel/iobuf.c
KSRCS += common/kernel/kfs.c
KSRCS += common/kernel/kfs_dir.c
KSRCS += common/kernel/kfsstat.c
KSRCS += common/kernel/klog.c
KSRCS += common/kernel/ktest.c
KSRCS += common/kernel/main.c
KSRCS += common/kernel/panic.c
KSRCS += common/kernel/percpu.c
KSRCS += common/kernel/printk.c
KSRCS += common/kernel/process.c
KSRCS += common/kernel/programs.c
KSRCS += common/kernel/ramfs.c
KSRCS += common/kernel/sched.c
KSRCS += common/kernel/selftest.c
KSRCS += common/kernel/smp.c
KSRCS += common/kernel/spinlock.c
KSRCS += common/kernel/syscall.c
KSRCS += common/kernel/syscall_fs.c
KSRCS += common/kernel/textfile.c
KSRCS += common/kernel/thread.c
KSRCS += common/kernel/timer.c
KSRCS += common/kernel/trap.c
KSRCS += common/kernel/ubsan.c
KSRCS += common/kernel/utest.c
KSRCS += common/kernel/waitq.c

# ---- memory ----
KSRCS += common/mm/kmalloc.c
KSRCS += common/mm/mm.c
KSRCS += common/mm/page.c
KSRCS += common/mm/vm.c

# ---- library (also built for the host tests, tests/host) ----
KSRCS += common/lib/check.c
KSRCS += common/lib/fmt.c
KSRCS += common/lib/prng.c
KSRCS += common/lib/prop.c
KSRCS += common/lib/string.c
KSRCS += common/lib/tap.c

# ---- in-kernel tests ----
KSRCS += common/ktests/backtrace_test.c
KSRCS += common/ktests/cmdline_test.c
KSRCS += common/ktests/kfs_test.c
KSRCS += common/ktests/kmalloc_test.c
KSRCS += common/ktests/page_test.c
KSRCS += common/ktests/printk_test.c
KSRCS += common/ktests/prng_test.c
KSRCS += common/ktests/programs_test.c
KSRCS += common/ktests/sched_test.c
KSRCS += common/ktests/smp_test.c
KSRCS += common/ktests/spinlock_test.c
KSRCS += common/ktests/thread_test.c
KSRCS += common/ktests/timer_test.c
KSRCS += common/ktests/trap_test.c
KSRCS += common/ktests/ubsan_test.c
KSRCS += common/ktests/vm_test.c

# ---- user library, libu.a (mk/user.mk; the port adds its start-up code) ----
ULIBSRCS += common/lib/check.c
ULIBSRCS += common/lib/fmt.c
ULIBSRCS += common/lib/prng.c
ULIBSRCS += common/lib/prop.c
ULIBSRCS += common/lib/string.c
ULIBSRCS += common/lib/tap.c
ULIBSRCS += common/user/lib/args.c
ULIBSRCS += common/user/lib/error.c
ULIBSRCS += common/user/lib/lock.c
ULIBSRCS += common/user/lib/malloc.c
ULIBSRCS += common/user/lib/spawn.c
ULIBSRCS += common/user/lib/stdio.c
ULIBSRCS += common/user/lib/stdlib.c
ULIBSRCS += common/user/lib/syscall.c
ULIBSRCS += common/user/lib/thread.c
ULIBSRCS += common/user/lib/utest.c

# ---- user programs: /bin/NAME, from user/bin/NAME.c (tools) or user/tests/NAME.c ----
UPROGS += common/user/bin/cat.c
UPROGS += common/user/bin/chmod.c
UPROGS += common/user/bin/chown.c
UPROGS += common/user/bin/echo.c
UPROGS += common/user/bin/false.c
UPROGS += common/user/bin/id.c
UPROGS += common/user/bin/init.c
UPROGS += common/user/bin/kill.c
UPROGS += common/user/bin/ls.c
UPROGS += common/user/bin/mkdir.c
UPROGS += common/user/bin/poweroff.c
UPROGS += common/user/bin/ps.c
UPROGS += common/user/bin/rm.c
UPROGS += common/user/bin/rmdir.c
UPROGS += common/user/bin/sh.c
UPROGS += common/user/bin/sleep.c
UPROGS += common/user/bin/su.c
UPROGS += common/user/bin/true.c
UPROGS += common/user/tests/hello.c
UPROGS += common/user/tests/isolation.c
UPROGS += common/user/tests/process.c
UPROGS += common/user/tests/shelltest.c
UPROGS += common/user/tests/syscalls.c

# ---- data files: /etc/NAME ----
UFILES += common/user/etc/demo.sh

# Built without -fsanitize: the sanitizer's own runtime.
KNOSAN += common/kernel/ubsan.c
