/* percpu.c: the array of per-CPU data (kernel/percpu.h).
 *
 * One struct cpu per possible CPU, indexed by CPU number. Each CPU finds its own entry
 * through arch_cpu_self() (a per-core register), so reaching it costs one load and no lock;
 * other CPUs may read an entry (the scheduler looks at cpus[i].online), but only its own
 * CPU changes it. The boot CPU sets up entry 0 in kmain() before taking any spinlock. */
#include <kernel/percpu.h>

struct cpu cpus[MAX_CPUS];

void percpu_init(unsigned id)
{
	struct cpu *c = &cpus[id];

	c->self = c;
	c->id = id;
	arch_cpu_set_self(c);
}
