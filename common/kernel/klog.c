/* klog.c: the kernel log's ring of lines (kernel/klog.h).
 *
 * Line number seq lives in klog_ring[seq % KLOG_LINES] until line seq + KLOG_LINES takes
 * its place. klog_next is the number the next completed line gets; klog_taken the oldest
 * one no reader has taken. The lines still in the ring are those from
 * max(klog_taken, klog_next - KLOG_LINES) to klog_next - 1. */
#include <uapi/errno.h>
#include <kernel/compiler.h>
#include <kernel/klog.h>
#include <kernel/percpu.h>
#include <kernel/spinlock.h>
#include <kernel/waitq.h>
#include <lib/string.h>

struct klog_line {
	uint32_t len;
	char text[KLOG_LINE_MAX];
};

/* Protected by klog_lock (LOCK_ORDER_KLOG, innermost: taken inside the console lock by
 * klog_append, alone by klog_take): the ring, the line being assembled and the numbers. */
static struct spinlock klog_lock = SPINLOCK_INIT("klog", LOCK_ORDER_KLOG);
static struct klog_line klog_ring[KLOG_LINES];
static struct klog_line klog_partial;   /* the line printk is in the middle of */
static uint64_t klog_next, klog_taken;

static struct waitq klog_readers = WAITQ_INIT(klog_readers, "klog-readers");

/* Move the partial line into the ring as line klog_next, over the oldest when it is full.
 * Locks: klog_lock held. */
static void klog_commit(void)
{
	klog_ring[klog_next % KLOG_LINES] = klog_partial;
	WRITE_ONCE(klog_next, klog_next + 1);
	klog_partial.len = 0;
}

void klog_append(const char *s, size_t n)
{
	spin_lock(&klog_lock);
	for (; n; s++, n--) {
		if (*s == '\n') {
			klog_commit();
			continue;
		}
		if (klog_partial.len == KLOG_LINE_MAX)
			klog_commit();          /* a longer line goes on as the next one */
		klog_partial.text[klog_partial.len++] = *s;
	}
	spin_unlock(&klog_lock);
}

long klog_take(char *buf, size_t len, uint64_t *seq, uint64_t *lost)
{
	const struct klog_line *l;
	size_t n;

	if (len == 0)
		return -EINVAL;
	spin_lock(&klog_lock);
	if (klog_taken == klog_next) {
		spin_unlock(&klog_lock);
		return -EAGAIN;
	}
	*lost = 0;
	if (klog_next - klog_taken > KLOG_LINES) {
		*lost = klog_next - KLOG_LINES - klog_taken;    /* overwritten meanwhile */
		klog_taken = klog_next - KLOG_LINES;
	}
	l = &klog_ring[klog_taken % KLOG_LINES];
	n = l->len < len - 1 ? l->len : len - 1;
	memcpy(buf, l->text, n);
	buf[n] = '\0';
	*seq = klog_taken;
	WRITE_ONCE(klog_taken, klog_taken + 1);
	spin_unlock(&klog_lock);
	return (long)n;
}

/* klog_wait's condition: a complete line not taken yet. Read without the lock: a stale
 * answer only costs a look at the ring, or a sleep the next wake-up ends. */
static bool klog_pending(void *arg)
{
	(void)arg;
	return READ_ONCE(klog_taken) != READ_ONCE(klog_next);
}

int klog_wait(uint64_t deadline_ns)
{
	return waitq_wait_cond(&klog_readers, klog_pending, NULL, deadline_ns);
}

void klog_wake(void)
{
	/* LAB(stage4): holding a spinlock means interrupts are off, so this thread cannot move
	 * to another CPU between cpu_self() and the read: nr_held is really ours. Holding
	 * none, it may move and read another CPU's count: then at worst it does not wake, and
	 * the line waits for the reader's next look. */
	if (cpu_self()->nr_held == 0 && !waitq_empty(&klog_readers))
		waitq_wake_all(&klog_readers);
}
