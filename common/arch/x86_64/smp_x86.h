/* smp_x86.h: the x86_64 side of several CPUs that the rest of the port sees (smp.c). */
#ifndef X86_SMP_X86_H
#define X86_SMP_X86_H

/* Register the IPI vectors (irq.h), one per enum ipi_kind. Called once at boot. */
void smp_x86_init(void);

#endif
