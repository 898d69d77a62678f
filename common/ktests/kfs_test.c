/* kfs_test.c: the namespace: path lookup edge cases, the permission matrix, descriptor
 * semantics, and /kfs agreeing with the kernel's counters. */
#include <uapi/errno.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/ktest.h>
#include <kernel/process.h>
#include <kernel/thread.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>

static const struct cred kfs_test_root = { 0, 0 };

/* mkdir through the directory's create operation, as sys_mkdir does. */
static int kfs_test_mkdir(const char *path, uint32_t perm, const struct cred *cred)
{
	struct kfs_create_args a = { S_IFDIR | perm, NULL, cred };
	char name[NAME_MAX + 1];
	struct kfs_node *dir, *n;
	int err = kfs_resolve_parent(kfs_root(), path, cred, &dir, name);

	if (err)
		return err;
	err = dir->ops->create(dir, name, &a, &n);
	if (!err)
		kfs_put(n);
	kfs_put(dir);
	return err;
}

/* Create (or truncate) a file with perm as cred, write text into it, close it. */
static int kfs_test_file(const char *path, uint32_t perm, const struct cred *cred, const char *text)
{
	struct file *f;
	struct iobuf b = iobuf_kernel((void *)text, strlen(text));
	int err = file_open(kfs_root(), path, O_WRONLY | O_CREAT | O_TRUNC, perm, cred, &f);

	if (err)
		return err;
	err = file_write(f, &b) == (long)strlen(text) ? 0 : -EIO;
	file_put(f);
	return err;
}

struct kfs_lookup_case {
	const char *path;
	int err;          /* expected result of kfs_resolve */
	const char *name; /* the node's name when found */
};

KTEST(kfs_path_lookup_edge_cases)
{
	static char too_long_name[NAME_MAX + 3], too_long_path[PATH_MAX + 1]; /* "/" + 64 x */
	const struct kfs_lookup_case cases[] = {
		{ "/", 0, "" },
		{ "/tmp", 0, "tmp" },
		{ "//tmp///kt//a/", 0, "a" },
		{ "/tmp/kt/a/.", 0, "a" },
		{ "/tmp/kt/a/..", 0, "kt" },
		{ "/..", 0, "" },                    /* ".." above the root stays at the root */
		{ "/../../tmp/./kt/../kt/a/b", 0, "b" },
		{ "", -ENOENT, NULL },                /* empty path */
		{ "/tmp/kt/nothere", -ENOENT, NULL },
		{ "/tmp/kt/f/x", -ENOTDIR, NULL },    /* a file in the middle */
		{ "/tmp/kt/f/", -ENOTDIR, NULL },     /* a trailing slash on a file */
		{ too_long_name, -ENAMETOOLONG, NULL },
		{ too_long_path, -ENAMETOOLONG, NULL },
	};
	struct kfs_node *n;
	unsigned i;

	memset(too_long_name, 'x', sizeof too_long_name - 1);
	too_long_name[0] = '/';
	memset(too_long_path, 'y', sizeof too_long_path - 1);
	kfs_test_mkdir("/tmp/kt", 0755, &kfs_test_root);
	kfs_test_mkdir("/tmp/kt/a", 0755, &kfs_test_root);
	kfs_test_mkdir("/tmp/kt/a/b", 0755, &kfs_test_root);
	KTEST_ASSERT_EQ(kfs_test_file("/tmp/kt/f", 0644, &kfs_test_root, "x"), 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int err = kfs_resolve(kfs_root(), cases[i].path, &kfs_test_root, &n);

		if (!KTEST_EXPECT_EQ(err, cases[i].err))
			ktest_fail(__FILE__, __LINE__, "case %u: \"%.40s\"", i, cases[i].path);
		if (!err) {
			KTEST_EXPECT_STREQ(n->name, cases[i].name);
			kfs_put(n);
		}
	}
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/tmp/kt/f", &kfs_test_root, false), 0);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/tmp/kt/a/b", &kfs_test_root, true), 0);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/tmp/kt/a", &kfs_test_root, true), 0);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/tmp/kt", &kfs_test_root, true), 0);
}

KTEST(kfs_relative_paths_start_at_the_given_directory)
{
	struct kfs_node *tmp, *n;

	KTEST_ASSERT_EQ(kfs_resolve(kfs_root(), "/tmp", &kfs_test_root, &tmp), 0);
	KTEST_EXPECT_EQ(kfs_resolve(tmp, "../dev/null", &kfs_test_root, &n), 0);
	if (n)
		kfs_put(n);
	KTEST_EXPECT_EQ(kfs_resolve(tmp, "dev", &kfs_test_root, &n), -ENOENT);
	kfs_put(tmp);
}

/* The permission matrix: for each class (owner, group, other) and each right (r, w, x),
 * a mode with only that bit set allows exactly that class that right. */
