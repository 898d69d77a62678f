# The x86_64 port's user side: flags, start-up code and linker script (included by
# mk/user.mk). -mgeneral-regs-only: the kernel saves only the general registers when it
# switches threads, so user code must not touch the FPU or SSE registers (no floating point,
# and no SSE copies GCC would otherwise emit). The red zone (128 bytes below rsp that leaf
# functions use without moving rsp) is safe in user mode, unlike in the kernel: traps and
# system calls from user mode switch to the thread's kernel stack before pushing anything.
UARCH_CFLAGS := -m64 -march=x86-64 -mgeneral-regs-only -fno-pic
UARCH_CRT0 := common/arch/x86_64/user/crt0.S
UARCH_LDSCRIPT := common/arch/x86_64/user/user.ld
