/* syscall.h: the system call table and what each argument is (kernel/syscall.c).
 *
 * Each entry says what kind of value every argument is (enum syscall_arg), so that one
 * table-driven user test (common/user/tests/syscalls.c, through SYS_syscall_info) feeds
 * every system call, present and future, the bad values of each kind and checks the
 * errno it must answer. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdbool.h>
#include <kernel/compiler.h>
#include <uapi/syscall.h> /* enum syscall_arg, SYSCALL_MAX_ARGS */

struct syscall_desc {
	const char *name;
	long (*fn)(const unsigned long *args);
	unsigned char args[SYSCALL_MAX_ARGS]; /* enum syscall_arg */
	bool noreturn;                        /* may end the caller (exit, thread_exit,
					       * poweroff): the table test never calls it */
};

/* System call numbers are below this; common/ uses 1..63, later layers 64 and up. */
#define SYSCALL_NR_MAX 128

/* A system call a later layer adds (DESIGN.md, "Layers"): at file scope,
 *     SYSCALL_EXTRA(SYS_mkchan, mkchan, sys_mkchan, ARG_USTR, ARG_INT, ARG_UIN_OPT);
 * puts it in the table with its argument kinds, so SYS_syscall_info describes it and the
 * table-driven test (common/user/tests/syscalls.c) covers it like any other. */
struct syscall_extra {
	unsigned long nr;
	struct syscall_desc desc;
};

#define SYSCALL_EXTRA(nr_, name_, fn_, ...) \
	static const struct syscall_extra syscall_extra_##name_ __used \
		__section(".syscalls_extra") __aligned(8) = { \
		(nr_), { #name_, (fn_), { __VA_ARGS__ }, false } }

/* Build the table of every system call: common's and the layers' (SYSCALL_EXTRA). Panics
 * on a number used twice or out of range: a build mistake. Called once by kmain. */
void syscall_init(void);

/* The entry for number nr, or NULL when nr is not a system call. */
const struct syscall_desc *syscall_lookup(unsigned long nr);

/* Highest system call number (entries below it may be NULL). */
unsigned long syscall_max(void);

/* Run system call nr with args as if the calling thread had made it from user space:
 * the dispatch path without the trap frame (tests use it). */
long syscall_invoke(unsigned long nr, const unsigned long *args);

/* Calls per system call number since boot (for /kfs). */
unsigned long syscall_count(unsigned long nr);

#endif
