/* syscall.c: the system call table and its handlers (uapi/syscall.h, kernel/syscall.h).
 *
 * Every handler validates first, then acts (DESIGN.md, "Errors and user memory"): user
 * pointers are checked before anything happens, so a bad pointer fails the call without
 * side effects, and user memory is only ever touched through copy_from_user/copy_to_user. */
#include <uapi/errno.h>
#include <uapi/syscall.h>
#include <arch/mmu.h>
#include <arch/power.h>
#include <arch/syscall.h>
#include <arch/timer.h>
#include <kernel/console.h>
#include <kernel/kfs.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/syscall_fs.h>
#include <kernel/thread.h>
#include <kernel/timer.h>
#include <lib/string.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/vm.h>

static struct vm_space *syscall_vm(void)
{
	return process_current()->vm;
}

static long sys_exit(const unsigned long *a)
{
	process_exit((int)a[0]);
}

static long sys_thread_exit(const unsigned long *a)
{
	thread_exit((int)a[0]);
}

static long sys_getpid(const unsigned long *a)
{
	return process_current()->pid;
}

static long sys_getppid(const unsigned long *a)
{
	struct process *parent = process_current()->parent;

	return parent ? parent->pid : 0;
}

static long sys_getuid(const unsigned long *a)
{
	return process_current()->uid;
}

static long sys_getgid(const unsigned long *a)
{
	return process_current()->gid;
}

static long sys_gettid(const unsigned long *a)
{
	return (long)thread_current()->tid;
}

static long sys_yield(const unsigned long *a)
{
	sched_yield();
	return 0;
}

static long sys_sleep_ns(const unsigned long *a)
{
	return timer_sleep_ns(a[0]);
}

static long sys_clock_ns(const unsigned long *a)
{
	return (long)arch_clock_ns();
}

static long sys_kill(const unsigned long *a)
{
	return process_kill(process_current(), (int)a[0]);
}

/* Check an optional output pointer up front: NULL is fine. */
static int syscall_check_out_opt(uintptr_t uptr, size_t len)
{
	return uptr ? vm_user_ok(syscall_vm(), uptr, len, true) : 0;
}

static long sys_wait(const unsigned long *a)
{
	int status = 0, err = syscall_check_out_opt(a[1], sizeof status);
	long pid;

	if (err)
		return err;
	pid = process_wait(process_current(), (int)a[0], &status);
	if (pid > 0 && a[1] && copy_to_user(syscall_vm(), a[1], &status, sizeof status))
		return -EFAULT;
	return pid;
}

static long sys_thread_create(const unsigned long *a)
{
	return process_thread_create(a[0], a[1], a[2]);
}

static long sys_thread_join(const unsigned long *a)
{
	int code = 0, err = syscall_check_out_opt(a[1], sizeof code);

	if (err)
		return err;
	err = process_thread_join((int)a[0], &code);
	if (!err && a[1] && copy_to_user(syscall_vm(), a[1], &code, sizeof code))
		return -EFAULT;
	return err;
}

static long sys_map(const unsigned long *a)
{
	struct process *p = process_current();
	size_t len = a[0];
	uintptr_t va;
	int err;

	if (len == 0 || len > arch_user_end() / 4 || (a[1] & ~(unsigned long)(PROT_READ | PROT_WRITE)))
		return -EINVAL;
	len = PAGE_ALIGN_UP(len);
	spin_lock(&p->lock);
	va = p->map_next;
	p->map_next += len + PAGE_SIZE; /* an unmapped page between regions catches overruns */
	spin_unlock(&p->lock);
	err = vm_map_anon(p->vm, va, len, (a[1] & PROT_WRITE) ? MMU_WRITE : 0);
	return err ? err : (long)va;
}

static long sys_unmap(const unsigned long *a)
{
	if ((a[0] & (PAGE_SIZE - 1)) || a[1] == 0 || !vm_range_ok(a[0], a[1]))
		return -EINVAL;
	return vm_unmap(syscall_vm(), a[0], PAGE_ALIGN_UP(a[1]));
}

static long sys_poweroff(const unsigned long *a)
{
	if (process_current()->uid != 0)
		return -EPERM;
	printk("poweroff: requested by pid %d, status %d\n", process_current()->pid, (int)a[0]);
	arch_power_off((int)a[0]);
}

static long sys_console_fg(const unsigned long *a)
{
	int pid = (int)a[0], err = pid ? process_check_signal(process_current(), pid) : 0;

	if (!err)
		console_set_foreground(pid);
	return err;
}

/* A cpu that does not fit an int is no CPU either: -EINVAL, not a truncated number. */
static long sys_affinity(const unsigned long *a)
{
	long cpu = (long)a[0];

	return cpu == (int)cpu ? sched_set_affinity((int)cpu) : -EINVAL;
}

/* Only root may raise a thread above the others' normal rank: a user's busy loop at
 * SCHED_HIGH would starve every normal thread on its CPU. */
