/* kfsstat.h: /kfs, the kernel's state as text files: meminfo, procs, cpus, syscalls. */
#ifndef KERNEL_KFSSTAT_H
#define KERNEL_KFSSTAT_H

struct kfs_node;

/* Create the files of /kfs in dir. */
void kfsstat_init(struct kfs_node *dir);

#endif
