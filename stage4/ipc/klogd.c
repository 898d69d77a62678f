/* klogd.c: the kernel thread that moves the kernel log into /ipc/klog (ipc/klogd.h).
 *
 * klogd's loop: take every line the ring holds, write each as one message, then sleep
 * until printk wakes it or KLOGD_POLL_NS passes (a line printed under a spinlock cannot
 * wake anyone: kernel/klog.h). Its handle on the channel is O_RDWR | O_NONBLOCK: as a
 * reader it keeps the channel from end of file and can take the oldest message out when
 * the channel is full; non-blocking, because klogd must never wait for a reader that may
 * never come, while the ring behind it overflows.
 *
 * Locks: klogd_lock (LOCK_ORDER_OBJECT) protects the counters only, taken alone. */
#include <uapi/errno.h>
#include <arch/timer.h>
#include <ipc/chan.h>
#include <ipc/klogd.h>
#include <kernel/file.h>
#include <kernel/init.h>
#include <kernel/kfs.h>
#include <kernel/klog.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <lib/fmt.h>
#include <lib/string.h>

#define KLOGD_PATH_MAX 64
#define KLOGD_TRIES 4   /* writes of one line, each after taking the oldest out */

/* klogd's state. thread, chan and path change only in klogd_start and klogd_stop, never
 * run at once; the buffers belong to the thread. */
struct klogd {
	struct thread *thread;          /* NULL when not running */
	struct file *chan;
	char path[KLOGD_PATH_MAX];
	char line[KLOG_LINE_MAX + 1];
	char msg[KLOGD_MSG_MAX];
	char old[KLOGD_MSG_MAX];

	/* Protected by klogd_lock. */
	struct klogd_stats stats;
};

static struct klogd klogd;
static struct spinlock klogd_lock = SPINLOCK_INIT("klogd", LOCK_ORDER_OBJECT);
static const struct cred klogd_root = { 0, 0 };

/* Add n to the counter *counter, one of klogd.stats. */
static void klogd_count(uint64_t *counter, uint64_t n)
{
	spin_lock(&klogd_lock);
	*counter += n;
	spin_unlock(&klogd_lock);
}

/* Queue the len bytes of klogd.msg as one message. A full channel gives -EAGAIN (the
 * handle is O_NONBLOCK): take its oldest message out and try again. A reader that
 * empties the channel meanwhile makes the read fail and the next write succeed. */
static void klogd_post(size_t len)
{
	long r = -EAGAIN;
	int i;

	for (i = 0; i < KLOGD_TRIES && r == -EAGAIN; i++) {
		r = chan_write(klogd.chan, klogd.msg, len);
		if (r == -EAGAIN && chan_read(klogd.chan, klogd.old, sizeof klogd.old) >= 0)
			klogd_count(&klogd.stats.dropped, 1);
	}
	klogd_count(r >= 0 ? &klogd.stats.lines : &klogd.stats.failed, 1);
}

/* Move every line the ring holds into the channel, counting those it lost. */
static void klogd_drain(void)
{
	uint64_t seq, lost;
	int len;

	while (klog_take(klogd.line, sizeof klogd.line, &seq, &lost) >= 0) {
		if (lost)
			klogd_count(&klogd.stats.lost, lost);
		len = snprintf(klogd.msg, sizeof klogd.msg, "[%llu] %s\n",
			       (unsigned long long)seq, klogd.line);
		klogd_post((size_t)len);
	}
}

/* The thread: drain, sleep, until klogd_stop kills it. */
static void klogd_main(void *arg)
{
	(void)arg;
	while (!thread_killed()) {
		klogd_drain();
		klog_wait(arch_clock_ns() + KLOGD_POLL_NS);
	}
}

int klogd_start(const char *path)
{
	struct chan_attr attr = { KLOGD_CAPACITY, KLOGD_MSG_MAX };
	int err;

	if (klogd.thread)
		return -EBUSY;
	if (strlcpy(klogd.path, path, sizeof klogd.path) >= sizeof klogd.path)
		return -ENAMETOOLONG;
	err = chan_create(kfs_root(), path, KLOGD_MODE, &attr, &klogd_root);
	if (err)
		return err;
	err = chan_open(path, O_RDWR | O_NONBLOCK, &klogd.chan);
	if (err)
		goto out_remove;
	klogd.thread = thread_create("klogd", klogd_main, NULL, PRIO_NORMAL);
	if (klogd.thread)
		return 0;
	err = -ENOMEM;
	file_put(klogd.chan);
out_remove:
	kfs_remove(kfs_root(), path, &klogd_root, false);
	return err;
}

int klogd_stop(void)
{
	int err;

	if (!klogd.thread)
		return -ESRCH;
	thread_kill(klogd.thread);
	err = thread_join(klogd.thread, NULL);
	if (err)
		return err;
	klogd.thread = NULL;
	file_put(klogd.chan);
	kfs_remove(kfs_root(), klogd.path, &klogd_root, false);
	return 0;
}

void klogd_get_stats(struct klogd_stats *out)
{
	spin_lock(&klogd_lock);
	*out = klogd.stats;
	spin_unlock(&klogd_lock);
}

/* In a normal boot, before /bin/init: the log is there from the first process on. */
static void klogd_service(void)
{
	int err = klogd_start(KLOGD_PATH);

	if (err)
		printk("klogd: cannot start on %s (error %d)\n", KLOGD_PATH, err);
}
LAYER_SERVICE(klogd_service);
