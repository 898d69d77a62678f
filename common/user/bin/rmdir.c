/* rmdir: remove empty directories.
 *
 *   rmdir DIR...
 *
 * A directory that still holds entries other than "." and ".." is refused with
 * "Directory not empty" (ENOTEMPTY). */
#include <ulib/args.h>
#include <ulib/syscall.h>

/* args_each() op: remove one directory. */
static int rmdir_one(const char *path, void *arg)
{
	return sys_rmdir(path);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		args_usage("rmdir DIR...");
	return args_each(argc, argv, 1, "rmdir", rmdir_one, NULL);
}
