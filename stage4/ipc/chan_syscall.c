/* chan_syscall.c: stage 4's system calls on channels (uapi/ipc.h): SYS_mkchan, SYS_recv
 * and SYS_call. Everything else a program does with a channel (open, read, write, close,
 * unlink, chmod, stat) is the file system calls of common/, through the channel's node
 * operations (ipc/chan.c).
 *
 * Both calls join the system call table with SYSCALL_EXTRA (kernel/syscall.h), so the
 * table-driven test (common/user/tests/syscalls.c) feeds them bad arguments too. As every
 * handler (DESIGN.md, "Errors and user memory"), they validate first: the descriptor, then
 * every user pointer, before anything changes. */
#include <uapi/errno.h>
#include <uapi/ipc.h>
#include <ipc/chan.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/syscall_fs.h>
#include <mm/vm.h>

/* mkchan(path, mode, attr or NULL): a channel at path (relative to the working directory,
 * in /ipc or a directory under it) owned by the caller, with permission bits mode and
 * attributes attr (NULL: the defaults, uapi/ipc.h). Needs write and search permission on
 * the directory. Returns 0, -EFAULT, -EINVAL, -EEXIST, -EACCES, -ENOENT... */
static long sys_mkchan(const unsigned long *a)
{
	struct process *p = process_current();
	struct cred cred = process_cred(p);
	struct chan_attr attr;
	char path[PATH_MAX];
	struct kfs_node *cwd;
	long err = strncpy_from_user(p->vm, path, a[0], sizeof path);

	if (err < 0)
		return err;
	if (a[2] && copy_from_user(p->vm, &attr, a[2], sizeof attr))
		return -EFAULT;
	cwd = process_cwd(p);
	err = chan_create(cwd, path, (uint32_t)a[1], a[2] ? &attr : NULL, &cred);
	kfs_put(cwd);
	return err;
}

/* recv(fd, buf, len, info): read one message as read() does, and tell in *info its length,
 * its sender (pid and uid) and whether the 0 returned is end of file. *info is also filled
 * in for -EMSGSIZE, so the caller learns how big a buffer the message needs. Returns the
 * bytes read, -EBADF, -EFAULT, -EINVAL (not a channel), or a channel read's errors.
 * info is checked before the read, but another thread may unmap it while the read sleeps:
 * then the message is read and the call answers -EFAULT (the one case that loses it). */
static long sys_recv(const unsigned long *a)
{
	struct process *p = process_current();
	struct chan_msg_info info;
	struct file *f;
	struct iobuf b;
	long r;

	f = a[0] < FD_MAX ? fd_get(p->fds, (int)a[0]) : NULL;
	if (!f)
		return -EBADF;
	r = vm_user_ok(p->vm, a[1], a[2], true);
	if (!r)
		r = vm_user_ok(p->vm, a[3], sizeof info, true);
	if (!r) {
		b = iobuf_user(p->vm, a[1], a[2]);
		r = chan_recv(f, &b, &info);
	}
	if ((r >= 0 || r == -EMSGSIZE) && copy_to_user(p->vm, a[3], &info, sizeof info))
		r = -EFAULT;
	file_put(f);
	return r;
}

/* call(out, msg, len, in, buf, cap): send msg on channel out and wait for the reply on
 * channel in, in one entry to the kernel (chan_call: its errors, and what was sent when).
 * Both descriptors are looked up and both buffers checked first, so -EBADF and -EFAULT
 * mean that nothing was sent. A server answers and waits for the next request with one
 * call too: call(reply, answer, n, requests, buf, cap). */
static long sys_call(const unsigned long *a)
{
	struct process *p = process_current();
	bool out_counted = false, in_counted = false;
	struct file *out = fs_fd_borrow(p, a[0], &out_counted);
	struct file *in = out ? fs_fd_borrow(p, a[3], &in_counted) : NULL;
	struct iobuf msg, reply;
	long r = -EBADF;

	if (in) {
		r = vm_user_ok(p->vm, a[1], a[2], false);
		if (!r)
			r = vm_user_ok(p->vm, a[4], a[5], true);
	}
	if (!r) {
		msg = iobuf_user(p->vm, a[1], a[2]);
		reply = iobuf_user(p->vm, a[4], a[5]);
		r = chan_call(out, &msg, in, &reply);
	}
	if (in_counted)
		file_put(in);
	if (out_counted)
		file_put(out);
	return r;
}

SYSCALL_EXTRA(SYS_mkchan, mkchan, sys_mkchan, ARG_USTR, ARG_INT, ARG_UIN_OPT);
SYSCALL_EXTRA(SYS_recv, recv, sys_recv, ARG_FD, ARG_UOUT, ARG_LEN, ARG_UOUT);
SYSCALL_EXTRA(SYS_call, call, sys_call, ARG_FD, ARG_UIN, ARG_LEN, ARG_FD, ARG_UOUT, ARG_LEN);
