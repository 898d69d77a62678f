/*
 * test-chan.c - host tests of the channel core (stage4/ipc/chan_core.c), one
 * per rule of ipc/chan_core.h, each named after its rule. Each rule has a
 * plain test here, readable as an example; test-chan-prop.c checks all of
 * them at once against the reference model (Property 1). The core's
 * environment (allocator, buffers that can fault) is chan_host.c.
 */
#include <stdint.h>

#include <ipc/chan_core.h>
#include <kernel/compiler.h>
#include <lib/string.h>
#include <uapi/errno.h>

#include "chan_host.h"
#include "host_test.h"

/* --- helpers of the rule tests --- */

/* Write text (without its NUL) as one message from pid, whose uid is pid + 1000. */
static long put_text(struct chan_core *c, const char *text, int pid, unsigned flags)
{
	struct chan_host_buf hb = { .p = (unsigned char *)text, .fault = false };
	struct chan_buf b = chan_host_buf(&hb, strlen(text));
	struct chan_sender from = { .pid = pid, .uid = pid + 1000 };

	return chan_core_write(c, &b, &from, flags);
}

/* Read one message into out[0..size - 1) and NUL-terminate it when the read succeeded. */
static long get_text(struct chan_core *c, char *out, size_t size, struct chan_msg_info *info,
		     unsigned flags)
{
	struct chan_host_buf hb = { .p = (unsigned char *)out, .fault = false };
	struct chan_buf b = chan_host_buf(&hb, size - 1);
	long n = chan_core_read(c, &b, info, flags);

	if (n >= 0)
		out[n] = '\0';
	return n;
}

/* A channel with attributes capacity/max_size, one reader and one writer open. */
static bool open_chan(struct chan_core *c, uint32_t capacity, uint32_t max_size)
{
	struct chan_attr a = { capacity, max_size };

	return CHECK_EQ_INT(chan_core_init(c, &a), 0) &&
	       CHECK_EQ_INT(chan_core_open(c, CHAN_MODE_RDWR), 0);
}

/* Destroy c and check that every message the core allocated was freed. */
static void close_chan(struct chan_core *c)
{
	chan_core_destroy(c);
	CHECK_EQ_U64(chan_host_live(), 0);
}

/* --- one test per rule of ipc/chan_core.h --- */

HOST_TEST(chan_attr_defaults_and_limits)
{
	struct chan_attr def = CHAN_ATTR_DEFAULT;
	struct chan_attr bad[] = { { 0, 1 }, { CHAN_CAPACITY_MAX + 1, 1 }, { 1, 0 },
				   { 1, CHAN_MSG_SIZE_MAX + 1 } };
	struct chan_attr max = { CHAN_CAPACITY_MAX, CHAN_MSG_SIZE_MAX };
	struct chan_core c;

	CHECK_EQ_INT(def.capacity, 16);
	CHECK_EQ_INT(def.max_msg_size, 4096);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_EQ_INT(chan_core_init(&c, &bad[i]), -EINVAL);
	CHECK_EQ_INT(chan_core_init(&c, &max), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_EQ_INT(chan_core_set_attr(&c, &bad[i]), -EINVAL);
	CHECK_EQ_INT(c.attr.capacity, CHAN_CAPACITY_MAX);
	close_chan(&c);
}

HOST_TEST(chan_one_write_is_one_message)
{
	struct chan_msg_info info;
	struct chan_core c;
	char out[64];

	if (!open_chan(&c, 4, 64))
		return;
	CHECK_EQ_INT(put_text(&c, "abc", 7, 0), 3);
	CHECK_EQ_INT(put_text(&c, "hello", 7, 0), 5);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 3);
	CHECK_EQ_STR(out, "abc");
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 5);
	CHECK_EQ_STR(out, "hello");
	close_chan(&c);
}

HOST_TEST(chan_fifo_keeps_each_writers_order)
{
	const char *sent[] = { "a1", "b1", "a2", "a3", "b2" };
	int pids[] = { 1, 2, 1, 1, 2 };
	struct chan_msg_info info;
	struct chan_core c;
	char out[16];

	if (!open_chan(&c, 8, 16))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(sent); i++)
		CHECK_EQ_INT(put_text(&c, sent[i], pids[i], 0), 2);
	for (size_t i = 0; i < ARRAY_SIZE(sent); i++) {
		CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 2);
		CHECK_EQ_STR(out, sent[i]);
		CHECK_EQ_INT(info.from.pid, pids[i]);
	}
	close_chan(&c);
}

