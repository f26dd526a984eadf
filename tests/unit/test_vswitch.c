// SPDX-License-Identifier: MIT
/*
 * The virtual switch cell (guests/cells/vswitch/vswitch.c) on the host,
 * with two ports: its bootargs, the devices it offers, frames forwarded
 * (broadcast, learnt unicast, flooding of unknown addresses), and that a
 * guest handing it a bad frame or a too small buffer gets one log line
 * and DEVICE_NEEDS_RESET while the other port carries on.  The hypercalls
 * are faked; each VM's RAM is a buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cell_log.h"

#define main vswitch_main
#include "../../guests/cells/vswitch/vswitch.c"
#undef main

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x100000ULL
#define QNUM		8
#define DESC(q)		(RAM_BASE + 0x1000 + 0x3000 * (q))
#define AVAIL(q)	(DESC(q) + 0x1000)
#define USED(q)		(DESC(q) + 0x2000)
#define BUF		(RAM_BASE + 0x10000)

static _Alignas(4096) uint8_t ram[2][RAM_SIZE];
static int irq_level[2];
static uint16_t avail_idx[2][2];

uint64_t mv_boot_dt;

/* ---- the cell's environment ---- */

void mv_hypercall(uint64_t x[8])
{
	unsigned vm = x[1] == 3 || x[1] == 4;	/* the port: its window's slot or its space's */

	switch (x[0]) {
	case MV_HC_SPACE_INFO:
		assert_true(x[1] == 2 || x[1] == 4);
		fake_space_info(x, RAM_BASE, RAM_SIZE, ram[vm], 0);
		break;
	case MV_HC_WINDOW_ATTACH:
		fake_window_attach(x);
		break;
	case MV_HC_WINDOW_IRQ:
		assert_true(x[1] == 1 || x[1] == 3);
		assert_true(x[2] <= MV_WINDOW_LINE_FOLLOW);
		irq_level[vm] = x[2] == MV_WINDOW_LINE_FOLLOW ? fake_window_line(x) : (int)x[2];
		x[0] = MV_OK;
		break;
	default:
		fail_msg("unexpected hypercall 0x%llx", (unsigned long long)x[0]);
	}
}

void mv_wait(void)
{
}

/* ---- a driver for port v ---- */

static uint64_t mmio(unsigned v, unsigned kind, uint64_t off, unsigned size, uint64_t value)
{
	struct mv_fault f = { .kind = kind, .size = size, .addr = off, .value = value };

	return vmmio_access(&ports[v].dev, &f);
}

static uint32_t rd(unsigned v, uint64_t off)
{
	return (uint32_t)mmio(v, MV_FAULT_READ, off, 4, 0);
}

static void wr(unsigned v, uint64_t off, uint32_t val)
{
	mmio(v, MV_FAULT_WRITE, off, 4, val);
}

static uint8_t *at(unsigned v, uint64_t gpa)
{
	return ram[v] + (gpa - RAM_BASE);
}

static void put16(unsigned v, uint64_t gpa, uint16_t x) { memcpy(at(v, gpa), &x, 2); }
static void put32(unsigned v, uint64_t gpa, uint32_t x) { memcpy(at(v, gpa), &x, 4); }
static void put64(unsigned v, uint64_t gpa, uint64_t x) { memcpy(at(v, gpa), &x, 8); }
static uint16_t get16(unsigned v, uint64_t gpa) { uint16_t x; memcpy(&x, at(v, gpa), 2); return x; }
static uint32_t get32(unsigned v, uint64_t gpa) { uint32_t x; memcpy(&x, at(v, gpa), 4); return x; }

/* Bring port v's device up as Linux does: both queues, VERSION_1 and
 * the features lo (the low word). */
