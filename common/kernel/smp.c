/* smp.c: generic code for several CPUs: starting them, and the requests they make of each
 * other (kernel/smp.h; smp_ipi_handle() of arch/smp.h).
 *
 * Each CPU has a mailbox (struct smp_mailbox) where other CPUs leave requests, then ring
 * its doorbell, an IPI_TLB_FLUSH interrupt. The interrupt handler serves everything the
 * mailbox holds; a CPU that spins with interrupts off serves it through smp_poll(), which
 * is how it keeps answering while the doorbell cannot reach it. A mailbox holds:
 *   - TLB flush requests, as tickets: a requester takes the next number of flush_req and
 *     waits until flush_done has reached it. The owner reads flush_req, flushes, then
 *     publishes the number it read in flush_done. Every request up to that number was
 *     posted, after its page table change, before the flush, so it is served: requests
 *     from many CPUs share one flush, and none can be missed.
 *   - one cross-CPU call (smp_call): a function to run there.
 *
 * LAB(kernel-core): why a waiting CPU must serve its own mailbox. CPUs A and B each change
 * a mapping and shoot down at the same moment, interrupts off. A waits for B's flush, B
 * for A's, and neither takes the other's IPI: a deadlock. So every wait loop here (and the
 * spinlocks' wait loops, through smp_poll) serves the waiting CPU's own flush requests,
 * and A and B answer each other while they wait. Calls are not served there: a call may
 * take locks, which a CPU spinning for a lock must not (smp_call therefore needs
 * interrupts on). */
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/smp.h>
#include <arch/timer.h>
#include <kernel/panic.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <mm/page.h>

#define SMP_STACK_ORDER 2                   /* 16 KiB, as a thread's kernel stack */
#define SMP_STUCK_NS (5 * 1000000000ULL)    /* far longer than any flush takes */
#define SMP_CACHE_LINE 64

_Static_assert(IPI_HALT + 1 == SMP_IPI_KINDS, "SMP_IPI_KINDS must count enum ipi_kind");

/* A CPU's requests from the others. Aligned to a cache line, so that a CPU polling its own
 * mailbox does not slow down the CPUs polling theirs. */
struct smp_mailbox {
	/* Flush tickets: flush_req is raised by any CPU (atomically); flush_done is written
	 * only by the owner, which has served every request up to it. */
	uint64_t flush_req;
	uint64_t flush_done;
	/* The call slot: a caller claims it (call_busy 0 -> 1) and fills it; the owner empties
	 * it (call_fn back to NULL, then call_busy to 0) before it runs the call. */
	unsigned call_busy;
	void (*call_fn)(void *arg);
	void *call_arg;
	/* Written only by the owner; others read it with READ_ONCE. */
	struct smp_stats stats;
} __aligned(SMP_CACHE_LINE);

static struct smp_mailbox smp_mailboxes[MAX_CPUS];
static bool smp_started;       /* smp_init() has begun: there may be other CPUs */
static int smp_halting_cpu = -1; /* the CPU that stops the others (a panic), or -1 */

/* ---- starting the other CPUs ---- */

/* A secondary CPU's first generic code (arch_cpu_start's entry), interrupts off, on the
 * stack smp_init() gave it: become CPU `cpu`, start ticking, and join the scheduler. */
static void smp_secondary_main(unsigned cpu)
{
	percpu_init(cpu);
	arch_timer_start(SCHED_HZ);
	__atomic_store_n(&cpus[cpu].online, true, __ATOMIC_RELEASE);
	sched_run_cpu();
}

/* Start CPU cpu and wait until it is online. Returns true when it is. A CPU that does not
 * start keeps its stack: it might still wake up late and use it. */
