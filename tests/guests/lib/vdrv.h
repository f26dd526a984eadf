/* SPDX-License-Identifier: MIT */
/*
 * For the bare-metal test guests that drive a virtio-mmio device by hand
 * (tests/guests/blkhostile, tests/guests/hvchostile): its registers at
 * 0x0a000000, the driver's start (VERSION_1 only), a queue's set-up and
 * DRIVER_OK.  Included after guest.h by one file a guest.
 */
#ifndef VDRV_H
#define VDRV_H

#include <stdint.h>

#include "../../../guests/native/virtio/virtio_regs.h"

#define VDRV_WIN	0x0a000000UL

static inline uint32_t rd(unsigned off)
{
	return *(volatile uint32_t *)(VDRV_WIN + off);
}

static inline void wr(unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(VDRV_WIN + off) = v;
}

static inline void zero(uint64_t a, uint64_t n)
{
	for (uint64_t i = 0; i < n; i += 8)
		w64(a + i, 0);
}

/* A descriptor of the table at table. */
static inline void vdrv_desc(uint64_t table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
			     uint16_t next)
{
	w64(table + 16 * i, addr);
	w32(table + 16 * i + 8, len);
	w16(table + 16 * i + 12, flags);
	w16(table + 16 * i + 14, next);
}

/* Reset the device, then ACKNOWLEDGE, DRIVER, VERSION_1 and FEATURES_OK. */
static inline void vdrv_start(void)
{
	wr(R_STATUS, 0);
	wr(R_STATUS, VIRTIO_ACKNOWLEDGE);
	wr(R_STATUS, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER);
	wr(R_DRV_FEAT_SEL, 1);
	wr(R_DRV_FEAT, 1);	/* VIRTIO_F_VERSION_1 */
	wr(R_DRV_FEAT_SEL, 0);
	wr(R_DRV_FEAT, 0);
	wr(R_STATUS, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK);
}

/* Queue q of num entries, its rings at d, a and u; made ready. */
static inline void vdrv_queue(unsigned q, uint32_t num, uint64_t d, uint64_t a, uint64_t u)
{
	wr(R_QUEUE_SEL, q);
	wr(R_QUEUE_NUM, num);
	wr(R_DESC_LO, (uint32_t)d);
	wr(R_DESC_HI, (uint32_t)(d >> 32));
	wr(R_DRIVER_LO, (uint32_t)a);
	wr(R_DRIVER_HI, (uint32_t)(a >> 32));
	wr(R_DEVICE_LO, (uint32_t)u);
	wr(R_DEVICE_HI, (uint32_t)(u >> 32));
	wr(R_QUEUE_READY, 1);
}

/* DRIVER_OK; the Status read back. */
static inline uint32_t vdrv_run(void)
{
	wr(R_STATUS, rd(R_STATUS) | VIRTIO_DRIVER_OK);
	return rd(R_STATUS);
}

/* Make chain head available at the n-th place of the ring at avail (num
 * entries) and notify queue q. */
static inline void vdrv_submit(unsigned q, uint64_t avail, unsigned num, uint16_t head, uint16_t n)
{
	w16(avail + 4 + 2 * ((n - 1) % num), head);
	__asm__ volatile("dmb sy" ::: "memory");
	w16(avail + 2, n);
	__asm__ volatile("dmb sy" ::: "memory");
	wr(R_QUEUE_NOTIFY, q);
}

#endif
