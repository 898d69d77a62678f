/* ulib/chanstat.h: reading the kernel's table of channels, /kfs/ipc/channels
 * (stage4/ipc/chan_stat.c): a header line naming the columns, then one line per channel,
 * fields separated by single spaces, the path first. For tests that compare the kernel's
 * statistics with what they did, and for tools. */
#ifndef ULIB_CHANSTAT_H
#define ULIB_CHANSTAT_H

#include <stddef.h>

#define CHANSTAT_PATH "/kfs/ipc/channels"
#define CHANSTAT_MAX 16384      /* the kernel cuts a /kfs file there (TEXTFILE_MAX) */

/* Read the table into buf[CHANSTAT_MAX + 1] as a string. Returns its length or -errno. */
long chanstat_read(char *buf);

/* The figure in column name of channel path's line of table (as chanstat_read left it):
 * 0 with *out, or -ENOENT (no line for path, or no such column). Numbers are read as C
 * writes them, so the octal mode ("0640") comes out right. */
int chanstat_field(const char *table, const char *path, const char *column,
		   unsigned long long *out);

#define CHANSTAT_SUMMARY "/kfs/ipc/summary"

/* The value of key in /kfs/ipc/summary ("key value" lines: channels' and endpoints'
 * totals), or -1 when it cannot be read or has no such key. */
long long chanstat_summary(const char *key);

#endif
