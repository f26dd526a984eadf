// SPDX-License-Identifier: MIT
/*
 * The cells' virtio-mmio transport (guests/native/virtio/virtio_mmio.c),
 * as the virtio-blk cell uses it, on the host: the registers, feature
 * negotiation, queue set-up, chains, the interrupt line, and every
 * refusal of what a guest gives it, each with its one log line and
 * DEVICE_NEEDS_RESET.  The hypercalls it makes (MV_HC_SPACE_INFO,
 * MV_HC_WINDOW_IRQ) are faked here; the guest's RAM is a buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cell_log.h"

#include "virtio_mmio.h"

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x100000ULL
#define DESC		(RAM_BASE + 0x1000)
#define AVAIL		(RAM_BASE + 0x2000)
#define USED		(RAM_BASE + 0x3000)
#define BUF		(RAM_BASE + 0x10000)
#define NUM		8

static _Alignas(4096) uint8_t ram[RAM_SIZE];
static uint64_t restarts;
static int irq_level = -1;
static unsigned line_calls;	/* MV_HC_WINDOW_IRQ with MV_WINDOW_LINE_FOLLOW */
static struct vmmio dev;
static struct vchain chain;

/* What the fake backend saw: chains taken, and the last one. */
static unsigned popped, pop_refused;
static struct vchain last;

/* ---- the cell's environment ---- */

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
		assert_int_equal(x[1], 1);	/* the window's slot */
		assert_true(x[2] <= MV_WINDOW_LINE_FOLLOW);
		line_calls += x[2] == MV_WINDOW_LINE_FOLLOW;
		irq_level = x[2] == MV_WINDOW_LINE_FOLLOW ? fake_window_line(x) : (int)x[2];
		x[0] = MV_OK;
		break;
	default:
		fail_msg("unexpected hypercall 0x%llx", (unsigned long long)x[0]);
	}
}

/* ---- a backend that takes every chain and returns it whole ---- */

static void notify(struct vmmio *d, unsigned q)
{
	int rc;

	while ((rc = vq_pop(d, q, &chain)) > 0) {
		popped++;
		last = chain;
		vq_push(d, q, chain.head, (uint32_t)chain.wlen);
	}
	if (rc < 0)
		pop_refused++;
}

static const uint8_t config[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const struct vbackend be = {
	.device_id = 2,
	.features = 1ULL << 9,
	.config = config,
	.config_size = sizeof(config),
	.queues = 1,
	.notify = notify,
};
/* The same, letting its QueueNotify be posted. */
static const struct vbackend be_posted = {
	.device_id = 2,
	.features = 1ULL << 9,
	.config = config,
	.config_size = sizeof(config),
	.queues = 1,
	.notify = notify,
	.notify_posted = true,
};

/* ---- helpers ---- */

static uint64_t mmio(unsigned kind, uint64_t off, unsigned size, uint64_t value)
{
	struct mv_fault f = { .kind = kind, .size = size, .addr = off, .value = value };

	return vmmio_access(&dev, &f);
}

static uint32_t rd(uint64_t off)
{
	return (uint32_t)mmio(MV_FAULT_READ, off, 4, 0);
}

static void wr(uint64_t off, uint32_t v)
{
	mmio(MV_FAULT_WRITE, off, 4, v);
}

static uint8_t *at(uint64_t gpa)
{
	return ram + (gpa - RAM_BASE);
}

static void put16(uint64_t gpa, uint16_t v) { memcpy(at(gpa), &v, 2); }
static void put32(uint64_t gpa, uint32_t v) { memcpy(at(gpa), &v, 4); }
static void put64(uint64_t gpa, uint64_t v) { memcpy(at(gpa), &v, 8); }
static uint16_t get16(uint64_t gpa) { uint16_t v; memcpy(&v, at(gpa), 2); return v; }
static uint32_t get32(uint64_t gpa) { uint32_t v; memcpy(&v, at(gpa), 4); return v; }

static void desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	put64(DESC + 16 * i, addr);
	put32(DESC + 16 * i + 8, len);
	put16(DESC + 16 * i + 12, flags);
	put16(DESC + 16 * i + 14, next);
}

/* Reset and bring the device up with queue 0 as given; the Status. */
static uint32_t setup(uint32_t num, uint64_t d, uint64_t a, uint64_t u)
{
	wr(0x070, 0);
	wr(0x070, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER);
	wr(0x024, 1);
	wr(0x020, 1);
	wr(0x024, 0);
	wr(0x020, 1U << 9);
	wr(0x070, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK);
	wr(0x030, 0);
	wr(0x038, num);
	wr(0x080, (uint32_t)d);
	wr(0x084, (uint32_t)(d >> 32));
	wr(0x090, (uint32_t)a);
	wr(0x094, (uint32_t)(a >> 32));
	wr(0x0a0, (uint32_t)u);
	wr(0x0a4, (uint32_t)(u >> 32));
	wr(0x044, 1);
	wr(0x070, rd(0x070) | VIRTIO_DRIVER_OK);
	return rd(0x070);
}

