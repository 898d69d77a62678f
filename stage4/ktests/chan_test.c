/* chan_test.c: the kernel's channels (ipc/chan.h) through the in-kernel API: a round trip,
 * blocking and waking on both sides, O_NONBLOCK, end of file, unlink while open, a kill
 * while blocked, and the access check. The rules themselves are tested on the host
 * (tests/host/test-chan.c); these tests are about locking, sleeping and the namespace. */
#include <uapi/errno.h>
#include <arch/timer.h>
#include <ipc/chan.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/ktest.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <mm/kmalloc.h>

#define CHAN_TEST_WAIT_NS (20 * 1000000ULL)   /* long enough for a thread to fall asleep */
#define CHAN_TEST_REAP_NS 1000000ULL          /* one wait for an ended thread to be freed */
#define CHAN_TEST_REAP_TRIES 1000

static const struct cred chan_test_root = { 0, 0 };

/* Create path as root with capacity messages of up to 64 bytes, mode 0666. */
static int chan_test_make(const char *path, uint32_t capacity)
{
	struct chan_attr a = { capacity, 64 };

	return chan_create(kfs_root(), path, 0666, &a, &chan_test_root);
}

/* A read or a write a kernel thread makes, and what it got. */
struct chan_test_job {
	struct file *f;
	bool write;
	char buf[64];
	size_t len;
	long result;
	bool done;      /* set after result: READ_ONCE */
	unsigned threads0;      /* threads alive before the job's thread was made */
};

static void chan_test_job_run(void *arg)
{
	struct chan_test_job *j = arg;

	j->result = j->write ? chan_write(j->f, j->buf, j->len) : chan_read(j->f, j->buf, j->len);
	WRITE_ONCE(j->done, true);
}

/* Start j in a thread of its own. */
static struct thread *chan_test_start(struct chan_test_job *j)
{
	j->threads0 = thread_count();
	WRITE_ONCE(j->done, false);
	return thread_create("chan-test", chan_test_job_run, j, PRIO_NORMAL);
}

/* Join j's thread t and wait until its struct and stack are freed too (that happens after
 * it is switched out for good, a little after the join), so that a later test that counts
 * the heap does not see it go. Returns thread_join's result. */
static int chan_test_join(struct chan_test_job *j, struct thread *t)
{
	int err = thread_join(t, NULL), i;

	for (i = 0; i < CHAN_TEST_REAP_TRIES && thread_count() > j->threads0; i++)
		timer_sleep_ns(CHAN_TEST_REAP_NS);
	return err;
}

KTEST(chan_create_write_read_round_trip)
{
	struct chan_msg_info info;
	struct file *w, *r;
	struct iobuf b;
	struct stat st;
	char buf[64];

	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-rt", 4), 0);
	KTEST_EXPECT_EQ(chan_test_make("/ipc/kt-rt", 4), -EEXIST);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-rt", O_WRONLY, &w), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-rt", O_RDONLY, &r), 0);
	KTEST_EXPECT_EQ(chan_write(w, "hello", 5), 5);
	KTEST_EXPECT_EQ(chan_write(w, "", 0), 0);
	kfs_stat(w->node, &st);
	KTEST_EXPECT_EQ(st.st_mode, S_IFIFO | 0666);
	KTEST_EXPECT_EQ(st.st_size, 2);
	KTEST_EXPECT_EQ(st.st_extra[0], 4);
	KTEST_EXPECT_EQ(st.st_extra[1], 64);
	KTEST_EXPECT_EQ(chan_read(r, buf, sizeof buf), 5);
	KTEST_EXPECT(memcmp(buf, "hello", 5) == 0);
	b = iobuf_kernel(buf, sizeof buf);
	KTEST_EXPECT_EQ(chan_recv(r, &b, &info), 0);   /* the empty message, not the end */
	KTEST_EXPECT(!info.eof);
	KTEST_EXPECT_EQ(info.from.pid, 0);             /* written by the kernel */
	KTEST_EXPECT_EQ(chan_read(w, buf, sizeof buf), -EBADF);
	KTEST_EXPECT_EQ(chan_write(w, buf, 65), -EMSGSIZE);
	file_put(w);
	file_put(r);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/ipc/kt-rt", &chan_test_root, false), 0);
}

KTEST(chan_bad_attributes_and_places_are_einval)
{
	struct chan_attr zero = { 0, 64 }, huge = { 1, CHAN_MSG_SIZE_MAX + 1 };

	KTEST_EXPECT_EQ(chan_create(kfs_root(), "/ipc/kt-bad", 0666, &zero, &chan_test_root),
			-EINVAL);
	KTEST_EXPECT_EQ(chan_create(kfs_root(), "/ipc/kt-bad", 0666, &huge, &chan_test_root),
			-EINVAL);
	KTEST_EXPECT_EQ(chan_create(kfs_root(), "/tmp/kt-chan", 0666, NULL, &chan_test_root),
			-EINVAL);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/ipc/kt-bad", &chan_test_root, false), -ENOENT);
}

