/* syscall.c: the system call wrappers (ulib/syscall.h).
 *
 * Each wrapper only converts its arguments to the longs the kernel takes and calls the
 * port's arch_syscall6() (uarch/syscall.h); unused argument registers are passed as 0.
 * Being real functions rather than macros, they show up by name in gdb and backtraces. */
#include <stdint.h>
#include <uarch/syscall.h>
#include <ulib/syscall.h>

/* A system call with fewer than six arguments. */
static long sys_call(long n, long a0, long a1, long a2)
{
	return arch_syscall6(n, a0, a1, a2, 0, 0, 0);
}

/* The kernel never returns from SYS_exit or SYS_thread_exit. Should a broken kernel do
 * so anyway, trap at once rather than run on into code that assumes it did not. */
void sys_exit(int status)
{
	sys_call(SYS_exit, status, 0, 0);
	__builtin_trap();
}

int sys_spawn(const char *path, char *const argv[], const struct spawn_attr *attr)
{
	return (int)sys_call(SYS_spawn, (long)(uintptr_t)path, (long)(uintptr_t)argv,
			     (long)(uintptr_t)attr);
}

int sys_wait(int pid, int *status)
{
	return (int)sys_call(SYS_wait, pid, (long)(uintptr_t)status, 0);
}

int sys_kill(int pid)
{
	return (int)sys_call(SYS_kill, pid, 0, 0);
}

int sys_getpid(void)
{
	return (int)sys_call(SYS_getpid, 0, 0, 0);
}

int sys_getppid(void)
{
	return (int)sys_call(SYS_getppid, 0, 0, 0);
}

int sys_getuid(void)
{
	return (int)sys_call(SYS_getuid, 0, 0, 0);
}

int sys_getgid(void)
{
	return (int)sys_call(SYS_getgid, 0, 0, 0);
}

int sys_thread_create(void (*entry)(void *), void *arg, void *stack_top)
{
	return (int)sys_call(SYS_thread_create, (long)(uintptr_t)entry, (long)(uintptr_t)arg,
			     (long)(uintptr_t)stack_top);
}

void sys_thread_exit(int code)
{
	sys_call(SYS_thread_exit, code, 0, 0);
	__builtin_trap();
}

int sys_thread_join(int tid, int *code)
{
	return (int)sys_call(SYS_thread_join, tid, (long)(uintptr_t)code, 0);
}

int sys_yield(void)
{
	return (int)sys_call(SYS_yield, 0, 0, 0);
}

int sys_sleep_ns(unsigned long ns)
{
	return (int)sys_call(SYS_sleep_ns, (long)ns, 0, 0);
}

long sys_clock_ns(void)
{
	return sys_call(SYS_clock_ns, 0, 0, 0);
}

long sys_map(size_t len, int prot)
{
	return sys_call(SYS_map, (long)len, prot, 0);
}

int sys_unmap(void *addr, size_t len)
{
	return (int)sys_call(SYS_unmap, (long)(uintptr_t)addr, (long)len, 0);
}

long sys_read(int fd, void *buf, size_t n)
{
	return sys_call(SYS_read, fd, (long)(uintptr_t)buf, (long)n);
}

long sys_write(int fd, const void *buf, size_t n)
{
	return sys_call(SYS_write, fd, (long)(uintptr_t)buf, (long)n);
}

int sys_close(int fd)
{
	return (int)sys_call(SYS_close, fd, 0, 0);
}

int sys_gettid(void)
{
	return (int)sys_call(SYS_gettid, 0, 0, 0);
}

int sys_meminfo(struct meminfo *out)
{
	return (int)sys_call(SYS_meminfo, (long)(uintptr_t)out, 0, 0);
}

int sys_open(const char *path, int flags, int mode)
{
	return (int)sys_call(SYS_open, (long)(uintptr_t)path, flags, mode);
}

int sys_dup(int fd)
{
	return (int)sys_call(SYS_dup, fd, 0, 0);
}

int sys_dup2(int fd, int newfd)
{
	return (int)sys_call(SYS_dup2, fd, newfd, 0);
}

long sys_lseek(int fd, long offset, int whence)
{
	return sys_call(SYS_lseek, fd, offset, whence);
}

int sys_stat(const char *path, struct stat *out)
{
	return (int)sys_call(SYS_stat, (long)(uintptr_t)path, (long)(uintptr_t)out, 0);
}

int sys_fstat(int fd, struct stat *out)
{
	return (int)sys_call(SYS_fstat, fd, (long)(uintptr_t)out, 0);
}

int sys_readdir(int fd, struct dirent *out)
{
	return (int)sys_call(SYS_readdir, fd, (long)(uintptr_t)out, 0);
}

int sys_mkdir(const char *path, int mode)
{
	return (int)sys_call(SYS_mkdir, (long)(uintptr_t)path, mode, 0);
}

int sys_unlink(const char *path)
{
	return (int)sys_call(SYS_unlink, (long)(uintptr_t)path, 0, 0);
}

int sys_rmdir(const char *path)
{
	return (int)sys_call(SYS_rmdir, (long)(uintptr_t)path, 0, 0);
}

int sys_chmod(const char *path, int mode)
{
	return (int)sys_call(SYS_chmod, (long)(uintptr_t)path, mode, 0);
}

int sys_chown(const char *path, int uid, int gid)
{
	return (int)sys_call(SYS_chown, (long)(uintptr_t)path, uid, gid);
}

int sys_chdir(const char *path)
{
	return (int)sys_call(SYS_chdir, (long)(uintptr_t)path, 0, 0);
}

long sys_getcwd(char *buf, size_t size)
{
	return sys_call(SYS_getcwd, (long)(uintptr_t)buf, (long)size, 0);
}

int sys_poweroff(int status)
{
	return (int)sys_call(SYS_poweroff, status, 0, 0);
}

int sys_console_fg(int pid)
{
	return (int)sys_call(SYS_console_fg, pid, 0, 0);
}

int sys_affinity(int cpu)
{
	return (int)sys_call(SYS_affinity, cpu, 0, 0);
}

int sys_setprio(int prio)
{
	return (int)sys_call(SYS_setprio, prio, 0, 0);
}
