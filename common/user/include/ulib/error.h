/* ulib/error.h: error messages, as a Unix tool prints them.
 *
 * System calls here return a negated errno instead of setting a variable (ulib/syscall.h),
 * so both functions take the error as a number. For a learner coming from POSIX, either
 * sign is accepted: strerror(-EACCES) and strerror(EACCES) are the same text. */
#ifndef ULIB_ERROR_H
#define ULIB_ERROR_H

/* The text of error err (either sign), e.g. "Permission denied" for EACCES, or
 * "Unknown error" for a number uapi/errno.h does not define. Never NULL. */
const char *strerror(int err);

/* Print "prog: what: text\n" on fd 2 (stderr), or "prog: text\n" when what is NULL:
 * uerror("cat", "/tmp/secret", -EACCES) prints "cat: /tmp/secret: Permission denied". */
void uerror(const char *prog, const char *what, int err);

#endif
