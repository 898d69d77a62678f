/* klog.h: the kernel log: the last lines printk wrote, numbered, kept in a ring for a
 * reader to take (a later layer's log daemon: stage 4's klogd moves them into /ipc/klog).
 *
 * printk runs in any context, with any lock held, so it can do nothing here but copy:
 * it cannot allocate, sleep, or even wake a reader, because waking takes a wait queue's
 * and a run queue's locks, which rank below locks printk may be holding (kernel/spinlock.h).
 * So the ring is fixed memory, filled under the console lock, and a reader is woken only
 * by a printk made at a point that holds no spinlock (klog_wake); a line printed under a
 * lock waits for the reader's next look, or the next lock-free printk.
 *
 * Lines are numbered from 0 at boot. When the reader falls more than KLOG_LINES behind,
 * the oldest lines are overwritten: the reader sees it as a gap in the numbers. Lines
 * printed after a panic are not recorded (the ring's lock may be held by a stopped CPU).
 * lab-guides/stage4.md, "The kernel log". */
#ifndef KERNEL_KLOG_H
#define KERNEL_KLOG_H

#include <stddef.h>
#include <stdint.h>

#define KLOG_LINE_MAX 160       /* bytes of one line; a longer line is cut in pieces */
#define KLOG_LINES 64           /* lines the ring keeps */

/* Record the n bytes of s, a piece of what printk wrote: complete lines go into the ring.
 * Called by console_write_log() only. Locks: the console lock held; takes the ring's lock
 * (LOCK_ORDER_KLOG) inside it, so the log keeps the console's order. */
void klog_append(const char *s, size_t n);

/* Take the oldest line not taken yet: copy its text (no newline, NUL-terminated, cut to
 * len - 1 bytes) into buf, its number into *seq, and into *lost how many lines before it
 * were overwritten untaken. Returns its length, -EAGAIN when every complete line has been
 * taken, or -EINVAL (len 0). Each line is taken once, whoever takes it. */
long klog_take(char *buf, size_t len, uint64_t *seq, uint64_t *lost);

/* Sleep until a line is waiting to be taken, deadline_ns passes (arch_clock_ns time; 0 =
 * none) or the thread is killed. Returns 0, -ETIMEDOUT or -EINTR. */
int klog_wait(uint64_t deadline_ns);

/* Wake klog_wait's sleepers, if the calling CPU holds no spinlock (printk calls this after
 * its output; see the top of this file). */
void klog_wake(void);

#endif
