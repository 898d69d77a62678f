/* ulib/ntfystat.h: reading the kernel's table of notification endpoints, /kfs/ipc/notify
 * (stage4/ipc/chan_stat.c): laid out as /kfs/ipc/channels is (ulib/chanstat.h), a header
 * line naming the columns, then one line per live endpoint, which starts with its inode
 * number (st_ino of fstat on its descriptor). For tests that compare an endpoint's figures
 * with what they did. */
#ifndef ULIB_NTFYSTAT_H
#define ULIB_NTFYSTAT_H

#include <stdint.h>
#include <ulib/chanstat.h>

#define NTFYSTAT_PATH "/kfs/ipc/notify"
#define NTFYSTAT_MAX CHANSTAT_MAX       /* the kernel cuts a /kfs file there */

/* Read the table into buf[NTFYSTAT_MAX + 1] as a string. Returns its length or -errno. */
long ntfystat_read(char *buf);

/* The figure in column of endpoint ino's line of table (as ntfystat_read left it): 0 with
 * *out, or -ENOENT (no line for ino, or no such column). */
int ntfystat_field(const char *table, uint64_t ino, const char *column,
		   unsigned long long *out);

#endif