static void bring_up_with(unsigned v, uint32_t lo)
{
	wr(v, R_STATUS, 0);
	wr(v, R_STATUS, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER);
	wr(v, R_DRV_FEAT_SEL, 1);
	wr(v, R_DRV_FEAT, 1);
	wr(v, R_DRV_FEAT_SEL, 0);
	wr(v, R_DRV_FEAT, lo);
	wr(v, R_STATUS, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK);
	assert_true(rd(v, R_STATUS) & VIRTIO_FEATURES_OK);
	for (unsigned q = 0; q < 2; q++) {
		wr(v, R_QUEUE_SEL, q);
		assert_int_equal(rd(v, R_QUEUE_NUM_MAX), VQ_MAX);
		wr(v, R_QUEUE_NUM, QNUM);
		wr(v, R_DESC_LO, (uint32_t)DESC(q));
		wr(v, R_DRIVER_LO, (uint32_t)AVAIL(q));
		wr(v, R_DEVICE_LO, (uint32_t)USED(q));
		wr(v, R_QUEUE_READY, 1);
		assert_int_equal(rd(v, R_QUEUE_READY), 1);
	}
	wr(v, R_STATUS, rd(v, R_STATUS) | VIRTIO_DRIVER_OK);
}

/* ... with the MAC only. */
static void bring_up(unsigned v)
{
	bring_up_with(v, 1U << 5);
}

/* Make descriptor i of queue q of port v one buffer and offer it. */
static void offer(unsigned v, unsigned q, unsigned i, uint64_t addr, uint32_t len, bool write)
{
	uint64_t d = DESC(q) + 16 * i;

	put64(v, d, addr);
	put32(v, d + 8, len);
	put16(v, d + 12, write ? VRING_DESC_F_WRITE : 0);
	put16(v, d + 14, 0);
	put16(v, AVAIL(q) + 4 + 2 * (avail_idx[v][q] % QNUM), (uint16_t)i);
	put16(v, AVAIL(q) + 2, ++avail_idx[v][q]);
}

/* Port v sends a frame of len bytes to dst (from src), header first. */
static void send(unsigned v, const uint8_t dst[6], const uint8_t src[6], uint32_t len, uint8_t fill)
{
	uint64_t b = BUF + 0x8000 + 0x800 * (avail_idx[v][TXQ] % QNUM);
	uint8_t *p = at(v, b);

	memset(p, 0, 12);
	memset(p + 12, fill, len);
	if (len >= 12) {
		memcpy(p + 12, dst, 6);
		memcpy(p + 18, src, 6);
	}
	offer(v, TXQ, avail_idx[v][TXQ] % QNUM, b, 12 + len, false);
	wr(v, R_QUEUE_NOTIFY, TXQ);
}

static const uint8_t mac_a[6] = { 0x52, 0x54, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x52, 0x54, 0, 0, 0, 0x0b };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t other[6] = { 0x52, 0x54, 0, 0, 0, 0x77 };

static int set_up(void **state)
{
	(void)state;
	memset(ram, 0, sizeof(ram));
	memset(logbuf, 0, sizeof(logbuf));
	memset(avail_idx, 0, sizeof(avail_idx));
	memset(ports, 0, sizeof(ports));
	memset(table, 0, sizeof(table));
	nports = 0;
	table_next = 0;
	irq_level[0] = irq_level[1] = -1;
	assert_int_equal(ports_init("vswitch.port=a,52:54:00:00:00:0a vswitch.port=b,52:54:00:00:00:0B"), 0);
	assert_non_null(strstr(logbuf, "port 1: virtio-net for b, MAC 52:54:00:00:00:0b; its RAM 0x40000000-0x400fffff"));
	memset(logbuf, 0, sizeof(logbuf));
	bring_up(0);
	bring_up(1);
	return 0;
}

/* ---- tests ---- */

static void test_device(void **state)
{
	(void)state;
	assert_int_equal(rd(0, R_DEVICE_ID), 1);
	wr(0, R_DEV_FEAT_SEL, 0);
	assert_int_equal(rd(0, R_DEV_FEAT), 1U << 5);
	wr(0, R_DEV_FEAT_SEL, 1);
	assert_int_equal(rd(0, R_DEV_FEAT), 1);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(mmio(1, MV_FAULT_READ, R_CONFIG + i, 1, 0), mac_b[i]);
	wr(0, R_QUEUE_SEL, 2);
	assert_int_equal(rd(0, R_QUEUE_NUM_MAX), 0);
	assert_string_equal(logbuf, "");
}

