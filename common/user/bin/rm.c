/* rm: remove files (names that are not directories; rmdir removes those).
 *
 *   rm FILE...
 *
 * Removing a name needs write permission on the directory that holds it, not on the file.
 * A file that is still open lives on, nameless, until its last descriptor is closed. */
#include <ulib/args.h>
#include <ulib/syscall.h>

/* args_each() op: remove one name. */
static int rm_one(const char *path, void *arg)
{
	return sys_unlink(path);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		args_usage("rm FILE...");
	return args_each(argc, argv, 1, "rm", rm_one, NULL);
}
