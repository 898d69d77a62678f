/* uapi/fs.h: files and the namespace as user space sees them: open flags, file types and
 * mode bits, struct stat, directory entries, limits. Shared by the kernel and user space. */
#ifndef UAPI_FS_H
#define UAPI_FS_H

#include <stdint.h>

#define NAME_MAX 63             /* bytes in one path component (without the NUL) */
#define PATH_MAX 256            /* bytes in a whole path (with the NUL) */
#define FD_MAX 64               /* descriptors per process */

/* open() flags. The low two bits are the access mode. */
#define O_RDONLY 0x0
#define O_WRONLY 0x1
#define O_RDWR 0x2
#define O_ACCMODE 0x3
#define O_CREAT 0x40
#define O_EXCL 0x80
#define O_TRUNC 0x200
#define O_APPEND 0x400
#define O_NONBLOCK 0x800
#define O_DIRECTORY 0x10000

/* lseek() whence. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* File types, as in the top bits of st_mode (the usual octal values). */
#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFCHR 0020000         /* a device: console, null, zero */
#define S_IFREG 0100000         /* an ordinary file (of /tmp, /kfs, /bin) */
#define S_IFIFO 0010000         /* an IPC channel (stage 4): a message queue */
#define S_IFNTFY 0140000        /* a notification endpoint (stage 4) */

/* Permission bits: owner, group, other; r = 4, w = 2, x = 1 in each. */
#define S_IRWXU 0700
#define S_IRWXG 0070
#define S_IRWXO 0007
#define S_PERM_MASK 0777

struct stat {
	uint64_t st_ino;
	uint32_t st_mode;       /* type | permission bits */
	int32_t st_uid;
	int32_t st_gid;
	uint32_t st_nlink;
	uint64_t st_size;       /* bytes; for a channel: messages queued */
	uint64_t st_extra[4];   /* type-specific: a channel's capacity, max message size, ... */
};

/* One directory entry, as SYS_readdir returns it. */
struct dirent {
	uint64_t d_ino;
	uint32_t d_type;        /* S_IFDIR, S_IFREG, ... */
	char d_name[NAME_MAX + 1];
};

#endif
