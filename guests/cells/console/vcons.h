/* SPDX-License-Identifier: MIT */
/*
 * A virtio-console device (virtio 1.x, 5.3) served by the console cell on
 * the virtio-mmio transport (guests/native/virtio): port 0 only, no
 * features beyond VIRTIO_F_VERSION_1 (no MULTIPORT, no SIZE, no
 * EMERG_WRITE).  Queue 0 (receiveq) takes what the user types, queue 1
 * (transmitq) gives what the guest writes to its hvc0.  The cell does the
 * rest: the lines, the prefix, the focus (console.c).  docs/virtio.md.
 */
#ifndef VCONS_H
#define VCONS_H

#include "virtio_mmio.h"

#define VCONS_RX	0	/* receiveq0 */
#define VCONS_TX	1	/* transmitq0 */

struct vcons {
	struct vmmio dev;	/* first: the transport's callbacks get it */
	char name[40];		/* "VM/hvc0", in the log lines */
	/* The guest wrote n bytes to its hvc0; a partial line ends a batch
	 * (end = true once its transmit queue is empty). */
	void (*tx)(void *ctx, const char *s, unsigned n, bool end);
	/* The guest gave receive buffers: input may go in now. */
	void (*rx_ready)(void *ctx);
	void *ctx;
};

/* Set up the device of VM vm on the window's fault capability in slot and
 * the space capability in space_slot: 0, or -1 if the space is not a
 * writable space capability. */
int vcons_init(struct vcons *v, const char *vm, unsigned slot, unsigned space_slot,
	       void (*tx)(void *, const char *, unsigned, bool), void (*rx_ready)(void *), void *ctx);

/* Serve the window's register accesses that are waiting (no blocking). */
void vcons_serve(struct vcons *v);

/* Whether the driver runs the device (input may be given to it). */
bool vcons_running(struct vcons *v);

/* Put up to n typed bytes into the receive queue's buffers: how many went
 * in (0 when the driver has no buffer there, or does not run). */
unsigned vcons_input(struct vcons *v, const char *s, unsigned n);

#endif
