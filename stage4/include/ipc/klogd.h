/* ipc/klogd.h: klogd, the kernel thread that moves the kernel log (kernel/klog.h) into a
 * channel, /ipc/klog: one message per line, "[N] text\n", N the line's number since boot.
 *
 * printk cannot write a channel itself: it runs with any lock held, and a channel's write
 * takes the channel's lock (LOCK_ORDER_OBJECT), allocates and wakes readers. So printk
 * only copies into common's ring, and klogd, an ordinary thread, does the channel's part
 * through the in-kernel channel API (ipc/chan.h). lab-guides/stage4.md, "The kernel log".
 *
 * The rules of /ipc/klog:
 *  - Mode 0400, owned by root: only root reads the log. A read takes a line away for
 *    everyone, so a user allowed to read it could hide lines from root.
 *  - klogd holds it open for reading and writing, so it never reaches end of file: `cat
 *    /ipc/klog` prints what is queued and then waits for new lines (^C ends it); `dmesg`
 *    prints what is queued and returns.
 *  - A full channel (nobody reading) keeps the newest lines: klogd takes the oldest
 *    message out to make room, as a ring does. Lines lost that way, or overwritten in
 *    the ring before klogd took them, show as gaps in the numbers, and are counted.
 *  - Every message klogd writes comes from pid 0 (the kernel), which a reader can check
 *    with recv: root could write into the channel too, but not as pid 0.
 *  - klogd starts in a normal boot only (a LAYER_SERVICE, kernel/init.h), before /bin/init,
 *    so the name is the kernel's before any user could take it. */
#ifndef IPC_KLOGD_H
#define IPC_KLOGD_H

#include <stdint.h>
#include <kernel/klog.h>

#define KLOGD_PATH "/ipc/klog"
#define KLOGD_MODE 0400
#define KLOGD_CAPACITY 64                       /* messages the channel keeps */
#define KLOGD_MSG_MAX (KLOG_LINE_MAX + 24)      /* "[N] ", the line, "\n" */
#define KLOGD_POLL_NS 1000000000ULL     /* a line printed under a lock waits at most this */

/* What klogd has done since boot (over every start). */
struct klogd_stats {
	uint64_t lines;         /* lines queued in the channel */
	uint64_t dropped;       /* old messages taken out of the full channel to make room */
	uint64_t lost;          /* lines overwritten in the ring before klogd took them */
	uint64_t failed;        /* lines that could not be queued (no memory) */
};

/* Start klogd: create the channel at path (KLOGD_MODE, root, KLOGD_CAPACITY messages of
 * KLOGD_MSG_MAX bytes) and the thread that fills it. Not to be called at the same time as
 * klogd_stop (callers: the boot, one test at a time). Returns 0, -EBUSY (running), or
 * -errno of chan_create (-EEXIST...), chan_open, or -ENOMEM. */
int klogd_start(const char *path);

/* Stop klogd: end the thread, close and unlink its channel (queued lines are freed with
 * the channel, at its last close). Returns 0, -ESRCH (not running) or -EINTR (the caller
 * was killed while waiting for the thread; klogd has been told to end). */
int klogd_stop(void);

/* Copy klogd's counters into *out. */
void klogd_get_stats(struct klogd_stats *out);

#endif
