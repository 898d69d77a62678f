/* chan_core.c: a channel's message queue and its rules (ipc/chan_core.h).
 *
 * Every function here runs with the owner's lock held and never sleeps, so each one either
 * does all of its work or none of it: checks come first, then the one step that can fail
 * late (allocating, copying), and only then the changes to the queue and the counters.
 *
 * The invariants, checked after every step by tests/host/test-chan.c:
 *  - stats.depth is the length of queue, stats.bytes_queued the sum of its messages'
 *    lengths, and depth <= attr.capacity;
 *  - stats.depth = stats.msgs_written - stats.msgs_read (accepted writes minus completed
 *    reads): a message is counted once when it is queued and once when it is removed;
 *  - every queued message came from one successful write and has not been read. */
#include <uapi/errno.h>
#include <ipc/chan_core.h>

/* One queued message: a header and its bytes, in one allocation. */
struct chan_msg {
	struct list_node link;          /* in chan_core.queue */
	size_t len;
	struct chan_sender from;
	unsigned char bytes[];
};

/* Check attributes against the hard limits. Returns 0 or -EINVAL. */
int chan_attr_check(const struct chan_attr *a)
{
	if (a->capacity < 1 || a->capacity > CHAN_CAPACITY_MAX)
		return -EINVAL;
	if (a->max_msg_size < 1 || a->max_msg_size > CHAN_MSG_SIZE_MAX)
		return -EINVAL;
	return 0;
}

/* Make c an empty channel with attributes a, no handles open. Returns 0 or -EINVAL. */
int chan_core_init(struct chan_core *c, const struct chan_attr *a)
{
	int err = chan_attr_check(a);

	if (err)
		return err;
	*c = (struct chan_core){ .attr = *a };
	list_init(&c->queue);
	return 0;
}

/* Free every message still queued; c must be initialised again before any other use. */
void chan_core_destroy(struct chan_core *c)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, &c->queue) {
		list_remove(pos);
		struct chan_msg *m = list_entry(pos, struct chan_msg, link);

		chan_core_free(c, m, sizeof(*m) + m->len);
	}
	c->stats.depth = 0;
	c->stats.bytes_queued = 0;
}

/* Change the attributes of a live channel; see chan_core.h for why a capacity below the
 * depth is refused. Returns 0, -EINVAL or -EBUSY. */
int chan_core_set_attr(struct chan_core *c, const struct chan_attr *a)
{
	int err = chan_attr_check(a);

	if (err)
		return err;
	if (a->capacity < c->stats.depth)
		return -EBUSY;
	c->attr = *a;
	return 0;
}

/* True when mode is one of the three modes. */
static bool chan_mode_valid(enum chan_mode mode)
{
	return mode == CHAN_MODE_READ || mode == CHAN_MODE_WRITE || mode == CHAN_MODE_RDWR;
}

/* Count a new handle in mode. Returns 0, -EINVAL (not a mode) or -ENOENT (unlinked). */
int chan_core_open(struct chan_core *c, enum chan_mode mode)
{
	if (!chan_mode_valid(mode))
		return -EINVAL;
	/* LAB(stage4): the -EPIPE rule of chan_core_write relies on this: once the name is
	 * gone, the number of readers can only fall. */
	if (c->unlinked)
		return -ENOENT;
	c->readers += (mode & CHAN_MODE_READ) != 0;
	c->writers += (mode & CHAN_MODE_WRITE) != 0;
	return 0;
}

/* Forget a handle opened in mode. Returns 0, or -EINVAL when no such handle is open. */
int chan_core_close(struct chan_core *c, enum chan_mode mode)
{
	bool reads = (mode & CHAN_MODE_READ) != 0, writes = (mode & CHAN_MODE_WRITE) != 0;

	if (!chan_mode_valid(mode) || (reads && c->readers == 0) || (writes && c->writers == 0))
		return -EINVAL;
	c->readers -= reads;
	c->writers -= writes;
	return 0;
}

/* Record that the channel's name is gone (see chan_core.h). */
void chan_core_unlink(struct chan_core *c)
{
	c->unlinked = true;
}

/* True when the channel can be freed: unlinked and no handle open (the last close). */
bool chan_core_unused(const struct chan_core *c)
{
	return c->unlinked && c->readers == 0 && c->writers == 0;
}

/* Sum s into sum, for the totals of /kfs/ipc/summary (ipc/chan_core.h). */
void chan_stats_add(struct chan_stats *sum, const struct chan_stats *s)
{
	int i;

	sum->msgs_written += s->msgs_written;
	sum->bytes_written += s->bytes_written;
	sum->msgs_read += s->msgs_read;
	sum->bytes_read += s->bytes_read;
	sum->depth += s->depth;
	sum->bytes_queued += s->bytes_queued;
	if (s->high_water > sum->high_water)
		sum->high_water = s->high_water;
	for (i = 0; i < CHAN_SIDES; i++)
		sum->blocked[i] += s->blocked[i];
	for (i = 0; i < CHAN_ERRS; i++)
		sum->errors[i] += s->errors[i];
	sum->handed += s->handed;
}

/* Count err (a negative errno) under its kind and return it. -EAGAIN is an error only for
 * a non-blocking caller: a blocking one sleeps and tries again. */
