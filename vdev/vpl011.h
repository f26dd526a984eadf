/* SPDX-License-Identifier: MIT */
/*
 * Virtual PL011 UART (Arm PrimeCell UART PL011 TRM, DDI0183), enough for
 * Linux's amba-pl011 driver and earlycon: data, flags, control, interrupt
 * mask/status/clear, baud and line control (stored, no effect), and the
 * PrimeCell ID registers.  Transmit is instantaneous; receive goes through
 * a FIFO fed by vpl011_input().  Pure state machine: builds on the host.
 */
#ifndef VDEV_VPL011_H
#define VDEV_VPL011_H

#include <stdbool.h>
#include <stdint.h>

#define VPL011_SIZE		0x1000
#define VPL011_RX_FIFO		32

struct vpl011 {
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr;
	char rx[VPL011_RX_FIFO];
	unsigned rx_head, rx_count;
	bool irq_level;
	void (*tx)(void *ctx, char c);		/* a byte the guest sent */
	void (*irq)(void *ctx, bool level);	/* the interrupt line changed */
	void *ctx;
};

void vpl011_init(struct vpl011 *u, void (*tx)(void *, char),
		 void (*irq)(void *, bool), void *ctx);

/* Guest MMIO at offset (size 1, 2 or 4).  Returns false for an offset or
 * size the UART does not have (RAZ/WI; the caller logs it). */
bool vpl011_access(struct vpl011 *u, uint32_t offset, unsigned size,
		   bool write, uint64_t *value);

/* A byte from the user for the guest; false if the FIFO is full. */
bool vpl011_input(struct vpl011 *u, char c);

#endif
