/* timer.h: timed sleeps. Threads that sleep with a deadline sit on one list sorted by
 * deadline; CPU 0's timer tick wakes those whose deadline has passed (so a timed sleep
 * ends within one tick, 1/SCHED_HZ s, of its deadline). */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#include <stdint.h>

struct thread;

/* Arrange for t to be woken (sched_wake) at deadline_ns; replaces an earlier deadline. */
void timer_sleep_add(struct thread *t, uint64_t deadline_ns);

/* Forget t's deadline, if it still has one. */
void timer_sleep_cancel(struct thread *t);

/* Sleep the calling thread for ns nanoseconds. Returns 0, or -EINTR when killed. */
int timer_sleep_ns(uint64_t ns);

#endif
