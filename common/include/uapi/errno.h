/* uapi/errno.h: error numbers, shared by the kernel and user space.
 *
 * System calls and kernel functions return a result >= 0 or a negated error number below
 * (-EINVAL, ...). The values are the usual POSIX/Linux ones so that anything a learner has
 * seen elsewhere reads the same here. */
#ifndef UAPI_ERRNO_H
#define UAPI_ERRNO_H

#define EPERM 1         /* operation not permitted (not the owner, not root) */
#define ENOENT 2        /* no such file or directory */
#define ESRCH 3         /* no such process */
#define EINTR 4         /* interrupted (a blocked call was woken by a kill) */
#define EIO 5           /* input/output error */
#define ENXIO 6         /* no such device or address */
#define E2BIG 7         /* argument list too long */
#define ENOEXEC 8       /* exec format error */
#define EBADF 9         /* bad file descriptor */
#define ECHILD 10       /* no child processes */
#define EAGAIN 11       /* try again (non-blocking call would block) */
#define ENOMEM 12       /* out of memory */
#define EACCES 13       /* permission denied (mode bits) */
#define EFAULT 14       /* bad address (user pointer not mapped or not user memory) */
#define EBUSY 16        /* device or resource busy */
#define EEXIST 17       /* file exists */
#define EXDEV 18        /* cross-device link */
#define ENODEV 19       /* no such device */
#define ENOTDIR 20      /* not a directory */
#define EISDIR 21       /* is a directory */
#define EINVAL 22       /* invalid argument */
#define ENFILE 23       /* too many open files in the system */
#define EMFILE 24       /* too many open files in this process */
#define ENOTTY 25       /* inappropriate operation for this object */
#define EFBIG 27        /* file too large */
#define ENOSPC 28       /* no space left */
#define ESPIPE 29       /* illegal seek */
#define EROFS 30        /* read-only file system */
#define EMLINK 31       /* too many links */
#define EPIPE 32        /* broken pipe (no reader left) */
#define ERANGE 34       /* result out of range */
#define EDEADLK 35      /* resource deadlock would occur */
#define ENAMETOOLONG 36 /* file name too long */
#define ENOSYS 38       /* function not implemented (unknown system call) */
#define ENOTEMPTY 39    /* directory not empty */
#define ELOOP 40        /* too many levels of symbolic links */
#define ENOMSG 42       /* no message of the desired type */
#define EIDRM 43        /* identifier removed (the object was destroyed while in use) */
#define ENODATA 61      /* no data available */
#define ETIME 62        /* timer expired */
#define EOVERFLOW 75    /* value too large for the defined data type */
#define EMSGSIZE 90     /* message too long */
#define ENOTSUP 95      /* operation not supported */
#define ETIMEDOUT 110   /* timed out */
#define ECONNREFUSED 111 /* connection refused */
#define EHOSTUNREACH 113 /* no route to host */

#define ERRNO_MAX 133

#endif
