// SPDX-License-Identifier: MIT
/*
 * A hostile virtio driver (tests/dts/blk-hostile.dts): a bare-metal guest
 * with a virtio-mmio disk at 0x0a000000 served by the "blk" cell.  It
 * checks a good write and read, then gives the device one bad thing at a
 * time (queue sizes, rings and buffers outside its RAM or misaligned, a
 * descriptor loop, oversized lengths, an index that jumps ahead, a head
 * beyond the queue, a request without its status byte): each must leave
 * the device needing a reset (Status bit 64), and after the reset a good
 * request must work again.  A read past the disk's end is an I/O error,
 * not a broken device.  Then it powers its VM off.
 */
#include <stdint.h>

#define GUEST_NAME "blkhostile"
#include "../lib/guest.h"
#include "../lib/vdrv.h"

#define S_ACK		VIRTIO_ACKNOWLEDGE
#define S_DRIVER	VIRTIO_DRIVER
#define S_DRIVER_OK	VIRTIO_DRIVER_OK
#define S_FEATURES_OK	VIRTIO_FEATURES_OK
#define S_NEEDS_RESET	VIRTIO_NEEDS_RESET

#define F_NEXT		VRING_DESC_F_NEXT
#define F_WRITE		VRING_DESC_F_WRITE

/* Rings and buffers in the guest's RAM (16 MiB at 0x40000000). */
#define DESC		0x40400000UL
#define AVAIL		0x40401000UL
#define USED		0x40402000UL
#define HDR		0x40403000UL
#define DATA		0x40404000UL
#define STATUSB		0x40405000UL
#define NUM		8

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	vdrv_desc(DESC, i, addr, len, flags, next);
}

/* Reset the device and bring it up with one queue; the Status read back. */
static uint32_t setup(uint32_t num, uint64_t d, uint64_t a, uint64_t u)
{
	zero(DESC, 0x3000);
	vdrv_start();
	vdrv_queue(0, num, d, a, u);
	return vdrv_run();
}

static uint32_t good_setup(void)
{
	return setup(NUM, DESC, AVAIL, USED);
}

/* Make chain head 0 available (the n-th time) and notify. */
static void submit(uint16_t n)
{
	vdrv_submit(0, AVAIL, NUM, 0, n);
}

/* A three-descriptor request: header, 512 bytes of data, status. */
static void request(uint32_t type, uint64_t sector)
{
	w32(HDR, type);
	w32(HDR + 4, 0);
	w64(HDR + 8, sector);
	w8(STATUSB, 0xff);
	desc(0, HDR, 16, F_NEXT, 1);
	desc(1, DATA, 512, (uint16_t)(F_NEXT | (type == 0 ? F_WRITE : 0)), 2);
	desc(2, STATUSB, 1, F_WRITE, 0);
}

/* A good write then read of sector 5: both complete with status 0. */
static int good_io(const char *what)
{
	int ok;

	if (good_setup() != (S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK)) {
		result(0, what, rd(R_STATUS));
		return 0;
	}
	for (unsigned i = 0; i < 512; i += 8)
		w64(DATA + i, 0x0123456789abcdefULL ^ i);
	request(1, 5);
	submit(1);
	ok = r16(USED + 2) == 1 && r8(STATUSB) == 0 && (rd(R_INT_STATUS) & 1);
	wr(R_INT_ACK, rd(R_INT_STATUS));
	zero(DATA, 512);
	request(0, 5);
	submit(2);
	ok = ok && r16(USED + 2) == 2 && r8(STATUSB) == 0 && rd(R_INT_STATUS) == 1;
	ok = ok && *(volatile uint32_t *)(USED + 4 + 8 + 4) == 513;	/* used len: data + status */
	for (unsigned i = 0; i < 512 && ok; i += 8)
		ok = *(volatile uint64_t *)(DATA + i) == (0x0123456789abcdefULL ^ i);
	wr(R_INT_ACK, 1);
	ok = ok && rd(R_INT_STATUS) == 0;
	result(ok, what, r16(USED + 2));
	return ok;
}

