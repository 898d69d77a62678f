/* smp.c: the other CPUs on x86_64: how many there are, starting them, and sending them
 * inter-processor interrupts (arch/smp.h).
 *
 * CPU numbers are the kernel's own (0 .. arch_cpu_count()-1, the boot CPU is 0); the
 * hardware names CPUs by LAPIC id, which acpi.c lists in acpi_madt.apic_ids[cpu].
 *
 * Starting a CPU (Intel SDM vol. 3, 9.4.4, "MP Initialization Example"): send it INIT,
 * which resets it into a wait for a start-up IPI, wait 10 ms, then send a start-up IPI
 * (SIPI) naming the page its code is in, wait 200 us and, if it has not shown a sign of
 * life, send a second SIPI, since the first may be lost. The CPU then runs trampoline.S
 * and arrives in ap_main() below.
 *
 * Which page tables the new CPU uses while it switches paging on: the code that enables
 * paging must be mapped at its physical address, and the kernel's tables have no identity
 * map (arch_early_init() removed it). Rather than put an identity entry back into the
 * kernel's tables, visible to every CPU while it is there, the trampoline has tables of
 * its own (ap_pml4): the first 2 MiB identity-mapped, and the kernel half shared with the
 * kernel's tables. The new CPU switches to the kernel's tables as soon as it runs in the
 * kernel half (trampoline.S, ap_start64).
 *
 * Locking: arch_cpu_start() runs on the boot CPU, one CPU at a time (smp_init()); it owns
 * the trampoline page, ap_pml4 and the ap_* variables until the CPU it starts has set
 * ap_started. */
#include <stddef.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/panic.h>
#include <lib/string.h>
#include <mm/page.h>
#include <uapi/errno.h>
#include "acpi.h"
#include "irq.h"
#include "lapic.h"
#include "smp_x86.h"
#include "trampoline.h"
#include "tsc.h"
#include "x86.h"

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_PS (1UL << 7)
#define PT_ENTRIES 512
#define PML4_KERNEL_FIRST 256
#define MSR_EFER 0xc0000080
#define INIT_DELAY_NS 10000000ULL     /* 10 ms after INIT */
#define SIPI_DELAY_NS 200000ULL       /* 200 us after each SIPI */
#define START_TIMEOUT_NS 1000000000ULL

_Static_assert(offsetof(struct tramp_params, cpu) == TRAMP_PARAM_CPU, "trampoline.h");
_Static_assert(offsetof(struct tramp_params, kernel_cr3) == TRAMP_PARAM_KERNEL_CR3,
	       "trampoline.h");
_Static_assert(offsetof(struct tramp_params, stack_top) == TRAMP_PARAM_STACK, "trampoline.h");
_Static_assert(sizeof(struct tramp_params) == TRAMP_PARAMS_SIZE, "trampoline.h");

/* The trampoline's page tables: in the kernel image, so below 4 GiB. */
static uint64_t ap_pml4[PT_ENTRIES] __aligned(PAGE_SIZE);
static uint64_t ap_pdpt[PT_ENTRIES] __aligned(PAGE_SIZE);
static uint64_t ap_pd[PT_ENTRIES] __aligned(PAGE_SIZE);

/* What the CPU being started needs from the boot CPU, besides tramp_params. */
static void (*ap_entry)(unsigned cpu);
static uint64_t ap_cr0, ap_cr4, ap_efer;
static unsigned ap_started; /* set by the new CPU in ap_main(): it is alive */

unsigned arch_cpu_count(void)
{
	return acpi_madt.nr_cpus;
}

/* Identity-map the first 2 MiB (one large page) and share the kernel's top-level entries,
 * as they are now. */
static void ap_tables_prepare(void)
{
	const uint64_t *kernel = arch_phys_to_virt(arch_mmu_kernel_root());

	ap_pml4[0] = arch_virt_to_phys(ap_pdpt) | PTE_P | PTE_W;
	ap_pdpt[0] = arch_virt_to_phys(ap_pd) | PTE_P | PTE_W;
	ap_pd[0] = 0 | PTE_P | PTE_W | PTE_PS;
	memcpy(&ap_pml4[PML4_KERNEL_FIRST], &kernel[PML4_KERNEL_FIRST],
	       (PT_ENTRIES - PML4_KERNEL_FIRST) * sizeof *ap_pml4);
}

