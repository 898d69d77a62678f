/* chown: set the owner, and optionally the group, of files.
 *
 *   chown UID[:GID] FILE...     numbers: there are no user names
 *
 * Only root may change owners (the kernel's kfs_chown rule). Without :GID a file keeps
 * its group: chown reads it with stat and passes it back unchanged. */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define CHOWN_ID_MAX 65535

/* The owner to set, and the group (-1: keep each file's own). */
struct chown_ids {
	int uid;
	int gid;
};

/* Read "UID" or "UID:GID" into ids. Returns false when spec is not of that form. */
static bool chown_parse(char *spec, struct chown_ids *ids)
{
	char *colon = strchr(spec, ':');
	long uid, gid = -1;

	if (colon) {
		*colon = '\0';
		if (!args_number(colon + 1, 10, 0, CHOWN_ID_MAX, &gid))
			return false;
	}
	if (!args_number(spec, 10, 0, CHOWN_ID_MAX, &uid))
		return false;
	ids->uid = (int)uid;
	ids->gid = (int)gid;
	return true;
}

/* args_each() op: give one file the owner (and group) *arg. */
static int chown_one(const char *path, void *arg)
{
	const struct chown_ids *ids = arg;
	struct stat st;
	int err;

	if (ids->gid >= 0)
		return sys_chown(path, ids->uid, ids->gid);
	err = sys_stat(path, &st);
	if (err)
		return err;
	return sys_chown(path, ids->uid, st.st_gid);
}

int main(int argc, char **argv)
{
	struct chown_ids ids;

	if (argc < 3 || !chown_parse(argv[1], &ids))
		args_usage("chown UID[:GID] FILE...");
	return args_each(argc, argv, 2, "chown", chown_one, &ids);
}
