/* SPDX-License-Identifier: MIT */
/*
 * A virtio-mmio transport (virtio 1.x, modern only: Version 2) served by a
 * cell: the device's registers are a window of the client VM whose
 * accesses reach the cell as fault messages; its split virtqueues are read
 * and written in the client's memory through a space capability; its
 * interrupt is the window's (MV_HC_WINDOW_IRQ).  docs/virtio.md.
 *
 * Everything the guest writes is checked before it is used: a queue that
 * is not a power of two up to VQ_MAX, rings or buffers outside the guest's
 * RAM or misaligned, descriptor loops, indices that jump, oversized
 * lengths.  Each refusal is one log line naming the VM and the queue; the
 * device then sets DEVICE_NEEDS_RESET and serves nothing more until the
 * driver resets it.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <mv_runtime.h>

#include "virtio_regs.h"

#define VQ_MAX			128	/* QueueNumMax */
#define VMMIO_QUEUES		2	/* queues a device may have */
/* Lengths: Linux's requests are at most 1280 KiB (its max_sectors) in
 * segments of at most size_max, which the block device sets to VQ_MAX_SEG.
 * The limits also bound the work of one notification: at most a queue of
 * chains, each at most VQ_MAX_CHAIN bytes. */
#define VQ_MAX_SEG		(1U << 20)	/* one descriptor's length at most */
#define VQ_MAX_CHAIN		(2U << 20)	/* a chain's total at most */

/* One buffer of a descriptor chain, where the cell sees it. */
struct vseg {
	volatile uint8_t *p;
	uint32_t len;
	bool write;		/* device-writable */
};

/* A chain taken from the available ring: readable segments first. */
struct vchain {
	unsigned head;
	unsigned n;
	uint64_t rlen, wlen;	/* bytes readable, writable */
	struct vseg seg[VQ_MAX];
};

struct vqueue {
	uint32_t num;
	bool ready;
	uint64_t desc, driver, device;		/* guest-physical, as written */
	volatile uint8_t *dp, *ap, *up;		/* where the cell sees them, once ready */
	uint16_t last_avail, used_idx;
};

struct vmmio;

struct vbackend {
	uint32_t device_id;
	uint64_t features;		/* besides VIRTIO_F_VERSION_1 */
	const volatile uint8_t *config;	/* device configuration space, read-only */
	uint32_t config_size;
	unsigned queues;		/* 1 to VMMIO_QUEUES */
	/* A queue was notified: take its chains (vq_pop), answer (vq_push). */
	void (*notify)(struct vmmio *d, unsigned q);
	/* QueueNotify may be posted: the cell calls vmmio_take each time it
	 * wakes (notify is called from there). */
	bool notify_posted;
};

struct vmmio {
	const char *vm;			/* the client's name, for the logs */
	unsigned slot;			/* the window's fault capability */
	unsigned space_slot;		/* the client's memory */
	struct mv_space space;
	const struct vbackend *be;
	uint64_t driver_features;
	uint32_t dev_sel, drv_sel, queue_sel;
	uint32_t status;
	uint32_t isr;			/* the interrupt status, without a page */
	bool irq;			/* the line's level as last set, without a page */
	struct mv_window_page *pg;	/* the window's page (the interrupt status), or NULL */
	struct vqueue q[VMMIO_QUEUES];
};

/* Set the device up (reset state); 0, or -1 if the space is unusable. */
int vmmio_init(struct vmmio *d, const char *vm, unsigned slot, unsigned space_slot,
	       const struct vbackend *be);

/* Reset the device if its client restarted since the device last looked
 * (before the cell touches the client's memory on its own initiative). */
void vmmio_fresh(struct vmmio *d);

/* Take the writes the driver posted (notify_posted): their number. */
unsigned vmmio_take(struct vmmio *d);

/* A register access of the window: the value a read loads. */
uint64_t vmmio_access(struct vmmio *d, const struct mv_fault *f);

/* Take the next available chain of queue q: 1 (in *c), 0 (none), -1
 * (refused: logged, the device needs a reset). */
int vq_pop(struct vmmio *d, unsigned q, struct vchain *c);

/* Return chain head to the driver with len bytes written; interrupt. */
void vq_push(struct vmmio *d, unsigned q, unsigned head, uint32_t len);

/* vq_push in two steps, for several chains the driver must see at once
 * (a frame over several receive buffers): vq_put each into the used ring,
 * unseen, then vq_publish the used index and interrupt. */
void vq_put(struct vmmio *d, unsigned q, unsigned head, uint32_t len);
void vq_publish(struct vmmio *d, unsigned q);

/* Give back the last n chains taken (vq_pop) and not yet put: they are
 * taken again, as the driver left them, next time. */
void vq_unpop(struct vmmio *d, unsigned q, unsigned n);

/* Refuse what the guest gave: one line (the VM and the queue, what was
 * wrong), then DEVICE_NEEDS_RESET and a configuration interrupt. */
void vmmio_fail(struct vmmio *d, unsigned q, const char *what, uint64_t a, uint64_t b);

/* Copy n bytes at offset off of the chain's readable bytes to dst, or
 * src to its writable bytes; the bytes copied. */
uint64_t vchain_read(const struct vchain *c, uint64_t off, volatile uint8_t *dst, uint64_t n);
uint64_t vchain_write(const struct vchain *c, uint64_t off, const volatile uint8_t *src, uint64_t n);

/* Copy between Device memory (the cell's MMU is off): no unaligned
 * access, words where both sides allow. */
void vcopy(volatile uint8_t *dst, const volatile uint8_t *src, uint64_t n);

#endif
