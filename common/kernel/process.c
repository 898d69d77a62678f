/* process.c: process lifecycle: spawn, threads, exit, kill, wait (kernel/process.h).
 *
 * Locks, outermost first: the process table lock (pids, parent/child links, states), then
 * a process's own lock (its threads and credentials).
 *
 * How a process ends (lab-guides/01-kernel-tour.md, "Processes"):
 *  1. exit() or a kill marks it exiting and kills its threads; each one ends in
 *     thread_exit() -> process_thread_exit(). The last one drops the process's references
 *     to its threads.
 *  2. A thread's struct is freed only after it has been switched out for good, so when
 *     the last struct goes (process_thread_freed), no CPU runs on the process's address
 *     space any more: only then is the address space destroyed and the process made a
 *     zombie for its parent's wait(). */
#include <uapi/errno.h>
#include <uapi/syscall.h>
#include <arch/context.h>
#include <arch/mmu.h>
#include <arch/timer.h>
#include <kernel/binfs.h>
#include <kernel/elf.h>
#include <kernel/file.h>
#include <kernel/kfs.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/programs.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm.h>

#define PROC_MAP_BASE 0x10000000UL /* SYS_map regions start here (256 MiB) */

static struct spinlock proc_table_lock = SPINLOCK_INIT("proc-table", LOCK_ORDER_PROC);
/* All processes but the kernel's pseudo-process: under proc_table_lock. */
static struct list_node proc_all = LIST_INIT(proc_all);
static int proc_next_pid = 1;     /* under proc_table_lock */
static unsigned proc_nr;          /* under proc_table_lock */
static struct process *proc_init; /* pid 1, which adopts orphans; under proc_table_lock */

/* The parent of processes the kernel starts itself (pid 0): kernel code waits for them
 * with process_wait(NULL, ...). It has no threads and no address space. */
static struct process proc_kernel;

void process_init(void)
{
	strlcpy(proc_kernel.name, "kernel", sizeof proc_kernel.name);
	spin_init(&proc_kernel.lock, "process", LOCK_ORDER_PROCESS);
	list_init(&proc_kernel.threads);
	list_init(&proc_kernel.children);
	list_init(&proc_kernel.sibling);
	waitq_init(&proc_kernel.child_wq, "child-wait");
}

unsigned process_count(void)
{
	return READ_ONCE(proc_nr);
}

struct kfs_node *process_cwd(struct process *p)
{
	struct kfs_node *cwd = kfs_root();

	if (p) {
		spin_lock(&p->lock);
		cwd = p->cwd;
		kfs_get(cwd);
		spin_unlock(&p->lock);
	} else {
		kfs_get(cwd);
	}
	return cwd;
}

/* The descriptors of a process the kernel starts: the console as 0, 1 and 2. */
static struct fd_table *process_console_fds(void)
{
	struct cred root = { 0, 0 };
	struct fd_table *t = fd_table_new();
	struct file *f;
	int fd;

	if (!t)
		return NULL;
	for (fd = 0; fd < 3; fd++) {
		if (file_open(kfs_root(), "/dev/console", O_RDWR, 0, &root, &f) ||
		    fd_install(t, f) != fd) {
			fd_table_put(t);
			return NULL;
		}
	}
	return t;
}

/* A new, empty process (no threads) in the table, as a child of parent: a fresh address
 * space, and descriptors and working directory from the parent (process_spawn). */
static struct process *process_alloc(const char *name, int uid, int gid, struct process *parent)
{
	struct process *p = kmalloc(sizeof *p);

	if (!p)
		return NULL;
	p->vm = vm_create();
	p->fds = parent != &proc_kernel ? fd_table_copy(parent->fds) : process_console_fds();
	if (!p->vm || !p->fds) {
		if (p->vm)
			vm_destroy(p->vm);
		if (p->fds)
			fd_table_put(p->fds);
		kfree(p);
		return NULL;
	}
	p->cwd = process_cwd(parent != &proc_kernel ? parent : NULL);
	strlcpy(p->name, name, sizeof p->name);
	spin_init(&p->lock, "process", LOCK_ORDER_PROCESS);
	list_init(&p->threads);
	list_init(&p->children);
	waitq_init(&p->child_wq, "child-wait");
	p->uid = uid;
	p->gid = gid;
	p->map_next = PROC_MAP_BASE;
	p->state = PROC_LIVE;
	spin_lock(&proc_table_lock);
	p->pid = proc_next_pid++;
	p->parent = parent;
	list_add_tail(&parent->children, &p->sibling);
	list_add_tail(&proc_all, &p->all_link);
	proc_nr++;
	if (p->pid == 1)
		proc_init = p;
	spin_unlock(&proc_table_lock);
	return p;
}