static void test_broadcast_and_learning(void **state)
{
	uint8_t *f;

	(void)state;
	/* b has two receive buffers; a broadcasts (ARP) 60 bytes. */
	offer(1, RXQ, 0, BUF, 1530, true);
	offer(1, RXQ, 1, BUF + 0x800, 1530, true);
	send(0, bcast, mac_a, 60, 0xa5);
	assert_int_equal(get16(0, USED(TXQ) + 2), 1);		/* a's frame taken */
	assert_int_equal(get16(1, USED(RXQ) + 2), 1);		/* b got it */
	assert_int_equal(get32(1, USED(RXQ) + 4), 0);		/* in descriptor 0 */
	assert_int_equal(get32(1, USED(RXQ) + 8), 12 + 60);
	f = at(1, BUF);
	assert_int_equal(f[10], 1);				/* num_buffers */
	assert_memory_equal(f + 12, bcast, 6);
	assert_memory_equal(f + 18, mac_a, 6);
	assert_int_equal(f[12 + 59], 0xa5);
	assert_int_equal(irq_level[1], 1);
	assert_int_equal(rd(1, R_INT_STATUS), VIRTIO_INT_USED);

	/* To its own MAC, which the switch knows: b only; to an unknown
	 * address: flooded (b, the only other port). */
	send(0, mac_b, mac_a, 100, 1);
	assert_int_equal(get16(1, USED(RXQ) + 2), 2);
	send(0, other, mac_a, 100, 2);
	assert_int_equal(get16(1, USED(RXQ) + 2), 2);		/* no buffer left: held */
	assert_int_equal(ports[1].hold_count, 1);
	assert_int_equal(ports[1].dropped, 0);
	offer(1, RXQ, 2, BUF + 0x1000, 1530, true);
	wr(1, R_QUEUE_NOTIFY, RXQ);				/* a buffer: the held frame */
	assert_int_equal(get16(1, USED(RXQ) + 2), 3);
	assert_int_equal(get32(1, USED(RXQ) + 4 + 8 * 2), 2);
	assert_int_equal(at(1, BUF + 0x1000)[12 + 99], 2);
	assert_int_equal(ports[1].hold_count, 0);
	/* With the holding queue full, a frame is dropped. */
	for (unsigned i = 0; i <= HOLD; i++)
		send(0, mac_b, mac_a, 60, 7);
	assert_int_equal(ports[1].hold_count, HOLD);
	assert_int_equal(ports[1].dropped, 1);
	ports[1].hold_count = 0;
	/* b learns nothing it did not send: a frame from "other" at b, then
	 * one to "other" from a goes to b only, not back to a. */
	offer(0, RXQ, 0, BUF, 1530, true);
	send(1, mac_a, other, 80, 3);
	assert_int_equal(get16(0, USED(RXQ) + 2), 1);
	assert_int_equal(lookup(other), 1);
	send(0, mac_a, mac_a, 80, 4);				/* to its own sender: nowhere */
	assert_int_equal(get16(0, USED(RXQ) + 2), 1);
	/* b sending from a's MAC does not take a's frames. */
	offer(0, RXQ, 1, BUF + 0x800, 1530, true);
	send(1, other, mac_a, 80, 5);
	assert_int_equal(lookup(mac_a), 0);
	for (unsigned i = 0; i < 2 * LEARNED; i++) {	/* the table overflows */
		uint8_t m[6] = { 0x52, 0x54, 1, 0, 0, (uint8_t)i };

		learn(m, 1, false);
	}
	assert_int_equal(lookup(mac_a), 0);
	assert_int_equal(lookup(mac_b), 1);
	send(1, mac_a, mac_b, 80, 6);
	assert_int_equal(get16(0, USED(RXQ) + 2), 2);
	assert_int_equal(ports[0].sent, 4 + HOLD + 1);
	assert_int_equal(ports[1].sent, 3);
	assert_string_equal(logbuf, "");
}

