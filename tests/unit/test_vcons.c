// SPDX-License-Identifier: MIT
/*
 * The console cell's virtio-console device (guests/cells/console/vcons.c)
 * on the host, over the real transport: what it offers, what the guest
 * writes to its transmitq reaching the cell in order, typed bytes going
 * into the receive buffers (no more than a buffer holds, nothing without
 * one), a readable receive buffer refused with its one line, and a
 * restart of the VM resetting the device.  The hypercalls it makes are
 * faked; the guest's RAM is a buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cell_log.h"

#include "vcons.c"

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x100000ULL
#define RING(q)		(RAM_BASE + 0x1000 + 0x3000 * (q))	/* descriptors; +0x1000 avail; +0x2000 used */
#define BUF		(RAM_BASE + 0x10000)
#define NUM		8

static _Alignas(4096) uint8_t ram[RAM_SIZE];
static uint64_t restarts;
static struct vcons con;
static char sent[256];		/* what the cell got from transmitq */
static unsigned nsent, ends, rx_ready_calls;
static uint16_t avail_idx[2];

void mv_hypercall(uint64_t x[8])
{
	switch (x[0]) {
	case MV_HC_SPACE_INFO:
		fake_space_info(x, RAM_BASE, RAM_SIZE, ram, restarts);
		break;
	case MV_HC_WINDOW_ATTACH:
		fake_window_attach(x);
		break;
	case MV_HC_WINDOW_IRQ:
		if (x[2] == MV_WINDOW_LINE_FOLLOW)
			fake_window_line(x);
		x[0] = MV_OK;
		break;
	default:
		fail_msg("unexpected hypercall 0x%llx", (unsigned long long)x[0]);
	}
}

static void tx(void *ctx, const char *s, unsigned n, bool end)
{
	assert_ptr_equal(ctx, &con);
	if (n)
		memcpy(sent + nsent, s, n);
	nsent += n;
	ends += end;
}

static void rx_ready(void *ctx)
{
	assert_ptr_equal(ctx, &con);
	rx_ready_calls++;
}

static uint32_t reg(uint64_t off, bool write, uint32_t v)
{
	struct mv_fault f = { .kind = write ? MV_FAULT_WRITE : MV_FAULT_READ, .size = 4, .addr = off, .value = v };

	return (uint32_t)vmmio_access(&con.dev, &f);
}

static uint8_t *at(uint64_t gpa)
{
	return ram + (gpa - RAM_BASE);
}

static void desc(unsigned q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *e = at(RING(q) + 16 * i);

	memcpy(e, &addr, 8);
	memcpy(e + 8, &len, 4);
	memcpy(e + 12, &flags, 2);
	memcpy(e + 14, &next, 2);
}

/* Offer chain head on queue q (notifying it). */
static void submit(unsigned q, uint16_t head)
{
	memcpy(at(RING(q) + 0x1000 + 4 + 2 * (avail_idx[q] % NUM)), &head, 2);
	avail_idx[q]++;
	memcpy(at(RING(q) + 0x1000 + 2), &avail_idx[q], 2);
	reg(R_QUEUE_NOTIFY, true, q);
}

static uint32_t used_len(unsigned q, unsigned i)
{
	uint32_t v;

	memcpy(&v, at(RING(q) + 0x2000 + 4 + 8 * i + 4), 4);
	return v;
}

/* The driver's bring-up: VERSION_1 only, both queues. */
static void bring_up(void)
{
	reg(R_STATUS, true, 0);
	reg(R_STATUS, true, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER);
	reg(R_DRV_FEAT_SEL, true, 1);
	reg(R_DRV_FEAT, true, 1);	/* VIRTIO_F_VERSION_1: bit 32 */
	reg(R_STATUS, true, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK);
	assert_true(reg(R_STATUS, false, 0) & VIRTIO_FEATURES_OK);
	for (unsigned q = 0; q < 2; q++) {
		reg(R_QUEUE_SEL, true, q);
		reg(R_QUEUE_NUM, true, NUM);
		reg(R_DESC_LO, true, (uint32_t)RING(q));
		reg(R_DRIVER_LO, true, (uint32_t)(RING(q) + 0x1000));
		reg(R_DEVICE_LO, true, (uint32_t)(RING(q) + 0x2000));
		reg(R_QUEUE_READY, true, 1);
	}
	reg(R_STATUS, true, reg(R_STATUS, false, 0) | VIRTIO_DRIVER_OK);
}

static int setup(void **state)
{
	(void)state;
	memset(ram, 0, sizeof(ram));
	memset(logbuf, 0, sizeof(logbuf));
	memset(avail_idx, 0, sizeof(avail_idx));
	restarts = 0;
	nsent = ends = rx_ready_calls = 0;
	assert_int_equal(vcons_init(&con, "linux", 9, 10, tx, rx_ready, &con), 0);
	assert_string_equal(con.name, "linux/hvc0");
	return 0;
}

