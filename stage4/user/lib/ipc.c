/* ipc.c: wrappers of stage 4's system calls (ulib/ipc.h). They live in stage 4's layer, as
 * the calls do, so common's library knows nothing of them (DESIGN.md, "Layers"). */
#include <stdint.h>
#include <uarch/syscall.h>
#include <ulib/ipc.h>

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
