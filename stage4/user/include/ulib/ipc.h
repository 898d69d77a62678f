/* ulib/ipc.h: wrappers of stage 4's system calls on channels (uapi/ipc.h). As in
 * ulib/syscall.h, each returns the raw result: >= 0 on success, -errno on failure.
 * A channel is otherwise used with the file calls: sys_open, sys_read, sys_write,
 * sys_close, sys_unlink (lab-guides/stage4.md, "Channels"). */
#ifndef ULIB_IPC_H
#define ULIB_IPC_H

#include <stddef.h>
#include <uapi/errno.h>
#include <uapi/ipc.h>

/* Create a channel at path (in /ipc) with permission bits mode and attributes attr (NULL:
 * the defaults). Returns 0, -EEXIST, -EACCES, -EINVAL (bad attributes, or not a directory
 * of channels), -ENOENT... */
int sys_mkchan(const char *path, int mode, const struct chan_attr *attr);

/* Read one message from channel fd into buf, as sys_read, and its length, sender and eof
 * flag into *info (also filled in for -EMSGSIZE). Returns the bytes read or -errno. */
long sys_recv(int fd, void *buf, size_t len, struct chan_msg_info *info);

/* Send len bytes of msg as one message on channel out, then wait for one message on
 * channel in (whatever its O_NONBLOCK) and read it into buf of cap bytes: one system call
 * for a request and its reply. Returns the reply's length, or -errno: -EBADF, -EFAULT and
 * -EINVAL (not a channel) are found before anything is sent; a write's errors (-EMSGSIZE,
 * -EPIPE, -EAGAIN...) mean nothing was sent; -EOVERFLOW means the reply is longer than
 * cap and still queued (sys_recv tells its length). lab-guides/stage4.md, "Calls". */
long sys_call(int out, const void *msg, size_t len, int in, void *buf, size_t cap);

/* Open the channel at path for writing (flags: 0 or O_NONBLOCK), write text (without its
 * NUL) as one message and close it. Returns 0 or -errno. The one-shot client of a
 * server, and the helper processes of tests. */
long chan_send_text(const char *path, const char *text, int flags);

/* For a server that answers on a reply channel its client names: open path for writing
 * without blocking (a client that never reads must not stop the server), and only if it is
 * a channel owned by uid, the user recv() reported as the request's sender. Returns the
 * descriptor, -EPERM when it is not a channel of uid's, or the error of opening it.
 * The check is made on the channel opened (fstat of the descriptor), not on the name
 * before opening: between a stat and an open, the name could come to mean another
 * channel. Used by timesrv and ntfysrv (lab-guides/stage4.md, "Kernel services use
 * channels": the confused deputy). */
int chan_reply_open(const char *path, int uid);

#endif
