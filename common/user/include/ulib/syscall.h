/* ulib/syscall.h: one C function per system call of uapi/syscall.h.
 *
 * Each sys_NAME() makes system call SYS_NAME and returns its raw result: a value >= 0 on
 * success, or a negated error number (-EBADF, -ENOMEM, ...: uapi/errno.h) on failure. There
 * is no errno variable and no -1 convention as in POSIX: check `r < 0` and read the error
 * from r itself, e.g. `if (r == -EBADF)`. The sys_ prefix is there to remind of that
 * difference from the POSIX functions of the same name. */
#ifndef ULIB_SYSCALL_H
#define ULIB_SYSCALL_H

#include <stddef.h>
#include <uapi/errno.h>
#include <uapi/fs.h>
#include <uapi/syscall.h>

/* End the process with status (0..255 by convention): every thread ends. Never returns.
 * Prefer exit() (ulib/stdlib.h), which first writes out what printf() buffered. */
__attribute__((noreturn)) void sys_exit(int status);

/* Start program path ("/bin/NAME") with the NULL-terminated argv as a child; attr may be
 * NULL (same uid and gid). Returns the child's pid, -ENOENT, -ENOEXEC, -E2BIG, -EPERM... */
int sys_spawn(const char *path, char *const argv[], const struct spawn_attr *attr);

/* Wait for child pid (-1: any child) to end; stores its exit status in *status unless
 * status is NULL. Returns the child's pid, -ECHILD or -EINTR. */
int sys_wait(int pid, int *status);

/* End process pid (its status becomes EXIT_KILLED). Returns 0, -ESRCH or -EPERM. */
int sys_kill(int pid);

/* This process's id, its parent's id, its user id and group id. */
int sys_getpid(void);
int sys_getppid(void);
int sys_getuid(void);
int sys_getgid(void);

/* Start a thread of this process at entry(arg) on the stack below stack_top (16-byte
 * aligned). Returns its tid, -EINVAL, -EAGAIN or -ENOMEM. ulib/thread.h wraps this. */
int sys_thread_create(void (*entry)(void *), void *arg, void *stack_top);

/* End the calling thread with code (for sys_thread_join). The last thread to end ends the
 * process. Never returns. */
__attribute__((noreturn)) void sys_thread_exit(int code);

/* Wait for thread tid of this process to end; stores its code in *code unless code is
 * NULL. Returns 0, -ESRCH (no such thread, or joined already) or -EINTR. */
int sys_thread_join(int tid, int *code);

/* Let other threads run. Returns 0. */
int sys_yield(void);

/* Sleep for at least ns nanoseconds. Returns 0 or -EINTR. */
int sys_sleep_ns(unsigned long ns);

/* Nanoseconds since boot (never negative: a long holds 292 years). */
long sys_clock_ns(void);

/* Map len bytes (rounded up to whole pages) of fresh zeroed memory, readable, and writable
 * with PROT_WRITE in prot. Returns its address as a long (user addresses are positive) or
 * -EINVAL or -ENOMEM. */
long sys_map(size_t len, int prot);

/* Unmap [addr, addr + len), page-aligned. Returns 0 or -EINVAL. */
int sys_unmap(void *addr, size_t len);

/* Read up to n bytes from fd into buf. Returns the number read (0 at end of input),
 * -EBADF or -EFAULT. */
long sys_read(int fd, void *buf, size_t n);

/* Write up to n bytes from buf to fd. Returns the number written, -EBADF or -EFAULT. */
long sys_write(int fd, const void *buf, size_t n);

/* Close fd. Returns 0 or -EBADF. */
int sys_close(int fd);

/* The calling thread's id. */
int sys_gettid(void);

/* Fill *out with the kernel's memory counters (for leak checks). Returns 0 or -EFAULT. */
int sys_meminfo(struct meminfo *out);

/* Files and the namespace (uapi/fs.h). A relative path starts at the working directory. */

/* Open path with flags (O_RDONLY, O_WRONLY or O_RDWR, plus O_CREAT, O_TRUNC, ...); mode
 * gives the permission bits of a file O_CREAT makes. Returns the lowest free descriptor,
 * or -ENOENT, -EACCES, -EEXIST, -EISDIR, -ENOTDIR, -EMFILE... */
int sys_open(const char *path, int flags, int mode);

/* A second descriptor for the open file of fd, sharing its offset: the lowest free one
 * (sys_dup), or exactly newfd, closing what newfd was first (sys_dup2). Returns the new
 * descriptor, -EBADF or -EMFILE. */
int sys_dup(int fd);
int sys_dup2(int fd, int newfd);

/* Move fd's offset to offset from whence (SEEK_SET, SEEK_CUR, SEEK_END). Returns the new
 * offset, -EBADF, -EINVAL or -ESPIPE (a device or channel has no offset). */
long sys_lseek(int fd, long offset, int whence);

/* Describe the node at path, or the open file of fd, in *out. Returns 0, -ENOENT,
 * -EACCES, -EBADF... */
int sys_stat(const char *path, struct stat *out);
int sys_fstat(int fd, struct stat *out);

/* The next entry of the directory open as fd ("." and ".." come first). Returns 1 with
 * *out filled, 0 at the end, or -ENOTDIR, -EBADF... */
int sys_readdir(int fd, struct dirent *out);

/* Make a directory with the permission bits mode / remove a name that is not a directory /
 * remove an empty directory. Return 0 or -EEXIST, -ENOENT, -EACCES, -EISDIR, -ENOTEMPTY... */
int sys_mkdir(const char *path, int mode);
int sys_unlink(const char *path);
int sys_rmdir(const char *path);

/* Set the permission bits (owner or root only) / the owner and group (root only) of path.
 * Return 0, -EPERM, -ENOENT... */
int sys_chmod(const char *path, int mode);
int sys_chown(const char *path, int uid, int gid);

/* Make path the working directory, which children inherit. Returns 0, -ENOENT, -ENOTDIR,
 * -EACCES. */
int sys_chdir(const char *path);

/* Store the working directory's absolute path, NUL-terminated, in buf[size]. Returns its
 * length, or -ERANGE when it does not fit. */
long sys_getcwd(char *buf, size_t size);

/* Stop the machine, QEMU exiting with status (root only). Returns only on failure: -EPERM. */
int sys_poweroff(int status);

/* Make Ctrl-C on the console kill process pid (0: no process). Returns 0, -ESRCH... */
int sys_console_fg(int pid);

/* Run the calling thread only on CPU cpu (0, 1, ...) from now on, moving it there at once;
 * cpu -1 lets it run on any CPU again. Returns the CPU the thread runs on when the call
 * returns (cpu itself, unless cpu is -1), or -EINVAL when cpu is not an online CPU. */
int sys_affinity(int cpu);

/* Give the calling thread priority prio (SCHED_HIGH, SCHED_NORMAL, SCHED_LOW): a thread of
 * higher priority runs first, and preempts a lower one the moment it wakes up. Returns the
 * previous priority, -EINVAL, or -EPERM (SCHED_HIGH for a user other than root). */
int sys_setprio(int prio);

#endif
