/* textfile.h: read-only text files whose contents a function writes when they are opened
 * (the files of /kfs: kernel state as text). Each open takes a snapshot, so a reader sees
 * one consistent picture however slowly it reads. */
#ifndef KERNEL_TEXTFILE_H
#define KERNEL_TEXTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <kernel/compiler.h>

#define TEXTFILE_MAX 16384          /* bytes of a snapshot's first buffer */
#define TEXTFILE_LIMIT (1024 * 1024) /* bytes a snapshot holds at most; more is cut off */

struct textbuf {
	char *data;
	size_t len, size;
	bool cut;               /* some text did not fit: the snapshot is taken again, larger */
};

/* Append formatted text to b. Text that does not fit sets b->cut: the file's open then
 * takes the snapshot again in a buffer four times larger (up to TEXTFILE_LIMIT), so show
 * functions may run under spinlocks and never allocate. */
void textbuf_printf(struct textbuf *b, const char *fmt, ...) __printf(2, 3);

struct kfs_node;

/* Add a file called name to dir whose contents are what show(b, arg) writes at each open.
 * Root-owned, mode 0444. Returns 0 or -errno. */
int textfile_add(struct kfs_node *dir, const char *name,
		 void (*show)(struct textbuf *b, void *arg), void *arg);

#endif
