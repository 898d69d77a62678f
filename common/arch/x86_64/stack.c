/* stack.c: walking x86_64 call frames. With -fno-omit-frame-pointer every function starts
 * with `push %rbp; mov %rsp, %rbp`, so at %rbp sits the caller's %rbp, and just above it the
 * return address into the caller: a linked list from the innermost frame outwards, ended
 * by the 0 that boot.S puts in %rbp before the first call. */
#include <arch/stack.h>
#include <kernel/compiler.h>
#include "trap_frame.h"

#define KERNEL_HALF 0xffff800000000000UL

__noinline void arch_frame_current(struct arch_frame *f)
{
	uintptr_t *fp = __builtin_frame_address(0);

	f->fp = fp[0];
	f->pc = fp[1];
}

void arch_frame_from_trap(const struct trap_frame *tf, struct arch_frame *f)
{
	f->fp = tf->rbp;
	f->pc = tf->rip;
}

bool arch_frame_next(struct arch_frame *f)
{
	const uintptr_t *fp = (const uintptr_t *)f->fp;

	if (f->fp < KERNEL_HALF || (f->fp & 7))
		return false;
	if (fp[0] != 0 && fp[0] <= f->fp)
		return false; /* frames must move up the stack: anything else is a corrupt chain */
	if (fp[1] == 0)
		return false;
	f->fp = fp[0];
	f->pc = fp[1];
	return true;
}
