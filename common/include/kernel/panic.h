/* panic.h: stopping the machine when a kernel invariant is broken. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <arch/stack.h>
#include <kernel/compiler.h>

/* Print "KERNEL PANIC: <message>" and a backtrace of the caller, then power the machine off
 * with a failing status. For broken kernel invariants only: bad input from user space gets
 * an errno, a bad user access kills only that process. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

/* The same, with the backtrace starting at frame f (a trap handler passes the frame that
 * faulted, so the trace shows the faulting code rather than the handler). */
__noreturn void panic_at(const struct arch_frame *f, const char *fmt, ...) __printf(2, 3);

/* kassert(cond): panic naming the condition, file and line when cond is false. */
#define kassert(cond) \
	do { \
		if (unlikely(!(cond))) \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
