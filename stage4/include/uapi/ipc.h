/* uapi/ipc.h: stage 4's IPC interface shared by the kernel and user space: the system
 * call numbers, a channel's attributes and limits, and what a recv tells besides the bytes.
 *
 * Stage 4's calls take the numbers 64 to 79, above common's table (uapi/syscall.h), and
 * register themselves with SYSCALL_EXTRA (kernel/syscall.h), so the table-driven test
 * (common/user/tests/syscalls.c) feeds them bad arguments like every other call. The
 * semantics of channels are in lab-guides/stage4.md, "Channels", and ipc/chan_core.h. */
#ifndef UAPI_IPC_H
#define UAPI_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*      name              number   arguments -> result */
#define SYS_mkchan        64    /* (const char *path, int mode, const struct chan_attr *attr or NULL) -> 0 */
#define SYS_recv          65    /* (int fd, void *buf, size_t len, struct chan_msg_info *info) -> bytes */
#define SYS_call          70    /* (int out, const void *msg, size_t len, int in, void *buf, size_t cap) -> reply bytes */

/* Attributes: defaults for a channel created without any, and the hard limits. */
#define CHAN_CAPACITY_DEFAULT 16      /* messages */
#define CHAN_CAPACITY_MAX 1024
#define CHAN_MSG_SIZE_DEFAULT 4096    /* bytes per message */
#define CHAN_MSG_SIZE_MAX 65536

/* A channel's attributes; each must be 1..its limit, else -EINVAL. */
struct chan_attr {
	uint32_t capacity;      /* messages queued at most */
	uint32_t max_msg_size;  /* bytes per message at most (0-byte messages always fit) */
};

#define CHAN_ATTR_DEFAULT ((struct chan_attr){ CHAN_CAPACITY_DEFAULT, CHAN_MSG_SIZE_DEFAULT })

/* Who sent a message (the writer's process, recorded at the write; pid 0 is the kernel). */
struct chan_sender {
	int pid;
	int uid;
};

/* What a read tells besides the bytes: the message's length and sender, or end of file. */
struct chan_msg_info {
	size_t len;             /* the message's length (also when the buffer was too small) */
	struct chan_sender from;
	bool eof;               /* the 0 returned means end of file, not an empty message */
};

#endif