static void test_bad_frame(void **state)
{
	(void)state;
	offer(1, RXQ, 0, BUF, 1530, true);
	send(0, bcast, mac_a, 8, 0);				/* shorter than a header */
	assert_string_equal(logbuf, "error: a: queue 1: frame at descriptor 0 is 0x14 bytes with its header (12 + 14 to 1518); device needs reset\n");
	assert_true(rd(0, R_STATUS) & VIRTIO_NEEDS_RESET);
	assert_int_equal(get16(1, USED(RXQ) + 2), 0);
	/* b carries on; a frame for a, which needs a reset, is dropped. */
	offer(1, RXQ, 1, BUF + 0x800, 1530, true);
	send(1, bcast, mac_b, 1518, 9);				/* the largest */
	assert_int_equal(get16(1, USED(TXQ) + 2), 1);
	assert_int_equal(ports[0].dropped, 1);
	assert_false(rd(1, R_STATUS) & VIRTIO_NEEDS_RESET);
	send(1, bcast, mac_b, 1519, 9);				/* one too many */
	assert_non_null(strstr(logbuf, "error: b: queue 1: frame at descriptor 1 is 0x5fb bytes"));
	/* After the driver's reset, a works again. */
	memset(logbuf, 0, sizeof(logbuf));
	memset(avail_idx[0], 0, sizeof(avail_idx[0]));
	memset(ram[0], 0, RAM_SIZE);
	bring_up(0);
	memset(avail_idx[1], 0, sizeof(avail_idx[1]));
	memset(ram[1], 0, RAM_SIZE);
	bring_up(1);
	offer(1, RXQ, 0, BUF, 1530, true);
	send(0, mac_b, mac_a, 60, 7);
	assert_int_equal(get16(1, USED(RXQ) + 2), 1);
	assert_string_equal(logbuf, "");
}

static void test_small_buffer(void **state)
{
	(void)state;
	offer(1, RXQ, 0, BUF, 0x20, true);
	send(0, mac_b, mac_a, 60, 0);
	assert_string_equal(logbuf, "error: b: queue 0: receive buffer at descriptor 0 holds 0x20 bytes, too few for a frame; device needs reset\n");
	assert_true(rd(1, R_STATUS) & VIRTIO_NEEDS_RESET);
	assert_false(rd(0, R_STATUS) & VIRTIO_NEEDS_RESET);	/* the sender is fine */
	assert_int_equal(get16(0, USED(TXQ) + 2), 1);
}

/* The transport's checks hold for each port alone: b's transmit ring
 * outside its RAM is refused, a's device carries on. */
static void test_bad_ring(void **state)
{
	(void)state;
	wr(1, R_STATUS, 0);
	wr(1, R_STATUS, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER);
	wr(1, R_QUEUE_SEL, TXQ);
	wr(1, R_QUEUE_NUM, QNUM);
	wr(1, R_DESC_LO, 0x30000000);
	wr(1, R_QUEUE_READY, 1);
	assert_string_equal(logbuf, "error: b: queue 1: descriptor table 0x30000000 (0x80 bytes) is outside the guest's RAM; device needs reset\n");
	assert_true(rd(1, R_STATUS) & VIRTIO_NEEDS_RESET);
	send(0, bcast, mac_a, 60, 0);
	assert_int_equal(get16(0, USED(TXQ) + 2), 1);
	assert_int_equal(ports[1].dropped, 1);
	assert_false(rd(0, R_STATUS) & VIRTIO_NEEDS_RESET);
}

static void test_bootargs(void **state)
{
	static const char *const bad[] = {
		"vswitch.port=a",
		"vswitch.port=a,52:54:00:00:00",
		"vswitch.port=a,52:54:00:00:00:0g",
		"vswitch.port=a,52:54:00:00:00:0a0",
		"vswitch.port=a,53:54:00:00:00:0a",
		"vswitch.port=,52:54:00:00:00:0a",
		"console=x",
		"vswitch.port=a,52:54:00:00:00:01 vswitch.port=b,52:54:00:00:00:02 "
		"vswitch.port=c,52:54:00:00:00:03 vswitch.port=d,52:54:00:00:00:04 "
		"vswitch.port=e,52:54:00:00:00:05",
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(logbuf, 0, sizeof(logbuf));
		memset(ports, 0, sizeof(ports));
		nports = 0;
		assert_int_equal(ports_init(bad[i]), -1);
		assert_non_null(strstr(logbuf, "error: bootargs: "));
		assert_non_null(strchr(logbuf, '\n'));
		assert_ptr_equal(strchr(logbuf, '\n') + 1, logbuf + strlen(logbuf));	/* one line */
	}
	memset(logbuf, 0, sizeof(logbuf));
	memset(ports, 0, sizeof(ports));
	nports = 0;
	assert_int_equal(ports_init("vswitch.port=a,52:54:00:00:00:0g"), -1);
	assert_string_equal(logbuf, "error: bootargs: vswitch.port=a,52:54:00:00:00:0g: want vswitch.port=VM,MAC (six hex pairs, a unicast address)\n");
}