HOST_TEST(chan_each_message_goes_to_one_reader)
{
	struct chan_msg_info info;
	struct chan_core c;
	char first[8], second[8];

	if (!open_chan(&c, 4, 8) || !CHECK_EQ_INT(chan_core_open(&c, CHAN_MODE_READ), 0))
		return;
	CHECK_EQ_INT(put_text(&c, "x", 1, 0), 1);
	CHECK_EQ_INT(put_text(&c, "y", 1, 0), 1);
	CHECK_EQ_INT(get_text(&c, first, sizeof(first), &info, 0), 1);
	CHECK_EQ_INT(get_text(&c, second, sizeof(second), &info, 0), 1);
	CHECK_TRUE(strcmp(first, second) != 0);
	CHECK_EQ_INT(get_text(&c, second, sizeof(second), &info, CHAN_NONBLOCK), -EAGAIN);
	CHECK_EQ_U64(c.stats.msgs_read, 2);
	close_chan(&c);
}

HOST_TEST(chan_small_buffer_is_emsgsize_and_keeps_message)
{
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!open_chan(&c, 4, 64))
		return;
	CHECK_EQ_INT(put_text(&c, "0123456789", 3, 0), 10);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), -EMSGSIZE);
	CHECK_EQ_U64(info.len, 10);
	CHECK_EQ_INT(info.from.pid, 3);
	CHECK_EQ_INT(c.stats.depth, 1);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_MSGSIZE], 1);

	char big[11];
	CHECK_EQ_INT(get_text(&c, big, sizeof(big), &info, 0), 10);
	CHECK_EQ_STR(big, "0123456789");
	close_chan(&c);
}

HOST_TEST(chan_zero_length_message_is_not_eof)
{
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!open_chan(&c, 4, 8))
		return;
	CHECK_EQ_INT(put_text(&c, "", 5, 0), 0);
	CHECK_EQ_INT(c.stats.depth, 1);
	CHECK_EQ_INT(chan_core_close(&c, CHAN_MODE_WRITE), 0);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 0);
	CHECK_TRUE(!info.eof);
	CHECK_EQ_INT(info.from.pid, 5);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 0);
	CHECK_TRUE(info.eof);
	close_chan(&c);
}

/* Empty with a writer open: would block; only a non-blocking caller's -EAGAIN is an error. */
HOST_TEST(chan_empty_with_writer_would_block)
{
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!open_chan(&c, 4, 8))
		return;
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), -EAGAIN);
	CHECK_TRUE(!info.eof);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_AGAIN], 0);
	chan_core_note_blocked(&c, CHAN_SIDE_READ);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, CHAN_NONBLOCK), -EAGAIN);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_AGAIN], 1);
	CHECK_EQ_U64(c.stats.blocked[CHAN_SIDE_READ], 1);
	CHECK_EQ_U64(c.stats.blocked[CHAN_SIDE_WRITE], 0);
	close_chan(&c);
}

HOST_TEST(chan_full_would_block_until_read)
{
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!open_chan(&c, 2, 8))
		return;
	CHECK_EQ_INT(put_text(&c, "1", 1, 0), 1);
	CHECK_EQ_INT(put_text(&c, "2", 1, 0), 1);
	CHECK_EQ_INT(put_text(&c, "3", 1, CHAN_NONBLOCK), -EAGAIN);
	CHECK_EQ_INT(c.stats.depth, 2);
	CHECK_EQ_U64(chan_host_live(), 2);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 1);
	CHECK_EQ_INT(put_text(&c, "3", 1, 0), 1);
	CHECK_EQ_INT(c.stats.high_water, 2);
	close_chan(&c);
}

/* The mailbox rule: a message written before any reader opens waits for one. */
HOST_TEST(chan_write_without_reader_is_kept)
{
	struct chan_attr a = { 4, 8 };
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!CHECK_EQ_INT(chan_core_init(&c, &a), 0))
		return;
	CHECK_EQ_INT(chan_core_open(&c, CHAN_MODE_WRITE), 0);
	CHECK_EQ_INT(put_text(&c, "early", 2, 0), 5);
	CHECK_EQ_INT(chan_core_close(&c, CHAN_MODE_WRITE), 0);
	CHECK_EQ_INT(chan_core_open(&c, CHAN_MODE_READ), 0);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 5);
	CHECK_EQ_STR(out, "early");
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 0);
	CHECK_TRUE(info.eof);
	close_chan(&c);
}

