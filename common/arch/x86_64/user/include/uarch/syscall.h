/* uarch/syscall.h: the system call instruction of x86_64, for user space.
 *
 * Every port's user side has this header with the same arch_syscall6(); the library's
 * generic wrappers (common/user/lib/syscall.c) call it, and so does the table-driven test
 * (common/user/tests/syscalls.c), which must make calls by number. The register
 * convention is fixed by the kernel's entry code (uapi/syscall.h): number in rax,
 * arguments in rdi, rsi, rdx, r10, r8, r9, result in rax. r10 stands in for rcx, the C
 * convention's fourth argument register, because the `syscall` instruction itself
 * overwrites rcx (with the return address) and r11 (with rflags). */
#ifndef UARCH_SYSCALL_H
#define UARCH_SYSCALL_H

/* Make system call n with six arguments (unused ones are ignored by the kernel) and return
 * its raw result: >= 0 on success, a negated errno on failure. The "memory" clobber tells
 * the compiler that the kernel may read or write any memory the arguments point to. */
static inline long arch_syscall6(long n, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
