/* chan_stat.c: the statistics of the channels as text, in /kfs/ipc (lab-guides/stage4.md,
 * "Statistics"). Like the other files of /kfs (common/kernel/kfsstat.c) each is a snapshot
 * made at open (kernel/textfile.h), so that a learner can cat it, ipcstat can line it up
 * and a test can parse it:
 *   /kfs/ipc/channels  one line per live channel, fields separated by single spaces, after
 *                      a header line naming them:
 *                        path mode uid depth capacity max_size msgs_written bytes_written
 *                        msgs_read bytes_read high_water readers writers blocked_readers
 *                        blocked_writers times_blocked_read times_blocked_write
 *                        eagain emsgsize epipe enomem efault handed
 *                      path is "-" for an unlinked channel still open; mode is octal;
 *                      readers and writers count open handles, blocked_* the threads
 *                      asleep now, times_blocked_* every sleep so far, the five after
 *                      them the errors by kind (enum chan_err), handed the messages that
 *                      took the fast path of a call (counted as written and read too).
 *   /kfs/ipc/summary   "key value" lines: the same figures summed over every channel made
 *                      since boot (channels_alive plus channels_freed of them), so a
 *                      counter never goes down when a channel goes; then the same for
 *                      the notification endpoints (keys notify_*).
 *   /kfs/ipc/notify    one line per live notification endpoint (ipc/ntfy.h), after a
 *                      header line:
 *                        ino uid capacity pending subs waiting queued coalesced filtered
 *                        lost rearmed read woken
 *                      ino identifies the endpoint (fstat's st_ino); pending, subs and
 *                      waiting are now, the rest counters (struct ntfy_stats).
 * Each channel's figures are copied under its own lock, so a line is consistent; the lines
 * of two channels are taken one after the other, not at one instant. */
#include <ipc/chan.h>
#include <ipc/chan_core.h>
#include <ipc/ntfy.h>
#include <kernel/init.h>
#include <kernel/kfs.h>
#include <kernel/panic.h>
#include <kernel/textfile.h>

/* The kinds of error, as the columns and keys name them: indexed by enum chan_err. */
static const char *const chan_stat_err_names[CHAN_ERRS] = {
	[CHAN_ERR_AGAIN] = "eagain",
	[CHAN_ERR_MSGSIZE] = "emsgsize",
	[CHAN_ERR_PIPE] = "epipe",
	[CHAN_ERR_NOMEM] = "enomem",
	[CHAN_ERR_FAULT] = "efault",
};

/* ---- /kfs/ipc/channels ---- */

/* One line of /kfs/ipc/channels. Runs with the list of channels locked. */
static void chan_stat_line(const struct chan_info *ci, void *arg)
{
	const struct chan_stats *s = &ci->stats;
	struct textbuf *b = arg;
	int i;

	textbuf_printf(b, "%s 0%o %d %u %u %u %llu %llu %llu %llu %u %u %u %u %u %llu %llu",
		       ci->path, ci->mode & S_PERM_MASK, ci->uid, s->depth, ci->attr.capacity,
		       ci->attr.max_msg_size, (unsigned long long)s->msgs_written,
		       (unsigned long long)s->bytes_written, (unsigned long long)s->msgs_read,
		       (unsigned long long)s->bytes_read, s->high_water, ci->readers,
		       ci->writers, ci->blocked_now[CHAN_SIDE_READ],
		       ci->blocked_now[CHAN_SIDE_WRITE],
		       (unsigned long long)s->blocked[CHAN_SIDE_READ],
		       (unsigned long long)s->blocked[CHAN_SIDE_WRITE]);
	for (i = 0; i < CHAN_ERRS; i++)
		textbuf_printf(b, " %llu", (unsigned long long)s->errors[i]);
	textbuf_printf(b, " %llu\n", (unsigned long long)s->handed);
}

static void chan_stat_channels(struct textbuf *b, void *arg)
{
	int i;

	textbuf_printf(b, "path mode uid depth capacity max_size msgs_written bytes_written "
			  "msgs_read bytes_read high_water readers writers blocked_readers "
			  "blocked_writers times_blocked_read times_blocked_write");
	for (i = 0; i < CHAN_ERRS; i++)
		textbuf_printf(b, " %s", chan_stat_err_names[i]);
	textbuf_printf(b, " handed\n");
	chan_foreach(chan_stat_line, b, NULL);
}

/* ---- /kfs/ipc/notify ---- */

/* The counters of an endpoint, in the order of the columns and keys after "waiting". */
#define NTFY_STAT_COUNTERS(s) \
	(unsigned long long)(s)->queued, (unsigned long long)(s)->coalesced, \
	(unsigned long long)(s)->filtered, (unsigned long long)(s)->lost, \
	(unsigned long long)(s)->rearmed, (unsigned long long)(s)->read, \
	(unsigned long long)(s)->woken

/* One line of /kfs/ipc/notify. Runs with the list of endpoints locked. */
static void ntfy_stat_line(const struct ntfy_info *ni, void *arg)
{
	const struct ntfy_stats *s = &ni->stats;

	textbuf_printf(arg, "%llu %d %u %u %u %u %llu %llu %llu %llu %llu %llu %llu\n",
		       (unsigned long long)ni->ino, ni->uid, ni->capacity, s->pending, s->subs,
		       ni->waiting, NTFY_STAT_COUNTERS(s));
}