/* Unlink: open handles keep working; no new ones; -EPIPE once no reader can come. */
HOST_TEST(chan_unlink_then_last_reader_gone_is_epipe)
{
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!open_chan(&c, 4, 8))
		return;
	chan_core_unlink(&c);
	CHECK_EQ_INT(chan_core_open(&c, CHAN_MODE_READ), -ENOENT);
	CHECK_EQ_INT(put_text(&c, "still", 1, 0), 5);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 5);
	CHECK_EQ_INT(chan_core_close(&c, CHAN_MODE_READ), 0);
	CHECK_TRUE(!chan_core_unused(&c));
	CHECK_EQ_INT(put_text(&c, "lost", 1, 0), -EPIPE);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_PIPE], 1);
	CHECK_EQ_INT(c.stats.depth, 0);
	CHECK_EQ_INT(chan_core_close(&c, CHAN_MODE_WRITE), 0);
	CHECK_TRUE(chan_core_unused(&c));
	close_chan(&c);
}

HOST_TEST(chan_close_without_open_is_refused)
{
	struct chan_attr a = CHAN_ATTR_DEFAULT;
	struct chan_core c;

	if (!CHECK_EQ_INT(chan_core_init(&c, &a), 0))
		return;
	CHECK_EQ_INT(chan_core_open(&c, CHAN_MODE_READ), 0);
	CHECK_EQ_INT(chan_core_close(&c, CHAN_MODE_RDWR), -EINVAL);
	CHECK_EQ_INT(chan_core_close(&c, (enum chan_mode)0), -EINVAL);
	CHECK_EQ_INT(chan_core_open(&c, (enum chan_mode)4), -EINVAL);
	CHECK_EQ_INT(c.readers, 1);
	CHECK_EQ_INT(c.writers, 0);
	close_chan(&c);
}

HOST_TEST(chan_read_reports_sender)
{
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!open_chan(&c, 4, 8))
		return;
	CHECK_EQ_INT(put_text(&c, "hi", 42, 0), 2);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 2);
	CHECK_EQ_INT(info.from.pid, 42);
	CHECK_EQ_INT(info.from.uid, 1042);
	CHECK_EQ_U64(info.len, 2);
	CHECK_TRUE(!info.eof);
	close_chan(&c);
}

/* Too long for the channel is -EMSGSIZE even when full: waiting would not help. */
HOST_TEST(chan_oversize_write_is_emsgsize_before_full)
{
	struct chan_core c;

	if (!open_chan(&c, 1, 4))
		return;
	CHECK_EQ_INT(put_text(&c, "1234", 1, 0), 4);
	CHECK_EQ_INT(put_text(&c, "12345", 1, 0), -EMSGSIZE);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_MSGSIZE], 1);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_AGAIN], 0);
	close_chan(&c);
}

/* A bad buffer or no memory fails the call and changes nothing else. */
HOST_TEST(chan_fault_and_nomem_lose_nothing)
{
	unsigned char bytes[4] = { 1, 2, 3, 4 };
	struct chan_host_buf hb = { .p = bytes, .fault = true };
	struct chan_buf b = chan_host_buf(&hb, sizeof(bytes));
	struct chan_sender from = { .pid = 1, .uid = 0 };
	struct chan_msg_info info;
	struct chan_core c;

	if (!open_chan(&c, 4, 8))
		return;
	CHECK_EQ_INT(chan_core_write(&c, &b, &from, 0), -EFAULT);
	CHECK_EQ_U64(chan_host_live(), 0);
	chan_host_alloc.fail_next = true;
	hb.fault = false;
	CHECK_EQ_INT(chan_core_write(&c, &b, &from, 0), -ENOMEM);
	CHECK_EQ_INT(c.stats.depth, 0);
	CHECK_EQ_INT(chan_core_write(&c, &b, &from, 0), 4);
	hb.fault = true;
	CHECK_EQ_INT(chan_core_read(&c, &b, &info, 0), -EFAULT);
	CHECK_EQ_INT(c.stats.depth, 1);
	hb.fault = false;
	memset(bytes, 0, sizeof(bytes));
	CHECK_EQ_INT(chan_core_read(&c, &b, &info, 0), 4);
	CHECK_EQ_INT(bytes[3], 4);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_FAULT], 2);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_NOMEM], 1);
	close_chan(&c);
}