static void submit(uint16_t head, uint16_t n)
{
	put16(AVAIL + 4 + 2 * ((n - 1) % NUM), head);
	put16(AVAIL + 2, n);
	wr(0x050, 0);
}

static int reset_all(void **state)
{
	(void)state;
	memset(ram, 0, sizeof(ram));
	memset(logbuf, 0, sizeof(logbuf));
	restarts = 0;
	irq_level = -1;
	popped = pop_refused = 0;
	assert_int_equal(vmmio_init(&dev, "vm", 1, 2, &be), 0);
	assert_int_equal(irq_level, 0);
	return 0;
}

static unsigned log_lines(void)
{
	unsigned n = 0;

	for (const char *p = logbuf; *p; p++)
		n += *p == '\n';
	return n;
}

/* Exactly one line, this one, and the device needs a reset. */
static void refused(const char *line)
{
	assert_int_equal(log_lines(), 1);
	assert_string_equal(logbuf, line);
	assert_true(rd(0x070) & VIRTIO_NEEDS_RESET);
	memset(logbuf, 0, sizeof(logbuf));
}

/* ---- tests ---- */

static void test_identity(void **state)
{
	(void)state;
	assert_int_equal(rd(0x000), 0x74726976);
	assert_int_equal(rd(0x004), 2);
	assert_int_equal(rd(0x008), 2);
	wr(0x014, 0);
	assert_int_equal(rd(0x010), 1U << 9);
	wr(0x014, 1);
	assert_int_equal(rd(0x010), 1);		/* VIRTIO_F_VERSION_1 */
	wr(0x014, 2);
	assert_int_equal(rd(0x010), 0);
	assert_int_equal(rd(0x034), VQ_MAX);
	wr(0x030, 1);				/* no queue 1 */
	assert_int_equal(rd(0x034), 0);
	/* Configuration space: any size, little-endian, 0 past its end. */
	assert_int_equal(mmio(MV_FAULT_READ, 0x100, 1, 0), 0x11);
	assert_int_equal(mmio(MV_FAULT_READ, 0x102, 2, 0), 0x4433);
	assert_int_equal(mmio(MV_FAULT_READ, 0x104, 4, 0), 0x88776655);
	assert_int_equal(mmio(MV_FAULT_READ, 0x106, 4, 0), 0x8877);
	mmio(MV_FAULT_WRITE, 0x100, 4, 0);	/* read-only */
	assert_int_equal(mmio(MV_FAULT_READ, 0x100, 1, 0), 0x11);
	/* Registers take aligned 32-bit accesses only. */
	assert_int_equal(mmio(MV_FAULT_READ, 0x000, 2, 0), 0);
	assert_int_equal(mmio(MV_FAULT_READ, 0x002, 4, 0), 0);
	assert_string_equal(logbuf, "");
}

static void test_features(void **state)
{
	(void)state;
	/* Without VERSION_1 (a legacy driver): FEATURES_OK does not stick. */
	wr(0x070, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER);
	wr(0x070, VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK);
	assert_int_equal(rd(0x070), VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER);
	/* A feature not offered: refused too. */
	wr(0x070, 0);
	wr(0x024, 1);
	wr(0x020, 1);
	wr(0x024, 0);
	wr(0x020, 1U << 28);
	wr(0x070, VIRTIO_FEATURES_OK);
	assert_int_equal(rd(0x070), 0);
	/* A subset with VERSION_1: accepted, then frozen. */
	wr(0x020, 1U << 9);
	wr(0x070, VIRTIO_FEATURES_OK);
	assert_int_equal(rd(0x070), VIRTIO_FEATURES_OK);
	wr(0x020, 1U << 28);
	assert_int_equal(dev.driver_features, 1ULL << 32 | 1U << 9);
	/* Status 0 resets it all. */
	wr(0x070, 0);
	assert_int_equal(rd(0x070), 0);
	assert_int_equal(dev.driver_features, 0);
}

