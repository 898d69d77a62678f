/* binfs.h: /bin and /etc: the user programs and data files built into the kernel, as
 * read-only files. */
#ifndef KERNEL_BINFS_H
#define KERNEL_BINFS_H

struct kfs_node;
struct program;

/* Create one node per program (kernel/programs.h) in bin, one per data file in etc. */
void binfs_init(struct kfs_node *bin, struct kfs_node *etc);

/* The program behind n, or NULL when n is not a program file. */
const struct program *binfs_program(const struct kfs_node *n);

#endif
