/* ulib/timesrv.h: the protocol of timesrv, stage 4's example of a user-space server on
 * channels (stage4/user/bin/timesrv.c; the client is timeq). lab-guides/stage4.md, "A
 * server and its clients".
 *
 * A client makes a channel of its own for the answer (its reply channel), then writes one
 * request, a line of text, to the server's channel:
 *
 *     time REPLY      the answer is "ok NS": the clock, nanoseconds since boot
 *     stats           (as "stats REPLY") the answer is "ok served=A refused=B bad=C
 *                     unreachable=D": what the server has counted so far
 *
 * Any other request, if it names a reply channel the server will use, is answered
 * "error unknown request". The server answers only into a channel owned by the user who
 * sent the request (SYS_recv tells it who that was): a client cannot make the server
 * write into somebody else's channel. Requests it cannot or will not answer are counted:
 * refused (the reply channel is not a channel, or not the sender's), bad (no reply channel
 * named, or an unknown request) and unreachable (the reply channel cannot be opened, or is
 * full). */
#ifndef ULIB_TIMESRV_H
#define ULIB_TIMESRV_H

#define TIMESRV_PATH "/ipc/svc/time"    /* the server's channel (in a directory of root's) */
#define TIMESRV_MODE 0622               /* anyone may ask; only the server reads */
#define TIMESRV_REQ_MAX 128             /* bytes of one request (the channel's message size) */
#define TIMESRV_REPLY_MAX 96            /* bytes of one answer */
#define TIMESRV_CAPACITY 32             /* requests queued at most */

#endif
