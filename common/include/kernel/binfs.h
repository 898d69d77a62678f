/* binfs.h: /bin, the user programs built into the kernel, as read-only executable files. */
#ifndef KERNEL_BINFS_H
#define KERNEL_BINFS_H

struct kfs_node;
struct program;

/* Create one node per program (kernel/programs.h) in dir (/bin). */
void binfs_init(struct kfs_node *dir);

/* The program behind n, or NULL when n is not a program file. */
const struct program *binfs_program(const struct kfs_node *n);

#endif