/* Copy the start code to its page and fill in its parameters for CPU cpu. The new CPU
 * copies the boot CPU's control registers (ap_main), so that whatever the boot CPU enabled
 * since boot (say, for user mode) is enabled on every CPU. */
static void ap_prepare(unsigned cpu, void *stack_top, void (*entry)(unsigned cpu))
{
	char *page = arch_phys_to_virt(TRAMP_PA);
	struct tramp_params *p = (struct tramp_params *)(page + (tramp_params - tramp_start));

	ap_tables_prepare();
	memcpy(page, tramp_start, (size_t)(tramp_end - tramp_start));
	p->cr3 = (uint32_t)arch_virt_to_phys(ap_pml4);
	p->cpu = cpu;
	p->kernel_cr3 = arch_mmu_kernel_root();
	p->stack_top = (uint64_t)stack_top;
	ap_entry = entry;
	ap_cr0 = read_cr0();
	ap_cr4 = read_cr4();
	ap_efer = rdmsr(MSR_EFER);
	__atomic_store_n(&ap_started, 0, __ATOMIC_SEQ_CST); /* orders all of the above too */
}

/* Wait up to timeout_ns for the CPU being started to reach ap_main(). */
static bool ap_wait_started(uint64_t timeout_ns)
{
	uint64_t start = arch_clock_ns();

	while (!__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE)) {
		if (arch_clock_ns() - start >= timeout_ns)
			return false;
		arch_cpu_relax();
	}
	return true;
}

/* LAB(kernel-core): INIT, SIPI, SIPI. */
int arch_cpu_start(unsigned cpu, void *stack_top, void (*entry)(unsigned cpu))
{
	uint8_t apic_id;

	kassert(cpu > 0 && cpu < acpi_madt.nr_cpus);
	apic_id = acpi_madt.apic_ids[cpu];
	ap_prepare(cpu, stack_top, entry);
	lapic_send_init(apic_id);
	tsc_delay_ns(INIT_DELAY_NS);
	lapic_send_startup(apic_id, TRAMP_PA >> PAGE_SHIFT);
	if (!ap_wait_started(SIPI_DELAY_NS))
		lapic_send_startup(apic_id, TRAMP_PA >> PAGE_SHIFT);
	return ap_wait_started(START_TIMEOUT_NS) ? 0 : -EIO;
}

/* A secondary CPU's first C code (trampoline.S), interrupts off, on the kernel's tables and
 * the stack smp_init() gave it. It sets up what each CPU has for itself (control registers,
 * descriptor tables, LAPIC) and calls the generic entry (kernel/smp.c). */
void ap_main(unsigned cpu)
{
	write_cr0(ap_cr0);
	write_cr4(ap_cr4);
	wrmsr(MSR_EFER, ap_efer);
	gdt_init(cpu);
	idt_load();
	lapic_init_cpu();
	x86_syscall_init(); /* STAR/LSTAR/SFMASK are per-CPU registers */
	__atomic_store_n(&ap_started, 1, __ATOMIC_RELEASE);
	ap_entry(cpu);
	arch_halt();
}

void arch_ipi_send(unsigned cpu, enum ipi_kind kind)
{
	kassert(cpu < acpi_madt.nr_cpus);
	lapic_send_ipi(acpi_madt.apic_ids[cpu], (uint8_t)(IRQ_VEC_IPI_BASE + kind));
}

/* An IPI arrived: its vector says its kind. */
static void smp_x86_ipi_interrupt(unsigned vector)
{
	smp_ipi_handle((enum ipi_kind)(vector - IRQ_VEC_IPI_BASE));
}

void smp_x86_init(void)
{
	irq_register(IRQ_VEC_IPI_BASE + IPI_RESCHEDULE, smp_x86_ipi_interrupt);
	irq_register(IRQ_VEC_IPI_BASE + IPI_TLB_FLUSH, smp_x86_ipi_interrupt);
	irq_register(IRQ_VEC_IPI_BASE + IPI_HALT, smp_x86_ipi_interrupt);
}
