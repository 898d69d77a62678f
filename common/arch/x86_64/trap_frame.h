/* trap_frame.h: the registers saved on every x86_64 interrupt or exception.
 * The layout is fixed by vectors.S: general registers as trap_common pushed them (the last
 * push, r15, is at the lowest address), then the stub's vector number and error code, then
 * what the CPU pushed. */
#ifndef X86_TRAP_FRAME_H
#define X86_TRAP_FRAME_H

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#endif
