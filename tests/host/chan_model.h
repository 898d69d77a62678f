/*
 * chan_model.h - the reference model of a channel, for Property 1 (test-chan.c).
 *
 * The model states the rules of stage4/include/ipc/chan_core.h as plainly as
 * possible: messages in an array, oldest first, each rule one if-statement in
 * the order the header gives. It shares nothing with the core but the limits
 * and the errno values, so a bug in the core's lists, counters or copies shows
 * up as a disagreement. Failures the host cannot cause at will (no memory, a
 * bad buffer) are inputs here: struct chan_model_io says which one the test
 * arranged for the core.
 */
#ifndef CHAN_MODEL_H
#define CHAN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ipc/chan_core.h>

/* One queued message: its length, sender and a private copy of its bytes. */
struct chan_model_msg {
	size_t len;
	int pid, uid;
	unsigned char *bytes;	/* malloc'd; NULL when len is 0 */
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
};

/* Start m empty with these attributes. Returns 0, or -EINVAL outside 1..limit. */
int chan_model_init(struct chan_model *m, uint32_t capacity, uint32_t max_size);

/* Free the copies of the messages still queued. */
void chan_model_destroy(struct chan_model *m);

/* New attributes: -EINVAL outside the limits, -EBUSY below the depth, else 0. */
int chan_model_set_attr(struct chan_model *m, uint32_t capacity, uint32_t max_size);

/* Open / close a handle; mode is 1 (read), 2 (write) or 3 (both), else -EINVAL. */
int chan_model_open(struct chan_model *m, int mode);
int chan_model_close(struct chan_model *m, int mode);

/* The name goes; true when the channel may then be freed (unlinked, nothing open). */
void chan_model_unlink(struct chan_model *m);
bool chan_model_unused(const struct chan_model *m);

/* A write of bytes[0..len) by pid/uid: len, or the negative errno the rules give. */
long chan_model_write(struct chan_model *m, const unsigned char *bytes, size_t len,
		      int pid, int uid, struct chan_model_io io);

/* A read into buf[0..buflen): the message's length, 0 at end of file, or a negative errno;
 * *info filled in as chan_core_read does. */
long chan_model_read(struct chan_model *m, unsigned char *buf, size_t buflen,
		     struct chan_model_io io, struct chan_model_info *info);

/* A reader (reader true) or writer went to sleep. */
void chan_model_note_blocked(struct chan_model *m, bool reader);

#endif /* CHAN_MODEL_H */