static bool smp_start_cpu(unsigned cpu)
{
	char *stack = page_alloc(SMP_STACK_ORDER);

	if (!stack) {
		printk("smp: no memory for a stack for CPU %u; it stays off\n", cpu);
		return false;
	}
	if (arch_cpu_start(cpu, stack + (PAGE_SIZE << SMP_STACK_ORDER), smp_secondary_main)) {
		printk("smp: CPU %u did not start\n", cpu);
		return false;
	}
	while (!__atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	return true;
}

/* LAB(kernel-core): bringing up the other CPUs, one after the other. */
void smp_init(void)
{
	unsigned cpu, online = 1;

	kassert(cpu_id() == 0 && cpus[0].online);
	WRITE_ONCE(smp_started, true);
	for (cpu = 1; cpu < arch_cpu_count(); cpu++)
		online += smp_start_cpu(cpu);
	printk("smp: %u CPU%s online\n", online, online == 1 ? "" : "s");
}

/* ---- serving a mailbox (on its own CPU, interrupts off) ---- */

/* Flush this CPU's user TLB if a request is waiting, and publish the tickets served. */
static void smp_serve_flush(struct smp_mailbox *mb)
{
	uint64_t req = __atomic_load_n(&mb->flush_req, __ATOMIC_ACQUIRE);

	if (req == mb->flush_done)
		return;
	arch_tlb_flush_all();
	WRITE_ONCE(mb->stats.tlb_flushes, mb->stats.tlb_flushes + 1);
	__atomic_store_n(&mb->flush_done, req, __ATOMIC_RELEASE);
}

/* Run the call waiting in the slot, if any, after freeing the slot for the next one. */
static void smp_serve_call(struct smp_mailbox *mb)
{
	void (*fn)(void *arg) = __atomic_load_n(&mb->call_fn, __ATOMIC_ACQUIRE);
	void *arg;

	if (!fn)
		return;
	arg = mb->call_arg;
	WRITE_ONCE(mb->call_fn, NULL);
	__atomic_store_n(&mb->call_busy, 0, __ATOMIC_RELEASE);
	fn(arg);
}

/* True when a panic on another CPU is stopping this one. */
static bool smp_must_halt(void)
{
	int halting = READ_ONCE(smp_halting_cpu);

	return halting >= 0 && halting != (int)cpu_id();
}

void smp_ipi_handle(enum ipi_kind kind)
{
	struct smp_mailbox *mb = &smp_mailboxes[cpu_id()];

	WRITE_ONCE(mb->stats.ipis[kind], mb->stats.ipis[kind] + 1);
	switch (kind) {
	case IPI_RESCHEDULE:
		sched_ipi_reschedule();
		break;
	case IPI_TLB_FLUSH:
		smp_serve_flush(mb);
		smp_serve_call(mb);
		break;
	case IPI_HALT:
		arch_halt();
	}
}

/* Interrupts are turned off here even when the caller has them off already: serving must
 * not be interrupted by the IPI handler serving the same mailbox, and the thread must not
 * move to another CPU between finding its mailbox and serving it. */
void smp_poll(void)
{
	unsigned long flags = arch_irq_save();

	if (unlikely(smp_must_halt()))
		arch_halt();
	smp_serve_flush(&smp_mailboxes[cpu_id()]);
	arch_irq_restore(flags);
}

/* ---- TLB shootdown ---- */

/* Post a flush request to cpu and ring its doorbell. Returns the ticket to wait for. The
 * atomic increment orders the caller's page table changes before the request. */
static uint64_t smp_request_flush(unsigned cpu)
{
	uint64_t ticket = __atomic_add_fetch(&smp_mailboxes[cpu].flush_req, 1, __ATOMIC_SEQ_CST);

	arch_ipi_send(cpu, IPI_TLB_FLUSH);
	return ticket;
}

/* Wait until cpu has served ticket, serving the caller's own mailbox meanwhile.
 * Interrupts off. */
static void smp_wait_flush(unsigned cpu, uint64_t ticket)
{
	const struct smp_mailbox *mb = &smp_mailboxes[cpu];
	uint64_t start = arch_clock_ns();

	while (__atomic_load_n(&mb->flush_done, __ATOMIC_ACQUIRE) < ticket) {
		smp_poll();
		arch_cpu_relax();
		if (unlikely(arch_clock_ns() - start > SMP_STUCK_NS))
			panic("smp: CPU %u has not flushed its TLB for %llu s", cpu,
			      SMP_STUCK_NS / 1000000000ULL);
	}
}

/* Interrupts stay off throughout, so that the caller stays on one CPU: the one that is not
 * asked to flush. The caller flushes its own TLB itself. */
void tlb_shootdown_others(void)
{
	uint64_t tickets[MAX_CPUS];
	unsigned long flags = arch_irq_save();
	unsigned self = cpu_id(), i, n = arch_cpu_count();

	for (i = 0; i < n; i++) {
		tickets[i] = 0;
		if (i != self && READ_ONCE(cpus[i].online))
			tickets[i] = smp_request_flush(i);
	}
	for (i = 0; i < n; i++)
		if (tickets[i])
			smp_wait_flush(i, tickets[i]);
	arch_irq_restore(flags);
}

void tlb_shootdown_cpu(unsigned cpu)
{
	unsigned long flags = arch_irq_save();

	smp_wait_flush(cpu, smp_request_flush(cpu));
	arch_irq_restore(flags);
}

/* ---- calls, halting, statistics ---- */

void smp_call(unsigned cpu, void (*fn)(void *arg), void *arg)
{
	struct smp_mailbox *mb = &smp_mailboxes[cpu];
	unsigned free_slot = 0;

	kassert(arch_irqs_enabled());
	while (!__atomic_compare_exchange_n(&mb->call_busy, &free_slot, 1, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		free_slot = 0;
		arch_cpu_relax();
	}
	mb->call_arg = arg;
	__atomic_store_n(&mb->call_fn, fn, __ATOMIC_RELEASE);
	arch_ipi_send(cpu, IPI_TLB_FLUSH);
}

/* Before smp_init() there is one CPU, and nothing to stop. */
void smp_halt_others(void)
{
	int nobody = -1;
	unsigned self, i;

	if (!READ_ONCE(smp_started))
		return;
	self = cpu_id();
	if (!__atomic_compare_exchange_n(&smp_halting_cpu, &nobody, (int)self, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		if (nobody != (int)self)
			arch_halt();
		return;
	}
	for (i = 0; i < arch_cpu_count(); i++)
		if (i != self && READ_ONCE(cpus[i].online))
			arch_ipi_send(i, IPI_HALT);
}

void smp_stats(unsigned cpu, struct smp_stats *out)
{
	const struct smp_stats *s = &smp_mailboxes[cpu].stats;
	unsigned k;

	for (k = 0; k < SMP_IPI_KINDS; k++)
		out->ipis[k] = READ_ONCE(s->ipis[k]);
	out->tlb_flushes = READ_ONCE(s->tlb_flushes);
}