KTEST(kfs_permission_matrix)
{
	static const struct cred who[3] = { { 100, 100 }, { 200, 100 }, { 300, 300 } };
	struct kfs_node *n = kfs_node_new(&kfs_dir_ops, S_IFREG, 100, 100);
	unsigned cls, right, asker, want;

	KTEST_ASSERT(n != NULL);
	for (cls = 0; cls < 3; cls++) {
		for (right = 0; right < 3; right++) {
			uint32_t bit = (4u >> right) << (3 * (2 - cls));

			n->mode = S_IFREG | bit;
			for (asker = 0; asker < 3; asker++) {
				want = 4u >> right;
				KTEST_EXPECT_EQ(kfs_access(n, &who[asker], want),
						asker == cls ? 0 : -EACCES);
			}
		}
	}
	n->mode = S_IFREG | 0;
	KTEST_EXPECT_EQ(kfs_access(n, &kfs_test_root, KFS_MAY_READ | KFS_MAY_WRITE), 0);
	KTEST_EXPECT_EQ(kfs_access(n, &kfs_test_root, KFS_MAY_EXEC), -EACCES); /* no x bit */
	n->mode = S_IFREG | 0001;
	KTEST_EXPECT_EQ(kfs_access(n, &kfs_test_root, KFS_MAY_EXEC), 0);
	kfs_put(n);
}

KTEST(kfs_only_owner_or_root_chmod_only_root_chown)
{
	static const struct cred owner = { 100, 100 }, other = { 200, 100 };
	struct kfs_node *n = kfs_node_new(&kfs_dir_ops, S_IFREG | 0644, 100, 100);

	KTEST_ASSERT(n != NULL);
	KTEST_EXPECT_EQ(kfs_chmod(n, &other, 0777), -EPERM);
	KTEST_EXPECT_EQ(n->mode, S_IFREG | 0644);
	KTEST_EXPECT_EQ(kfs_chmod(n, &owner, 0600), 0);
	KTEST_EXPECT_EQ(n->mode, S_IFREG | 0600);
	KTEST_EXPECT_EQ(kfs_chmod(n, &kfs_test_root, 0640), 0);
	KTEST_EXPECT_EQ(kfs_chown(n, &owner, 200, 200), -EPERM);
	KTEST_EXPECT_EQ(kfs_chown(n, &kfs_test_root, 200, 300), 0);
	KTEST_EXPECT_EQ(n->uid, 200);
	KTEST_EXPECT_EQ(n->gid, 300);
	kfs_put(n);
}

KTEST(kfs_open_checks_rights_and_creation)
{
	static const struct cred user = { 1000, 1000 }, other = { 2000, 2000 };
	struct file *f = NULL;

	KTEST_ASSERT_EQ(kfs_test_file("/tmp/kt-secret", 0600, &user, "s3cret"), 0);
	KTEST_EXPECT_EQ(file_open(kfs_root(), "/tmp/kt-secret", O_RDONLY, 0, &other, &f), -EACCES);
	KTEST_EXPECT_EQ(file_open(kfs_root(), "/tmp/kt-secret", O_RDONLY, 0, &user, &f), 0);
	if (f)
		file_put(f);
	KTEST_EXPECT_EQ(file_open(kfs_root(), "/tmp/kt-secret", O_CREAT | O_EXCL | O_WRONLY, 0600,
				  &user, &f), -EEXIST);
	KTEST_EXPECT_EQ(file_open(kfs_root(), "/kfs/newfile", O_CREAT | O_WRONLY, 0600, &user, &f),
			-EACCES); /* no write permission on /kfs */
	KTEST_EXPECT_EQ(file_open(kfs_root(), "/tmp", O_WRONLY, 0, &kfs_test_root, &f), -EISDIR);
	KTEST_EXPECT_EQ(file_open(kfs_root(), "/tmp/kt-secret", O_ACCMODE, 0, &user, &f), -EINVAL);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/tmp/kt-secret", &kfs_test_root, false), 0);
}

/* Read the whole of an open file into buf (NUL-terminated); returns the length. */
static long kfs_test_read_all(struct file *f, char *buf, size_t size)
{
	long got, total = 0;

	do {
		struct iobuf b = iobuf_kernel(buf + total, size - 1 - (size_t)total);

		got = file_read(f, &b);
		total += got > 0 ? got : 0;
	} while (got > 0 && (size_t)total < size - 1);
	buf[total] = '\0';
	return total;
}

