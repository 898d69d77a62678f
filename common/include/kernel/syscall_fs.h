/* syscall_fs.h: the file and namespace system calls (kernel/syscall_fs.c), for the table
 * in kernel/syscall.c. Each takes the raw arguments; see uapi/syscall.h for their meaning. */
#ifndef KERNEL_SYSCALL_FS_H
#define KERNEL_SYSCALL_FS_H

#include <stdbool.h>

struct file;
struct process;

/* The open file of descriptor fd of p (the caller's process) for the length of one system
 * call, or NULL (-EBADF). *counted says whether it was referenced, and must be let go with
 * file_put() at the end of the call: only in a process with more than one thread. */
struct file *fs_fd_borrow(struct process *p, unsigned long fd, bool *counted);

long sys_open(const unsigned long *a);
long sys_close(const unsigned long *a);
long sys_read(const unsigned long *a);
long sys_write(const unsigned long *a);
long sys_dup(const unsigned long *a);
long sys_dup2(const unsigned long *a);
long sys_lseek(const unsigned long *a);
long sys_stat(const unsigned long *a);
long sys_fstat(const unsigned long *a);
long sys_readdir(const unsigned long *a);
long sys_mkdir(const unsigned long *a);
long sys_unlink(const unsigned long *a);
long sys_rmdir(const unsigned long *a);
long sys_chmod(const unsigned long *a);
long sys_chown(const unsigned long *a);
long sys_chdir(const unsigned long *a);
long sys_getcwd(const unsigned long *a);

#endif
