/* cmdline.h: the kernel command line (QEMU's -append), as space-separated key or key=value words. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Set the command line the other functions read; called once at boot. s may be NULL. */
void cmdline_set(const char *s);

/* The whole command line ("" when the boot loader gave none). */
const char *cmdline_get(void);

/* True when the word `key` or `key=...` appears. */
bool cmdline_has(const char *key);

/* Copy the value of `key=value` into buf (NUL-terminated, truncated to n-1 characters).
 * Returns buf, or NULL when key has no value on the command line. */
const char *cmdline_value(const char *key, char *buf, size_t n);

/* Parse a whole word as a number: decimal, or hexadecimal after 0x. False on anything else. */
bool cmdline_parse_u64(const char *s, unsigned long long *out);

#endif
