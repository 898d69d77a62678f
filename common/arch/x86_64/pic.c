/* pic.c: silencing the two 8259 PICs that PCs still carry (pic.h).
 *
 * After a reset the master PIC raises vectors 8-15, where the CPU's exceptions are: a
 * stray timer interrupt would look like a double fault. So even though all its inputs end
 * up masked, and its output is masked at the LAPIC too (LINT0, lapic.c), the PIC is first
 * reprogrammed to vectors 0x20-0x2f, where anything it might still raise is reported as
 * an unexpected interrupt instead of being mistaken for an exception. */
#include <stdint.h>
#include "acpi.h"
#include "irq.h"
#include "pic.h"
#include "x86.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1
#define ICW1_INIT_WITH_ICW4 0x11
#define ICW3_SLAVE_ON_IRQ2 0x04  /* master: a slave is wired to input 2 */
#define ICW3_SLAVE_ID 0x02       /* slave: its cascade identity */
#define ICW4_8086 0x01
#define PIC_MASK_ALL 0xff
#define IO_DELAY_PORT 0x80       /* unused POST port: a write takes about a microsecond */

/* Old 8259s need a moment between initialisation words. */
static void pic_write(uint16_t port, uint8_t v)
{
	outb(port, v);
	outb(IO_DELAY_PORT, 0);
}

void pic_disable(void)
{
	if (!acpi_madt.has_8259)
		return;
	pic_write(PIC1_CMD, ICW1_INIT_WITH_ICW4);
	pic_write(PIC2_CMD, ICW1_INIT_WITH_ICW4);
	pic_write(PIC1_DATA, IRQ_VEC_PIC_BASE);
	pic_write(PIC2_DATA, IRQ_VEC_PIC_BASE + 8);
	pic_write(PIC1_DATA, ICW3_SLAVE_ON_IRQ2);
	pic_write(PIC2_DATA, ICW3_SLAVE_ID);
	pic_write(PIC1_DATA, ICW4_8086);
	pic_write(PIC2_DATA, ICW4_8086);
	pic_write(PIC1_DATA, PIC_MASK_ALL);
	pic_write(PIC2_DATA, PIC_MASK_ALL);
}