/* Undo process_alloc for a process that never ran a thread. */
static void process_free_unstarted(struct process *p)
{
	spin_lock(&proc_table_lock);
	list_remove(&p->sibling);
	list_remove(&p->all_link);
	proc_nr--;
	if (proc_init == p)
		proc_init = NULL;
	spin_unlock(&proc_table_lock);
	vm_destroy(p->vm);
	fd_table_put(p->fds);
	kfs_put(p->cwd);
	kfree(p);
}

/* Lay out argc strings and the argv array at the top of a fresh user stack: strings
 * first, then the pointers (NULL-terminated) below them, then sp, 16-byte aligned.
 * Returns 0 with *sp and *uargv set, -E2BIG or -ENOMEM. */
static int process_setup_stack(struct process *p, const char *const argv[], int argc,
			       uintptr_t *sp, uintptr_t *uargv)
{
	uintptr_t top = arch_user_end() - PAGE_SIZE; /* the top page stays unmapped: a guard */
	uintptr_t ptrs[PROC_ARGV_MAX + 1];
	uintptr_t at = top;
	int i, err;

	if (argc < 0 || argc > PROC_ARGV_MAX)
		return -E2BIG;
	err = vm_map_anon(p->vm, top - PROC_STACK_PAGES * PAGE_SIZE, PROC_STACK_PAGES * PAGE_SIZE,
			  MMU_WRITE);
	if (err)
		return err;
	for (i = argc - 1; i >= 0; i--) {
		size_t len = strlen(argv[i]) + 1;

		if (top - at + len > PROC_ARG_BYTES)
			return -E2BIG;
		at -= len;
		ptrs[i] = at;
		vm_write_kernel(p->vm, at, argv[i], len);
	}
	ptrs[argc] = 0;
	at = (at - (argc + 1) * sizeof(uintptr_t)) & ~15UL;
	vm_write_kernel(p->vm, at, ptrs, (argc + 1) * sizeof(uintptr_t));
	*uargv = at;
	*sp = at;
	return 0;
}

/* The kernel side of a user thread: enter user mode where the creator said. */
static void process_user_entry(void *unused)
{
	struct thread *t = thread_current();

	arch_user_enter(t->user_pc, t->user_sp, t->user_arg[0], t->user_arg[1]);
}

/* Create a thread of p (not started) that will enter user mode at pc with sp and two
 * arguments. The process keeps the creator's reference (for join, or until it ends).
 * Locks: p->lock held. */
static struct thread *process_add_thread(struct process *p, uintptr_t pc, uintptr_t sp,
					 uintptr_t a0, uintptr_t a1)
{
	struct thread *t = thread_alloc(p->name, process_user_entry, NULL, PRIO_NORMAL);

	if (!t)
		return NULL;
	t->proc = p;
	t->user_pc = pc;
	t->user_sp = sp;
	t->user_arg[0] = a0;
	t->user_arg[1] = a1;
	list_add_tail(&p->threads, &t->proc_link);
	p->nr_threads++;
	p->nr_thread_structs++;
	return t;
}

/* The program name of a path: "/bin/ls" -> "ls". */
static const char *process_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Find the program at path for parent (its working directory) to run as cred: the file
 * must be a /bin program that cred may execute (as in Unix, the rights of the process
 * that will run it). Returns 0 with *prog set, or -errno. */
static int process_find_program(struct process *parent, const char *path,
				const struct cred *cred, const struct program **prog)
{
	struct cred walker = process_cred(parent);
	struct kfs_node *cwd = process_cwd(parent), *n;
	int err = kfs_resolve(cwd, path, &walker, &n);

	kfs_put(cwd);
	if (err)
		return err;
	err = kfs_access(n, cred, KFS_MAY_EXEC);
	*prog = binfs_program(n);
	if (!err && !*prog)
		err = -ENOEXEC;
	kfs_put(n);
	return err;
}

int process_spawn(const char *path, const char *const argv[], int argc, int uid, int gid,
		  struct process *parent)
{
	const struct program *prog;
	struct process *p;
	struct thread *t;
	uintptr_t entry, sp, uargv;
	struct cred cred = { uid, gid };
	int err = process_find_program(parent, path, &cred, &prog);

