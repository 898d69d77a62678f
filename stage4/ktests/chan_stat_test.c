/* chan_stat_test.c: the statistics of the channels in /kfs/ipc (ipc/chan_stat.c) agree
 * exactly with what a test did through the in-kernel API: its channel's line in
 * /kfs/ipc/channels, and the change of every total in /kfs/ipc/summary, while the channel
 * lives and after it is freed. */
#include <uapi/errno.h>
#include <ipc/chan.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/ktest.h>
#include <kernel/textfile.h>
#include <lib/string.h>
#include <mm/kmalloc.h>

#define CHANSTAT_PATH "/ipc/kt-stat"
#define CHANSTAT_NONE (-1LL)    /* no such line, column or key, or not a number */

static const struct cred chanstat_root = { 0, 0 };

/* The whole of the text file at path, as a string in a buffer to kfree, or NULL. */
static char *chanstat_read(const char *path)
{
	char *text = kmalloc(TEXTFILE_MAX + 1);
	struct file *f;
	struct iobuf b;
	long n, len = 0;

	if (!text)
		return NULL;
	if (file_open(kfs_root(), path, O_RDONLY, 0, &chanstat_root, &f)) {
		kfree(text);
		return NULL;
	}
	do {
		b = iobuf_kernel(text + len, TEXTFILE_MAX - (size_t)len);
		n = file_read(f, &b);
		len += n > 0 ? n : 0;
	} while (n > 0);
	file_put(f);
	text[len] = '\0';
	return text;
}

/* Field number index (from 0) of the line at line, into out[size] as a string. Fields are
 * separated by single spaces. Returns false when the line has fewer fields. */
static bool chanstat_field(const char *line, int index, char *out, size_t size)
{
	size_t len;

	for (; index > 0; index--) {
		while (*line != ' ' && *line != '\n' && *line != '\0')
			line++;
		if (*line != ' ')
			return false;
		line++;
	}
	for (len = 0; line[len] != ' ' && line[len] != '\n' && line[len] != '\0'; len++)
		;
	if (len + 1 > size)
		return false;
	memcpy(out, line, len);
	out[len] = '\0';
	return true;
}

/* The decimal number s, or CHANSTAT_NONE. */
static long long chanstat_number(const char *s)
{
	long long v = 0;

	if (*s == '\0')
		return CHANSTAT_NONE;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return *s == '\0' ? v : CHANSTAT_NONE;
}

/* The start of the line of text whose first field is first, or NULL. */
static const char *chanstat_line(const char *text, const char *first)
{
	char f[CHAN_INFO_PATH_MAX];

	for (; *text != '\0'; text = strchr(text, '\n') + 1) {
		if (chanstat_field(text, 0, f, sizeof f) && strcmp(f, first) == 0)
			return text;
		if (!strchr(text, '\n'))
			break;
	}
	return NULL;
}

/* The column called name of the line of /kfs/ipc/channels (text) for path, found through
 * the header line, as a string in out[size]. Returns false when there is none. */
static bool chanstat_column(const char *text, const char *path, const char *name, char *out,
			    size_t size)
{
	const char *line = chanstat_line(text, path);
	char f[32];
	int i;

	for (i = 0; line && chanstat_field(text, i, f, sizeof f); i++)
		if (strcmp(f, name) == 0)
			return chanstat_field(line, i, out, size);
	return false;
}

/* The number in the column called name of path's line, or CHANSTAT_NONE. */
static long long chanstat_count(const char *text, const char *path, const char *name)
{
	char f[32];

	return chanstat_column(text, path, name, f, sizeof f) ? chanstat_number(f) :
								CHANSTAT_NONE;
}

/* The value of key in /kfs/ipc/summary (text), or CHANSTAT_NONE. */
static long long chanstat_key(const char *text, const char *key)
{
	const char *line = chanstat_line(text, key);
	char f[32];

	return line && chanstat_field(line, 1, f, sizeof f) ? chanstat_number(f) : CHANSTAT_NONE;
}

/* How much key grew from the summary before to the summary after: CHANSTAT_NONE when
 * either lacks it (no test expects a delta of -1, so a missing key cannot pass). */
static long long chanstat_delta(const char *before, const char *after, const char *key)
{
	long long a = chanstat_key(after, key), b = chanstat_key(before, key);

	return a == CHANSTAT_NONE || b == CHANSTAT_NONE ? CHANSTAT_NONE : a - b;
}

/* Make CHANSTAT_PATH (capacity 4, messages up to 64 bytes), write 3 messages of 12 bytes
 * in all, read 2 of them (7 bytes), and fail one write with -EMSGSIZE. The handles are
 * left open in *w and *r. */