static long chan_core_fail(struct chan_core *c, long err, unsigned flags)
{
	switch (err) {
	case -EAGAIN:
		c->stats.errors[CHAN_ERR_AGAIN] += (flags & CHAN_NONBLOCK) != 0;
		break;
	case -EMSGSIZE:
		c->stats.errors[CHAN_ERR_MSGSIZE]++;
		break;
	case -EPIPE:
		c->stats.errors[CHAN_ERR_PIPE]++;
		break;
	case -ENOMEM:
		c->stats.errors[CHAN_ERR_NOMEM]++;
		break;
	default:        /* -EFAULT, the one error of the copy functions */
		c->stats.errors[CHAN_ERR_FAULT]++;
		break;
	}
	return err;
}

/* The checks of a write that need no memory, in the order chan_core.h gives. Returns 0 or
 * the negative errno the write must fail with. */
static long chan_core_write_check(const struct chan_core *c, size_t len)
{
	if (len > c->attr.max_msg_size)
		return -EMSGSIZE;
	if (c->unlinked && c->readers == 0)
		return -EPIPE;
	if (c->stats.depth >= c->attr.capacity)
		return -EAGAIN;
	return 0;
}

/* Put a filled message at the tail of the queue and count it. Cannot fail. */
static void chan_core_enqueue(struct chan_core *c, struct chan_msg *m)
{
	list_add_tail(&c->queue, &m->link);
	c->stats.msgs_written++;
	c->stats.bytes_written += m->len;
	c->stats.bytes_queued += m->len;
	if (++c->stats.depth > c->stats.high_water)
		c->stats.high_water = c->stats.depth;
}

/* Queue the bytes of src as one message from sender (see chan_core.h). Returns src->len
 * or a negative errno, with nothing queued. */
long chan_core_write(struct chan_core *c, const struct chan_buf *src,
		     const struct chan_sender *sender, unsigned flags)
{
	/* BEGIN EXERCISE(stage4.chan-write) */
	long err = chan_core_write_check(c, src->len);
	struct chan_msg *m;

	if (err)
		return chan_core_fail(c, err, flags);
	m = chan_core_alloc(c, sizeof(*m) + src->len);
	if (!m)
		return chan_core_fail(c, -ENOMEM, flags);
	/* LAB(stage4): the one copy of a write, straight from the writer's buffer (user
	 * memory, in the kernel) into the queued message. */
	err = src->ops->get(src->ctx, 0, m->bytes, src->len);
	if (err) {
		chan_core_free(c, m, sizeof(*m) + src->len);
		return chan_core_fail(c, err, flags);
	}
	m->len = src->len;
	m->from = *sender;
	chan_core_enqueue(c, m);
	return (long)src->len;
	/* END EXERCISE */
}

/* Take the oldest message off the queue, count it and free it. Cannot fail. */
static void chan_core_dequeue(struct chan_core *c, struct chan_msg *m)
{
	list_remove(&m->link);
	c->stats.msgs_read++;
	c->stats.bytes_read += m->len;
	c->stats.bytes_queued -= m->len;
	c->stats.depth--;
	chan_core_free(c, m, sizeof(*m) + m->len);
}

/* What a read finds on an empty queue: end of file when no writer is left, else -EAGAIN. */
static long chan_core_read_empty(struct chan_core *c, struct chan_msg_info *info,
				 unsigned flags)
{
	if (c->writers > 0)
		return chan_core_fail(c, -EAGAIN, flags);
	info->eof = true;
	return 0;
}

/* Move the oldest message into dst and remove it (see chan_core.h). Returns its length,
 * 0 with info->eof at end of file, or a negative errno with the message still queued. */
long chan_core_read(struct chan_core *c, const struct chan_buf *dst,
		    struct chan_msg_info *info, unsigned flags)
{
	/* BEGIN EXERCISE(stage4.chan-read) */
	struct chan_msg *m;
	int err;

	*info = (struct chan_msg_info){ .eof = false };
	if (list_empty(&c->queue))
		return chan_core_read_empty(c, info, flags);
	m = list_first_entry(&c->queue, struct chan_msg, link);
	info->len = m->len;
	info->from = m->from;
	if (m->len > dst->len)
		return chan_core_fail(c, -EMSGSIZE, flags);
	/* LAB(stage4): copy first, remove after: a bad buffer leaves the message queued for
	 * the next read, so a fault loses nothing. */
	err = dst->ops->put(dst->ctx, 0, m->bytes, m->len);
	if (err)
		return chan_core_fail(c, err, flags);
	chan_core_dequeue(c, m);
	return (long)info->len;
	/* END EXERCISE */
}

/* Hand src straight to a reader waiting on an empty queue (see chan_core.h). Returns
 * src->len, a write's error, or -EAGAIN (not counted) when it cannot be handed. */
long chan_core_pass(struct chan_core *c, const struct chan_buf *src,
		    const struct chan_sender *sender, void *land, size_t cap,
		    struct chan_msg_info *info)
{
	long err = chan_core_write_check(c, src->len);

	if (err)
		return chan_core_fail(c, err, 0);
	if (c->stats.depth > 0 || src->len > cap)
		return -EAGAIN;
	/* LAB(stage4): the one copy of a handed message, from the writer's buffer straight
	 * into the place the reader offered; nothing is queued, nothing allocated. */
	err = src->ops->get(src->ctx, 0, land, src->len);
	if (err)
		return chan_core_fail(c, err, 0);
	/* Counted as the write and the read it stands for: the message was queued and taken
	 * at once, so it also reached a depth of 1. */
	c->stats.msgs_written++;
	c->stats.bytes_written += src->len;
	c->stats.msgs_read++;
	c->stats.bytes_read += src->len;
	c->stats.handed++;
	if (c->stats.high_water == 0)
		c->stats.high_water = 1;
	*info = (struct chan_msg_info){ .len = src->len, .from = *sender, .eof = false };
	return (long)src->len;
}