static long sys_setprio(const unsigned long *a)
{
	long prio = (long)a[0];

	_Static_assert(SCHED_HIGH == PRIO_HIGH && SCHED_NORMAL == PRIO_NORMAL &&
		       SCHED_LOW == PRIO_LOW, "uapi priorities are the scheduler's");
	if (prio < 0 || prio >= NR_PRIOS)
		return -EINVAL;
	if (prio < SCHED_NORMAL && process_cred(process_current()).uid != 0)
		return -EPERM;
	return sched_set_prio((unsigned)prio);
}

static long sys_meminfo(const unsigned long *a)
{
	struct meminfo mi = { 0 };
	struct page_stats ps;
	struct kmalloc_stats ks;
	int err = vm_user_ok(syscall_vm(), a[0], sizeof mi, true);

	if (err)
		return err;
	page_stats(&ps);
	kmalloc_stats(&ks);
	mi.free_pages = ps.free_pages;
	mi.total_pages = ps.total_pages;
	mi.heap_bytes = ks.bytes_in_use;
	mi.heap_allocs = ks.allocs_in_use;
	mi.threads = thread_count();
	mi.processes = process_count();
	return copy_to_user(syscall_vm(), a[0], &mi, sizeof mi);
}

/* Copy the spawn arguments in: the path, argv (a NULL-terminated array of string
 * pointers) into kernel buffers, and the optional attributes. */
struct spawn_args {
	char path[64];
	char strings[PROC_ARG_BYTES];
	const char *argv[PROC_ARGV_MAX];
	int argc;
	struct spawn_attr attr;
};

static long spawn_copy_argv(struct spawn_args *s, uintptr_t uargv)
{
	struct vm_space *vm = syscall_vm();
	size_t used = 0;
	uintptr_t uptr;
	long len;

	for (s->argc = 0;; s->argc++) {
		if (copy_from_user(vm, &uptr, uargv + s->argc * sizeof uptr, sizeof uptr))
			return -EFAULT;
		if (!uptr)
			return 0;
		if (s->argc == PROC_ARGV_MAX)
			return -E2BIG;
		len = strncpy_from_user(vm, s->strings + used, uptr, sizeof s->strings - used);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : len;
		s->argv[s->argc] = s->strings + used;
		used += (size_t)len + 1;
	}
}

/* Who the child runs as: the caller's credentials unless root asks for others. */
static int spawn_credentials(const struct spawn_attr *attr, int *uid, int *gid)
{
	struct process *self = process_current();

	*uid = attr->uid < 0 ? self->uid : attr->uid;
	*gid = attr->gid < 0 ? self->gid : attr->gid;
	if (self->uid != 0 && (*uid != self->uid || *gid != self->gid))
		return -EPERM;
	return 0;
}

static long sys_spawn(const unsigned long *a)
{
	struct spawn_args *s = kmalloc(sizeof *s);
	int uid, gid;
	long r;

	if (!s)
		return -ENOMEM;
	s->attr = (struct spawn_attr){ -1, -1 };
	r = strncpy_from_user(syscall_vm(), s->path, a[0], sizeof s->path);
	if (r >= 0)
		r = spawn_copy_argv(s, a[1]);
	if (r >= 0 && a[2])
		r = copy_from_user(syscall_vm(), &s->attr, a[2], sizeof s->attr);
	if (r >= 0)
		r = spawn_credentials(&s->attr, &uid, &gid);
	if (r >= 0)
		r = process_spawn(s->path, s->argv, s->argc, uid, gid, process_current());
	kfree(s);
	return r;
}

static long sys_syscall_info(const unsigned long *a)
{
	const struct syscall_desc *d = syscall_lookup(a[0]);
	struct syscall_info info = { .noreturn = 0 };
	int err = vm_user_ok(syscall_vm(), a[1], sizeof info, true);

	if (err)
		return err;
	if (!d)
		return -ENOSYS;
	strlcpy(info.name, d->name, sizeof info.name);
	memcpy(info.args, d->args, sizeof info.args);
	info.noreturn = d->noreturn;
	return copy_to_user(syscall_vm(), a[1], &info, sizeof info);
}

#define SYSCALL(nr, fname, ...) [nr] = { #fname, sys_##fname, { __VA_ARGS__ }, false }
#define SYSCALL_NORETURN(nr, fname, ...) [nr] = { #fname, sys_##fname, { __VA_ARGS__ }, true }