static void test_identity(void **state)
{
	(void)state;
	assert_int_equal(reg(R_DEVICE_ID, false, 0), 3);
	reg(R_DEV_FEAT_SEL, true, 0);
	assert_int_equal(reg(R_DEV_FEAT, false, 0), 0);		/* no MULTIPORT, SIZE, ... */
	reg(R_DEV_FEAT_SEL, true, 1);
	assert_int_equal(reg(R_DEV_FEAT, false, 0), 1);		/* VERSION_1 */
	reg(R_QUEUE_SEL, true, 1);
	assert_int_equal(reg(R_QUEUE_NUM_MAX, false, 0), VQ_MAX);
	reg(R_QUEUE_SEL, true, 2);
	assert_int_equal(reg(R_QUEUE_NUM_MAX, false, 0), 0);	/* two queues */
	assert_false(vcons_running(&con));
	bring_up();
	assert_true(vcons_running(&con));
}

static void test_transmit(void **state)
{
	(void)state;
	bring_up();
	memcpy(at(BUF), "hello ", 6);
	memcpy(at(BUF + 0x100), "world\n", 6);
	desc(VCONS_TX, 0, BUF, 6, VRING_DESC_F_NEXT, 1);
	desc(VCONS_TX, 1, BUF + 0x100, 6, 0, 0);
	submit(VCONS_TX, 0);
	assert_int_equal(nsent, 12);
	assert_memory_equal(sent, "hello world\n", 12);
	assert_int_equal(ends, 1);
	assert_int_equal(used_len(VCONS_TX, 0), 0);
	assert_int_equal(reg(R_INT_STATUS, false, 0), VIRTIO_INT_USED);
	assert_string_equal(logbuf, "");
}

static void test_input(void **state)
{
	(void)state;
	assert_int_equal(vcons_input(&con, "abc", 3), 0);	/* no driver */
	bring_up();
	assert_int_equal(vcons_input(&con, "abc", 3), 0);	/* no buffer */
	desc(VCONS_RX, 0, BUF, 4, VRING_DESC_F_WRITE, 0);
	submit(VCONS_RX, 0);
	assert_int_equal(rx_ready_calls, 1);
	assert_int_equal(vcons_input(&con, "abcdef", 6), 4);	/* what the buffer holds */
	assert_memory_equal(at(BUF), "abcd", 4);
	assert_int_equal(used_len(VCONS_RX, 0), 4);
	assert_int_equal(vcons_input(&con, "ef", 2), 0);	/* used up */
	desc(VCONS_RX, 1, BUF + 0x100, 64, VRING_DESC_F_WRITE, 0);
	submit(VCONS_RX, 1);
	assert_int_equal(vcons_input(&con, "ef", 2), 2);
	assert_memory_equal(at(BUF + 0x100), "ef", 2);
	assert_string_equal(logbuf, "");
}

static void test_refusals(void **state)
{
	(void)state;
	bring_up();
	desc(VCONS_RX, 0, BUF, 4, 0, 0);	/* device-readable */
	submit(VCONS_RX, 0);
	assert_int_equal(vcons_input(&con, "x", 1), 0);
	assert_string_equal(logbuf, "error: linux/hvc0: queue 0: receive buffer at descriptor 0 is not "
				    "device-writable only (4 bytes readable); device needs reset\n");
	assert_true(reg(R_STATUS, false, 0) & VIRTIO_NEEDS_RESET);
	assert_false(vcons_running(&con));
	memset(logbuf, 0, sizeof(logbuf));
	desc(VCONS_TX, 0, RAM_BASE + RAM_SIZE, 6, 0, 0);	/* refused: the queue is stopped */
	submit(VCONS_TX, 0);
	assert_int_equal(nsent, 0);
	assert_string_equal(logbuf, "");
	/* After the driver's reset, a buffer outside the guest's RAM. */
	memset(ram, 0, sizeof(ram));
	memset(avail_idx, 0, sizeof(avail_idx));
	bring_up();
	desc(VCONS_TX, 0, RAM_BASE + RAM_SIZE, 6, 0, 0);
	submit(VCONS_TX, 0);
	assert_int_equal(nsent, 0);
	assert_string_equal(logbuf, "error: linux/hvc0: queue 1: descriptor 0: buffer at 0x40100000 is outside "
				    "the guest's RAM; device needs reset\n");
}

static void test_restart(void **state)
{
	(void)state;
	bring_up();
	restarts++;
	assert_false(vcons_running(&con));
	assert_string_equal(logbuf, "linux/hvc0 restarted: its device is reset\n");
	assert_int_equal(reg(R_STATUS, false, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity, setup),
		cmocka_unit_test_setup(test_transmit, setup),
		cmocka_unit_test_setup(test_input, setup),
		cmocka_unit_test_setup(test_refusals, setup),
		cmocka_unit_test_setup(test_restart, setup),
	};

	return cmocka_run_group_tests_name("vcons", tests, NULL, NULL);
}