static void ntfy_stat_endpoints(struct textbuf *b, void *arg)
{
	(void)arg;
	textbuf_printf(b, "ino uid capacity pending subs waiting queued coalesced filtered "
			  "lost rearmed read woken\n");
	ntfy_foreach(ntfy_stat_line, b, NULL, NULL);
}

/* Totals over the live endpoints, summed by ntfy_stat_add. */
struct ntfy_stat_sum {
	uint64_t alive, waiting;
	struct ntfy_stats stats;
};

/* Add one live endpoint to the totals. */
static void ntfy_stat_add(const struct ntfy_info *ni, void *arg)
{
	struct ntfy_stat_sum *sum = arg;

	sum->alive++;
	sum->waiting += ni->waiting;
	ntfy_stats_add(&sum->stats, &ni->stats);
}

/* The notify_* lines of /kfs/ipc/summary: the freed endpoints' counters stay in them. */
static void ntfy_stat_summary(struct textbuf *b)
{
	struct ntfy_stat_sum live = { 0 };
	struct ntfy_stats all = { 0 };
	uint64_t freed;

	ntfy_foreach(ntfy_stat_add, &live, &all, &freed);
	ntfy_stats_add(&all, &live.stats);
	textbuf_printf(b, "notify_endpoints_alive %llu\nnotify_endpoints_freed %llu\n"
			  "notify_subs %u\nnotify_pending %u\nnotify_waiting %llu\n",
		       (unsigned long long)live.alive, (unsigned long long)freed, all.subs,
		       all.pending, (unsigned long long)live.waiting);
	textbuf_printf(b, "notify_queued %llu\nnotify_coalesced %llu\nnotify_filtered %llu\n"
			  "notify_lost %llu\nnotify_rearmed %llu\nnotify_read %llu\n"
			  "notify_woken %llu\n", NTFY_STAT_COUNTERS(&all));
}

/* ---- /kfs/ipc/summary ---- */

/* Totals over the live channels, summed by chan_stat_add. */
struct chan_stat_sum {
	uint64_t alive;
	uint64_t blocked_now[CHAN_SIDES];
	struct chan_stats stats;
};

/* Add one live channel to the totals. Runs with the list of channels locked. */
static void chan_stat_add(const struct chan_info *ci, void *arg)
{
	struct chan_stat_sum *sum = arg;

	sum->alive++;
	sum->blocked_now[CHAN_SIDE_READ] += ci->blocked_now[CHAN_SIDE_READ];
	sum->blocked_now[CHAN_SIDE_WRITE] += ci->blocked_now[CHAN_SIDE_WRITE];
	chan_stats_add(&sum->stats, &ci->stats);
}

static void chan_stat_summary(struct textbuf *b, void *arg)
{
	struct chan_stat_sum sum = { 0 };
	struct chan_retired freed;
	const struct chan_stats *s = &sum.stats;
	int i;

	chan_foreach(chan_stat_add, &sum, &freed);
	chan_stats_add(&sum.stats, &freed.stats);
	textbuf_printf(b, "channels_alive %llu\nchannels_freed %llu\n",
		       (unsigned long long)sum.alive, (unsigned long long)freed.channels);
	textbuf_printf(b, "msgs_written %llu\nbytes_written %llu\nmsgs_read %llu\n"
			  "bytes_read %llu\nmsgs_queued %u\nbytes_queued %llu\n",
		       (unsigned long long)s->msgs_written, (unsigned long long)s->bytes_written,
		       (unsigned long long)s->msgs_read, (unsigned long long)s->bytes_read,
		       s->depth, (unsigned long long)s->bytes_queued);
	textbuf_printf(b, "blocked_readers %llu\nblocked_writers %llu\n"
			  "times_blocked_read %llu\ntimes_blocked_write %llu\n",
		       (unsigned long long)sum.blocked_now[CHAN_SIDE_READ],
		       (unsigned long long)sum.blocked_now[CHAN_SIDE_WRITE],
		       (unsigned long long)s->blocked[CHAN_SIDE_READ],
		       (unsigned long long)s->blocked[CHAN_SIDE_WRITE]);
	for (i = 0; i < CHAN_ERRS; i++)
		textbuf_printf(b, "errors_%s %llu\n", chan_stat_err_names[i],
			       (unsigned long long)s->errors[i]);
	textbuf_printf(b, "msgs_handed %llu\n", (unsigned long long)s->handed);
	ntfy_stat_summary(b);
}

/* Boot: make /kfs/ipc and its files. The kernel cannot report on its channels without
 * them, and nothing has run yet that could have taken the names, so failing is a bug. */
static void chan_stat_init(void)
{
	static const struct cred root = { 0, 0 };
	struct kfs_node *kfs, *dir;

	if (kfs_resolve(kfs_root(), "/kfs", &root, &kfs))
		panic("chan: no /kfs to hold /kfs/ipc");
	dir = kfs_mkdir_kernel(kfs, "ipc", 0555);
	kfs_put(kfs);
	if (!dir || textfile_add(dir, "channels", chan_stat_channels, NULL) ||
	    textfile_add(dir, "summary", chan_stat_summary, NULL) ||
	    textfile_add(dir, "notify", ntfy_stat_endpoints, NULL))
		panic("chan: cannot make /kfs/ipc");
	kfs_put(dir);
}
LAYER_INIT(chan_stat_init);
