/* ls: list directories, or describe files.
 *
 *   ls [-a] [-l] [PATH...]      no PATH: the working directory
 *
 * A directory lists its entries in the order the kernel gives them (no sorting), one per
 * line; names starting with '.' (among them "." and "..", which every directory has) only
 * with -a. A file prints its own name as given. With several PATHs, each directory's
 * listing gets a "PATH:" heading.
 *
 * -l prints one line per name with what stat returns:
 *
 *   drwxr-xr-x    0    0      0 tmp
 *   |\_/\_/\_/    |    |      |
 *   | owner, group,  uid  gid  size (bytes; a channel's: messages queued)
 *   | others: read, write, execute (search, for a directory)
 *   type: d directory, - file, c device, p IPC channel, n notification endpoint */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define LS_USAGE "ls [-a] [-l] [PATH...]"

struct ls_options {
	bool all;       /* -a: names starting with '.' too */
	bool longfmt;   /* -l */
};

/* The letter ls -l shows for the file type in mode. */
static char ls_type_letter(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return 'd';
	case S_IFREG: return '-';
	case S_IFCHR: return 'c';
	case S_IFIFO: return 'p';
	case S_IFNTFY: return 'n';
	default: return '?';
	}
}

/* Write the ten characters of a mode ("drwxr-xr-x") and a NUL into out. */
static void ls_mode_string(uint32_t mode, char out[11])
{
	static const char rwx[] = "rwx";
	int bit;

	out[0] = ls_type_letter(mode);
	for (bit = 0; bit < 9; bit++)
		out[1 + bit] = mode & (0400u >> bit) ? rwx[bit % 3] : '-';
	out[10] = '\0';
}

/* Print one name: just the name, or with -l the line for the node at path. Returns false
 * (after saying why) when that node cannot be stat'ed. */
static bool ls_print(const struct ls_options *o, const char *path, const char *name)
{
	struct stat st;
	char mode[11];
	int err;

	if (!o->longfmt) {
		printf("%s\n", name);
		return true;
	}
	err = sys_stat(path, &st);
	if (err) {
		uerror("ls", path, err);
		return false;
	}
	ls_mode_string(st.st_mode, mode);
	printf("%s %4d %4d %6llu %s\n", mode, st.st_uid, st.st_gid,
	       (unsigned long long)st.st_size, name);
	return true;
}

/* Print the entry name of directory dir, whose path is dir/name. Returns false on a
 * reported error. */
static bool ls_entry(const struct ls_options *o, const char *dir, const char *name)
{
	char path[PATH_MAX];
	const char *sep = dir[strlen(dir) - 1] == '/' ? "" : "/";

	if (name[0] == '.' && !o->all)
		return true;
	if (snprintf(path, sizeof path, "%s%s%s", dir, sep, name) >= (int)sizeof path) {
		uerror("ls", name, -ENAMETOOLONG);
		return false;
	}
	return ls_print(o, path, name);
}

/* List the directory at path. Returns false if anything failed (and was reported). */
static bool ls_dir(const struct ls_options *o, const char *path)
{
	struct dirent ent;
	bool ok = true;
	int fd = sys_open(path, O_RDONLY | O_DIRECTORY, 0), r;

	if (fd < 0) {
		uerror("ls", path, fd);
		return false;
	}
	while ((r = sys_readdir(fd, &ent)) > 0)
		ok = ls_entry(o, path, ent.d_name) && ok;
	if (r < 0) {
		uerror("ls", path, r);
		ok = false;
	}
	sys_close(fd);
	return ok;
}

/* List one argument: a directory's entries, or a file's own line. With several
 * arguments a directory gets a heading, set off by a blank line unless it comes first.
 * Returns false on a reported error. */
static bool ls_arg(const struct ls_options *o, const char *path, bool heading, bool first)
{
	struct stat st;
	int err = sys_stat(path, &st);

	if (err) {
		uerror("ls", path, err);
		return false;
	}
	if ((st.st_mode & S_IFMT) != S_IFDIR)
		return ls_print(o, path, path);
	if (heading)
		printf("%s%s:\n", first ? "" : "\n", path);
	return ls_dir(o, path);
}

/* Read the flag words at the start of argv into o. Returns the index of the first PATH. */
static int ls_flags(int argc, char **argv, struct ls_options *o)
{
	const char *f;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		for (f = argv[i] + 1; *f != '\0'; f++) {
			if (*f == 'a')
				o->all = true;
			else if (*f == 'l')
				o->longfmt = true;
			else
				args_usage(LS_USAGE);
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	struct ls_options o = { false, false };
	int first = ls_flags(argc, argv, &o), i;
	bool ok = true;

	if (first == argc)
		return ls_arg(&o, ".", false, true) ? 0 : 1;
	for (i = first; i < argc; i++)
		ok = ls_arg(&o, argv[i], argc - first > 1, i == first) && ok;
	return ok ? 0 : 1;
}
