/* ipcwatch: print the notifications of channels and directories of channels as they come.
 *
 *   ipcwatch [-n COUNT] [-e | -l] PATH...
 *
 * One notification endpoint (uapi/ntfy.h) subscribes to every PATH: to all the events of a
 * channel (NTFY_CHAN_EVENTS) or of a directory of channels (NTFY_DIR_EVENTS), whichever
 * stat says PATH is. Each record the endpoint delivers becomes one line:
 *
 *     seq         time path        event    count detail
 *       1     2.104216 /ipc/ns     created      1 name=cli-7
 *       2     2.104410 /ipc/ns/req readable     1 depth=1
 *       3     2.130962 *** overflow: 992 notifications lost ***
 *
 * time is the record's first event, in seconds since boot; count the events coalesced
 * into it (0: a level-triggered report of a state, not an event); detail the channel's
 * depth or the name made or removed. An overflow record (the endpoint's queue was full)
 * gets a line of its own, since it belongs to no path: what it counts is lost for good.
 *
 * Edge-triggered is the default, because a line should be something that happened: level
 * triggering reports READABLE and WRITABLE again after every read while they hold, and
 * WRITABLE holds whenever a channel has room, so -l prints a line per read for as long as
 * the state lasts. It is for seeing states (what is readable now): use it with -n.
 *
 * ipcwatch ends after COUNT records, when every subscription has ended (each watched
 * object gone: its GONE record is its last), or when killed (Ctrl-C).
 * lab-guides/stage4.md, "Notifications". */
#include <stdbool.h>
#include <ulib/args.h>
#include <ulib/error.h>
#include <ulib/ntfy.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define IPCWATCH_USAGE \
	"ipcwatch [-n COUNT] [-e | -l] PATH...\n" \
	"  PATH      a channel or a directory of channels (under /ipc)\n" \
	"  -n COUNT  stop after COUNT records\n" \
	"  -e        edge-triggered, the default: one line per event as it happens\n" \
	"  -l        level-triggered: readable/writable are states, reported at once and\n" \
	"            again after each read while they hold (count 0), so best with -n"
#define IPCWATCH_PATHS 32       /* paths at most (a command has at most 32 words) */
#define IPCWATCH_BATCH 16       /* records read at once */
#define NS_PER_S 1000000000ULL

/* What ipcwatch was asked to do. */
struct ipcwatch {
	long count;                     /* records to print; 0: no limit */
	bool level;
	int npaths;
	char **paths;                   /* a record's cookie is its path's index here */
	int width;                      /* of the path column */
};

/* Read the options into *iw, leaving the paths; prints the usage and exits when bad. */
static void ipcwatch_args(struct ipcwatch *iw, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc &&
		    args_number(argv[i + 1], 10, 1, 0x7fffffffL, &iw->count))
			i++;
		else if (strcmp(argv[i], "-e") == 0 || strcmp(argv[i], "-l") == 0)
			iw->level = argv[i][1] == 'l';
		else
			args_usage(IPCWATCH_USAGE);
	}
	iw->npaths = argc - i;
	iw->paths = argv + i;
	if (iw->npaths < 1 || iw->npaths > IPCWATCH_PATHS)
		args_usage(IPCWATCH_USAGE);
}

/* Subscribe nfd to path number i of iw. Returns 0, or 1 after printing why not. */
static int ipcwatch_watch(const struct ipcwatch *iw, int nfd, int i)
{
	struct ntfy_watch w = { .flags = iw->level ? 0 : NTFY_EDGE, .cookie = (uint64_t)i };
	const char *path = iw->paths[i];
	struct stat st;
	int r = sys_stat(path, &st);

	if (r == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
		w.events = NTFY_CHAN_EVENTS;
	else if (r == 0 && (st.st_mode & S_IFMT) == S_IFDIR)
		w.events = NTFY_DIR_EVENTS;
	if (r == 0)
		r = w.events ? sys_watch(nfd, path, &w) : -EINVAL;
	if (r == -EINVAL) {
		dprintf(2, "ipcwatch: %s: not a channel or a directory of channels\n", path);
		return 1;
	}
	if (r < 0) {
		uerror("ipcwatch", path, r);
		return 1;
	}
	return 0;
}

/* Print one record as a line. */
static void ipcwatch_print(const struct ipcwatch *iw, const struct ntfy_record *r)
{
	unsigned long long s = r->time_ns / NS_PER_S, us = r->time_ns % NS_PER_S / 1000;
	const char *path = r->cookie < (uint64_t)iw->npaths ? iw->paths[r->cookie] : "?";

	printf("%6llu %6llu.%06llu ", (unsigned long long)r->seq, s, us);
	if (r->events == NTFY_OVERFLOW) {
		printf("*** overflow: %u notifications lost ***\n", r->count);
		return;
	}
	printf("%-*s %-8s %5u", iw->width, path, ntfy_event_name(r->events), r->count);
	if (r->events & (NTFY_READABLE | NTFY_WRITABLE))
		printf(" depth=%u", r->depth);
	else if (r->events & (NTFY_CREATED | NTFY_REMOVED))
		printf(" name=%s", r->name);
	printf("\n");
}

/* Print records from nfd until COUNT of them, or until every subscription is gone.
 * Returns the exit status. */
static int ipcwatch_loop(const struct ipcwatch *iw, int nfd)
{
	struct ntfy_record recs[IPCWATCH_BATCH];
	int live = iw->npaths, i;
	long printed = 0, n;

	while (live > 0 && (iw->count == 0 || printed < iw->count)) {
		n = sys_read(nfd, recs, sizeof recs);
		if (n < 0) {
			uerror("ipcwatch", "read", (int)n);
			return 1;
		}
		n /= (long)sizeof recs[0];
		for (i = 0; i < n && (iw->count == 0 || printed < iw->count); i++, printed++) {
			ipcwatch_print(iw, &recs[i]);
			live -= recs[i].events == NTFY_GONE;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct ipcwatch iw = { 0 };
	int nfd, i, failed = 0;

	ipcwatch_args(&iw, argc, argv);
	nfd = sys_ntfy_new(0, 0);
	if (nfd < 0) {
		uerror("ipcwatch", "ntfy_new", nfd);
		return 1;
	}
	iw.width = 4;
	for (i = 0; i < iw.npaths; i++) {
		failed += ipcwatch_watch(&iw, nfd, i);
		if ((int)strlen(iw.paths[i]) > iw.width)
			iw.width = (int)strlen(iw.paths[i]);
	}
	if (failed)
		return 1;
	printf("%6s %13s %-*s %-8s %5s %s\n", "seq", "time", iw.width, "path", "event", "count",
	       "detail");
	return ipcwatch_loop(&iw, nfd);
}
