/* pic.h: the legacy 8259 interrupt controllers (pic.c). */
#ifndef X86_PIC_H
#define X86_PIC_H

/* Move the two 8259s' vectors out of the exception range and mask all their inputs, so
 * they never interrupt: the IOAPIC delivers device interrupts instead. Called once at boot. */
void pic_disable(void);

#endif