static void expect_broken(const char *what)
{
	uint32_t s = rd(R_STATUS);

	result((s & S_NEEDS_RESET) != 0, what, s);
}

int main(void)
{
	uint64_t cap;

	puts_("blkhostile: start\n");
	cap = rd(R_CONFIG) | (uint64_t)rd(R_CONFIG + 4) << 32;
	result(rd(R_MAGIC) == 0x74726976 && rd(R_VERSION) == 2 && rd(R_DEVICE_ID) == 2,
	       "virtio-mmio version 2, a block device", rd(R_DEVICE_ID));
	wr(R_DEV_FEAT_SEL, 1);
	result(rd(R_DEV_FEAT) & 1, "offers VIRTIO_F_VERSION_1", rd(R_DEV_FEAT));
	result(rd(R_QUEUE_NUM_MAX) == 128, "queue size at most 128", rd(R_QUEUE_NUM_MAX));
	result(cap == 2048, "capacity 2048 sectors", cap);
	good_io("good write and read");

	/* Features without VERSION_1 (legacy): FEATURES_OK does not stick. */
	wr(R_STATUS, 0);
	wr(R_STATUS, S_ACK | S_DRIVER);
	wr(R_DRV_FEAT_SEL, 1);
	wr(R_DRV_FEAT, 0);
	wr(R_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	result(!(rd(R_STATUS) & S_FEATURES_OK), "no VERSION_1: FEATURES_OK refused", rd(R_STATUS));

	setup(3, DESC, AVAIL, USED);
	expect_broken("queue size 3 refused");
	setup(256, DESC, AVAIL, USED);
	expect_broken("queue size 256 refused");
	setup(NUM, 0x30000000, AVAIL, USED);
	expect_broken("descriptor table outside RAM refused");
	setup(NUM, DESC, AVAIL, 0x40fffff0);
	expect_broken("used ring across the end of RAM refused");
	setup(NUM, DESC + 8, AVAIL, USED);
	expect_broken("misaligned descriptor table refused");
	good_io("good request after the reset");

	good_setup();
	desc(0, HDR, 16, F_NEXT, 1);
	desc(1, DATA, 512, F_NEXT, 0);
	submit(1);
	expect_broken("descriptor loop refused");

	good_setup();
	request(1, 0);
	desc(1, 0x80000000, 512, F_NEXT, 2);
	submit(1);
	expect_broken("buffer outside RAM refused");

	good_setup();
	request(1, 0);
	desc(1, 0x40500000, 0x00800000, F_NEXT, 2);	/* in RAM, 8 MiB */
	submit(1);
	expect_broken("oversized buffer refused");

	good_setup();
	request(1, 0);
	desc(1, DATA, 512, F_NEXT, 9);
	submit(1);
	expect_broken("next beyond the queue refused");

	good_setup();
	request(1, 0);
	w16(AVAIL + 2, 200);
	wr(R_QUEUE_NOTIFY, 0);
	expect_broken("available index jumping ahead refused");

	good_setup();
	request(1, 0);
	w16(AVAIL + 4, 9);
	w16(AVAIL + 2, 1);
	wr(R_QUEUE_NOTIFY, 0);
	expect_broken("head beyond the queue refused");

	good_setup();
	desc(0, HDR, 16, 0, 0);
	submit(1);
	expect_broken("request without a status byte refused");

	/* A read past the end: an I/O error for that request only. */
	good_setup();
	request(0, 2048);
	submit(1);
	result(r16(USED + 2) == 1 && r8(STATUSB) == 1 && !(rd(R_STATUS) & S_NEEDS_RESET),
	       "read past the disk's end: I/O error", r8(STATUSB));

	good_io("good request after all that");
	puts_(failed ? "blkhostile: FAILED\n" : "blkhostile: all passed\n");
	psci_off();
	return 0;
}
