/* ulib/spawn.h: starting a command the way a shell finds it. */
#ifndef ULIB_SPAWN_H
#define ULIB_SPAWN_H

#include <uapi/syscall.h>

/* Start the program argv[0] names, with the NULL-terminated argv, as a child. A name
 * without a '/' is looked up as /bin/NAME, like a shell's PATH of one directory; anything
 * else is a path (relative ones start at the working directory). attr is as for sys_spawn
 * (NULL: the caller's uid and gid). Returns the child's pid, or the negated errno of
 * sys_spawn (-ENOENT: no such program, -EACCES, -ENOEXEC...) or -ENAMETOOLONG. */
int spawn_command(char *const argv[], const struct spawn_attr *attr);

#endif
