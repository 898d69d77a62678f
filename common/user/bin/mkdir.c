/* mkdir: make directories.
 *
 *   mkdir DIR...
 *
 * Each directory gets mode 0755 (rwxr-xr-x) and the caller as owner: there is no umask.
 * Parents are not made (no -p): `mkdir /tmp/a/b` needs /tmp/a. */
#include <ulib/args.h>
#include <ulib/syscall.h>

#define MKDIR_MODE 0755

/* args_each() op: make one directory. */
static int mkdir_one(const char *path, void *arg)
{
	return sys_mkdir(path, MKDIR_MODE);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		args_usage("mkdir DIR...");
	return args_each(argc, argv, 1, "mkdir", mkdir_one, NULL);
}