	if (err)
		return err;
	p = process_alloc(process_basename(path), uid, gid, parent ? parent : &proc_kernel);
	if (!p)
		return -ENOMEM;
	err = elf_load(p->vm, prog->image, prog->size, &entry);
	if (!err)
		err = process_setup_stack(p, argv, argc, &sp, &uargv);
	if (err)
		goto fail;
	spin_lock(&p->lock);
	t = process_add_thread(p, entry, sp, (uintptr_t)argc, uargv);
	spin_unlock(&p->lock);
	if (!t) {
		err = -ENOMEM;
		goto fail;
	}
	thread_start(t);
	if (p->pid == 1)
		printk("process: first user process (pid 1, %s) started %llu ms after the clock "
		       "started\n", p->name, (unsigned long long)(arch_clock_ns() / 1000000));
	return p->pid;
fail:
	process_free_unstarted(p);
	return err;
}

/* Mark p exiting with status (unless it already is) and kill every thread of it but
 * `spare`. Locks: takes p->lock. */
static void process_begin_exit(struct process *p, int status, struct thread *spare)
{
	struct list_node *pos;

	spin_lock(&p->lock);
	if (!p->exiting) {
		p->exiting = true;
		p->exit_status = status;
	}
	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, proc_link);

		if (t != spare)
			thread_kill(t);
	}
	spin_unlock(&p->lock);
}

void process_exit(int status)
{
	struct thread *self = thread_current();

	process_begin_exit(self->proc, status, self);
	thread_exit(status);
}

void process_thread_exit(struct thread *t, int code)
{
	struct process *p = t->proc;
	struct list_node dead = LIST_INIT(dead), *pos, *tmp;
	struct fd_table *fds = NULL;
	struct kfs_node *cwd = NULL;

	spin_lock(&p->lock);
	if (--p->nr_threads == 0) {
		/* The last thread: the open files and the working directory go now, so that
		 * a reader waiting on a pipe or channel sees this process gone at once. */
		fds = p->fds;
		cwd = p->cwd;
		p->fds = NULL;
		p->cwd = NULL;
		if (!p->exiting) {
			p->exiting = true;
			p->exit_status = code; /* the last thread's code, as returning from main */
		}
		/* Nobody can join any more: give up the references the process held. */
		list_for_each_safe(pos, tmp, &p->threads) {
			list_remove(pos);
			list_add_tail(&dead, pos);
		}
	}
	spin_unlock(&p->lock);
	if (fds) {
		fd_table_put(fds);
		kfs_put(cwd);
	}
	list_for_each_safe(pos, tmp, &dead) {
		list_remove(pos);
		thread_put(list_entry(pos, struct thread, proc_link));
	}
}

/* Hand the children of p to init (or to the kernel if init is gone); wake the new parent
 * if one of them has ended already. Locks: proc_table_lock held. */
static void process_reparent_children(struct process *p)
{
	struct process *heir = proc_init && proc_init != p ? proc_init : &proc_kernel;
	struct list_node *pos, *tmp;
	bool zombies = false;

	kassert(spin_held(&proc_table_lock));
	list_for_each_safe(pos, tmp, &p->children) {
		struct process *c = list_entry(pos, struct process, sibling);

		list_remove(pos);
		list_add_tail(&heir->children, pos);
		c->parent = heir;
		zombies |= c->state == PROC_ZOMBIE;
	}
	if (zombies)
		waitq_wake_all(&heir->child_wq);
}

void process_thread_freed(struct process *p)
{
	struct process *parent;
	bool last;

	spin_lock(&p->lock);
	last = --p->nr_thread_structs == 0 && p->nr_threads == 0;
	spin_unlock(&p->lock);
	if (!last)
		return;
	vm_destroy(p->vm); /* no CPU can be using it: see the top of this file */
	p->vm = NULL;
	spin_lock(&proc_table_lock);
	p->state = PROC_ZOMBIE;
	if (proc_init == p)
		proc_init = NULL;
	process_reparent_children(p);
	parent = p->parent;
	waitq_wake_all(&parent->child_wq); /* under the lock: the parent cannot be reaped now */
	spin_unlock(&proc_table_lock);
}

/* Find a child of parent that matches pid (-1: any). Sets *zombie to a matching zombie if
 * there is one. Returns whether any child matches. Locks: proc_table_lock held. */
static bool process_find_child(struct process *parent, int pid, struct process **zombie)
{
	struct list_node *pos;
	bool any = false;

	kassert(spin_held(&proc_table_lock));
	*zombie = NULL;
	list_for_each(pos, &parent->children) {
		struct process *c = list_entry(pos, struct process, sibling);

		if (pid != -1 && c->pid != pid)
			continue;
		any = true;
		if (c->state == PROC_ZOMBIE) {
			*zombie = c;
			return true;
		}
	}
	return any;
}

struct process_wait_args {
	struct process *parent;
	int pid;
};

