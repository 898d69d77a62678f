/* ulib/ntfy.h: wrappers of stage 4's notification system calls (uapi/ntfy.h). As in
 * ulib/syscall.h, each returns the raw result: >= 0 on success, -errno on failure. Records
 * are read with sys_read on the endpoint, which is closed with sys_close
 * (lab-guides/stage4.md, "Notifications"). */
#ifndef ULIB_NTFY_H
#define ULIB_NTFY_H

#include <stddef.h>
#include <uapi/errno.h>
#include <uapi/ntfy.h>

/* A new endpoint holding capacity records (0: NTFY_CAPACITY_DEFAULT); flags 0 or
 * O_NONBLOCK. Returns its descriptor. */
int sys_ntfy_new(unsigned capacity, int flags);

/* Subscribe endpoint nfd to the channel or directory of channels at path. Returns the
 * subscription's id (>= 1). */
int sys_watch(int nfd, const char *path, const struct ntfy_watch *w);

/* End subscription id of endpoint nfd. */
int sys_unwatch(int nfd, int id);

/* Wait until one of the n descriptors in fds is ready or timeout_ns passes (-1: no limit,
 * 0: just look). Returns how many are ready. */
int sys_poll(struct pollfd *fds, unsigned n, long timeout_ns);

/* The name of a one-bit event, as ipcwatch prints it ("readable", ... "overflow"). */
const char *ntfy_event_name(uint32_t event);

#endif
