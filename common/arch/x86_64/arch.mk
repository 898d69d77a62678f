# The x86_64 port: sources, flags and linker script (included by mk/kernel.mk).
ARCH_CFLAGS := -m64 -march=x86-64 -mcmodel=kernel -mno-red-zone -mgeneral-regs-only -fno-pic \
	-I$(top_srcdir)/common/arch/x86_64/include
ARCH_LDFLAGS :=
ARCH_LDSCRIPT := common/arch/x86_64/kernel.ld

# ---- sources ----
KSRCS += common/arch/x86_64/acpi.c
KSRCS += common/arch/x86_64/boot.S
KSRCS += common/arch/x86_64/context.c
KSRCS += common/arch/x86_64/cpu.c
KSRCS += common/arch/x86_64/gdt.c
KSRCS += common/arch/x86_64/idt.c
KSRCS += common/arch/x86_64/ioapic.c
KSRCS += common/arch/x86_64/iomap.c
KSRCS += common/arch/x86_64/irq.c
KSRCS += common/arch/x86_64/lapic.c
KSRCS += common/arch/x86_64/lapic_timer.c
KSRCS += common/arch/x86_64/mmu.c
KSRCS += common/arch/x86_64/percpu.c
KSRCS += common/arch/x86_64/pic.c
KSRCS += common/arch/x86_64/pit.c
KSRCS += common/arch/x86_64/platform.c
KSRCS += common/arch/x86_64/power.c
KSRCS += common/arch/x86_64/serial.c
KSRCS += common/arch/x86_64/setjmp.S
KSRCS += common/arch/x86_64/smp.c
KSRCS += common/arch/x86_64/stack.c
KSRCS += common/arch/x86_64/start.c
KSRCS += common/arch/x86_64/switch.S
KSRCS += common/arch/x86_64/syscall.S
KSRCS += common/arch/x86_64/trampoline.S
KSRCS += common/arch/x86_64/trap.c
KSRCS += common/arch/x86_64/tsc.c
KSRCS += common/arch/x86_64/uaccess.S
KSRCS += common/arch/x86_64/usermode.c
KSRCS += common/arch/x86_64/vectors.S

# ---- in-kernel tests of the port ----
KSRCS += common/arch/x86_64/platform_test.c
