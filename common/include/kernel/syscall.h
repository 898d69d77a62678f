/* syscall.h: the system call table and what each argument is (kernel/syscall.c).
 *
 * Each entry says what kind of value every argument is, so that one table-driven test
 * (common/ktests/syscall_test.c) feeds every system call, present and future, the bad
 * values of each kind and checks the errno it must answer. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdbool.h>

#define SYSCALL_MAX_ARGS 6

enum syscall_arg {
	ARG_NONE,       /* unused */
	ARG_INT,        /* a number; bad values are each call's business */
	ARG_FD,         /* a file descriptor: a bad one is -EBADF */
	ARG_UIN,        /* user memory the kernel reads (length: the next ARG_LEN, or a struct) */
	ARG_UOUT,       /* user memory the kernel writes */
	ARG_UOUT_OPT,   /* the same, but NULL means "not wanted" */
	ARG_UIN_OPT,    /* user memory read, NULL allowed */
	ARG_USTR,       /* a NUL-terminated user string */
	ARG_LEN,        /* the length of the user buffer just before it */
};

struct syscall_desc {
	const char *name;
	long (*fn)(const unsigned long *args);
	unsigned char args[SYSCALL_MAX_ARGS]; /* enum syscall_arg */
	bool noreturn;                        /* exit, thread_exit: never return */
};

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
