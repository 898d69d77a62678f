/* chantest: channels through the real system calls: mkchan, open, write, read, recv and
 * its metadata, a child process as producer and the parent as consumer, the shell's
 * redirections, the access check, and bad pointers. The kernel runs it with
 * utest=chantest (make check: utest-x86_64-chantest.qtest).
 *
 * A child mode (argv[1]) makes this program its own helper process:
 *   chantest produce PATH N    write N messages "msg I" to PATH, then exit 0
 *   chantest open PATH         exit 0 when opening PATH for reading gives -EACCES */
#include <stdbool.h>
#include <ulib/ipc.h>
#include <ulib/stdio.h>
#include <ulib/stdlib.h>
#include <ulib/string.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>
#include <ulib/utest.h>

#define CHANTEST_MSGS 50               /* messages of the producer */
#define CHANTEST_KERNEL_ADDR 0xffffffff80000000UL
#define CHANTEST_USER 1000

/* Run this program as a child with mode and its arguments, as uid (-1: the same). Returns
 * the child's exit status, or a negated errno. */
static int chantest_child(const char *mode, const char *a1, const char *a2, int uid)
{
	char *argv[] = { "chantest", (char *)mode, (char *)a1, (char *)a2, NULL };
	struct spawn_attr attr = { uid, uid };
	int pid = sys_spawn("/bin/chantest", argv, &attr), status = -1;

	if (pid < 0)
		return pid;
	return sys_wait(pid, &status) == pid ? status : -ECHILD;
}

/* Run the shell command line cmd; returns its exit status or a negated errno. */
static int chantest_sh(const char *cmd)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	int pid = sys_spawn("/bin/sh", argv, NULL), status = -1;

	if (pid < 0)
		return pid;
	return sys_wait(pid, &status) == pid ? status : -ECHILD;
}

/* Child mode "produce PATH N". */
static int chantest_produce(const char *path, const char *count)
{
	int fd = sys_open(path, O_WRONLY, 0), i, n = atoi(count);
	char msg[32];

	if (fd < 0)
		return 1;
	for (i = 0; i < n; i++) {
		snprintf(msg, sizeof msg, "msg %d", i);
		if (sys_write(fd, msg, strlen(msg)) != (long)strlen(msg))
			return 2;
	}
	return sys_close(fd) == 0 ? 0 : 3;
}

/* The status of a child mode, or -1 when argv names none (then this is the test). */
static int chantest_child_main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "produce") == 0)
		return chantest_produce(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "open") == 0)
		return sys_open(argv[2], O_RDONLY, 0) == -EACCES ? 0 : 1;
	return -1;
}

