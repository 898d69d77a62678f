/* process.h: user processes: an address space, credentials, threads, a parent and an exit
 * status.
 *
 * Life of a process: process_spawn() loads a program image (an ELF file embedded in the
 * kernel, kernel/programs.h) into a new address space and starts its first thread in user
 * mode. It ends when its last thread ends (exit() kills the others first); it is then a
 * zombie, holding only its exit status, until its parent collects that with wait(), which
 * frees it. Children of a process that ends are handed to init (pid 1), which reaps them. */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/kfs.h> /* struct cred */
#include <kernel/list.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <kernel/waitq.h>

#define PROC_NAME_MAX 32
#define PROC_ARGV_MAX 32          /* arguments of spawn(), the program name included */
#define PROC_ARG_BYTES 4096       /* all argument strings together */
#define PROC_STACK_PAGES 16       /* the first thread's user stack: 64 KiB */

enum proc_state {
	PROC_LIVE,     /* has threads */
	PROC_ZOMBIE,   /* all threads ended; waiting for wait() */
};

struct fd_table;
struct kfs_node;
struct vm_space;
struct thread;

struct process {
	int pid;
	char name[PROC_NAME_MAX];
	struct vm_space *vm;              /* constant while the process lives */
	int uid, gid;                     /* constant too: no call changes them */

	struct spinlock lock;             /* protects the fields below, up to the next group */
	struct list_node threads;         /* struct thread.proc_link */
	unsigned nr_threads;              /* threads not yet ended */
	unsigned nr_thread_structs;       /* threads not yet freed (switched out for good) */
	bool exiting;                     /* exit() or a kill: no new threads */
	int exit_status;                  /* valid once exiting */
	uintptr_t map_next;               /* where SYS_map puts the next region */
	struct kfs_node *cwd;             /* referenced; swapped under lock by chdir */
	struct fd_table *fds;             /* shared by the threads; NULL once all have ended */

	/* Protected by the process table lock (process.c). */
	enum proc_state state;
	struct process *parent;
	struct list_node children;        /* struct process.sibling */
	struct list_node sibling;
	struct list_node all_link;
	struct waitq child_wq;            /* this process waits here for a child to end */
};

/* Set up the process table. Called once at boot. */
void process_init(void);

/* Start the program at path (a /bin file; relative paths start at parent's working
 * directory) with the argv[0..argc) strings (kernel memory) as a child of parent, running
 * as uid/gid. The child gets a copy of parent's descriptor table and its working
 * directory; with parent NULL (the kernel starts it) it gets the console as descriptors 0,
 * 1 and 2 and the root as working directory. uid/gid must be allowed to execute the file
 * (and parent's credentials to find it). Returns the new pid, -ENOENT, -EACCES, -ENOEXEC (not a program, or not a valid ELF
 * for this arch), -E2BIG (arguments too long) or -ENOMEM. */
int process_spawn(const char *path, const char *const argv[], int argc, int uid, int gid,
		  struct process *parent);

/* Wait for a child of the calling context's process (or of `parent`) to end: pid > 0 for
 * that child, -1 for any. Returns the child's pid with *status set, -ECHILD when there is
 * no such child, or -EINTR. Frees the zombie. */
int process_wait(struct process *parent, int pid, int *status);

/* End the calling thread's process with status: every other thread is killed, the
 * calling thread exits. Never returns. */
__attribute__((noreturn)) void process_exit(int status);

/* Kill process pid (its exit status becomes EXIT_KILLED). The caller (a process, or NULL
 * for the kernel) must be root, the same uid, or pid's parent; nobody but the kernel may
 * kill init (pid 1). Returns 0, -ESRCH, -EPERM. */
int process_kill(struct process *caller, int pid);

/* Whether caller may signal pid by the same rule, without doing it: 0, -ESRCH, -EPERM. */
int process_check_signal(struct process *caller, int pid);

/* Create a user thread in the calling thread's process, entering entry(arg) on stack_top.
 * Returns its tid, -EINVAL (addresses outside the user half), -EAGAIN (process exiting)
 * or -ENOMEM. */
int process_thread_create(uintptr_t entry, uintptr_t arg, uintptr_t stack_top);

/* Join user thread tid of the calling process; see thread_join. */
int process_thread_join(int tid, int *code);

/* thread_exit() calls this for a user thread: the last one turns the process into a
 * zombie. */
void process_thread_exit(struct thread *t, int code);

/* thread_put() calls this when it frees a user thread of p: the last one destroys p's
 * address space and makes p a zombie. */
void process_thread_freed(struct process *p);

/* Called on every return to user mode: a killed thread exits here, and a pending
 * preemption happens. */
void process_return_to_user(void);

/* The credentials of p (the kernel's, root, for NULL). Takes no lock: they never change.
 * Inline: every message a channel carries is stamped with its sender's uid. */
static inline struct cred process_cred(const struct process *p)
{
	return p ? (struct cred){ p->uid, p->gid } : (struct cred){ 0, 0 };
}

/* p's working directory, referenced (the root for NULL). */
struct kfs_node *process_cwd(struct process *p);

/* The process of the calling thread (NULL in kernel threads). */
static inline struct process *process_current(void)
{
	return thread_current()->proc;
}

/* Call fn for every process (zombies included), in pid order, with the process table
 * locked: fn must not sleep or take process locks. For /kfs/procs. */
void process_foreach(void (*fn)(const struct process *p, void *arg), void *arg);

/* Processes alive, zombies included (for leak tests and /kfs). */
unsigned process_count(void);

#endif