static void test_request_and_interrupt(void **state)
{
	(void)state;
	assert_int_equal(setup(NUM, DESC, AVAIL, USED),
			 VIRTIO_ACKNOWLEDGE | VIRTIO_DRIVER | VIRTIO_FEATURES_OK | VIRTIO_DRIVER_OK);
	assert_int_equal(rd(0x044), 1);
	desc(3, BUF, 16, VRING_DESC_F_NEXT, 5);
	desc(5, BUF + 0x100, 512, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 0);
	desc(0, BUF + 0x400, 1, VRING_DESC_F_WRITE, 0);
	submit(3, 1);
	assert_int_equal(popped, 1);
	assert_int_equal(last.head, 3);
	assert_int_equal(last.n, 3);
	assert_int_equal(last.rlen, 16);
	assert_int_equal(last.wlen, 513);
	assert_ptr_equal(last.seg[1].p, at(BUF + 0x100));
	assert_true(last.seg[1].write);
	assert_int_equal(get16(USED + 2), 1);
	assert_int_equal(get32(USED + 4), 3);
	assert_int_equal(get32(USED + 8), 513);
	assert_int_equal(rd(0x060), VIRTIO_INT_USED);
	assert_int_equal(irq_level, 1);
	/* Published for the microvisor to answer the read, before the raise. */
	assert_non_null(page);
	assert_true(page->published[0] & (1u << (0x060 / 4)));
	assert_int_equal(page->answer[0x060 / 4], VIRTIO_INT_USED);
	wr(0x064, VIRTIO_INT_USED);
	assert_int_equal(rd(0x060), 0);
	assert_int_equal(page->answer[0x060 / 4], 0);
	assert_int_equal(irq_level, 0);
	/* The driver may ask for no interrupt. */
	put16(AVAIL, VRING_AVAIL_F_NO_INTERRUPT);
	submit(3, 2);
	assert_int_equal(get16(USED + 2), 2);
	assert_int_equal(irq_level, 0);
	/* Nothing new: nothing popped. */
	wr(0x050, 0);
	assert_int_equal(popped, 2);
	/* Queue registers are frozen while it is ready. */
	wr(0x038, 4);
	assert_int_equal(dev.q[0].num, NUM);
	assert_string_equal(logbuf, "");
}

static void test_queue_refusals(void **state)
{
	(void)state;
	setup(0, DESC, AVAIL, USED);
	refused("error: vm: queue 0: queue size 0 is not a power of two up to 128; device needs reset\n");
	setup(6, DESC, AVAIL, USED);
	refused("error: vm: queue 0: queue size 6 is not a power of two up to 128; device needs reset\n");
	setup(256, DESC, AVAIL, USED);
	refused("error: vm: queue 0: queue size 256 is not a power of two up to 128; device needs reset\n");
	setup(NUM, DESC + 8, AVAIL, USED);
	refused("error: vm: queue 0: ring at 0x40001008 is misaligned (descriptor table: 16 bytes, available: 2, used: 4); device needs reset\n");
	setup(NUM, DESC, AVAIL + 1, USED);
	refused("error: vm: queue 0: ring at 0x40002001 is misaligned (descriptor table: 16 bytes, available: 2, used: 4); device needs reset\n");
	setup(NUM, DESC, AVAIL, USED + 2);
	refused("error: vm: queue 0: ring at 0x40003002 is misaligned (descriptor table: 16 bytes, available: 2, used: 4); device needs reset\n");
	setup(NUM, 0x3fffff00, AVAIL, USED);
	refused("error: vm: queue 0: descriptor table 0x3fffff00 (0x80 bytes) is outside the guest's RAM; device needs reset\n");
	setup(NUM, DESC, RAM_BASE + RAM_SIZE - 16, USED);
	refused("error: vm: queue 0: available ring 0x400ffff0 (0x16 bytes) is outside the guest's RAM; device needs reset\n");
	setup(NUM, DESC, AVAIL, 0xfffffffffffffff0ULL);	/* would wrap around */
	refused("error: vm: queue 0: used ring 0xfffffffffffffff0 (0x46 bytes) is outside the guest's RAM; device needs reset\n");
	assert_int_equal(rd(0x044), 0);
	/* Refused, it stays so (no more lines) until reset. */
	wr(0x044, 1);
	wr(0x050, 0);
	assert_string_equal(logbuf, "");
	assert_int_equal(setup(NUM, DESC, AVAIL, USED) & VIRTIO_NEEDS_RESET, 0);
	assert_int_equal(rd(0x044), 1);
}