UTEST(mkchan_open_write_read_unlink)
{
	struct chan_attr bad = { CHAN_CAPACITY_MAX + 1, 16 }, small = { 2, 16 };
	struct meminfo before, after;
	struct stat st;
	char buf[16];
	int r, w;

	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-rt", 0620, &small), 0);
	UTEST_EXPECT_EQ(sys_mkchan("/ipc/ut-rt", 0620, NULL), -EEXIST);
	UTEST_EXPECT_EQ(sys_mkchan("/ipc/ut-bad", 0620, &bad), -EINVAL);
	UTEST_EXPECT_EQ(sys_mkchan("/tmp/ut-chan", 0620, NULL), -EINVAL);
	w = sys_open("/ipc/ut-rt", O_WRONLY, 0);
	r = sys_open("/ipc/ut-rt", O_RDONLY, 0);
	UTEST_ASSERT(w >= 0 && r >= 0);
	UTEST_EXPECT_EQ(sys_write(w, "one", 3), 3);
	UTEST_EXPECT_EQ(sys_write(w, "two!", 4), 4);
	UTEST_EXPECT_EQ(sys_write(w, "0123456789abcdefX", 17), -EMSGSIZE);
	UTEST_ASSERT_EQ(sys_stat("/ipc/ut-rt", &st), 0);
	UTEST_EXPECT_EQ(st.st_mode, S_IFIFO | 0620);
	UTEST_EXPECT_EQ(st.st_size, 2);
	UTEST_EXPECT_EQ(st.st_extra[0], 2);
	UTEST_EXPECT_EQ(st.st_extra[1], 16);
	UTEST_EXPECT_EQ(sys_read(r, buf, 2), -EMSGSIZE);     /* and the message stays */
	UTEST_EXPECT_EQ(sys_read(r, buf, sizeof buf), 3);
	UTEST_EXPECT(memcmp(buf, "one", 3) == 0);
	UTEST_EXPECT_EQ(sys_read(r, buf, sizeof buf), 4);
	UTEST_EXPECT(memcmp(buf, "two!", 4) == 0);
	UTEST_EXPECT_EQ(sys_lseek(r, 0, SEEK_SET), -ESPIPE);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-rt"), 0);
	UTEST_EXPECT_EQ(sys_close(w), 0);
	UTEST_EXPECT_EQ(sys_read(r, buf, sizeof buf), 0);     /* no writer: end of file */
	UTEST_EXPECT_EQ(sys_close(r), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	UTEST_EXPECT_MEMINFO_EQ(&before, &after);
}

UTEST(recv_gives_the_sender_and_end_of_file)
{
	struct chan_msg_info info;
	char buf[16];
	int fd, w;

	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-recv", 0600, NULL), 0);
	fd = sys_open("/ipc/ut-recv", O_RDONLY, 0);
	w = sys_open("/ipc/ut-recv", O_WRONLY, 0);
	UTEST_ASSERT(fd >= 0 && w >= 0);
	UTEST_EXPECT_EQ(sys_write(w, "hello", 5), 5);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, 2, &info), -EMSGSIZE);
	UTEST_EXPECT_EQ(info.len, 5);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 5);
	UTEST_EXPECT_EQ(info.len, 5);
	UTEST_EXPECT_EQ(info.from.pid, sys_getpid());
	UTEST_EXPECT_EQ(info.from.uid, sys_getuid());
	UTEST_EXPECT(!info.eof);
	UTEST_EXPECT_EQ(sys_recv(w, buf, sizeof buf, &info), -EBADF);   /* not open to read */
	UTEST_EXPECT_EQ(sys_recv(1, buf, sizeof buf, &info), -EINVAL);  /* not a channel */
	UTEST_EXPECT_EQ(sys_close(w), 0);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 0);
	UTEST_EXPECT(info.eof);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-recv"), 0);
}

UTEST(child_produces_parent_consumes_in_order)
{
	struct chan_attr attr = { 2, 32 };
	struct chan_msg_info info;
	char buf[32], want[32], count[16];
	char *argv[] = { "chantest", "produce", "/ipc/ut-pc", count, NULL };
	int fd, keep, pid, status = -1, i;

	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-pc", 0600, &attr), 0);
	fd = sys_open("/ipc/ut-pc", O_RDONLY, 0);
	keep = sys_open("/ipc/ut-pc", O_WRONLY, 0);  /* no end of file before the child opens */
	UTEST_ASSERT(fd >= 0 && keep >= 0);
	snprintf(count, sizeof count, "%d", CHANTEST_MSGS);
	pid = sys_spawn("/bin/chantest", argv, NULL);
	UTEST_ASSERT(pid > 0);
	UTEST_EXPECT_EQ(sys_close(keep), 0);         /* the child's copy is the last writer */
	for (i = 0; i < CHANTEST_MSGS; i++) {
		long n = sys_recv(fd, buf, sizeof buf - 1, &info);

		snprintf(want, sizeof want, "msg %d", i);
		UTEST_ASSERT_EQ(n, (long)strlen(want));
		buf[n] = '\0';
		UTEST_EXPECT_STREQ(buf, want);
		UTEST_EXPECT_EQ(info.from.pid, pid);
	}
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 0);
	UTEST_EXPECT(info.eof);
	UTEST_EXPECT_EQ(sys_wait(pid, &status), pid);
	UTEST_EXPECT_EQ(status, 0);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-pc"), 0);
}

UTEST(shell_echo_into_a_channel_and_cat_out_of_it)
{
	char buf[16];
	long n;
	int fd;

	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-demo", 0666, NULL), 0);
	UTEST_EXPECT_EQ(chantest_sh("echo hello > /ipc/ut-demo"), 0);
	UTEST_EXPECT_EQ(chantest_sh("cat /ipc/ut-demo > /tmp/ut-demo.out"), 0);
	fd = sys_open("/tmp/ut-demo.out", O_RDONLY, 0);
	UTEST_ASSERT(fd >= 0);
	n = sys_read(fd, buf, sizeof buf - 1);
	UTEST_ASSERT(n >= 0);
	buf[n] = '\0';
	UTEST_EXPECT_STREQ(buf, "hello\n");
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/tmp/ut-demo.out"), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-demo"), 0);
}