static const struct syscall_desc syscall_table[] = {
	SYSCALL_NORETURN(SYS_exit, exit, ARG_INT),
	SYSCALL(SYS_spawn, spawn, ARG_USTR, ARG_UIN, ARG_UIN_OPT),
	SYSCALL(SYS_wait, wait, ARG_INT, ARG_UOUT_OPT),
	SYSCALL(SYS_kill, kill, ARG_INT),
	SYSCALL(SYS_getpid, getpid),
	SYSCALL(SYS_getppid, getppid),
	SYSCALL(SYS_getuid, getuid),
	SYSCALL(SYS_getgid, getgid),
	SYSCALL(SYS_thread_create, thread_create, ARG_INT, ARG_INT, ARG_INT),
	SYSCALL_NORETURN(SYS_thread_exit, thread_exit, ARG_INT),
	SYSCALL(SYS_thread_join, thread_join, ARG_INT, ARG_UOUT_OPT),
	SYSCALL(SYS_yield, yield),
	SYSCALL(SYS_sleep_ns, sleep_ns, ARG_INT),
	SYSCALL(SYS_clock_ns, clock_ns),
	SYSCALL(SYS_map, map, ARG_INT, ARG_INT),
	SYSCALL(SYS_unmap, unmap, ARG_INT, ARG_INT),
	SYSCALL(SYS_read, read, ARG_FD, ARG_UOUT, ARG_LEN),
	SYSCALL(SYS_write, write, ARG_FD, ARG_UIN, ARG_LEN),
	SYSCALL(SYS_close, close, ARG_FD),
	SYSCALL(SYS_gettid, gettid),
	SYSCALL(SYS_meminfo, meminfo, ARG_UOUT),
	SYSCALL(SYS_syscall_info, syscall_info, ARG_INT, ARG_UOUT),
	SYSCALL(SYS_open, open, ARG_USTR, ARG_INT, ARG_INT),
	SYSCALL(SYS_dup, dup, ARG_FD),
	SYSCALL(SYS_dup2, dup2, ARG_FD, ARG_INT),
	SYSCALL(SYS_lseek, lseek, ARG_FD, ARG_INT, ARG_INT),
	SYSCALL(SYS_stat, stat, ARG_USTR, ARG_UOUT),
	SYSCALL(SYS_fstat, fstat, ARG_FD, ARG_UOUT),
	SYSCALL(SYS_readdir, readdir, ARG_FD, ARG_UOUT),
	SYSCALL(SYS_mkdir, mkdir, ARG_USTR, ARG_INT),
	SYSCALL(SYS_unlink, unlink, ARG_USTR),
	SYSCALL(SYS_rmdir, rmdir, ARG_USTR),
	SYSCALL(SYS_chmod, chmod, ARG_USTR, ARG_INT),
	SYSCALL(SYS_chown, chown, ARG_USTR, ARG_INT, ARG_INT),
	SYSCALL(SYS_chdir, chdir, ARG_USTR),
	SYSCALL(SYS_getcwd, getcwd, ARG_UOUT, ARG_LEN),
	SYSCALL_NORETURN(SYS_poweroff, poweroff, ARG_INT),
	SYSCALL(SYS_console_fg, console_fg, ARG_INT),
	SYSCALL(SYS_affinity, affinity, ARG_INT),
	SYSCALL(SYS_setprio, setprio, ARG_INT),
};

extern const struct syscall_extra __start_syscalls_extra[], __stop_syscalls_extra[];

/* Every system call by number, common's and the layers': filled once by syscall_init(). */
static const struct syscall_desc *syscall_all[SYSCALL_NR_MAX];
static unsigned long syscall_top;                          /* the highest number in use */
static unsigned long syscall_counts[SYSCALL_NR_MAX];       /* atomic */

/* Enter one system call in syscall_all. */
static void syscall_add(unsigned long nr, const struct syscall_desc *d)
{
	if (nr >= SYSCALL_NR_MAX || syscall_all[nr])
		panic("syscall: number %lu (%s) out of range or used twice", nr, d->name);
	syscall_all[nr] = d;
	if (nr > syscall_top)
		syscall_top = nr;
}

void syscall_init(void)
{
	const struct syscall_extra *e;
	unsigned long nr;

	for (nr = 0; nr < ARRAY_SIZE(syscall_table); nr++)
		if (syscall_table[nr].fn)
			syscall_add(nr, &syscall_table[nr]);
	for (e = __start_syscalls_extra; e < __stop_syscalls_extra; e++)
		syscall_add(e->nr, &e->desc);
}

const struct syscall_desc *syscall_lookup(unsigned long nr)
{
	return nr < SYSCALL_NR_MAX ? syscall_all[nr] : NULL;
}

unsigned long syscall_max(void)
{
	return syscall_top;
}

unsigned long syscall_count(unsigned long nr)
{
	return nr < SYSCALL_NR_MAX ? READ_ONCE(syscall_counts[nr]) : 0;
}

long syscall_invoke(unsigned long nr, const unsigned long *args)
{
	const struct syscall_desc *d = syscall_lookup(nr);

	if (!d)
		return -ENOSYS;
	__atomic_fetch_add(&syscall_counts[nr], 1, __ATOMIC_RELAXED);
	return d->fn(args);
}

void syscall_dispatch(struct trap_frame *tf)
{
	unsigned long args[SYSCALL_MAX_ARGS];

	arch_syscall_args(tf, args);
	arch_syscall_set_result(tf, syscall_invoke(arch_syscall_number(tf), args));
	process_return_to_user();
}
