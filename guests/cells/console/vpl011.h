/* SPDX-License-Identifier: MIT */
/*
 * Virtual PL011 UART (Arm PrimeCell UART PL011 TRM, DDI0183), enough for
 * Linux's amba-pl011 driver and earlycon: data, flags, control, interrupt
 * mask/status/clear, baud and line control (stored, no effect), and the
 * PrimeCell ID registers.  Transmit is instantaneous; receive goes through
 * a FIFO fed by vpl011_input().  Pure state machine: runs in the console
 * cell and builds on the host.
 */
#ifndef VDEV_VPL011_H
#define VDEV_VPL011_H

#include <stdbool.h>
#include <stdint.h>

#define VPL011_SIZE		0x1000
#define VPL011_RX_FIFO		32

/* Register state as the guest wrote it.  ris holds only the latched
 * interrupt bits (TX, modem, overrun; cleared by ICR): RXRIS and RTRIS are
 * derived from the RX FIFO on every read (vpl011.c says why). */
struct vpl011 {
	uint32_t cr, lcr_h, ibrd, fbrd, ifls, imsc, ris, dmacr;
	uint32_t ilpr, rsr;
	char rx[VPL011_RX_FIFO];
	unsigned rx_head, rx_count;
	bool irq_level;
	void (*tx)(void *ctx, char c);		/* a byte the guest sent */
	void (*irq)(void *ctx, bool level);	/* the interrupt line changed */
	void *ctx;
};

/* Reset state; the interrupt line starts low and irq is not called.  tx and
 * irq may be NULL.  Both are called from vpl011_access/vpl011_input, with
 * the caller's lock held, and must not call back into the model. */
void vpl011_init(struct vpl011 *u, void (*tx)(void *, char),
		 void (*irq)(void *, bool), void *ctx);

/* Guest MMIO at offset (size 1, 2 or 4, at a register's word offset; a
 * sub-word access sees the register's low bits).  Returns false for an
 * offset or size the UART does not have (RAZ/WI; the caller logs it).
 * Writes to read-only registers are ignored and ICR reads as 0 (true). */
bool vpl011_access(struct vpl011 *u, uint32_t offset, unsigned size,
		   bool write, uint64_t *value);

/* What a read of the register at offset (a word offset) would return, for
 * a read that changes nothing: false for an offset that is not a register,
 * and for DR while the receive FIFO holds data (reading takes a byte). */
bool vpl011_peek(struct vpl011 *u, uint32_t offset, uint32_t *v);

/* A byte from the user for the guest; false if the FIFO is full (one byte
 * deep until the guest sets LCR_H.FEN) or the UART is in loopback, where
 * its receive line is disconnected: the byte stays the caller's, to offer
 * again once the guest has read.  A byte accepted is never dropped. */
bool vpl011_input(struct vpl011 *u, char c);

#endif
