/* arch/syscall.h: the arch interface for system calls. The port's entry code saves the
 * caller's registers as a struct trap_frame and calls the generic syscall_dispatch(), which
 * reads the number and arguments and stores the result through these functions. */
#ifndef ARCH_SYSCALL_H
#define ARCH_SYSCALL_H

struct trap_frame;

/* The system call number and argument i (0..5) the caller passed. */
unsigned long arch_syscall_number(const struct trap_frame *tf);
unsigned long arch_syscall_arg(const struct trap_frame *tf, unsigned i);

/* Store the value the system call returns to user space (a result or -errno). */
void arch_syscall_set_result(struct trap_frame *tf, long result);

/* Generic: run the system call described by tf (kernel/syscall.c). */
void syscall_dispatch(struct trap_frame *tf);

#endif
