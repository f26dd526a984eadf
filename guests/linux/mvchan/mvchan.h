/* SPDX-License-Identifier: MIT OR GPL-2.0 */
/*
 * The Microvisor channel driver's user-space interface (docs/mvchan.md):
 * one character device per channel end of the VM, /dev/mvchan-<label>.
 * A message is 1 to 4 64-bit words (MVCHAN_MAX_BYTES): write() sends one,
 * read() returns one.  These ioctls add what plain read and write cannot
 * say: the end's identity, signal bits, and a message with its badge.
 */
#ifndef MVCHAN_UAPI_H
#define MVCHAN_UAPI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define MVCHAN_MAX_WORDS	4
#define MVCHAN_MAX_BYTES	(MVCHAN_MAX_WORDS * 8)
#define MVCHAN_NAME_MAX		32

/* mvchan_info.direction */
#define MVCHAN_SEND		1	/* this VM sends on it (write) */
#define MVCHAN_RECEIVE		2	/* this VM receives on it (read) */

struct mvchan_info {
	__u32 slot;			/* the capability slot (the node's reg) */
	__u32 direction;		/* MVCHAN_SEND or MVCHAN_RECEIVE */
	__u32 irq;			/* Linux IRQ of a receive end's to-virq; 0: polled */
	__u32 reserved;
	char label[MVCHAN_NAME_MAX];	/* the channel's name in the description */
	char peer[MVCHAN_NAME_MAX];	/* the domain at the other end */
};

struct mvchan_msg {
	__u64 badge;			/* the sender capability's badge */
	__u32 nwords;			/* 1 to MVCHAN_MAX_WORDS */
	__u32 reserved;
	__u64 word[MVCHAN_MAX_WORDS];	/* unused words 0 */
};

#define MVCHAN_IOC_MAGIC	0xb7
/* Either end: who and what it is. */
#define MVCHAN_IOC_INFO		_IOR(MVCHAN_IOC_MAGIC, 0, struct mvchan_info)
/* Send end: raise these signal bits at the receiver (no message; a full
 * queue does not matter).  0 is EINVAL. */
#define MVCHAN_IOC_SIGNAL	_IOW(MVCHAN_IOC_MAGIC, 1, __u64)
/* Receive end: take (and clear) the signal bits raised since the last
 * call; 0 if none.  Never blocks: poll() says POLLPRI when there are some. */
#define MVCHAN_IOC_SIGNALS	_IOR(MVCHAN_IOC_MAGIC, 2, __u64)
/* Receive end: read() with the badge: the next message, blocking unless
 * O_NONBLOCK (EAGAIN). */
#define MVCHAN_IOC_RECV		_IOR(MVCHAN_IOC_MAGIC, 3, struct mvchan_msg)

#endif
