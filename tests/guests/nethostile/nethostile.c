// SPDX-License-Identifier: MIT
/*
 * A hostile virtio-net driver beside a good one (tests/dts/net-hostile.dts):
 * a bare-metal guest with two ports of the "vswitch" cell, port 0 ("bad")
 * at 0x0a000000 and port 1 ("good") at 0x0a001000.  A broadcast from bad
 * reaches good; then bad gives its device one bad thing at a time (a
 * frame shorter than its header, a receive buffer too small for the frame
 * arriving, a ring outside its RAM, a descriptor loop): each must leave
 * bad's device needing a reset (Status bit 64) while good's keeps sending;
 * after bad's reset a frame from bad reaches good again.  Then it powers
 * its VM off.  Every register write completes only when the cell has
 * served it, so a notification's frames have moved when it returns.
 */
#include <stdint.h>

#include "../../../guests/native/virtio/virtio_regs.h"
#define GUEST_NAME "nethostile"
#include "../lib/guest.h"

#define NUM		8
#define RXQ		0
#define TXQ		1
#define NET_HDR		12
#define OK_STATUS	(VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK | VIRTIO_DRIVER_OK)

/* Port p's window, its queue q's rings and its buffers (RAM: 16 MiB at
 * 0x40000000). */
#define WIN(p)		(0x0a000000UL + 0x1000UL * (p))
#define DESC(p, q)	(0x40400000UL + 0x100000UL * (p) + 0x4000UL * (q))
#define AVAIL(p, q)	(DESC(p, q) + 0x1000)
#define USED(p, q)	(DESC(p, q) + 0x2000)
#define RXBUF(p, i)	(0x40480000UL + 0x100000UL * (p) + 0x800UL * (i))
#define TXBUF(p, i)	(0x404c0000UL + 0x100000UL * (p) + 0x800UL * (i))

static uint16_t avail[2][2];
static uint8_t mac[2][6];

static uint32_t rd(unsigned p, unsigned off) { return *(volatile uint32_t *)(WIN(p) + off); }
static void wr(unsigned p, unsigned off, uint32_t v) { *(volatile uint32_t *)(WIN(p) + off) = v; }

static void barrier(void)
{
	__asm__ volatile("dmb sy" ::: "memory");
}

/* Reset port p and bring it up, its transmit descriptors at txdesc; the
 * Status read back. */
static uint32_t up(unsigned p, uint64_t txdesc)
{
	for (uint64_t a = DESC(p, 0); a < DESC(p, 2); a += 8)
		w64(a, 0);
	avail[p][RXQ] = avail[p][TXQ] = 0;
	wr(p, R_STATUS, 0);
	wr(p, R_STATUS, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER);
	wr(p, R_DRV_FEAT_SEL, 1);
	wr(p, R_DRV_FEAT, 1);		/* VIRTIO_F_VERSION_1 */
	wr(p, R_DRV_FEAT_SEL, 0);
	wr(p, R_DRV_FEAT, 1U << 5);	/* VIRTIO_NET_F_MAC */
	wr(p, R_STATUS, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK);
	for (unsigned q = 0; q < 2; q++) {
		uint64_t d = q == TXQ ? txdesc : DESC(p, q);

		wr(p, R_QUEUE_SEL, q);
		wr(p, R_QUEUE_NUM, NUM);
		wr(p, R_DESC_LO, (uint32_t)d);
		wr(p, R_DESC_HI, 0);
		wr(p, R_DRIVER_LO, (uint32_t)AVAIL(p, q));
		wr(p, R_DRIVER_HI, 0);
		wr(p, R_DEVICE_LO, (uint32_t)USED(p, q));
		wr(p, R_DEVICE_HI, 0);
		wr(p, R_QUEUE_READY, 1);
	}
	wr(p, R_STATUS, rd(p, R_STATUS) | VIRTIO_DRIVER_OK);
	return rd(p, R_STATUS);
}

/* Descriptor i of port p's queue q: one buffer, no next. */
static void desc(unsigned p, unsigned q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next)
{
	uint64_t e = DESC(p, q) + 16 * i;

	w64(e, addr);
	w32(e + 8, len);
	w16(e + 12, flags);
	w16(e + 14, next);
}

/* Make head i of port p's queue q available and notify, then read the
 * Status: the switch's QueueNotify is posted, and the cell takes the
 * writes posted before a fault of the window before it answers it
 * (docs/abi.md, "Fast windows"), so the checks after see what it did. */
static void offer(unsigned p, unsigned q, unsigned i)
{
	w16(AVAIL(p, q) + 4 + 2 * (avail[p][q] % NUM), (uint16_t)i);
	barrier();
	w16(AVAIL(p, q) + 2, ++avail[p][q]);
	barrier();
	wr(p, R_QUEUE_NOTIFY, q);
	(void)rd(p, R_STATUS);
}

/* Port p's receive buffer i, len bytes. */
static void rx_post(unsigned p, unsigned i, uint32_t len)
{
	desc(p, RXQ, i, RXBUF(p, i), len, VRING_DESC_F_WRITE, 0);
	offer(p, RXQ, i);
}

