/* spawn.c: starting a command by name (ulib/spawn.h). */
#include <ulib/spawn.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

int spawn_command(char *const argv[], const struct spawn_attr *attr)
{
	char path[PATH_MAX];

	if (strchr(argv[0], '/'))
		return sys_spawn(argv[0], argv, attr);
	if (snprintf(path, sizeof path, "/bin/%s", argv[0]) >= (int)sizeof path)
		return -ENAMETOOLONG;
	return sys_spawn(path, argv, attr);
}
