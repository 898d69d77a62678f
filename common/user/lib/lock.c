/* lock.c: the yielding spinlock of ulib/lock.h.
 *
 * Acquire and release are a pair of memory barriers: ACQUIRE keeps the critical section's
 * loads and stores from moving before the exchange that takes the lock, RELEASE keeps them
 * from moving after the store that frees it. On x86_64 these cost nothing beyond the
 * locked exchange; on arm64 and riscv64 they become the architecture's barrier forms. */
#include <ulib/lock.h>
#include <ulib/syscall.h>

void ulock_acquire(struct ulock *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		sys_yield();
}

void ulock_release(struct ulock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
