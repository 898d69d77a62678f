/* kfsstat.c: the files of /kfs (kernel/kfsstat.h). Each is a snapshot made at open
 * (kernel/textfile.h), one "key value" pair or one record per line, so that a learner can
 * cat it and a test can parse it:
 *   /kfs/meminfo   pages_total, pages_free, heap_bytes, heap_allocs, heap_pages, threads,
 *                  processes
 *   /kfs/procs     pid ppid uid gid state threads name   (a header line first)
 *   /kfs/cpus      cpu online ticks direct_switches      (a header line first)
 *   /kfs/syscalls  number name calls                     (a header line first) */
#include <arch/smp.h>
#include <kernel/kfsstat.h>
#include <kernel/percpu.h>
#include <kernel/process.h>
#include <kernel/syscall.h>
#include <kernel/textfile.h>
#include <kernel/thread.h>
#include <mm/kmalloc.h>
#include <mm/page.h>

static void kfsstat_meminfo(struct textbuf *b, void *arg)
{
	struct page_stats ps;
	struct kmalloc_stats ks;

	page_stats(&ps);
	kmalloc_stats(&ks);
	textbuf_printf(b, "pages_total %zu\npages_free %zu\n", ps.total_pages, ps.free_pages);
	textbuf_printf(b, "heap_bytes %zu\nheap_allocs %zu\nheap_pages %zu\n", ks.bytes_in_use,
		       ks.allocs_in_use, ks.pages);
	textbuf_printf(b, "threads %u\nprocesses %u\n", thread_count(), process_count());
}

/* One line of /kfs/procs. Runs with the process table locked. */
static void kfsstat_proc_line(const struct process *p, void *arg)
{
	textbuf_printf(arg, "%d %d %d %d %s %u %s\n", p->pid, p->parent ? p->parent->pid : 0,
		       p->uid, p->gid, p->state == PROC_ZOMBIE ? "zombie" : "live",
		       READ_ONCE(p->nr_threads), p->name);
}

static void kfsstat_procs(struct textbuf *b, void *arg)
{
	textbuf_printf(b, "pid ppid uid gid state threads name\n");
	process_foreach(kfsstat_proc_line, b);
}

static void kfsstat_cpus(struct textbuf *b, void *arg)
{
	unsigned i;

	textbuf_printf(b, "cpu online ticks direct_switches\n");
	for (i = 0; i < arch_cpu_count(); i++)
		textbuf_printf(b, "%u %d %llu %llu\n", i, READ_ONCE(cpus[i].online),
			       (unsigned long long)READ_ONCE(cpus[i].ticks),
			       (unsigned long long)READ_ONCE(cpus[i].direct_switches));
}

static void kfsstat_syscalls(struct textbuf *b, void *arg)
{
	unsigned long nr;

	textbuf_printf(b, "number name calls\n");
	for (nr = 0; nr <= syscall_max(); nr++)
		if (syscall_lookup(nr))
			textbuf_printf(b, "%lu %s %lu\n", nr, syscall_lookup(nr)->name,
				       syscall_count(nr));
}

void kfsstat_init(struct kfs_node *dir)
{
	textfile_add(dir, "meminfo", kfsstat_meminfo, NULL);
	textfile_add(dir, "procs", kfsstat_procs, NULL);
	textfile_add(dir, "cpus", kfsstat_cpus, NULL);
	textfile_add(dir, "syscalls", kfsstat_syscalls, NULL);
}