/* process_wait's condition: a matching zombie exists, or no matching child at all. */
static bool process_wait_ready(void *arg)
{
	struct process_wait_args *a = arg;
	struct process *zombie;
	bool any;

	spin_lock(&proc_table_lock);
	any = process_find_child(a->parent, a->pid, &zombie);
	spin_unlock(&proc_table_lock);
	return zombie || !any;
}

int process_wait(struct process *parent, int pid, int *status)
{
	struct process_wait_args a = { parent ? parent : &proc_kernel, pid };
	struct process *zombie;
	int err;

	for (;;) {
		err = waitq_wait_cond(&a.parent->child_wq, process_wait_ready, &a, 0);
		if (err)
			return err;
		spin_lock(&proc_table_lock);
		if (!process_find_child(a.parent, pid, &zombie)) {
			spin_unlock(&proc_table_lock);
			return -ECHILD;
		}
		if (zombie)
			break;
		spin_unlock(&proc_table_lock); /* another thread took it first: wait again */
	}
	list_remove(&zombie->sibling);
	list_remove(&zombie->all_link);
	proc_nr--;
	spin_unlock(&proc_table_lock);
	pid = zombie->pid;
	if (status)
		*status = zombie->exit_status;
	kfree(zombie);
	return pid;
}

/* May caller signal p (kill it, or take the console's Ctrl-C for it)? Root may signal
 * anything but init, a user its own processes, a parent its children; the kernel (caller
 * NULL) anything. Locks: proc_table_lock held. */
static int process_may_signal(const struct process *caller, const struct process *p)
{
	if (!caller)
		return 0;
	if (p->pid == 1)
		return -EPERM; /* init is not to be killed: the machine would go down */
	if (caller->uid == 0 || caller->uid == p->uid || p->parent == caller)
		return 0;
	return -EPERM;
}

/* The live process pid, or NULL. Locks: proc_table_lock held. */
static struct process *process_find_live(int pid)
{
	struct list_node *pos;

	kassert(spin_held(&proc_table_lock));
	list_for_each(pos, &proc_all) {
		struct process *q = list_entry(pos, struct process, all_link);

		if (q->pid == pid && q->state == PROC_LIVE)
			return q;
	}
	return NULL;
}

int process_check_signal(struct process *caller, int pid)
{
	struct process *p;
	int err;

	spin_lock(&proc_table_lock);
	p = process_find_live(pid);
	err = p ? process_may_signal(caller, p) : -ESRCH;
	spin_unlock(&proc_table_lock);
	return err;
}

int process_kill(struct process *caller, int pid)
{
	struct process *p;
	int err;

	spin_lock(&proc_table_lock);
	p = process_find_live(pid);
	err = p ? process_may_signal(caller, p) : -ESRCH;
	if (!err)
		process_begin_exit(p, EXIT_KILLED, NULL);
	spin_unlock(&proc_table_lock);
	return err;
}

int process_thread_create(uintptr_t entry, uintptr_t arg, uintptr_t stack_top)
{
	struct process *p = process_current();
	struct thread *t;

	if (!vm_range_ok(entry, 1) || !vm_range_ok(stack_top - 1, 1))
		return -EINVAL;
	spin_lock(&p->lock);
	if (p->exiting) {
		spin_unlock(&p->lock);
		return -EAGAIN;
	}
	t = process_add_thread(p, entry, stack_top & ~15UL, arg, 0);
	spin_unlock(&p->lock);
	if (!t)
		return -ENOMEM;
	thread_start(t);
	return (int)t->tid;
}

/* Take thread tid of p off p's list, so that only the caller joins it. Locks: p->lock. */
static struct thread *process_claim_thread(struct process *p, int tid)
{
	struct list_node *pos;

	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, proc_link);

		if ((int)t->tid == tid && t != thread_current()) {
			list_remove(pos);
			return t;
		}
	}
	return NULL;
}

int process_thread_join(int tid, int *code)
{
	struct process *p = process_current();
	struct thread *t;
	int err;

	spin_lock(&p->lock);
	t = process_claim_thread(p, tid);
	spin_unlock(&p->lock);
	if (!t)
		return -ESRCH;
	err = thread_join(t, code);
	if (err) {
		spin_lock(&p->lock); /* interrupted: put it back for someone else to join */
		list_add_tail(&p->threads, &t->proc_link);
		spin_unlock(&p->lock);
	}
	return err;
}

void process_return_to_user(void)
{
	if (unlikely(thread_killed()))
		process_exit(EXIT_KILLED);
	sched_preempt_point();
}

void process_foreach(void (*fn)(const struct process *p, void *arg), void *arg)
{
	struct list_node *pos;

	spin_lock(&proc_table_lock);
	list_for_each(pos, &proc_all)
		fn(list_entry(pos, struct process, all_link), arg);
	spin_unlock(&proc_table_lock);
}
