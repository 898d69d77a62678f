/* model/chan_model.h: the reference model of one channel, for Property 1 (lab-guides/stage4.md,
 * "The property test").
 *
 * The model states the rules of ipc/chan_core.h as plainly as possible: messages in an
 * array, oldest first, each rule one if-statement in the order the header gives. It shares
 * nothing with the core but the limits and the errno values, so a bug in the core's lists,
 * counters or copies shows up as a disagreement. Two property tests check against it: the
 * host test of the core (tests/host/test-chan-prop.c) and the user program that drives the
 * real system calls (stage4/user/tests/chanprop.c), so it is plain C with no allocation:
 * a message is remembered by its length and a tag from which chan_model_byte() derives its
 * bytes, and a writer fills its buffer with the same function. Failures the caller cannot
 * cause at will in the core (no memory, a bad buffer) are inputs: struct chan_model_io says
 * which one the test arranged. */
#ifndef CHAN_MODEL_H
#define CHAN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uapi/ipc.h>

/* One queued message: its length, sender and the tag its bytes are derived from. */
struct chan_model_msg {
	size_t len;
	int pid, uid;
	uint64_t tag;
};

/* What the test arranged for one read or write. */
struct chan_model_io {
	bool nonblock;		/* CHAN_NONBLOCK: -EAGAIN is counted as an error */
	bool fault;		/* the caller's buffer faults on any copy of 1 byte or more */
	bool nomem;		/* the next allocation fails */
};

/* What a read reports besides its bytes (the model's struct chan_msg_info). */
struct chan_model_info {
	size_t len;
	int pid, uid;
	bool eof;
};

/* The model's state and the counters the core's statistics must equal. Single-threaded. */
struct chan_model {
	uint32_t capacity, max_size;
	struct chan_model_msg msgs[CHAN_CAPACITY_MAX];	/* [0, count): oldest first */
	uint32_t count;
	uint32_t readers, writers;
	bool unlinked;
	uint64_t msgs_written, bytes_written, msgs_read, bytes_read;
	uint32_t high_water;
	uint64_t blocked_reads, blocked_writes;
	uint64_t eagain, emsgsize, epipe, enomem, efault;
	uint64_t handed;	/* messages handed over (chan_model_pass) */
};

/* Byte i of the message with this tag. The first 8 bytes are a bijection of the tag, so
 * two messages of 8 bytes or more with different tags always differ. */
unsigned char chan_model_byte(uint64_t tag, size_t i);

/* Start m empty with these attributes. Returns 0, or -EINVAL outside 1..limit. */
int chan_model_init(struct chan_model *m, uint32_t capacity, uint32_t max_size);

/* New attributes: -EINVAL outside the limits, -EBUSY below the depth, else 0. */
int chan_model_set_attr(struct chan_model *m, uint32_t capacity, uint32_t max_size);

/* Open / close a handle; mode is 1 (read), 2 (write) or 3 (both), else -EINVAL. */
int chan_model_open(struct chan_model *m, int mode);
int chan_model_close(struct chan_model *m, int mode);

/* The name goes; true when the channel may then be freed (unlinked, nothing open). */
void chan_model_unlink(struct chan_model *m);
bool chan_model_unused(const struct chan_model *m);

/* A write of len bytes made by chan_model_byte(tag, 0..len) by pid/uid: len, or the
 * negative errno the rules give. */
long chan_model_write(struct chan_model *m, size_t len, uint64_t tag, int pid, int uid,
		      struct chan_model_io io);

/* A read into buf[0..buflen): the message's length, 0 at end of file, or a negative errno;
 * *info filled in as chan_core_read does, and buf with the message's bytes. */
long chan_model_read(struct chan_model *m, unsigned char *buf, size_t buflen,
		     struct chan_model_io io, struct chan_model_info *info);

/* A hand-over (chan_core_pass) of len bytes made by chan_model_byte(tag, ..) by pid/uid
 * into buf[0..cap): what a write and a read at once would return, or -EAGAIN when the
 * message could not be handed (something queued, or longer than cap). */
long chan_model_pass(struct chan_model *m, size_t len, uint64_t tag, int pid, int uid,
		     bool fault, unsigned char *buf, size_t cap, struct chan_model_info *info);

/* Whether a blocking write of len bytes / a blocking read would sleep now: the write is
 * legal and the queue full; the queue is empty and a writer is open. */
bool chan_model_write_blocks(const struct chan_model *m, size_t len);
bool chan_model_read_blocks(const struct chan_model *m);

/* A reader (reader true) or writer went to sleep. */
void chan_model_note_blocked(struct chan_model *m, bool reader);

#endif /* CHAN_MODEL_H */