UTEST(other_user_cannot_open_a_0600_channel_of_root)
{
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-perm", 0600, NULL), 0);
	UTEST_EXPECT_EQ(chantest_child("open", "/ipc/ut-perm", NULL, CHANTEST_USER), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-perm"), 0);
}

UTEST(bad_pointers_are_efault_and_lose_nothing)
{
	struct chan_msg_info info;
	char buf[16];
	int fd;

	UTEST_EXPECT_EQ(sys_mkchan((const char *)CHANTEST_KERNEL_ADDR, 0600, NULL), -EFAULT);
	UTEST_EXPECT_EQ(sys_mkchan("/ipc/ut-fault", 0600,
				   (const struct chan_attr *)CHANTEST_KERNEL_ADDR), -EFAULT);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-fault", 0600, NULL), 0);
	fd = sys_open("/ipc/ut-fault", O_RDWR, 0);
	UTEST_ASSERT(fd >= 0);
	UTEST_EXPECT_EQ(sys_write(fd, (const void *)CHANTEST_KERNEL_ADDR, 4), -EFAULT);
	UTEST_EXPECT_EQ(sys_write(fd, "kept", 4), 4);
	UTEST_EXPECT_EQ(sys_read(fd, (void *)CHANTEST_KERNEL_ADDR, 4), -EFAULT);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, (struct chan_msg_info *)CHANTEST_KERNEL_ADDR),
			-EFAULT);
	UTEST_EXPECT_EQ(sys_recv(fd, buf, sizeof buf, &info), 4);   /* still queued */
	UTEST_EXPECT(memcmp(buf, "kept", 4) == 0);
	UTEST_EXPECT_EQ(sys_close(fd), 0);
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-fault"), 0);
}

/* The reader thread of the test below: one blocking read of the channel at *fd. */
struct chantest_reader {
	int fd;
	long got;
	char buf[16];
};

static int chantest_read_once(void *arg)
{
	struct chantest_reader *r = arg;

	r->got = sys_read(r->fd, r->buf, sizeof r->buf);
	return 0;
}

/* read() borrows its file without a reference only in a process of one thread (fs_rw in
 * syscall_fs.c). With two, the reader must hold a reference of its own: a close by the
 * other thread while it sleeps takes the descriptor away, not the open file. */
UTEST(close_by_another_thread_leaves_a_blocked_reader_its_file)
{
	struct chantest_reader rd = { .got = 1 };
	struct meminfo before, after;
	struct uthread t;
	char buf[4];
	int w;

	UTEST_ASSERT_EQ(sys_meminfo(&before), 0);
	UTEST_ASSERT_EQ(sys_mkchan("/ipc/ut-close", 0600, NULL), 0);
	rd.fd = sys_open("/ipc/ut-close", O_RDONLY, 0);
	w = sys_open("/ipc/ut-close", O_WRONLY, 0);
	UTEST_ASSERT(rd.fd >= 0 && w >= 0);
	UTEST_ASSERT_EQ(uthread_create(&t, chantest_read_once, &rd), 0);
	UTEST_EXPECT_EQ(sys_sleep_ns(20000000), 0);         /* the reader is asleep by now */
	UTEST_EXPECT_EQ(sys_close(rd.fd), 0);
	UTEST_EXPECT_EQ(sys_read(rd.fd, buf, sizeof buf), -EBADF);
	/* Unlinked, a channel whose last reader is gone refuses writes (-EPIPE): this one
	 * still has its reader, the sleeping thread's open file. */
	UTEST_EXPECT_EQ(sys_unlink("/ipc/ut-close"), 0);
	UTEST_EXPECT_EQ(sys_write(w, "late", 4), 4);
	UTEST_ASSERT_EQ(uthread_join(&t, NULL), 0);
	UTEST_EXPECT_EQ(rd.got, 4);
	UTEST_EXPECT(memcmp(rd.buf, "late", 4) == 0);
	UTEST_EXPECT_EQ(sys_write(w, "gone", 4), -EPIPE);   /* now the reader is gone */
	UTEST_EXPECT_EQ(sys_close(w), 0);
	UTEST_ASSERT_EQ(sys_meminfo(&after), 0);
	/* Not free_pages: the thread's stack may have needed a page table, which stays with
	 * the address space (mm/vm.c). The open file and the channel are on the heap. */
	UTEST_EXPECT_EQ(after.heap_allocs, before.heap_allocs);
	UTEST_EXPECT_EQ(after.heap_bytes, before.heap_bytes);
	UTEST_EXPECT_EQ(after.threads, before.threads);
}

int main(int argc, char **argv)
{
	int status = chantest_child_main(argc, argv);

	return status >= 0 ? status : utest_main(argc, argv);
}
