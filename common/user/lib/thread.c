/* thread.c: user threads on top of SYS_thread_create (ulib/thread.h).
 *
 * A thread's stack region holds, at its very top, the struct uthread_start saying what to
 * run; the stack proper grows down from just below it. The kernel starts the thread at
 * uthread_entry (crt0.S) with the stack pointer there and the struct's address as its
 * argument, the same way it starts _start; uthread_entry calls uthread_main, which runs
 * the function and ends the thread with its result. Only the first step, entering a C
 * function with a correct frame, needs the port's assembly. */
#include <stdint.h>
#include <ulib/syscall.h>
#include <ulib/thread.h>

/* What a new thread finds on top of its stack: the function to run and its argument. */
struct uthread_start {
	int (*fn)(void *arg);
	void *arg;
};

_Static_assert(sizeof(struct uthread_start) % 16 == 0, "the stack top must stay aligned");

void uthread_main(void *start)
{
	struct uthread_start *s = start;

	sys_thread_exit(s->fn(s->arg));
}

int uthread_create(struct uthread *t, int (*fn)(void *arg), void *arg)
{
	long base = sys_map(UTHREAD_STACK_SIZE, PROT_READ | PROT_WRITE);
	struct uthread_start *start;
	int tid;

	if (base < 0)
		return (int)base;
	/* The region is page-aligned, and so 16-byte aligned, at both ends; so is the struct. */
	start = (struct uthread_start *)(base + UTHREAD_STACK_SIZE) - 1;
	start->fn = fn;
	start->arg = arg;
	tid = sys_thread_create(uthread_entry, start, start);
	if (tid < 0) {
		sys_unmap((void *)base, UTHREAD_STACK_SIZE);
		return tid;
	}
	t->tid = tid;
	t->stack = (void *)base;
	return 0;
}

int uthread_join(struct uthread *t, int *code)
{
	int err = sys_thread_join(t->tid, code);

	if (err)
		return err;
	return sys_unmap(t->stack, UTHREAD_STACK_SIZE);
}