/* Port p sends len bytes of frame (to dst, or broadcast if dst < 0) in
 * its transmit descriptor i. */
static void send(unsigned p, unsigned i, int dst, uint32_t len)
{
	uint64_t b = TXBUF(p, i);

	for (unsigned k = 0; k < NET_HDR; k++)
		w8(b + k, 0);
	for (unsigned k = 0; k < len; k++)
		w8(b + NET_HDR + k, (uint8_t)(k ^ 0x5a));
	for (unsigned k = 0; k < 6 && len >= 12; k++) {
		w8(b + NET_HDR + k, dst < 0 ? 0xff : mac[dst][k]);
		w8(b + NET_HDR + 6 + k, mac[p][k]);
	}
	desc(p, TXQ, i, b, NET_HDR + len, 0, 0);
	offer(p, TXQ, i);
}

static void expect_broken(const char *what)
{
	uint32_t s = rd(0, R_STATUS);

	result((s & VIRTIO_NEEDS_RESET) != 0, what, s);
}

/* Good sends a broadcast: taken, and good's device still sound. */
static void good_carries_on(const char *what)
{
	uint16_t before = r16(USED(1, TXQ) + 2);

	send(1, avail[1][TXQ] % NUM, -1, 60);
	result(r16(USED(1, TXQ) + 2) == (uint16_t)(before + 1) && rd(1, R_STATUS) == OK_STATUS,
	       what, rd(1, R_STATUS));
}

int main(void)
{
	uint16_t got;
	int ok;

	puts_("nethostile: start\n");
	for (unsigned p = 0; p < 2; p++)
		for (unsigned k = 0; k < 6; k++)
			mac[p][k] = *(volatile uint8_t *)(WIN(p) + R_CONFIG + k);	/* bytes: aligned */
	result(rd(0, R_MAGIC) == 0x74726976 && rd(0, R_VERSION) == 2 && rd(0, R_DEVICE_ID) == 1 &&
	       rd(1, R_DEVICE_ID) == 1, "two virtio-mmio network devices", rd(1, R_DEVICE_ID));
	result(mac[0][5] == 0x0a && mac[1][5] == 0x0b && mac[1][0] == 0x52, "their MACs from the cell's bootargs",
	       mac[1][5]);
	result(up(0, DESC(0, TXQ)) == OK_STATUS && up(1, DESC(1, TXQ)) == OK_STATUS, "both up",
	       rd(0, R_STATUS));

	/* A broadcast from bad reaches good: header then frame. */
	for (unsigned i = 0; i < 4; i++)
		rx_post(1, i, 1530);
	send(0, 0, -1, 60);
	ok = r16(USED(1, RXQ) + 2) == 1 && r32(USED(1, RXQ) + 8) == NET_HDR + 60 &&
	     r8(RXBUF(1, 0) + 10) == 1 && r8(RXBUF(1, 0) + NET_HDR) == 0xff &&
	     r8(RXBUF(1, 0) + NET_HDR + 11) == 0x0a && r8(RXBUF(1, 0) + NET_HDR + 59) == (59 ^ 0x5a) &&
	     r16(USED(0, TXQ) + 2) == 1;
	result(ok, "a broadcast from bad reaches good", r16(USED(1, RXQ) + 2));

	send(0, 1, -1, 4);
	expect_broken("a frame shorter than its header refused");
	good_carries_on("good carries on");

	up(0, DESC(0, TXQ));
	rx_post(0, 0, 0x20);
	good_carries_on("good's broadcast meets bad's small buffer");
	expect_broken("a receive buffer too small refused");

	up(0, 0x30000000);
	expect_broken("a transmit ring outside RAM refused");
	good_carries_on("good carries on after that");

	up(0, DESC(0, TXQ));
	desc(0, TXQ, 0, TXBUF(0, 0), 40, VRING_DESC_F_NEXT, 1);
	desc(0, TXQ, 1, TXBUF(0, 1), 40, VRING_DESC_F_NEXT, 0);
	offer(0, TXQ, 0);
	expect_broken("a descriptor loop refused");
	good_carries_on("good carries on after the loop");

	/* More notifications than the microvisor's ring holds (256): the
	 * rest wait as faults, none is lost, and good's device is sound. */
	for (unsigned k = 0; k < 300; k++)
		wr(1, R_QUEUE_NOTIFY, TXQ);
	good_carries_on("good carries on after 300 notifications in a row");

	/* After the reset, bad's unicast to good arrives again. */
	up(0, DESC(0, TXQ));
	got = r16(USED(1, RXQ) + 2);
	send(0, 0, 1, 100);
	result(r16(USED(1, RXQ) + 2) == (uint16_t)(got + 1) && rd(0, R_STATUS) == OK_STATUS,
	       "a frame from bad reaches good after its reset", r16(USED(1, RXQ) + 2));

	puts_(failed ? "nethostile: FAILED\n" : "nethostile: all passed\n");
	psci_off();
	return 0;
}
