/* ipc.c: wrappers of stage 4's system calls (ulib/ipc.h, ulib/ntfy.h). They live in stage
 * 4's layer, as the calls do, so common's library knows nothing of them (DESIGN.md,
 * "Layers"). */
#include <stdint.h>
#include <uarch/syscall.h>
#include <ulib/ipc.h>
#include <ulib/ntfy.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

int sys_mkchan(const char *path, int mode, const struct chan_attr *attr)
{
	return (int)arch_syscall6(SYS_mkchan, (long)(uintptr_t)path, mode, (long)(uintptr_t)attr,
				  0, 0, 0);
}

long sys_recv(int fd, void *buf, size_t len, struct chan_msg_info *info)
{
	return arch_syscall6(SYS_recv, fd, (long)(uintptr_t)buf, (long)len,
			     (long)(uintptr_t)info, 0, 0);
}

long sys_call(int out, const void *msg, size_t len, int in, void *buf, size_t cap)
{
	return arch_syscall6(SYS_call, out, (long)(uintptr_t)msg, (long)len, in,
			     (long)(uintptr_t)buf, (long)cap);
}

long chan_send_text(const char *path, const char *text, int flags)
{
	int fd = sys_open(path, O_WRONLY | flags, 0);
	long n;

	if (fd < 0)
		return fd;
	n = sys_write(fd, text, strlen(text));
	sys_close(fd);
	return n < 0 ? n : 0;
}

int chan_reply_open(const char *path, int uid)
{
	/* LAB(stage4): a server runs as root, so this open would succeed on any channel. */
	int fd = sys_open(path, O_WRONLY | O_NONBLOCK, 0);
	struct stat st;

	if (fd < 0)
		return fd;
	if (sys_fstat(fd, &st) < 0 || (st.st_mode & S_IFMT) != S_IFIFO || st.st_uid != uid) {
		sys_close(fd);
		return -EPERM;
	}
	return fd;
}

int sys_ntfy_new(unsigned capacity, int flags)
{
	return (int)arch_syscall6(SYS_ntfy_new, capacity, flags, 0, 0, 0, 0);
}

int sys_watch(int nfd, const char *path, const struct ntfy_watch *w)
{
	return (int)arch_syscall6(SYS_watch, nfd, (long)(uintptr_t)path, (long)(uintptr_t)w,
				  0, 0, 0);
}

int sys_unwatch(int nfd, int id)
{
	return (int)arch_syscall6(SYS_unwatch, nfd, id, 0, 0, 0, 0);
}

int sys_poll(struct pollfd *fds, unsigned n, long timeout_ns)
{
	return (int)arch_syscall6(SYS_poll, (long)(uintptr_t)fds, n, timeout_ns, 0, 0, 0);
}

const char *ntfy_event_name(uint32_t event)
{
	static const char *const names[NTFY_NEVENTS] = {
		"readable", "writable", "hup", "error", "created", "removed", "gone", "overflow",
	};

	if (event == 0 || (event & (event - 1)) || event >= 1u << NTFY_NEVENTS)
		return "?";
	return names[__builtin_ctz(event)];
}
