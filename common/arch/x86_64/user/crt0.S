/* crt0.S: where an x86_64 user program starts (_start), and where its threads start
 * (uthread_entry). "crt0" is the traditional name of the C run-time's first object: it is
 * linked first into every program, before the program's own code and libu.a.
 *
 * The process ABI (what the kernel promises a program; kernel/process.h, uapi/syscall.h):
 *  - A program is a static ELF64 executable for x86_64 (ET_EXEC, not PIE), linked at
 *    0x400000 with -static -nostdlib (user.ld). The kernel maps its PT_LOAD segments and a
 *    stack, and enters e_entry (_start) in user mode with
 *        rsp  16-byte aligned; nothing is pushed, so there is no return address
 *        rdi  argc
 *        rsi  argv: argc pointers to NUL-terminated strings, then NULL, all on the stack
 *    and no other register holding anything a program may rely on.
 *  - Returning from _start is not allowed (there is nothing to return to): _start calls
 *    exit(main(argc, argv)), and exit() flushes stdout and never returns.
 *  - File descriptors 0, 1 and 2 are the console, for reading and writing.
 *  - System calls: the `syscall` instruction, number in rax, arguments in rdi, rsi, rdx,
 *    r10, r8, r9, result in rax; rcx and r11 are clobbered, all else is kept
 *    (uarch/syscall.h). A result in [-ERRNO_MAX, -1] is a negated errno.
 *  - Memory: SYS_map(len, prot) returns fresh zeroed pages. The kernel saves no FPU or SSE
 *    state, so programs are built with -mgeneral-regs-only (user.mk).
 *  - Threads: SYS_thread_create(entry, arg, stack_top) enters entry like _start: rsp =
 *    stack_top rounded down to 16, rdi = arg, no return address. The library always passes
 *    uthread_entry below as entry (ulib/thread.h). */
	.text
	.globl _start
_start:
	xorl %ebp, %ebp                 /* the outermost frame: backtraces stop at rbp = 0 */
	call main                       /* rsp is 16-byte aligned at the call, as the ABI wants */
	movl %eax, %edi
	call exit
	ud2                             /* exit() returned: trap, the kernel ends the process */

/* A new thread: rdi points at its struct uthread_start (common/user/lib/thread.c). */
	.globl uthread_entry
uthread_entry:
	xorl %ebp, %ebp
	call uthread_main
	ud2
