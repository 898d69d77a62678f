/* uapi/syscall.h: the system call interface, shared by the kernel and user space.
 *
 * Calling convention: the number in the arch's number register, up to six arguments in
 * its argument registers, one result back (arch/syscall.h; on x86_64: `syscall` with the
 * number in rax, arguments in rdi, rsi, rdx, r10, r8, r9, result in rax). A result >= 0 is
 * success; a result in [-ERRNO_MAX, -1] is -errno (uapi/errno.h). An unknown number
 * returns -ENOSYS. Pointers are user addresses; the kernel checks every one and answers
 * -EFAULT for anything it may not read or write. */
#ifndef UAPI_SYSCALL_H
#define UAPI_SYSCALL_H

/*      name              number   arguments -> result */
#define SYS_exit          1     /* (int status) -> never returns */
#define SYS_spawn         2     /* (const char *path, char *const argv[], const struct spawn_attr *attr or NULL) -> pid */
#define SYS_wait          3     /* (int pid or -1 for any child, int *status or NULL) -> pid */
#define SYS_kill          4     /* (int pid) -> 0; root, same uid or parent; never init (pid 1) */
#define SYS_getpid        5     /* () -> pid */
#define SYS_getppid       6     /* () -> parent's pid */
#define SYS_getuid        7     /* () -> uid */
#define SYS_getgid        8     /* () -> gid */
#define SYS_thread_create 9     /* (void (*entry)(void *), void *arg, void *stack_top) -> tid */
#define SYS_thread_exit   10    /* (int code) -> never returns */
#define SYS_thread_join   11    /* (int tid, int *code or NULL) -> 0 */
#define SYS_yield         12    /* () -> 0 */
#define SYS_sleep_ns      13    /* (unsigned long ns) -> 0 */
#define SYS_clock_ns      14    /* () -> nanoseconds since boot */
#define SYS_map           15    /* (size_t len, int prot) -> address of fresh zeroed memory */
#define SYS_unmap         16    /* (void *addr, size_t len) -> 0 */
#define SYS_read          17    /* (int fd, void *buf, size_t n) -> bytes read */
#define SYS_write         18    /* (int fd, const void *buf, size_t n) -> bytes written */
#define SYS_close         19    /* (int fd) -> 0 */
#define SYS_gettid        20    /* () -> tid */
#define SYS_meminfo       21    /* (struct meminfo *out) -> 0 */
#define SYS_syscall_info  22    /* (unsigned long nr, struct syscall_info *out) -> 0 */
/* Files and the namespace (uapi/fs.h). Paths are relative to the working directory. */
#define SYS_open          23    /* (const char *path, int flags, int mode) -> fd */
#define SYS_dup           24    /* (int fd) -> new fd */
#define SYS_dup2          25    /* (int fd, int newfd) -> newfd */
#define SYS_lseek         26    /* (int fd, long offset, int whence) -> new offset */
#define SYS_stat          27    /* (const char *path, struct stat *out) -> 0 */
#define SYS_fstat         28    /* (int fd, struct stat *out) -> 0 */
#define SYS_readdir       29    /* (int fd, struct dirent *out) -> 1, or 0 at the end */
#define SYS_mkdir         30    /* (const char *path, int mode) -> 0 */
#define SYS_unlink        31    /* (const char *path) -> 0 (not a directory) */
#define SYS_rmdir         32    /* (const char *path) -> 0 (an empty directory) */
#define SYS_chmod         33    /* (const char *path, int mode) -> 0 */
#define SYS_chown         34    /* (const char *path, int uid, int gid) -> 0 */
#define SYS_chdir         35    /* (const char *path) -> 0 */
#define SYS_getcwd        36    /* (char *buf, size_t size) -> length */
#define SYS_poweroff      37    /* (int status) -> never returns; root only (-EPERM) */
#define SYS_console_fg    38    /* (int pid) -> 0: Ctrl-C on the console kills pid (0: none); kill's rules */
#define SYS_affinity      39    /* (int cpu or -1 for any) -> the CPU it runs on now; -EINVAL: not online */
#define SYS_setprio       40    /* (int prio: SCHED_*) -> the previous one; SCHED_HIGH: root only (-EPERM) */

/* Priorities of SYS_setprio, the kernel's enum thread_prio: a runnable thread of a smaller
 * number always runs before one of a larger number, and preempts it when it wakes up. */
#define SCHED_HIGH 0
#define SCHED_NORMAL 1                  /* every thread starts here */
#define SCHED_LOW 2

/* Protection for SYS_map: readable always, writable with PROT_WRITE. */
#define PROT_READ 0x1
#define PROT_WRITE 0x2

/* Optional attributes of SYS_spawn. Only root may give a uid or gid other than its own. */
struct spawn_attr {
	int uid;               /* -1: the caller's */
	int gid;               /* -1: the caller's */
};

/* SYS_meminfo: the kernel's memory counters, for leak checks in tests. */
struct meminfo {
	unsigned long free_pages;
	unsigned long total_pages;
	unsigned long heap_bytes;     /* kmalloc bytes in use */
	unsigned long heap_allocs;    /* kmalloc allocations alive */
	unsigned long threads;        /* threads alive */
	unsigned long processes;      /* processes alive (zombies included) */
};

/* What each argument of a system call is, so that one test can feed every call, present
 * and future, the bad values of each kind (SYS_syscall_info). */
enum syscall_arg {
	ARG_NONE,       /* unused */
	ARG_INT,        /* a number; bad values are each call's business */
	ARG_FD,         /* a file descriptor: a bad one is -EBADF */
	ARG_UIN,        /* user memory the kernel reads (length: the next ARG_LEN, or a struct) */
	ARG_UOUT,       /* user memory the kernel writes */
	ARG_UOUT_OPT,   /* the same, but NULL means "not wanted" */
	ARG_UIN_OPT,    /* user memory read, NULL allowed */
	ARG_USTR,       /* a NUL-terminated user string */
	ARG_LEN,        /* the length of the user buffer just before it */
};

#define SYSCALL_MAX_ARGS 6

/* SYS_syscall_info: how system call nr takes its arguments (-ENOSYS if there is none). */
struct syscall_info {
	char name[24];
	unsigned char args[SYSCALL_MAX_ARGS];  /* enum syscall_arg */
	unsigned char noreturn;                /* exit, thread_exit */
};

/* Exit status of a process ended by kill (as a shell shows it: 128 + SIGKILL's 9). */
#define EXIT_KILLED 137

#endif