static void test_chain_refusals(void **state)
{
	(void)state;
	/* A loop: 0 -> 1 -> 0. */
	setup(NUM, DESC, AVAIL, USED);
	desc(0, BUF, 16, VRING_DESC_F_NEXT, 1);
	desc(1, BUF, 16, VRING_DESC_F_NEXT, 0);
	submit(0, 1);
	refused("error: vm: queue 0: descriptor loop: the chain from 0 is longer than the queue's 8; device needs reset\n");
	assert_int_equal(rd(0x060), VIRTIO_INT_CONFIG);	/* the driver was running */
	assert_int_equal(irq_level, 1);
	assert_int_equal(get16(USED + 2), 0);
	/* The rest, each after a reset. */
	setup(NUM, DESC, AVAIL, USED);
	desc(0, BUF, 16, VRING_DESC_F_NEXT, 8);
	submit(0, 1);
	refused("error: vm: queue 0: a descriptor's next, 8, is beyond the queue's 8; device needs reset\n");
	setup(NUM, DESC, AVAIL, USED);
	submit(8, 1);
	refused("error: vm: queue 0: available head 8 is beyond the queue's 8; device needs reset\n");
	setup(NUM, DESC, AVAIL, USED);
	put16(AVAIL + 2, NUM + 1);
	wr(0x050, 0);
	refused("error: vm: queue 0: available index 9 is more than a queue ahead of 0; device needs reset\n");
	setup(NUM, DESC, AVAIL, USED);
	desc(0, BUF, VQ_MAX_SEG + 1, 0, 0);
	submit(0, 1);
	refused("error: vm: queue 0: descriptor 0: length 0x100001 is oversized (a descriptor 1 MiB at most, a chain 2); device needs reset\n");
	setup(NUM, DESC, AVAIL, USED);
	desc(0, RAM_BASE + RAM_SIZE - 8, 16, 0, 0);
	submit(0, 1);
	refused("error: vm: queue 0: descriptor 0: buffer at 0x400ffff8 is outside the guest's RAM; device needs reset\n");
	setup(NUM, DESC, AVAIL, USED);
	desc(0, 0xffffffffffffff00ULL, 0x200, 0, 0);
	submit(0, 1);
	refused("error: vm: queue 0: descriptor 0: buffer at 0xffffffffffffff00 is outside the guest's RAM; device needs reset\n");
	setup(NUM, DESC, AVAIL, USED);
	desc(0, BUF, 1, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 2);
	desc(2, BUF, 16, 0, 0);
	submit(0, 1);
	refused("error: vm: queue 0: descriptor 2 is device-readable after device-writable ones (at 0x40010000); device needs reset\n");
	setup(NUM, DESC, AVAIL, USED);
	desc(0, BUF, 16, VRING_DESC_F_INDIRECT, 0);
	submit(0, 1);
	refused("error: vm: queue 0: descriptor 0 is indirect (not offered; next 0); device needs reset\n");
	assert_int_equal(popped, 0);
	assert_int_equal(pop_refused, 9);
}

/* A client's restart: the device forgets everything, once. */
static void test_restart(void **state)
{
	(void)state;
	setup(NUM, DESC, AVAIL, USED);
	restarts++;
	assert_int_equal(rd(0x070), 0);
	assert_int_equal(rd(0x044), 0);
	assert_string_equal(logbuf, "vm restarted: its device is reset\n");
	assert_int_equal(rd(0x070), 0);
	assert_int_equal(log_lines(), 1);
}

/* The page's rules: InterruptACK clears the published status in the
 * microvisor, which lowers the line at the last bit; the cell raises it
 * only when the status had none of the bits it sets. */
static void test_posted_ack(void **state)
{
	(void)state;
	assert_non_null(page);
	assert_int_equal(page->line_word, 0x060 / 4);
	assert_int_equal(page->nrules, 1);	/* QueueNotify is not posted for this backend */
	assert_int_equal(page->rule[0].offset, 0x064);
	assert_int_equal(page->rule[0].flags, MV_WINDOW_CLEAR);
	setup(NUM, DESC, AVAIL, USED);
	desc(0, BUF, 16, 0, 0);
	line_calls = 0;
	submit(0, 1);
	assert_int_equal(irq_level, 1);
	assert_int_equal(line_calls, 1);
	submit(0, 2);		/* still set: the line is up already */
	assert_int_equal(line_calls, 1);
	assert_int_equal(fake_window_post(0x064, VIRTIO_INT_USED, &irq_level), 1);
	assert_int_equal(irq_level, 0);
	assert_int_equal(rd(0x060), 0);
	assert_int_equal(page->head, 0);	/* done, not queued */
	submit(0, 3);		/* set again: raised again */
	assert_int_equal(irq_level, 1);
	assert_int_equal(line_calls, 2);
	/* An acknowledgement the cell sees (a fault) clears it the same way. */
	wr(0x064, VIRTIO_INT_USED);
	assert_int_equal(irq_level, 0);
	assert_int_equal(page->answer[0x060 / 4], 0);
	assert_int_equal(popped, 3);
}

