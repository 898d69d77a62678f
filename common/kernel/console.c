/* console.c: console output under one lock, and console input with a line discipline
 * (kernel/console.h).
 *
 * Input arrives one byte at a time from the port's receive interrupt (console_rx). The
 * line discipline edits the current line as a terminal user expects: bytes are echoed,
 * backspace (DEL or ^H) erases one, ^C kills the foreground process (SYS_console_fg) and
 * drops the line, ^D at the start of a line is end of file, Enter completes the line.
 * Completed lines wait in a queue that console_read() drains, whole lines at a time. */
#include <uapi/errno.h>
#include <arch/console.h>
#include <kernel/console.h>
#include <kernel/klog.h>
#include <kernel/panic.h>
#include <kernel/process.h>
#include <kernel/waitq.h>

#define CONSOLE_LINE_MAX 256
#define CONSOLE_QUEUE_SIZE 1024
#define CHAR_CTRL_C 0x03
#define CHAR_CTRL_D 0x04
#define CHAR_BACKSPACE 0x08
#define CHAR_DEL 0x7f

static struct spinlock console_lock = SPINLOCK_INIT("console", LOCK_ORDER_CONSOLE);
static bool console_unlocked; /* set once, by a panic */

/* Input state, under console_in_lock. */
static struct spinlock console_in_lock = SPINLOCK_INIT("console-in", LOCK_ORDER_OBJECT);
static char console_line[CONSOLE_LINE_MAX];     /* the line being edited */
static unsigned console_line_len;
static char console_queue[CONSOLE_QUEUE_SIZE];  /* completed input, a ring */
static unsigned console_q_head, console_q_tail;
static unsigned console_eofs;                   /* ^D's waiting to be read as EOF */
static int console_fg_pid;                      /* ^C kills this process; 0: none */
static struct waitq console_readers = WAITQ_INIT(console_readers, "console-readers");

/* Write n bytes of s under the console lock (none after a panic); with log, record them in
 * the kernel log too, under the same lock. Returns true when they were recorded. */
static bool console_out(const char *s, size_t n, bool log)
{
	bool locked = !READ_ONCE(console_unlocked);
	size_t i;

	if (locked)
		spin_lock(&console_lock);
	for (i = 0; i < n; i++)
		arch_console_putc(s[i]);
	if (locked && log)
		klog_append(s, n);
	if (locked)
		spin_unlock(&console_lock);
	return locked && log;
}

void console_write(const char *s, size_t n)
{
	console_out(s, n, false);
}

bool console_write_log(const char *s, size_t n)
{
	return console_out(s, n, true);
}

void console_panic_mode(void)
{
	WRITE_ONCE(console_unlocked, true);
}

void console_set_foreground(int pid)
{
	spin_lock(&console_in_lock);
	console_fg_pid = pid;
	spin_unlock(&console_in_lock);
}

/* Move the edited line, plus a newline, to the queue of completed input.
 * Locks: console_in_lock held. */
static void console_line_done(void)
{
	unsigned i;

	kassert(spin_held(&console_in_lock));
	for (i = 0; i < console_line_len; i++)
		if (console_q_head - console_q_tail < CONSOLE_QUEUE_SIZE - 1)
			console_queue[console_q_head++ % CONSOLE_QUEUE_SIZE] = console_line[i];
	console_queue[console_q_head++ % CONSOLE_QUEUE_SIZE] = '\n';
	console_line_len = 0;
}

/* Apply one input byte to the line being edited. Returns the pid to kill for ^C (0 if
 * none) and whether readers must be woken. Locks: console_in_lock held. */
static int console_edit(char c, bool *wake)
{
	int kill_pid = 0;

	if (c == '\r' || c == '\n') {
		console_line_done();
		console_write("\n", 1);
		*wake = true;
	} else if (c == CHAR_DEL || c == CHAR_BACKSPACE) {
		if (console_line_len) {
			console_line_len--;
			console_write("\b \b", 3);
		}
	} else if (c == CHAR_CTRL_C) {
		/* Drop the line. With a program in the foreground, kill it (its shell prompts
		 * when it has ended); without one, hand the reader an empty line, so a shell
		 * at its prompt prompts again, as a terminal user expects. */
		console_line_len = 0;
		kill_pid = console_fg_pid;
		if (!kill_pid) {
			console_line_done();
			*wake = true;
		}
		console_write("^C\n", 3);
	} else if (c == CHAR_CTRL_D && console_line_len == 0) {
		console_eofs++;
		*wake = true;
	} else if (console_line_len < CONSOLE_LINE_MAX - 1 && (unsigned char)c >= ' ') {
		console_line[console_line_len++] = c;
		console_write(&c, 1);
	}
	return kill_pid;
}

void console_rx(char c)
{
	bool wake = false;
	int kill_pid;

	spin_lock(&console_in_lock);
	kill_pid = console_edit(c, &wake);
	spin_unlock(&console_in_lock);
	if (kill_pid > 0)
		process_kill(NULL, kill_pid); /* outside the lock: kill takes lower-order locks */
	if (wake)
		waitq_wake_all(&console_readers);
}

/* console_read's condition: a completed line or an EOF is waiting. */
static bool console_input_ready(void *arg)
{
	return READ_ONCE(console_q_head) != READ_ONCE(console_q_tail) || READ_ONCE(console_eofs);
}

/* Take the next line (or an end of file) out of the queue into buf. Returns the count,
 * 0 for end of file, or -EAGAIN when the queue holds neither. Locks: console_in_lock. */
static long console_take_line(char *buf, size_t n)
{
	size_t got = 0;

	kassert(spin_held(&console_in_lock));
	if (console_q_head == console_q_tail) {
		if (!console_eofs)
			return -EAGAIN;
		console_eofs--;                 /* end of file: this read returns 0 */
		return 0;
	}
	while (got < n && console_q_tail != console_q_head) {
		char c = console_queue[console_q_tail++ % CONSOLE_QUEUE_SIZE];

		buf[got++] = c;
		if (c == '\n')
			break;                  /* one line per read, as a terminal gives */
	}
	return (long)got;
}

long console_read(char *buf, size_t n, bool nonblock)
{
	long got;
	int err;

	if (n == 0)
		return 0;       /* POSIX read(2): reading nothing returns at once, takes nothing */
	for (;;) {
		spin_lock(&console_in_lock);
		got = console_take_line(buf, n);
		spin_unlock(&console_in_lock);
		if (got != -EAGAIN || nonblock)
			return got;
		/* Another reader may take the line we were woken for: then wait again. */
		err = waitq_wait_cond(&console_readers, console_input_ready, NULL, 0);
		if (err)
			return err;
	}
}
