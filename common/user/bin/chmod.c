/* chmod: set the permission bits of files.
 *
 *   chmod MODE FILE...      MODE in octal, 0 to 777: `chmod 640 f` is rw-r-----
 *
 * Each octal digit is one class of users, owner, group, others; in each, r = 4, w = 2,
 * x = 1. Only the owner of a file, or root, may change its mode (the kernel's
 * kfs_chmod rule). There are no symbolic modes (u+x). */
#include <ulib/args.h>
#include <ulib/syscall.h>

/* args_each() op: set the mode *arg on one file. */
static int chmod_one(const char *path, void *arg)
{
	return sys_chmod(path, *(int *)arg);
}

int main(int argc, char **argv)
{
	long mode;
	int perm;

	if (argc < 3 || !args_number(argv[1], 8, 0, S_PERM_MASK, &mode))
		args_usage("chmod MODE FILE...   (MODE: octal, 0 to 777)");
	perm = (int)mode;
	return args_each(argc, argv, 2, "chmod", chmod_one, &perm);
}