/* Posted QueueNotify: queued in the ring, taken by vmmio_take or before
 * the next fault of the window, in order; a reset entry resets the
 * device of a restarted client. */
static void test_posted_notify(void **state)
{
	(void)state;
	assert_int_equal(vmmio_init(&dev, "vm", 1, 2, &be_posted), 0);
	assert_int_equal(page->nrules, 2);
	assert_int_equal(page->rule[1].offset, 0x050);
	assert_int_equal(page->rule[1].flags, 0);
	assert_int_equal(page->rule[1].wake_mask, 0);	/* woken for each */
	setup(NUM, DESC, AVAIL, USED);
	desc(0, BUF, 16, 0, 0);
	put16(AVAIL + 4, 0);
	put16(AVAIL + 2, 1);
	assert_int_equal(fake_window_post(0x050, 0, &irq_level), 2);
	assert_int_equal(fake_window_post(0x050, 0, &irq_level), 2);
	assert_int_equal(popped, 0);
	assert_int_equal(vmmio_take(&dev), 2);
	assert_int_equal(popped, 1);
	assert_int_equal(page->tail, 2);
	assert_int_equal(vmmio_take(&dev), 0);
	/* Before a fault: the write posted first is taken first. */
	put16(AVAIL + 6, 0);
	put16(AVAIL + 2, 2);
	assert_int_equal(fake_window_post(0x050, 0, &irq_level), 2);
	assert_int_equal(rd(0x060), VIRTIO_INT_USED);
	assert_int_equal(popped, 2);
	/* A queue the device lacks: ignored, as written. */
	assert_int_equal(fake_window_post(0x050, 7, &irq_level), 2);
	assert_int_equal(vmmio_take(&dev), 1);
	assert_string_equal(logbuf, "");
	/* The client restarted: its reset entry resets the device. */
	restarts++;
	page->ring[page->head++ % MV_WINDOW_RING] = (struct mv_window_write){ .kind = MV_WINDOW_RESET };
	assert_int_equal(vmmio_take(&dev), 1);
	assert_string_equal(logbuf, "vm restarted: its device is reset\n");
	assert_int_equal(irq_level, 0);
	assert_int_equal(page->answer[0x060 / 4], 0);
}

/* Copies of every alignment and length, across segments. */
static void test_copies(void **state)
{
	static uint8_t a[256], b[256], want[256];

	(void)state;
	for (unsigned i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)(i * 7 + 1);
	for (unsigned so = 0; so < 8; so++) {
		for (unsigned dof = 0; dof < 8; dof++) {
			for (unsigned n = 0; n < 40; n++) {
				memset(b, 0, sizeof(b));
				memset(want, 0, sizeof(want));
				memcpy(want + dof, a + so, n);
				vcopy(b + dof, a + so, n);
				assert_memory_equal(b, want, sizeof(b));
			}
		}
	}
	/* A chain: readable 3 + 5 bytes, writable 4 + 9. */
	struct vchain c = { .n = 4, .rlen = 8, .wlen = 13 };
	uint8_t out[16] = { 0 };

	c.seg[0] = (struct vseg){ a + 1, 3, false };
	c.seg[1] = (struct vseg){ b + 10, 4, true };
	c.seg[2] = (struct vseg){ a + 50, 5, false };
	c.seg[3] = (struct vseg){ b + 33, 9, true };
	assert_int_equal(vchain_read(&c, 2, out, 16), 6);
	assert_int_equal(out[0], a[3]);
	assert_int_equal(out[1], a[50]);
	assert_int_equal(out[5], a[54]);
	memset(b, 0, sizeof(b));
	assert_int_equal(vchain_write(&c, 3, a, 10), 10);
	assert_int_equal(b[13], a[0]);
	assert_int_equal(b[33], a[1]);
	assert_int_equal(b[41], a[9]);
	assert_int_equal(b[42], 0);
	assert_int_equal(vchain_write(&c, 20, a, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity, reset_all),
		cmocka_unit_test_setup(test_features, reset_all),
		cmocka_unit_test_setup(test_request_and_interrupt, reset_all),
		cmocka_unit_test_setup(test_queue_refusals, reset_all),
		cmocka_unit_test_setup(test_chain_refusals, reset_all),
		cmocka_unit_test_setup(test_restart, reset_all),
		cmocka_unit_test_setup(test_posted_ack, reset_all),
		cmocka_unit_test_setup(test_posted_notify, reset_all),
		cmocka_unit_test_setup(test_copies, reset_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