KTEST(fd_dup_shares_offset_and_close_leaves_the_other)
{
	struct fd_table *t = fd_table_new();
	struct file *f, *g;
	char buf[8];
	struct iobuf b = iobuf_kernel(buf, 3);
	int fd, fd2;

	KTEST_ASSERT(t != NULL);
	KTEST_ASSERT_EQ(kfs_test_file("/tmp/kt-dup", 0644, &kfs_test_root, "abcdef"), 0);
	KTEST_ASSERT_EQ(file_open(kfs_root(), "/tmp/kt-dup", O_RDONLY, 0, &kfs_test_root, &f), 0);
	fd = fd_install(t, f);
	fd2 = fd_dup(t, fd);
	KTEST_EXPECT(fd2 > fd);
	f = fd_get(t, fd);
	KTEST_EXPECT_EQ(file_read(f, &b), 3);
	file_put(f);
	KTEST_EXPECT_EQ(fd_close(t, fd), 0);
	KTEST_EXPECT_EQ(fd_close(t, fd), -EBADF);
	g = fd_get(t, fd2);
	KTEST_ASSERT(g != NULL);
	KTEST_EXPECT_EQ(kfs_test_read_all(g, buf, sizeof buf), 3);
	KTEST_EXPECT_STREQ(buf, "def"); /* the offset moved by the read through fd */
	file_put(g);
	KTEST_EXPECT_EQ(fd_dup2(t, fd2, 10), 10);
	KTEST_EXPECT_EQ(fd_dup2(t, 99, 10), -EBADF);
	KTEST_EXPECT_EQ(fd_dup(t, FD_MAX), -EBADF);
	fd_table_put(t);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/tmp/kt-dup", &kfs_test_root, false), 0);
}

KTEST(fd_copies_share_files_and_closing_all_frees_the_node)
{
	struct kmalloc_stats k0, k1;
	struct fd_table *t, *c;
	struct file *f;

	kmalloc_stats(&k0);
	t = fd_table_new();
	KTEST_ASSERT(t != NULL);
	KTEST_ASSERT_EQ(kfs_test_file("/tmp/kt-inherit", 0644, &kfs_test_root, "xyz"), 0);
	KTEST_ASSERT_EQ(file_open(kfs_root(), "/tmp/kt-inherit", O_RDONLY, 0, &kfs_test_root, &f), 0);
	KTEST_EXPECT_EQ(fd_install(t, f), 0);
	c = fd_table_copy(t);  /* what a spawned child gets */
	KTEST_ASSERT(c != NULL);
	KTEST_EXPECT(fd_get(c, 0) == f);
	file_put(f);           /* the fd_get reference */
	/* The name goes; the open file keeps the node. */
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), "/tmp/kt-inherit", &kfs_test_root, false), 0);
	fd_table_put(t);
	KTEST_EXPECT_EQ(f->refs, 1);
	fd_table_put(c);       /* the last reference: file, node and data are freed */
	kmalloc_stats(&k1);
	KTEST_EXPECT_EQ(k1.allocs_in_use, k0.allocs_in_use);
	KTEST_EXPECT_EQ(k1.bytes_in_use, k0.bytes_in_use);
}

/* The value of "key N" in a /kfs text, or -1. */
static long kfs_test_field(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	long v = 0;

	if (!p)
		return -1;
	for (p += strlen(key) + 1; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (*p - '0');
	return v;
}

KTEST(kfs_meminfo_agrees_with_the_counters)
{
	static char text[1024];
	struct page_stats ps;
	struct file *f;

	KTEST_ASSERT_EQ(file_open(kfs_root(), "/kfs/meminfo", O_RDONLY, 0, &kfs_test_root, &f), 0);
	page_stats(&ps); /* taken right after the snapshot: nothing allocates in between */
	kfs_test_read_all(f, text, sizeof text);
	file_put(f);
	KTEST_EXPECT_EQ(kfs_test_field(text, "pages_total"), (long)ps.total_pages);
	KTEST_EXPECT(kfs_test_field(text, "pages_free") > 0);
	KTEST_EXPECT_EQ(kfs_test_field(text, "threads"), (long)thread_count());
	KTEST_EXPECT_EQ(kfs_test_field(text, "processes"), (long)process_count());
}

KTEST(devfs_devices_behave)
{
	char buf[8] = "xxxxxxx";
	struct iobuf b = iobuf_kernel(buf, sizeof buf);
	struct file *f;

	KTEST_ASSERT_EQ(file_open(kfs_root(), "/dev/null", O_RDWR, 0, &kfs_test_root, &f), 0);
	KTEST_EXPECT_EQ(file_read(f, &b), 0);            /* end of file at once */
	KTEST_EXPECT_EQ(file_write(f, &b), sizeof buf);  /* swallowed whole */
	file_put(f);
	KTEST_ASSERT_EQ(file_open(kfs_root(), "/dev/zero", O_RDONLY, 0, &kfs_test_root, &f), 0);
	KTEST_EXPECT_EQ(file_read(f, &b), sizeof buf);
	KTEST_EXPECT_EQ(memcmp(buf, "\0\0\0\0\0\0\0\0", sizeof buf), 0);
	file_put(f);
	/* Nobody types during the tests: a non-blocking read of the console would block. */
	KTEST_ASSERT_EQ(file_open(kfs_root(), "/dev/console", O_RDONLY | O_NONBLOCK, 0,
				  &kfs_test_root, &f), 0);
	KTEST_EXPECT_EQ(file_read(f, &b), -EAGAIN);
	file_put(f);
}