HOST_TEST(chan_pass_is_a_write_and_a_read_at_once)
{
	struct chan_host_buf hb = { .p = (unsigned char *)"hello", .fault = false };
	struct chan_buf b = chan_host_buf(&hb, 5);
	struct chan_sender from = { .pid = 7, .uid = 1007 };
	struct chan_msg_info info;
	struct chan_core c;
	char land[8];

	if (!open_chan(&c, 4, 16))
		return;
	CHECK_EQ_INT(chan_core_pass(&c, &b, &from, land, sizeof(land), &info), 5);
	CHECK_TRUE(memcmp(land, "hello", 5) == 0);
	CHECK_EQ_U64(info.len, 5);
	CHECK_EQ_INT(info.from.pid, 7);
	CHECK_EQ_INT(info.from.uid, 1007);
	CHECK_TRUE(!info.eof);
	CHECK_EQ_U64(c.stats.msgs_written, 1);
	CHECK_EQ_U64(c.stats.msgs_read, 1);
	CHECK_EQ_U64(c.stats.bytes_read, 5);
	CHECK_EQ_U64(c.stats.depth, 0);
	CHECK_EQ_U64(c.stats.high_water, 1);
	CHECK_EQ_U64(c.stats.handed, 1);
	/* Not handed: longer than the place offered, or behind a queued message. */
	CHECK_EQ_INT(chan_core_pass(&c, &b, &from, land, 4, &info), -EAGAIN);
	CHECK_EQ_INT(put_text(&c, "first", 1, 0), 5);
	CHECK_EQ_INT(chan_core_pass(&c, &b, &from, land, sizeof(land), &info), -EAGAIN);
	CHECK_EQ_U64(c.stats.msgs_written, 2);
	CHECK_EQ_U64(c.stats.errors[CHAN_ERR_AGAIN], 0);
	close_chan(&c);
}

HOST_TEST(chan_set_attr_never_drops_messages)
{
	struct chan_attr smaller = { 1, 2 };
	struct chan_attr fits = { 2, 2 };
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!open_chan(&c, 4, 8))
		return;
	CHECK_EQ_INT(put_text(&c, "long", 1, 0), 4);
	CHECK_EQ_INT(put_text(&c, "more", 1, 0), 4);
	CHECK_EQ_INT(chan_core_set_attr(&c, &smaller), -EBUSY);
	CHECK_EQ_INT(chan_core_set_attr(&c, &fits), 0);
	CHECK_EQ_INT(put_text(&c, "abc", 1, 0), -EMSGSIZE);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 4);
	CHECK_EQ_STR(out, "long");
	close_chan(&c);
}

/* Destroy frees what is queued, and the statistics account for every byte. */
HOST_TEST(chan_destroy_frees_and_stats_are_exact)
{
	struct chan_msg_info info;
	struct chan_core c;
	char out[8];

	if (!open_chan(&c, 8, 8))
		return;
	CHECK_EQ_INT(put_text(&c, "ab", 1, 0), 2);
	CHECK_EQ_INT(put_text(&c, "cde", 1, 0), 3);
	CHECK_EQ_INT(put_text(&c, "f", 1, 0), 1);
	CHECK_EQ_INT(get_text(&c, out, sizeof(out), &info, 0), 2);
	CHECK_EQ_U64(c.stats.msgs_written, 3);
	CHECK_EQ_U64(c.stats.bytes_written, 6);
	CHECK_EQ_U64(c.stats.msgs_read, 1);
	CHECK_EQ_U64(c.stats.bytes_read, 2);
	CHECK_EQ_INT(c.stats.depth, 2);
	CHECK_EQ_U64(c.stats.bytes_queued, 4);
	CHECK_EQ_INT(c.stats.high_water, 3);
	CHECK_EQ_U64(chan_host_live(), 2);
	close_chan(&c);
	CHECK_EQ_INT(c.stats.depth, 0);
}
