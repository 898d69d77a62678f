/* arch/stack.h: the arch interface for walking call frames (backtraces). */
#ifndef ARCH_STACK_H
#define ARCH_STACK_H

#include <stdbool.h>
#include <stdint.h>

struct trap_frame;

/* One call frame: its frame pointer and a code address inside its function. */
struct arch_frame {
	uintptr_t fp;
	uintptr_t pc;
};

/* Fill f with the frame of the function that called arch_frame_current(): pc is a return
 * address inside it. Kernels are built with frame pointers on every port. */
void arch_frame_current(struct arch_frame *f);

/* The frame that was executing when the trap was taken. */
void arch_frame_from_trap(const struct trap_frame *tf, struct arch_frame *f);

/* Step to the caller's frame. Returns false at the end of the chain or when the frame
 * pointer is not plausible (misaligned, not moving up the stack). */
bool arch_frame_next(struct arch_frame *f);

#endif