/* ---- offloads (vswitch.offload=) ---- */

#define TSO_FEATURES	((uint32_t)(VIRTIO_NET_F_MAC | OFFLOAD_TSO))
#define BIG		(BUF + 0x20000)	/* a's transmit buffer for large frames */

/* Both ports up again with vswitch.offload=tso, a with features fa, b
 * with fb. */
static void offload_set_up(uint32_t fa, uint32_t fb)
{
	memset(ports, 0, sizeof(ports));
	memset(table, 0, sizeof(table));
	nports = 0;
	assert_int_equal(ports_init("vswitch.offload=tso vswitch.port=a,52:54:00:00:00:0a vswitch.port=b,52:54:00:00:00:0b"), 0);
	memset(logbuf, 0, sizeof(logbuf));
	bring_up_with(0, fa);
	bring_up_with(1, fb);
}

/* a sends len bytes of frame to b behind the header h (10 bytes; the
 * payload byte i is (uint8_t)i). */
static void send_hdr(const uint8_t h[10], uint32_t len)
{
	uint8_t *p = at(0, BIG);

	memset(p, 0, 12);
	memcpy(p, h, 10);
	for (uint32_t i = 0; i < len; i++)
		p[12 + i] = (uint8_t)i;
	memcpy(p + 12, mac_b, 6);
	memcpy(p + 18, mac_a, 6);
	offer(0, TXQ, avail_idx[0][TXQ] % QNUM, BIG, 12 + len, false);
	wr(0, R_QUEUE_NOTIFY, TXQ);
}

static void test_offload_features(void **state)
{
	(void)state;
	offload_set_up(TSO_FEATURES, TSO_FEATURES);
	wr(0, R_DEV_FEAT_SEL, 0);
	assert_int_equal(rd(0, R_DEV_FEAT), TSO_FEATURES);
	assert_int_equal(ports[1].dev.driver_features, VIRTIO_F_VERSION_1 | TSO_FEATURES);
	memset(ports, 0, sizeof(ports));
	nports = 0;
	assert_int_equal(ports_init("vswitch.offload=fast vswitch.port=a,52:54:00:00:00:0a"), -1);
	assert_non_null(strstr(logbuf, "error: bootargs: vswitch.offload= wants none, csum or tso\n"));
	offered = VIRTIO_NET_F_MAC;
}

/* A TCP segment to split (GSO) with a partial checksum, 2000 bytes: to
 * b over receive buffers of 0x400 bytes, its header as a wrote it,
 * num_buffers 2, all published at once; with one buffer too few it
 * waits, the buffer taken again once there are enough. */
static void test_gso_merged(void **state)
{
	static const uint8_t h[10] = { 1, 1, 54, 0, 0xa8, 0x05, 34, 0, 16, 0 };
	uint8_t *f;

	(void)state;
	offload_set_up(TSO_FEATURES, TSO_FEATURES);
	offer(1, RXQ, 0, BUF, 0x400, true);
	send_hdr(h, 2000);
	assert_int_equal(get16(0, USED(TXQ) + 2), 1);
	assert_int_equal(get16(1, USED(RXQ) + 2), 0);		/* one buffer: held */
	assert_int_equal(ports[1].hold_count, 1);
	offer(1, RXQ, 1, BUF + 0x400, 0x400, true);
	offer(1, RXQ, 2, BUF + 0x800, 0x400, true);
	wr(1, R_QUEUE_NOTIFY, RXQ);
	assert_int_equal(ports[1].hold_count, 0);
	assert_int_equal(get16(1, USED(RXQ) + 2), 2);
	assert_int_equal(get32(1, USED(RXQ) + 4), 0);
	assert_int_equal(get32(1, USED(RXQ) + 8), 0x400);
	assert_int_equal(get32(1, USED(RXQ) + 12), 1);
	assert_int_equal(get32(1, USED(RXQ) + 16), 12 + 2000 - 0x400);
	f = at(1, BUF);
	assert_memory_equal(f, h, 10);
	assert_int_equal(f[10], 2);				/* num_buffers */
	assert_int_equal(f[11], 0);
	assert_memory_equal(f + 12, mac_b, 6);
	for (uint32_t i = 12; i < 2000; i++)
		assert_int_equal(f[12 + i], (uint8_t)i);	/* across the two */
	assert_int_equal(ports[1].received, 1);
	assert_string_equal(logbuf, "");
}

