/* ntfy_syscall.c: stage 4's system calls for notifications (uapi/ntfy.h): SYS_ntfy_new,
 * SYS_watch, SYS_unwatch and SYS_poll. Reading records is read() on the endpoint; closing
 * it is close(), which ends its subscriptions.
 *
 * Like every handler (DESIGN.md, "Errors and user memory") they validate first, in a fixed
 * order that the property test's model follows: the descriptor, then user memory, then the
 * request's own fields, then the path, then the object. All four join the system call table
 * with SYSCALL_EXTRA, so common/user/tests/syscalls.c feeds them bad arguments too. */
#include <uapi/errno.h>
#include <uapi/fs.h>
#include <uapi/ntfy.h>
#include <arch/timer.h>
#include <ipc/ntfy.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <mm/kmalloc.h>
#include <mm/vm.h>

/* The open file at fd of the calling process (referenced), or NULL. */
static struct file *ntfy_fd(unsigned long fd)
{
	return fd < FD_MAX ? fd_get(process_current()->fds, (int)fd) : NULL;
}

/* ntfy_new(capacity, flags): a new endpoint holding capacity records (0: the default),
 * O_NONBLOCK or not, owned by the caller, at the lowest free descriptor. -EINVAL (capacity
 * above NTFY_CAPACITY_MAX, other flags), -ENOMEM, -EMFILE. */
static long sys_ntfy_new(const unsigned long *a)
{
	struct process *p = process_current();
	struct cred cred = process_cred(p);
	struct file *f;
	long fd;

	if (a[0] > NTFY_CAPACITY_MAX)
		return -EINVAL;
	fd = ntfy_endpoint_new((uint32_t)a[0], (unsigned)a[1], &cred, &f);
	if (fd)
		return fd;
	fd = fd_install(p->fds, f);
	if (fd < 0)
		file_put(f);
	return fd;
}

/* watch(nfd, path, w): subscribe endpoint nfd to the channel or directory of channels at
 * path. Returns the subscription's id, or -EBADF, -EFAULT, -EINVAL, -ENOENT, -EACCES,
 * -ENOTDIR, -ENAMETOOLONG, -ENOSPC, -ENOMEM (ipc/ntfy.h, ntfy_watch). */
static long sys_watch(const unsigned long *a)
{
	struct process *p = process_current();
	struct cred cred = process_cred(p);
	struct ntfy_watch w;
	char path[PATH_MAX];
	struct kfs_node *cwd;
	struct file *f = ntfy_fd(a[0]);
	long r;

	if (!f)
		return -EBADF;
	r = strncpy_from_user(p->vm, path, a[1], sizeof path);
	if (r >= 0)
		r = copy_from_user(p->vm, &w, a[2], sizeof w) ? -EFAULT : 0;
	if (r >= 0) {
		cwd = process_cwd(p);
		r = ntfy_watch(f, cwd, path, &cred, &w);
		kfs_put(cwd);
	}
	file_put(f);
	return r;
}

/* unwatch(nfd, id): end subscription id. 0, -EBADF, -EINVAL (not an endpoint), -ENOENT. */
static long sys_unwatch(const unsigned long *a)
{
	struct file *f = ntfy_fd(a[0]);
	long r;

	if (!f)
		return -EBADF;
	r = ntfy_unwatch(f, (int)a[1]);
	file_put(f);
	return r;
}

/* poll(fds, n, timeout_ns): wait until one of n descriptors is ready, for at most
 * timeout_ns nanoseconds (-1: no limit; 0: just look). Fills each revents; returns how many
 * are ready (a descriptor that is not open counts, with POLLNVAL), 0 at the timeout,
 * -EFAULT (fds not writable user memory for n entries), -EINVAL (n > POLL_MAX, timeout
 * below -1), -ENOMEM, -EINTR. */
static long sys_poll(const unsigned long *a)
{
	struct process *p = process_current();
	long timeout = (long)a[2], r, nbad = 0;
	unsigned n = (unsigned)a[1], i;
	struct poll_args {
		struct pollfd fds[POLL_MAX];
		struct file *files[POLL_MAX];
		uint16_t events[POLL_MAX], revents[POLL_MAX];
	} *pa;
	uint64_t deadline = 0;

	/* memory first, as every call does: a wrapping or unmapped fds is -EFAULT */
	if (a[1] > ~0UL / sizeof(struct pollfd) ||
	    vm_user_ok(p->vm, a[0], a[1] * sizeof(struct pollfd), true))
		return -EFAULT;
	if (a[1] > POLL_MAX || timeout < -1)
		return -EINVAL;
	pa = kmalloc(sizeof *pa);
	if (!pa)
		return -ENOMEM;
	if (copy_from_user(p->vm, pa->fds, a[0], n * sizeof(struct pollfd))) {
		kfree(pa);
		return -EFAULT;
	}
	for (i = 0; i < n; i++) {
		int fd = pa->fds[i].fd;

		pa->files[i] = fd >= 0 ? ntfy_fd((unsigned long)fd) : NULL;
		pa->events[i] = pa->fds[i].events;
		nbad += fd >= 0 && !pa->files[i];
	}
	if (timeout >= 0)
		deadline = arch_clock_ns() + (uint64_t)timeout;
	if (nbad || timeout == 0)     /* a bad descriptor is an answer at once */
		deadline = 1;
	r = ntfy_poll_files(pa->files, pa->events, pa->revents, n, deadline);
	for (i = 0; i < n; i++) {
		if (pa->files[i])
			file_put(pa->files[i]);
		else if (pa->fds[i].fd >= 0)
			pa->revents[i] = POLLNVAL;
		pa->fds[i].revents = pa->revents[i];
	}
	if (r >= 0) {
		r += nbad;
		if (copy_to_user(p->vm, a[0], pa->fds, n * sizeof(struct pollfd)))
			r = -EFAULT;
	}
	kfree(pa);
	return r;
}

SYSCALL_EXTRA(SYS_ntfy_new, ntfy_new, sys_ntfy_new, ARG_INT, ARG_INT);
SYSCALL_EXTRA(SYS_watch, watch, sys_watch, ARG_FD, ARG_USTR, ARG_UIN);
SYSCALL_EXTRA(SYS_unwatch, unwatch, sys_unwatch, ARG_FD, ARG_INT);
/* poll's n is the length of fds counted in entries, not bytes: ARG_LEN all the same, so
 * that the table-driven test pairs a bad fds with a length that makes the kernel touch it. */
SYSCALL_EXTRA(SYS_poll, poll, sys_poll, ARG_UOUT, ARG_LEN, ARG_INT);
