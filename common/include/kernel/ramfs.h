/* ramfs.h: ordinary files kept in kernel memory (everything under /tmp, and any file made
 * in a KFS directory). */
#ifndef KERNEL_RAMFS_H
#define KERNEL_RAMFS_H

#include <stdint.h>

#define RAMFS_FILE_MAX (1024 * 1024) /* bytes per file: beyond, writes fail with -EFBIG */

struct kfs_node;

/* A new empty file node (not linked), or NULL when out of memory. */
struct kfs_node *ramfs_file_new(uint32_t mode, int uid, int gid);

#endif
