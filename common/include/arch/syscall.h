/* arch/syscall.h: the arch interface for system calls. The port's entry code saves the
 * caller's registers as a struct trap_frame and calls the generic syscall_dispatch(), which
 * reads the number and arguments and stores the result through these functions. */
#ifndef ARCH_SYSCALL_H
#define ARCH_SYSCALL_H

#include <uapi/syscall.h> /* SYSCALL_MAX_ARGS */

struct trap_frame;

/* The system call number, and the SYSCALL_MAX_ARGS arguments, the caller passed. */
unsigned long arch_syscall_number(const struct trap_frame *tf);
void arch_syscall_args(const struct trap_frame *tf, unsigned long args[SYSCALL_MAX_ARGS]);

/* Store the value the system call returns to user space (a result or -errno). */
void arch_syscall_set_result(struct trap_frame *tf, long result);

/* Generic: run the system call described by tf (kernel/syscall.c). */
void syscall_dispatch(struct trap_frame *tf);

#endif