KTEST(chan_subdirectories_of_ipc_hold_channels)
{
	struct kfs_create_args a = { S_IFDIR | 0755, NULL, &chan_test_root };
	struct kfs_node *ipc, *sub;
	struct file *f;

	KTEST_ASSERT_EQ(kfs_resolve(kfs_root(), "/ipc", &chan_test_root, &ipc), 0);
	KTEST_ASSERT_EQ(ipc->ops->create(ipc, "kt-sub", &a, &sub), 0);
	kfs_put(sub);
	kfs_put(ipc);
	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-sub/c", 4), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-sub/c", O_RDWR, &f), 0);
	KTEST_EXPECT_EQ(chan_write(f, "sub", 3), 3);
	file_put(f);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/ipc/kt-sub", &chan_test_root, true), -ENOTEMPTY);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/ipc/kt-sub/c", &chan_test_root, false), 0);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/ipc/kt-sub", &chan_test_root, true), 0);
}

KTEST(chan_blocking_read_is_woken_by_a_writer)
{
	struct chan_test_job j = { .write = false, .len = 64 };
	struct file *w;
	struct thread *t;

	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-wake", 4), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-wake", O_WRONLY, &w), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-wake", O_RDONLY, &j.f), 0);
	t = chan_test_start(&j);
	KTEST_ASSERT(t != NULL);
	KTEST_EXPECT_EQ(timer_sleep_ns(CHAN_TEST_WAIT_NS), 0);
	KTEST_EXPECT(!READ_ONCE(j.done));              /* asleep on an empty channel */
	KTEST_EXPECT_EQ(chan_write(w, "ping", 4), 4);
	KTEST_EXPECT_EQ(chan_test_join(&j, t), 0);
	KTEST_EXPECT_EQ(j.result, 4);
	KTEST_EXPECT(memcmp(j.buf, "ping", 4) == 0);
	file_put(w);
	file_put(j.f);
	kfs_remove(kfs_root(), "/ipc/kt-wake", &chan_test_root, false);
}

KTEST(chan_full_channel_blocks_a_writer_until_a_read)
{
	struct chan_test_job j = { .write = true, .buf = "second", .len = 6 };
	struct file *r;
	struct thread *t;
	char buf[64];

	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-full", 1), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-full", O_RDONLY, &r), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-full", O_WRONLY, &j.f), 0);
	KTEST_EXPECT_EQ(chan_write(j.f, "first", 5), 5);
	t = chan_test_start(&j);
	KTEST_ASSERT(t != NULL);
	KTEST_EXPECT_EQ(timer_sleep_ns(CHAN_TEST_WAIT_NS), 0);
	KTEST_EXPECT(!READ_ONCE(j.done));              /* asleep on a full channel */
	KTEST_EXPECT_EQ(chan_read(r, buf, sizeof buf), 5);
	KTEST_EXPECT_EQ(chan_test_join(&j, t), 0);
	KTEST_EXPECT_EQ(j.result, 6);
	KTEST_EXPECT_EQ(chan_read(r, buf, sizeof buf), 6);
	KTEST_EXPECT(memcmp(buf, "second", 6) == 0);
	file_put(r);
	file_put(j.f);
	kfs_remove(kfs_root(), "/ipc/kt-full", &chan_test_root, false);
}

KTEST(chan_nonblock_gives_eagain_on_both_sides)
{
	struct file *r, *w;
	char buf[64];

	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-nb", 1), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-nb", O_RDONLY | O_NONBLOCK, &r), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-nb", O_WRONLY | O_NONBLOCK, &w), 0);
	KTEST_EXPECT_EQ(chan_read(r, buf, sizeof buf), -EAGAIN);
	KTEST_EXPECT_EQ(chan_write(w, "a", 1), 1);
	KTEST_EXPECT_EQ(chan_write(w, "b", 1), -EAGAIN);
	KTEST_EXPECT_EQ(chan_read(r, buf, sizeof buf), 1);
	KTEST_EXPECT_EQ(buf[0], 'a');
	file_put(r);
	file_put(w);
	kfs_remove(kfs_root(), "/ipc/kt-nb", &chan_test_root, false);
}

