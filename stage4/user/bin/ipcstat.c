/* ipcstat: show the IPC channels, the notification endpoints and their statistics, from
 * the kernel's /kfs/ipc.
 *
 *   ipcstat
 *
 * The kernel describes its channels and endpoints as text (stage4/ipc/chan_stat.c):
 * /kfs/ipc/channels has a header line naming the columns, then one line per live channel,
 * fields separated by single spaces; /kfs/ipc/notify is the same for the notification
 * endpoints (uapi/ntfy.h); /kfs/ipc/summary has "key value" lines of totals, those of the
 * endpoints named notify_*. ipcstat lines the columns of the two tables up, like top (the
 * first column left-aligned, the figures right-aligned, each column as wide as its widest
 * entry), then prints the totals:
 *
 *     path      mode uid depth capacity ...
 *     /ipc/demo 0666   0     2       16 ...
 *
 *     ino uid capacity pending subs ...
 *     42    0       64       0    3 ...
 *
 *     channels_alive 1
 *     ...
 *     notify_endpoints_alive 1
 *     ...
 *
 * The columns are taken from the headers, so ipcstat needs no change when the kernel adds
 * one. */
#include <stdbool.h>
#include <ulib/chanstat.h>
#include <ulib/error.h>
#include <ulib/ntfystat.h>
#include <ulib/stdio.h>
#include <ulib/string.h>
#include <ulib/syscall.h>

#define IPCSTAT_FILE_MAX CHANSTAT_MAX
#define IPCSTAT_LINES 256       /* more than a /kfs file of IPCSTAT_FILE_MAX bytes holds */
#define IPCSTAT_COLS 32

/* A table of /kfs/ipc (channels, notify): its lines cut into fields, in place. */
struct ipcstat_table {
	char *field[IPCSTAT_LINES][IPCSTAT_COLS];
	int cols[IPCSTAT_LINES];
	int lines;
	size_t width[IPCSTAT_COLS];
};

/* Cut line (ending at its '\0') into its space-separated fields, as row i of t. */
static void ipcstat_split(struct ipcstat_table *t, int i, char *line)
{
	char *p = line;
	size_t len;
	int n = 0;

	while (p && n < IPCSTAT_COLS) {
		t->field[i][n] = p;
		p = strchr(p, ' ');
		if (p)
			*p++ = '\0';
		len = strlen(t->field[i][n]);
		if (len > t->width[n])
			t->width[n] = len;
		n++;
	}
	t->cols[i] = n;
}

/* Cut text into the lines and fields of t. */
static void ipcstat_parse(struct ipcstat_table *t, char *text)
{
	char *line, *nl;

	for (line = text; *line != '\0' && t->lines < IPCSTAT_LINES; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		ipcstat_split(t, t->lines++, line);
	}
}

/* Print row i of t: the first column left-aligned, the others right-aligned. */
static void ipcstat_row(const struct ipcstat_table *t, int i)
{
	int c;

	for (c = 0; c < t->cols[i]; c++)
		printf(c == 0 ? "%-*s" : " %*s", (int)t->width[c], t->field[i][c]);
	printf("\n");
}

/* Print the table in the file path, lined up. Returns 0, or 1 after printing why not. */
static int ipcstat_table(const char *path, char *buf)
{
	static struct ipcstat_table table;
	long len = stdio_read_file(path, buf, IPCSTAT_FILE_MAX + 1);
	int i;

	if (len < 0) {
		uerror("ipcstat", path, (int)len);
		return 1;
	}
	memset(&table, 0, sizeof table);
	ipcstat_parse(&table, buf);
	for (i = 0; i < table.lines; i++)
		ipcstat_row(&table, i);
	return 0;
}

int main(void)
{
	static char buf[IPCSTAT_FILE_MAX + 1];
	long len;

	if (ipcstat_table(CHANSTAT_PATH, buf))
		return 1;
	printf("\n");
	if (ipcstat_table(NTFYSTAT_PATH, buf))
		return 1;
	len = stdio_read_file(CHANSTAT_SUMMARY, buf, IPCSTAT_FILE_MAX + 1);
	if (len < 0) {
		uerror("ipcstat", CHANSTAT_SUMMARY, (int)len);
		return 1;
	}
	printf("\n%s", buf);
	return 0;
}
