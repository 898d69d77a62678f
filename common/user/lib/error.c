/* error.c: the texts of the error numbers (ulib/error.h).
 *
 * One entry per errno of uapi/errno.h, in its order. The texts are the ones glibc prints,
 * so a message reads as it would on Linux, except where this kernel gives the number a
 * meaning of its own (ENOTTY: there are no ioctls; ETIMEDOUT: IPC timeouts). */
#include <ulib/error.h>
#include <ulib/stdio.h>
#include <uapi/errno.h>

static const char *const error_text[ERRNO_MAX + 1] = {
	[EPERM] = "Operation not permitted",
	[ENOENT] = "No such file or directory",
	[ESRCH] = "No such process",
	[EINTR] = "Interrupted system call",
	[EIO] = "Input/output error",
	[ENXIO] = "No such device or address",
	[E2BIG] = "Argument list too long",
	[ENOEXEC] = "Exec format error",
	[EBADF] = "Bad file descriptor",
	[ECHILD] = "No child processes",
	[EAGAIN] = "Resource temporarily unavailable",
	[ENOMEM] = "Cannot allocate memory",
	[EACCES] = "Permission denied",
	[EFAULT] = "Bad address",
	[EBUSY] = "Device or resource busy",
	[EEXIST] = "File exists",
	[EXDEV] = "Invalid cross-device link",
	[ENODEV] = "No such device",
	[ENOTDIR] = "Not a directory",
	[EISDIR] = "Is a directory",
	[EINVAL] = "Invalid argument",
	[ENFILE] = "Too many open files in system",
	[EMFILE] = "Too many open files",
	[ENOTTY] = "Inappropriate operation for this object",
	[EFBIG] = "File too large",
	[ENOSPC] = "No space left on device",
	[ESPIPE] = "Illegal seek",
	[EROFS] = "Read-only file system",
	[EMLINK] = "Too many links",
	[EPIPE] = "Broken pipe",
	[ERANGE] = "Numerical result out of range",
	[EDEADLK] = "Resource deadlock avoided",
	[ENAMETOOLONG] = "File name too long",
	[ENOSYS] = "Function not implemented",
	[ENOTEMPTY] = "Directory not empty",
	[ELOOP] = "Too many levels of symbolic links",
	[ENOMSG] = "No message of desired type",
	[EIDRM] = "Identifier removed",
	[ENODATA] = "No data available",
	[ETIME] = "Timer expired",
	[EOVERFLOW] = "Value too large for defined data type",
	[EMSGSIZE] = "Message too long",
	[ENOTSUP] = "Operation not supported",
	[ETIMEDOUT] = "Timed out",
	[ECONNREFUSED] = "Connection refused",
	[EHOSTUNREACH] = "No route to host",
};

const char *strerror(int err)
{
	unsigned n = err < 0 ? 0u - (unsigned)err : (unsigned)err;

	if (n > ERRNO_MAX || !error_text[n])
		return "Unknown error";
	return error_text[n];
}

void uerror(const char *prog, const char *what, int err)
{
	if (what)
		dprintf(2, "%s: %s: %s\n", prog, what, strerror(err));
	else
		dprintf(2, "%s: %s\n", prog, strerror(err));
}
