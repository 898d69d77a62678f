/* devfs.h: the devices of /dev: console, null, zero. */
#ifndef KERNEL_DEVFS_H
#define KERNEL_DEVFS_H

struct kfs_node;

/* Create the device nodes in dir (/dev). */
void devfs_init(struct kfs_node *dir);

#endif
