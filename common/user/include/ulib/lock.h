/* ulib/lock.h: a lock for user threads of one process.
 *
 * The kernel offers no user-space lock (no futex) yet, so this one spins on an atomic
 * exchange and gives the CPU away with sys_yield() while another thread holds it. That is
 * fine for the short critical sections of the library (malloc, the stdout buffer); a
 * thread that sleeps while holding it makes every waiter spin through yields. It is not
 * recursive: a thread that takes it twice waits for itself forever. */
#ifndef ULIB_LOCK_H
#define ULIB_LOCK_H

/* Zero-initialised (ULOCK_INIT or static storage) means unlocked. */
struct ulock {
	int locked;
};

#define ULOCK_INIT { 0 }

/* Take l, waiting (yielding) while another thread holds it. */
void ulock_acquire(struct ulock *l);

/* Release l, which the calling thread holds. */
void ulock_release(struct ulock *l);

#endif
