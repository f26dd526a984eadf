// SPDX-License-Identifier: MIT
/*
 * A hostile virtio-console driver (tests/dts/hvc-hostile.dts): a
 * bare-metal guest with a virtio-mmio console at 0x0a000000 served by the
 * console cell.  It writes a line through its transmit queue, then gives
 * the device bad things (a descriptor loop, a buffer outside its RAM, a
 * ring outside its RAM): each must leave the device needing a reset
 * (Status bit 64) while its PL011, which the same cell serves, keeps
 * printing these lines; after a reset it writes a line again.  Then it
 * powers its VM off.
 */
#include <stdint.h>

#define GUEST_NAME "hvchostile"
#include "../lib/guest.h"
#include "../lib/vdrv.h"

/* Queue q's rings and a buffer in the guest's RAM (16 MiB at 0x40000000). */
#define DESC(q)		(0x40400000UL + 0x4000 * (q))
#define AVAIL(q)	(DESC(q) + 0x1000)
#define USED(q)		(DESC(q) + 0x2000)
#define TEXT		0x40410000UL
#define NUM		8
#define RX		0
#define TX		1

static uint16_t sent;	/* transmit chains made available since the reset */

/* Reset and bring up both queues (receiveq0, transmitq0); the Status. */
static uint32_t bring_up(uint64_t tx_desc)
{
	zero(DESC(RX), 0x8000);
	sent = 0;
	vdrv_start();
	vdrv_queue(RX, NUM, DESC(RX), AVAIL(RX), USED(RX));
	vdrv_queue(TX, NUM, tx_desc, AVAIL(TX), USED(TX));
	return vdrv_run();
}

/* Send the chain from descriptor 0 of the transmit queue. */
static void send(void)
{
	vdrv_submit(TX, AVAIL(TX), NUM, 0, ++sent);
}

/* s through the transmit queue, in one descriptor: 1 if it was used. */
static int write_line(const char *s)
{
	uint32_t n = 0;

	for (; s[n]; n++)
		w8(TEXT + n, (uint8_t)s[n]);
	vdrv_desc(DESC(TX), 0, TEXT, n, 0, 0);
	send();
	return r16(USED(TX) + 2) == sent && !(rd(R_STATUS) & VIRTIO_NEEDS_RESET);
}

static void expect_broken(const char *what)
{
	uint32_t s = rd(R_STATUS);

	result((s & VIRTIO_NEEDS_RESET) != 0, what, s);
}

int main(void)
{
	const uint32_t running = VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK | VIRTIO_DRIVER_OK;

	puts_("hvchostile: start\n");
	result(rd(R_MAGIC) == 0x74726976 && rd(R_VERSION) == 2 && rd(R_DEVICE_ID) == 3,
	       "virtio-mmio version 2, a console", rd(R_DEVICE_ID));
	result(bring_up(DESC(TX)) == running, "driver running", rd(R_STATUS));
	result(write_line("hvchostile: a line on hvc0\n"), "line written", r16(USED(TX) + 2));

	bring_up(DESC(TX));
	vdrv_desc(DESC(TX), 0, TEXT, 4, VRING_DESC_F_NEXT, 1);
	vdrv_desc(DESC(TX), 1, TEXT, 4, VRING_DESC_F_NEXT, 0);
	send();
	expect_broken("descriptor loop refused");

	bring_up(DESC(TX));
	vdrv_desc(DESC(TX), 0, 0x80000000UL, 4, 0, 0);
	send();
	expect_broken("buffer outside RAM refused");

	bring_up(0x30000000UL);
	expect_broken("transmit ring outside RAM refused");

	result(bring_up(DESC(TX)) == running, "driver running after the reset", rd(R_STATUS));
	result(write_line("hvchostile: a line after the resets\n"), "line written after the resets",
	       r16(USED(TX) + 2));
	puts_(failed ? "hvchostile: FAILED\n" : "hvchostile: all passed\n");
	psci_off();
	return 0;
}