static void chanstat_traffic(struct file **w, struct file **r)
{
	struct chan_attr a = { 4, 64 };
	char buf[65] = { 0 };

	KTEST_ASSERT_EQ(chan_create(kfs_root(), CHANSTAT_PATH, 0640, &a, &chanstat_root), 0);
	KTEST_ASSERT_EQ(chan_open(CHANSTAT_PATH, O_WRONLY, w), 0);
	KTEST_ASSERT_EQ(chan_open(CHANSTAT_PATH, O_RDONLY, r), 0);
	KTEST_ASSERT_EQ(chan_write(*w, "one", 3), 3);
	KTEST_ASSERT_EQ(chan_write(*w, "two!", 4), 4);
	KTEST_ASSERT_EQ(chan_write(*w, "three", 5), 5);
	KTEST_ASSERT_EQ(chan_write(*w, buf, sizeof buf), -EMSGSIZE);
	KTEST_ASSERT_EQ(chan_read(*r, buf, sizeof buf), 3);
	KTEST_ASSERT_EQ(chan_read(*r, buf, sizeof buf), 4);
}

KTEST(chan_stats_channels_line_counts_exactly_what_was_done)
{
	struct file *w, *r;
	char *text, mode[8];

	chanstat_traffic(&w, &r);
	text = chanstat_read("/kfs/ipc/channels");
	KTEST_ASSERT(text != NULL);
	KTEST_EXPECT(strncmp(text, "path mode uid depth capacity max_size ", 38) == 0);
	KTEST_EXPECT(chanstat_column(text, CHANSTAT_PATH, "mode", mode, sizeof mode) &&
		     strcmp(mode, "0640") == 0);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "uid"), 0);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "depth"), 1);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "capacity"), 4);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "max_size"), 64);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "msgs_written"), 3);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "bytes_written"), 12);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "msgs_read"), 2);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "bytes_read"), 7);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "high_water"), 3);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "readers"), 1);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "writers"), 1);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "blocked_readers"), 0);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "times_blocked_read"), 0);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "emsgsize"), 1);
	KTEST_EXPECT_EQ(chanstat_count(text, CHANSTAT_PATH, "eagain"), 0);
	kfree(text);
	file_put(w);
	file_put(r);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), CHANSTAT_PATH, &chanstat_root, false), 0);
	text = chanstat_read("/kfs/ipc/channels");
	KTEST_ASSERT(text != NULL);
	KTEST_EXPECT(chanstat_line(text, CHANSTAT_PATH) == NULL);   /* freed: off the list */
	kfree(text);
}

KTEST(chan_stats_summary_grows_by_exactly_what_was_done)
{
	char *before = chanstat_read("/kfs/ipc/summary"), *live, *gone;
	struct file *w, *r;

	KTEST_ASSERT(before != NULL);
	chanstat_traffic(&w, &r);
	live = chanstat_read("/kfs/ipc/summary");
	file_put(w);
	file_put(r);
	KTEST_EXPECT_EQ(kfs_remove(kfs_root(), CHANSTAT_PATH, &chanstat_root, false), 0);
	gone = chanstat_read("/kfs/ipc/summary");
	KTEST_ASSERT(live != NULL && gone != NULL);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "channels_alive"), 1);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "msgs_written"), 3);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "bytes_written"), 12);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "msgs_read"), 2);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "bytes_read"), 7);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "msgs_queued"), 1);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "bytes_queued"), 5);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "errors_emsgsize"), 1);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "errors_eagain"), 0);
	KTEST_EXPECT_EQ(chanstat_delta(before, live, "times_blocked_read"), 0);
	/* Freed, the channel leaves the live figures and keeps its counters in the totals. */
	KTEST_EXPECT_EQ(chanstat_delta(before, gone, "channels_alive"), 0);
	KTEST_EXPECT_EQ(chanstat_delta(before, gone, "channels_freed"), 1);
	KTEST_EXPECT_EQ(chanstat_delta(before, gone, "msgs_written"), 3);
	KTEST_EXPECT_EQ(chanstat_delta(before, gone, "bytes_read"), 7);
	KTEST_EXPECT_EQ(chanstat_delta(before, gone, "msgs_queued"), 0);
	KTEST_EXPECT_EQ(chanstat_delta(before, gone, "bytes_queued"), 0);
	KTEST_EXPECT_EQ(chanstat_delta(before, gone, "errors_emsgsize"), 1);
	kfree(before);
	kfree(live);
	kfree(gone);
}
