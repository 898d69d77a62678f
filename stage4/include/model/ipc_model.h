/* model/ipc_model.h: the reference model of channels as processes see them through the
 * system calls, for Property 1 in user space (stage4/user/tests/chanprop.c).
 *
 * model/chan_model.h states one channel's queue rules. This model adds what lies between a
 * process and a channel: names in one directory (/ipc/prop<k> in the test, owned by alice
 * with a mode of the test's choosing), permissions of three users (root; alice; bob, in
 * alice's group), the sticky bit, and each user's open handles. Like chan_model it knows no
 * system call and allocates nothing: an operation is a struct ipc_model_op, the answer the
 * result and the metadata a recv would give. The sender of a message is named by actor
 * number (an index into ipc_model_actors), not pid, so answers do not depend on which pids
 * the kernel handed out. */
#ifndef MODEL_IPC_MODEL_H
#define MODEL_IPC_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <model/chan_model.h>
#include <uapi/ipc.h>

#define IPC_MODEL_ACTORS 3      /* root, alice, bob */
#define IPC_MODEL_SLOTS 4       /* handles one actor holds at most */
#define IPC_MODEL_LIVE 3        /* names 0..2 can hold a channel */
#define IPC_MODEL_NODIR 3       /* name 3 lies in a directory that does not exist */
#define IPC_MODEL_LONG 4        /* name 4 is longer than NAME_MAX */
#define IPC_MODEL_NAMES 5
#define IPC_MODEL_CHANS (IPC_MODEL_LIVE + IPC_MODEL_ACTORS * IPC_MODEL_SLOTS) /* named, or
								     * unlinked but open */
#define IPC_MODEL_OWNER 1000    /* alice: owner and group of the directory */

enum ipc_model_kind { IPC_MKCHAN, IPC_OPEN, IPC_CLOSE, IPC_WRITE, IPC_READ, IPC_UNLINK,
		      IPC_CHMOD, IPC_CALL, IPC_MODEL_KINDS };

struct ipc_model_actor {
	int uid, gid;
	const char *name;
};

extern const struct ipc_model_actor ipc_model_actors[IPC_MODEL_ACTORS];

/* One operation. Its fields are inputs only, so any subset of a sequence is a sequence. */
struct ipc_model_op {
	uint8_t kind, actor, name, slot;        /* slot: the actor's handle it uses */
	uint8_t in;             /* call: the handle it waits on for the reply (slot sends) */
	uint32_t a;             /* mkchan, chmod: permission bits; open: flags; write, call:
				 * length; read: buffer size */
	uint32_t cap;           /* call: the reply's buffer size */
	struct chan_attr attr;  /* mkchan, unless no_attr (the defaults) */
	bool no_attr, fault, recv;      /* fault: a bad buffer (call: the request's); recv:
					 * read with SYS_recv */
	bool pick;              /* for the tests: slot and in name an open handle, picked
				 * when the operation runs (ipc_model_pick) */
};

struct ipc_model_chan {
	bool used;
	uint32_t perm;
	int uid, gid;
	struct chan_model m;
};

struct ipc_model_handle {
	bool open, nonblock;
	int chan, mode;         /* index into chans; mode 1 read, 2 write, 3 both */
};

/* The directory, its names, the channels and every actor's handles. Single-threaded. */
struct ipc_model {
	uint32_t dir_mode;
	int name_chan[IPC_MODEL_LIVE];  /* index into chans, or -1 */
	struct ipc_model_chan chans[IPC_MODEL_CHANS];
	struct ipc_model_handle h[IPC_MODEL_ACTORS][IPC_MODEL_SLOTS];
};

/* What the kernel must answer: the result (an open's 0 stands for any descriptor) and, for
 * a read or a call's reply, what recv tells (info.from.pid is the sender's actor number). */
struct ipc_model_answer {
	long result;
	struct chan_msg_info info;
	int slot;               /* open: the handle slot it fills */
	bool sent;              /* call: the request was queued (then the reply was read, unless
				 * result is an error) */
};

/* Start with an empty directory of mode dir_mode: no names, channels or handles. */
void ipc_model_init(struct ipc_model *w, uint32_t dir_mode);

/* The handle a picking operation (op.pick) of actor uses in place of slot: among the
 * actor's open handles that allow need (1 reading, 2 writing, 3 either), those on the
 * channel of name first if there are any, the (slot mod n)-th; with none, slot itself. So
 * most operations of a random sequence reach a channel, and reads and writes mostly meet
 * on one, though the sequence was made before any handle was open. */
uint8_t ipc_model_pick(const struct ipc_model *w, uint8_t actor, uint8_t name, unsigned need,
		       uint8_t slot);

/* Apply op (a write's bytes are chan_model_byte(tag, i)) and put the answer in *ans, a
 * read's bytes in buf (CHAN_MSG_SIZE_MAX bytes). Returns false, changing nothing, when op
 * is not to be run: a blocking read or write that would sleep (for a call: its write, or
 * its read, which always waits), or an open when all the actor's slots are in use. */
bool ipc_model_step(struct ipc_model *w, const struct ipc_model_op *op, uint64_t tag,
		    unsigned char *buf, struct ipc_model_answer *ans);

#endif
