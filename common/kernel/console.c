/* console.c: console output under one lock, and a queue of received input (console.h). */
#include <uapi/errno.h>
#include <arch/console.h>
#include <kernel/console.h>
#include <kernel/waitq.h>

#define CONSOLE_RX_SIZE 256

static struct spinlock console_lock = SPINLOCK_INIT("console", LOCK_ORDER_CONSOLE);
static bool console_unlocked; /* set once, by a panic */

static struct spinlock console_rx_lock = SPINLOCK_INIT("console-rx", LOCK_ORDER_OBJECT);
static char console_rx_buf[CONSOLE_RX_SIZE]; /* a ring, under console_rx_lock */
static unsigned console_rx_head, console_rx_tail;
static struct waitq console_readers = WAITQ_INIT(console_readers, "console-readers");

void console_write(const char *s, size_t n)
{
	bool locked = !READ_ONCE(console_unlocked);

	if (locked)
		spin_lock(&console_lock);
	while (n--)
		arch_console_putc(*s++);
	if (locked)
		spin_unlock(&console_lock);
}

void console_panic_mode(void)
{
	WRITE_ONCE(console_unlocked, true);
}

void console_rx(char c)
{
	spin_lock(&console_rx_lock);
	if (console_rx_head - console_rx_tail < CONSOLE_RX_SIZE)
		console_rx_buf[console_rx_head++ % CONSOLE_RX_SIZE] = c; /* full: drop the byte */
	spin_unlock(&console_rx_lock);
	waitq_wake_all(&console_readers);
}

/* console_read's condition: input is waiting. */
static bool console_rx_ready(void *arg)
{
	return READ_ONCE(console_rx_head) != READ_ONCE(console_rx_tail);
}

long console_read(char *buf, size_t n)
{
	size_t got = 0;
	int err = waitq_wait_cond(&console_readers, console_rx_ready, NULL, 0);

	if (err)
		return err;
	spin_lock(&console_rx_lock);
	while (got < n && console_rx_tail != console_rx_head)
		buf[got++] = console_rx_buf[console_rx_tail++ % CONSOLE_RX_SIZE];
	spin_unlock(&console_rx_lock);
	return (long)got;
}
