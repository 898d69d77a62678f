/* mkchan: make an IPC channel.
 *
 *   mkchan [-m MODE] [-c CAPACITY] [-s MAXSIZE] PATH
 *
 * PATH is in /ipc or a directory under it. MODE is octal (default 0666: anyone may read
 * and write; there is no umask), CAPACITY the messages the channel holds at most (default
 * 16, at most 1024), MAXSIZE the bytes of one message at most (default 4096, at most
 * 65536). The caller owns the channel. Attributes are set at creation only: a channel's
 * readers and writers rely on them, so they do not change under their feet. */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/ipc.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define MKCHAN_MODE 0666
#define MKCHAN_USAGE "mkchan [-m MODE] [-c CAPACITY] [-s MAXSIZE] PATH"

/* Apply option opt with value s to *mode or *attr. False when either is bad. */
static bool mkchan_option(const char *opt, const char *s, long *mode, struct chan_attr *attr)
{
	long v;

	if (strcmp(opt, "-m") == 0)
		return args_number(s, 8, 0, S_PERM_MASK, mode);
	if (!args_number(s, 10, 1, strcmp(opt, "-c") == 0 ? CHAN_CAPACITY_MAX : CHAN_MSG_SIZE_MAX,
			 &v))
		return false;
	if (strcmp(opt, "-c") == 0)
		attr->capacity = (uint32_t)v;
	else if (strcmp(opt, "-s") == 0)
		attr->max_msg_size = (uint32_t)v;
	else
		return false;
	return true;
}

int main(int argc, char **argv)
{
	struct chan_attr attr = CHAN_ATTR_DEFAULT;
	long mode = MKCHAN_MODE;
	int i, err;

	for (i = 1; i + 1 < argc && argv[i][0] == '-'; i += 2)
		if (!mkchan_option(argv[i], argv[i + 1], &mode, &attr))
			args_usage(MKCHAN_USAGE);
	if (i != argc - 1)
		args_usage(MKCHAN_USAGE);
	err = sys_mkchan(argv[i], (int)mode, &attr);
	if (err < 0) {
		uerror("mkchan", argv[i], err);
		return 1;
	}
	return 0;
}
