/* context.c: new thread stacks and the first entry to user mode on x86_64 (arch/context.h). */
#include <stdint.h>
#include <arch/context.h>
#include "x86.h"

#define SAVED_REGS 6 /* rbp rbx r12 r13 r14 r15, as switch.S pushes them */

uintptr_t arch_context_init(uintptr_t stack_top, void (*first)(void))
{
	uint64_t *sp = (uint64_t *)(stack_top & ~15UL);
	int i;

	*--sp = 0;                  /* first()'s return address: none, ends backtraces */
	*--sp = (uint64_t)first;    /* where switch.S's ret goes */
	for (i = 0; i < SAVED_REGS; i++)
		*--sp = 0;          /* rbp = 0 also ends the frame-pointer chain */
	return (uintptr_t)sp;
}