static uint16_t csum16(const uint8_t *p, uint32_t n)
{
	uint32_t s = 0;

	for (uint32_t i = 0; i < n; i++)
		s += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* b takes no partial checksums and no GSO: a's partial checksum is
 * completed for it; a GSO frame is dropped (counted, one line). */
static void test_offload_to_plain_port(void **state)
{
	static const uint8_t partial[10] = { 1, 0, 0, 0, 0, 0, 34, 0, 16, 0 };
	static const uint8_t gso[10] = { 1, 4, 74, 0, 0x90, 0x05, 54, 0, 16, 0 };
	uint8_t *f;

	(void)state;
	offload_set_up(TSO_FEATURES, 1U << 5);
	offer(1, RXQ, 0, BUF, 1530, true);
	send_hdr(partial, 1000);
	assert_int_equal(get16(1, USED(RXQ) + 2), 1);
	f = at(1, BUF);
	assert_int_equal(f[0], 0);				/* flags: complete */
	/* The field held the pseudo-header's sum (here bytes 50, 51 of the
	 * frame): with it, the whole sums to 0xffff. */
	assert_int_equal(csum16(f + 12 + 34, 1000 - 34) + 0x3233, 0xffff);
	send_hdr(gso, 3000);
	assert_int_equal(get16(1, USED(RXQ) + 2), 1);
	assert_int_equal(ports[1].unsegmented, 1);
	assert_int_equal(ports[1].dropped, 1);
	send_hdr(gso, 3000);
	assert_int_equal(ports[1].unsegmented, 2);
	assert_string_equal(logbuf, "b: its driver takes no TCP segments to split (GUEST_TSO): GSO frames for it are dropped\n");
}

/* Headers a driver must not send: refused with one line naming the VM
 * and the queue, and DEVICE_NEEDS_RESET. */
static void test_bad_headers(void **state)
{
	static const struct {
		uint8_t h[10];
		uint32_t len;
		uint32_t features;
		const char *log;
	} bad[] = {
		{ { 1, 1, 54, 0, 0, 0, 34, 0, 16, 0 }, 3000, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: gso_type 0x1 with gso_size 0; device needs reset\n" },
		{ { 1, 0, 0, 0, 0, 0, 0xd0, 0x07, 16, 0 }, 1000, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: checksum field at 0x7e0 (csum_start + csum_offset) is beyond the frame; device needs reset\n" },
		{ { 1, 0, 0, 0, 0, 0, 34, 0, 0xff, 0xff }, 1000, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: checksum field at 0x10021 (csum_start + csum_offset) is beyond the frame; device needs reset\n" },
		{ { 4, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 100, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: header flags 0x4 (only NEEDS_CSUM is for a transmitted frame); device needs reset\n" },
		{ { 1, 0, 0, 0, 0, 0, 34, 0, 16, 0 }, 100, 1U << 5,
		  "error: a: queue 1: frame at descriptor 0: header flags 0x1: a partial checksum without VIRTIO_NET_F_CSUM; device needs reset\n" },
		{ { 1, 3, 42, 0, 0xa8, 0x05, 34, 0, 6, 0 }, 3000, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: gso_type 0x3 not negotiated; device needs reset\n" },
		{ { 1, 0x81, 54, 0, 0xa8, 0x05, 34, 0, 16, 0 }, 3000, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: gso_type 0x81 not negotiated; device needs reset\n" },
		{ { 1, 4, 74, 0, 0x90, 0x05, 54, 0, 16, 0 }, 3000, TSO_FEATURES & ~(uint32_t)VIRTIO_NET_F_HOST_TSO6,
		  "error: a: queue 1: frame at descriptor 0: gso_type 0x4 not negotiated; device needs reset\n" },
		{ { 0, 1, 54, 0, 0xa8, 0x05, 0, 0, 0, 0 }, 3000, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: gso_type 0x1 without NEEDS_CSUM; device needs reset\n" },
		{ { 1, 1, 0xff, 0x0f, 0xa8, 0x05, 34, 0, 16, 0 }, 3000, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: hdr_len 0xfff is beyond the frame; device needs reset\n" },
		{ { 1, 0, 0, 0, 0, 0, 34, 0, 16, 0 }, 3000, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0: 0xbb8 bytes without GSO (14 to 1518); device needs reset\n" },
		{ { 1, 1, 54, 0, 0xa8, 0x05, 34, 0, 16, 0 }, 65551, TSO_FEATURES,
		  "error: a: queue 1: frame at descriptor 0 is 0x1001b bytes with its header (12 + 14 to 65550); device needs reset\n" },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(avail_idx, 0, sizeof(avail_idx));
		memset(ram, 0, sizeof(ram));
		offload_set_up(bad[i].features, TSO_FEATURES);
		offer(1, RXQ, 0, BUF, 0x8000, true);
		send_hdr(bad[i].h, bad[i].len);
		assert_string_equal(logbuf, bad[i].log);
		assert_true(rd(0, R_STATUS) & VIRTIO_NEEDS_RESET);
		assert_int_equal(get16(1, USED(RXQ) + 2), 0);
		assert_false(rd(1, R_STATUS) & VIRTIO_NEEDS_RESET);
	}
	offered = VIRTIO_NET_F_MAC;
}

/* Held frames are held by bytes: as many 64 KiB frames as HOLD_BYTES
 * has room for, then dropped; the ring of bytes wraps. */
static void test_hold_bytes(void **state)
{
	static const uint8_t h[10] = { 1, 1, 54, 0, 0xa8, 0x05, 34, 0, 16, 0 };
	unsigned fit = HOLD_BYTES / ((12 + 60000 + 7) & ~7U);

	(void)state;
	offload_set_up(TSO_FEATURES, TSO_FEATURES);
	for (unsigned i = 0; i <= fit; i++)
		send_hdr(h, 60000);
	assert_int_equal(ports[1].hold_count, fit);
	assert_int_equal(ports[1].dropped, 1);
	/* Room for one again: b takes the first (one 64 KiB buffer). */
	offer(1, RXQ, 0, BUF + 0x30000, 0x10000, true);
	wr(1, R_QUEUE_NOTIFY, RXQ);
	assert_int_equal(ports[1].hold_count, fit - 1);
	send_hdr(h, 60000);
	assert_int_equal(ports[1].hold_count, fit);		/* behind, wrapped */
	assert_int_equal(ports[1].hold_off[(ports[1].hold_head + fit - 1) % HOLD], 0);
	send_hdr(h, 60000);
	assert_int_equal(ports[1].dropped, 2);
	offered = VIRTIO_NET_F_MAC;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_device, set_up),
		cmocka_unit_test_setup(test_broadcast_and_learning, set_up),
		cmocka_unit_test_setup(test_bad_frame, set_up),
		cmocka_unit_test_setup(test_small_buffer, set_up),
		cmocka_unit_test_setup(test_bad_ring, set_up),
		cmocka_unit_test(test_bootargs),
		cmocka_unit_test_setup(test_offload_features, set_up),
		cmocka_unit_test_setup(test_gso_merged, set_up),
		cmocka_unit_test_setup(test_offload_to_plain_port, set_up),
		cmocka_unit_test_setup(test_bad_headers, set_up),
		cmocka_unit_test_setup(test_hold_bytes, set_up),
	};

	return cmocka_run_group_tests_name("vswitch", tests, NULL, NULL);
}
