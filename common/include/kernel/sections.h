/* sections.h: addresses the linker script of every port defines. */
#ifndef KERNEL_SECTIONS_H
#define KERNEL_SECTIONS_H

extern char __text_start[], __text_end[];     /* kernel code */
extern char __kernel_start[], __kernel_end[]; /* the whole image, .bss included */

#endif
