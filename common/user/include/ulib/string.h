/* ulib/string.h: memcpy, strlen, strcmp and the rest for user programs. They are the
 * kernel's own functions (lib/string.h, common/lib/string.c), compiled again for user mode
 * into libu.a: one implementation, tested on the host, in the kernel and here. */
#ifndef ULIB_STRING_H
#define ULIB_STRING_H

#include <lib/string.h>

#endif
