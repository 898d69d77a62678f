/* chan_model.c: the reference model of a channel (model/chan_model.h).
 *
 * Written from the list of rules in ipc/chan_core.h, not from chan_core.c: an array instead
 * of a linked list, counters kept by name instead of in tables, and every rule spelled out
 * where it applies. */
#include <lib/string.h>
#include <model/chan_model.h>
#include <uapi/errno.h>

#define CHAN_MODEL_MIX 0x9e3779b97f4a7c15ULL  /* odd, so multiplying by it is a bijection */

/* Byte i of the message with this tag: the 8 bytes of (tag + 1) * an odd constant, then
 * again plus i / 8, so long messages do not repeat every 8 bytes exactly. */
unsigned char chan_model_byte(uint64_t tag, size_t i)
{
	uint64_t mixed = (tag + 1) * CHAN_MODEL_MIX;

	return (unsigned char)((mixed >> (8 * (i % 8))) + i / 8);
}

/* Start m empty with these attributes. Returns 0, or -EINVAL outside 1..limit. */
int chan_model_init(struct chan_model *m, uint32_t capacity, uint32_t max_size)
{
	memset(m, 0, sizeof(*m));
	if (capacity < 1 || capacity > CHAN_CAPACITY_MAX || max_size < 1 ||
	    max_size > CHAN_MSG_SIZE_MAX)
		return -EINVAL;
	m->capacity = capacity;
	m->max_size = max_size;
	return 0;
}

/* New attributes: -EINVAL outside the limits, -EBUSY below the depth, else 0. */
int chan_model_set_attr(struct chan_model *m, uint32_t capacity, uint32_t max_size)
{
	if (capacity < 1 || capacity > CHAN_CAPACITY_MAX || max_size < 1 ||
	    max_size > CHAN_MSG_SIZE_MAX)
		return -EINVAL;
	if (capacity < m->count)
		return -EBUSY;
	m->capacity = capacity;
	m->max_size = max_size;
	return 0;
}

/* Open a handle: a reader, a writer or both; none after the name is gone. */
int chan_model_open(struct chan_model *m, int mode)
{
	if (mode < 1 || mode > 3)
		return -EINVAL;
	if (m->unlinked)
		return -ENOENT;
	if (mode & 1)
		m->readers++;
	if (mode & 2)
		m->writers++;
	return 0;
}

/* Close a handle; closing one that is not open is refused and changes nothing. */
int chan_model_close(struct chan_model *m, int mode)
{
	if (mode < 1 || mode > 3)
		return -EINVAL;
	if ((mode & 1) && m->readers == 0)
		return -EINVAL;
	if ((mode & 2) && m->writers == 0)
		return -EINVAL;
	if (mode & 1)
		m->readers--;
	if (mode & 2)
		m->writers--;
	return 0;
}

/* The name goes: no new handles. */
void chan_model_unlink(struct chan_model *m)
{
	m->unlinked = true;
}

/* True when the channel may be freed: unlinked, nothing open. */
bool chan_model_unused(const struct chan_model *m)
{
	return m->unlinked && m->readers == 0 && m->writers == 0;
}

/* A write of len bytes of the message tag by pid/uid: len, or the negative errno the rules
 * give. */
long chan_model_write(struct chan_model *m, size_t len, uint64_t tag, int pid, int uid,
		      struct chan_model_io io)
{
	if (len > m->max_size) {
		m->emsgsize++;
		return -EMSGSIZE;
	}
	if (m->unlinked && m->readers == 0) {
		m->epipe++;
		return -EPIPE;
	}
	if (m->count == m->capacity) {
		if (io.nonblock)
			m->eagain++;
		return -EAGAIN;
	}
	if (io.nomem) {
		m->enomem++;
		return -ENOMEM;
	}
	if (io.fault && len > 0) {
		m->efault++;
		return -EFAULT;
	}
	struct chan_model_msg *msg = &m->msgs[m->count++];
	msg->len = len;
	msg->pid = pid;
	msg->uid = uid;
	msg->tag = tag;
	m->msgs_written++;
	m->bytes_written += len;
	if (m->count > m->high_water)
		m->high_water = m->count;
	return (long)len;
}

/* A read into buf[0..buflen): the oldest message, end of file, or an error that keeps it. */
long chan_model_read(struct chan_model *m, unsigned char *buf, size_t buflen,
		     struct chan_model_io io, struct chan_model_info *info)
{
	memset(info, 0, sizeof(*info));
	if (m->count == 0 && m->writers == 0) {
		info->eof = true;
		return 0;
	}
	if (m->count == 0) {
		if (io.nonblock)
			m->eagain++;
		return -EAGAIN;
	}
	struct chan_model_msg oldest = m->msgs[0];
	info->len = oldest.len;
	info->pid = oldest.pid;
	info->uid = oldest.uid;
	if (oldest.len > buflen) {
		m->emsgsize++;
		return -EMSGSIZE;
	}
	if (io.fault && oldest.len > 0) {
		m->efault++;
		return -EFAULT;
	}
	for (size_t i = 0; i < oldest.len; i++)
		buf[i] = chan_model_byte(oldest.tag, i);
	memmove(&m->msgs[0], &m->msgs[1], (m->count - 1) * sizeof(m->msgs[0]));
	m->count--;
	m->msgs_read++;
	m->bytes_read += oldest.len;
	return (long)oldest.len;
}

/* A blocking write sleeps when nothing else stops it first and the queue is full. */
bool chan_model_write_blocks(const struct chan_model *m, size_t len)
{
	return len <= m->max_size && !(m->unlinked && m->readers == 0) && m->count == m->capacity;
}

/* A blocking read sleeps when the queue is empty and a writer may still come. */
bool chan_model_read_blocks(const struct chan_model *m)
{
	return m->count == 0 && m->writers > 0;
}

/* A hand-over is what it stands for, a write and at once a read into cap bytes, when the
 * write is legal, nothing is queued and the message fits in cap; otherwise the write's
 * own error, or -EAGAIN with nothing changed (the core's chan_core_pass). */
long chan_model_pass(struct chan_model *m, size_t len, uint64_t tag, int pid, int uid,
		     bool fault, unsigned char *buf, size_t cap, struct chan_model_info *info)
{
	struct chan_model_io plain = { false, false, false };
	long r;

	memset(info, 0, sizeof(*info));
	if (len <= m->max_size && !(m->unlinked && m->readers == 0) &&
	    (m->count > 0 || len > cap))
		return -EAGAIN;
	r = chan_model_write(m, len, tag, pid, uid, (struct chan_model_io){ false, fault, false });
	if (r < 0)
		return r;
	m->handed++;
	return chan_model_read(m, buf, cap, plain, info);
}

/* A reader (reader true) or writer went to sleep. */
void chan_model_note_blocked(struct chan_model *m, bool reader)
{
	if (reader)
		m->blocked_reads++;
	else
		m->blocked_writes++;
}
