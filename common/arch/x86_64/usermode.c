/* usermode.c: system call registers, the syscall MSRs, the kernel stack for traps from
 * user mode, and the ELF machine (arch/syscall.h, arch/context.h, arch/elf.h). */
#include <arch/context.h>
#include <arch/elf.h>
#include <arch/syscall.h>
#include <kernel/percpu.h>
#include "trap_frame.h"
#include "x86.h"

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SFMASK 0xc0000084
#define EFER_SCE 0x1
#define SFMASK_TF_IF_DF_AC 0x40700 /* cleared on entry: trap, interrupts, direction, AC */
#define EM_X86_64 62

extern char x86_syscall_entry[];

void x86_syscall_init(void)
{
	/* STAR: kernel cs = 0x08 (ss 0x10); sysret uses base 0x10: ss = 0x18|3, cs = 0x20|3. */
	wrmsr(MSR_STAR, (0x10UL << 48) | (0x08UL << 32));
	wrmsr(MSR_LSTAR, (uint64_t)x86_syscall_entry);
	wrmsr(MSR_SFMASK, SFMASK_TF_IF_DF_AC);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

unsigned long arch_syscall_number(const struct trap_frame *tf)
{
	return tf->rax;
}

void arch_syscall_args(const struct trap_frame *tf, unsigned long args[SYSCALL_MAX_ARGS])
{
	args[0] = tf->rdi;
	args[1] = tf->rsi;
	args[2] = tf->rdx;
	args[3] = tf->r10; /* not rcx: `syscall` overwrites rcx with the return address */
	args[4] = tf->r8;
	args[5] = tf->r9;
}

void arch_syscall_set_result(struct trap_frame *tf, long result)
{
	tf->rax = (uint64_t)result;
}

void arch_set_kernel_stack(uintptr_t top)
{
	cpu_self()->kernel_sp = top; /* for syscall.S */
	x86_tss_set_rsp0(top);       /* for interrupts and exceptions from user mode */
}

unsigned arch_elf_machine(void)
{
	return EM_X86_64;
}
