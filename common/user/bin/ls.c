/* ls: list directories, or describe files.
 *
 *   ls [-a] [-l] [PATH...]      no PATH: the working directory
 *
 * A directory lists its entries in the order the kernel gives them (no sorting), one per
 * line; names starting with '.' (among them "." and "..", which every directory has) only
 * with -a. A file prints its own name as given. With several PATHs, the files come first,
 * then each directory's listing under a "PATH:" heading.
 *
 * -l prints one line per name with what stat returns:
 *
 *   -rw-r-----    0    7     16 notes
 *   ^\_/\_/\_/    ^    ^      ^
 *   | |  |  |     uid  gid    size in bytes (a channel's: messages queued)
 *   | |  |  others' rights: r read, w write, x execute (search, for a directory)
 *   | |  the group's rights
 *   | the owner's rights
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
	if (mode & 01000) /* sticky: only owners may remove entries (/tmp, /ipc) */
		out[9] = mode & 01 ? 't' : 'T';
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

/* What path is: 1 for a directory, 0 for anything else, or the negated errno of stat. */
static int ls_kind(const char *path)
{
	struct stat st;
	int err = sys_stat(path, &st);

	if (err)
		return err;
	return (st.st_mode & S_IFMT) == S_IFDIR;
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

/* As Unix ls does with several PATHs: first the ones that are not directories (and the
 * errors), then each directory's listing under a heading, set off by a blank line from
 * whatever came before. */
int main(int argc, char **argv)
{
	struct ls_options o = { false, false };
	int first = ls_flags(argc, argv, &o), i;
	bool ok = true, printed = false;

	if (first == argc)
		return ls_dir(&o, ".") ? 0 : 1;
	for (i = first; i < argc; i++) {
		int kind = ls_kind(argv[i]);

		if (kind < 0) {
			uerror("ls", argv[i], kind);
			ok = false;
		} else if (kind == 0) {
			ok = ls_print(&o, argv[i], argv[i]) && ok;
			printed = true;
		}
	}
	for (i = first; i < argc; i++) {
		if (ls_kind(argv[i]) != 1)
			continue;
		if (argc - first > 1)
			printf("%s%s:\n", printed ? "\n" : "", argv[i]);
		printed = true;
		ok = ls_dir(&o, argv[i]) && ok;
	}
	return ok ? 0 : 1;
}
