/* ulib/thread.h: threads of a user process.
 *
 *   static int worker(void *arg) { ...; return 0; }
 *
 *   struct uthread t;
 *   if (uthread_create(&t, worker, &data) == 0)
 *           uthread_join(&t, &code);
 *
 * Threads share the whole address space; each gets a stack of UTHREAD_STACK_SIZE bytes
 * from SYS_map. The kernel leaves an unmapped page between any two SYS_map regions, so a
 * stack overflow faults instead of silently writing over other memory. Library calls
 * that keep state (malloc, printf) are safe from several threads. */
#ifndef ULIB_THREAD_H
#define ULIB_THREAD_H

#define UTHREAD_STACK_SIZE (64 * 1024)

/* A thread, filled in by uthread_create and released by uthread_join. */
struct uthread {
	int tid;
	void *stack;                 /* its stack region, unmapped by uthread_join */
};

/* Start a thread running fn(arg) and fill in *t. When fn returns r, the thread ends with
 * code r (for uthread_join). Returns 0, or a negated errno (-ENOMEM, -EAGAIN) with no
 * thread started. */
int uthread_create(struct uthread *t, int (*fn)(void *arg), void *arg);

/* Wait for thread t to end, store its code in *code unless code is NULL, and free its
 * stack. Each thread is joined exactly once. Returns 0 or a negated errno (-ESRCH, -EINTR:
 * then the stack is kept). */
int uthread_join(struct uthread *t, int *code);

/* Where new threads start: the port's crt0.S (uthread_entry) calls uthread_main with the
 * address of what to run, found at the top of the thread's stack (thread.c). Not for
 * programs to call. */
void uthread_entry(void *start);
__attribute__((noreturn)) void uthread_main(void *start);

#endif