KTEST(chan_reader_sees_eof_when_no_writer_is_left)
{
	struct chan_test_job j = { .write = false, .len = 64 };
	struct file *w;
	struct thread *t;
	char buf[64];

	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-eof", 4), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-eof", O_RDONLY, &j.f), 0);
	KTEST_EXPECT_EQ(chan_read(j.f, buf, sizeof buf), 0);    /* no writer: end of file */
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-eof", O_WRONLY, &w), 0);
	KTEST_EXPECT_EQ(chan_write(w, "last", 4), 4);
	t = chan_test_start(&j);                         /* reads "last", then sleeps */
	KTEST_ASSERT(t != NULL);
	KTEST_EXPECT_EQ(chan_test_join(&j, t), 0);
	KTEST_EXPECT_EQ(j.result, 4);
	t = chan_test_start(&j);
	KTEST_ASSERT(t != NULL);
	KTEST_EXPECT_EQ(timer_sleep_ns(CHAN_TEST_WAIT_NS), 0);
	KTEST_EXPECT(!READ_ONCE(j.done));
	file_put(w);                                     /* the last writer: wakes the reader */
	KTEST_EXPECT_EQ(chan_test_join(&j, t), 0);
	KTEST_EXPECT_EQ(j.result, 0);
	file_put(j.f);
	kfs_remove(kfs_root(), "/ipc/kt-eof", &chan_test_root, false);
}

KTEST(chan_killed_while_blocked_gets_eintr_and_loses_nothing)
{
	struct chan_test_job j = { .write = false, .len = 64 };
	struct file *w;
	struct thread *t;
	char buf[64];

	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-kill", 4), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-kill", O_WRONLY, &w), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-kill", O_RDONLY, &j.f), 0);
	t = chan_test_start(&j);
	KTEST_ASSERT(t != NULL);
	KTEST_EXPECT_EQ(timer_sleep_ns(CHAN_TEST_WAIT_NS), 0);
	thread_kill(t);
	KTEST_EXPECT_EQ(chan_test_join(&j, t), 0);
	KTEST_EXPECT_EQ(j.result, -EINTR);
	KTEST_EXPECT_EQ(chan_write(w, "kept", 4), 4);
	KTEST_EXPECT_EQ(chan_read(j.f, buf, sizeof buf), 4);
	file_put(w);
	file_put(j.f);
	kfs_remove(kfs_root(), "/ipc/kt-kill", &chan_test_root, false);
}

KTEST(chan_unlink_while_open_keeps_handles_and_frees_at_last_close)
{
	struct kmalloc_stats k0, k1;
	struct file *r, *w, *again;
	struct kfs_node *n;
	char buf[64];

	kmalloc_stats(&k0);
	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-unlink", 4), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-unlink", O_RDONLY, &r), 0);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-unlink", O_WRONLY, &w), 0);
	KTEST_EXPECT_EQ(chan_write(w, "before", 6), 6);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/ipc/kt-unlink", &chan_test_root, false), 0);
	KTEST_EXPECT_EQ(kfs_resolve(kfs_root(), "/ipc/kt-unlink", &chan_test_root, &n), -ENOENT);
	KTEST_EXPECT_EQ(chan_write(w, "after", 5), 5);
	KTEST_EXPECT_EQ(chan_read(r, buf, sizeof buf), 6);
	KTEST_EXPECT_EQ(chan_read(r, buf, sizeof buf), 5);
	KTEST_EXPECT(memcmp(buf, "after", 5) == 0);
	KTEST_ASSERT_EQ(chan_test_make("/ipc/kt-unlink", 4), 0);   /* the name is free */
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-unlink", O_RDONLY | O_NONBLOCK, &again), 0);
	KTEST_EXPECT_EQ(chan_read(again, buf, sizeof buf), 0);     /* a new, empty channel */
	file_put(again);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/ipc/kt-unlink", &chan_test_root, false), 0);
	KTEST_EXPECT_EQ(chan_write(w, "queued", 6), 6);            /* freed with the channel */
	file_put(r);
	KTEST_EXPECT_EQ(chan_write(w, "nobody", 6), -EPIPE);       /* no reader can come */
	file_put(w);
	kmalloc_stats(&k1);
	KTEST_EXPECT_EQ(k1.allocs_in_use, k0.allocs_in_use);
	KTEST_EXPECT_EQ(k1.bytes_in_use, k0.bytes_in_use);
}

KTEST(chan_other_user_cannot_open_a_0600_channel)
{
	static const struct cred user = { 1000, 1000 };
	struct file *f;

	KTEST_ASSERT_EQ(chan_create(kfs_root(), "/ipc/kt-perm", 0600, NULL, &chan_test_root), 0);
	KTEST_EXPECT_EQ(file_open(kfs_root(), "/ipc/kt-perm", O_RDONLY, 0, &user, &f), -EACCES);
	KTEST_EXPECT_EQ(file_open(kfs_root(), "/ipc/kt-perm", O_WRONLY, 0, &user, &f), -EACCES);
	KTEST_ASSERT_EQ(chan_open("/ipc/kt-perm", O_RDWR, &f), 0);    /* root may */
	file_put(f);
	KTEST_EXPECT_EQ(chan_create(kfs_root(), "/kfs/kt-chan", 0666, NULL, &user), -EACCES);
	kfs_remove(kfs_root(), "/ipc/kt-perm", &chan_test_root, false);
}
