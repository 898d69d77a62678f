/* panic.c: the last words of a kernel whose invariants are broken.
 *
 * The first line always starts with "KERNEL PANIC:" so tests/run-qemu can recognise it; the
 * backtrace follows, then the machine powers off with status 1 (arch/power.h), which a test
 * run reports as a failure. A panic while panicking (say, a fault inside the backtrace)
 * powers off at once instead of recursing. */
#include <arch/cpu.h>
#include <arch/power.h>
#include <kernel/backtrace.h>
#include <kernel/console.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

static int panic_depth;

/* Print the panic line and the backtrace, then power off. */
static __noreturn void panic_va(const struct arch_frame *f, const char *fmt, va_list ap)
{
	arch_irq_disable();
	console_panic_mode();
	smp_halt_others();
	if (panic_depth++) {
		printk("\nKERNEL PANIC: nested panic; powering off\n");
		arch_power_off(1);
	}
	printk("\nKERNEL PANIC: ");
	vprintk(fmt, ap);
	printk("\nbacktrace:\n");
	backtrace_print(f);
	printk("end of panic report; powering off\n");
	arch_power_off(1);
}

void panic_at(const struct arch_frame *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_va(f, fmt, ap);
}

void panic(const char *fmt, ...)
{
	struct arch_frame f;
	va_list ap;

	arch_frame_current(&f);
	va_start(ap, fmt);
	panic_va(&f, fmt, ap);
}
