// SPDX-License-Identifier: MIT
/*
 * The vGIC distributor/redistributor model (vdev/vgic.c): the registers as
 * Linux's irq-gic.c and irq-gic-v3.c probe and program them, routing and
 * kick masks, SGIs, and the hand-over to and from the list registers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vgic.h"

#define SGI_BASE	0x10000
#define FRAME(n)	((uint32_t)(n) * VGIC_REDIST_FRAME_SIZE)
#define IROUTER(n)	(0x6000 + 8 * (n))

static struct vgic g;

/* ---- access helpers: every access here must be architected ------------- */

static bool access(bool redist, unsigned vcpu, uint32_t off, unsigned size, bool write,
		   uint64_t *val, uint32_t *kick)
{
	if (redist)
		return vgic_redist_access(&g, vcpu, off, size, write, val, kick);
	return vgic_dist_access(&g, vcpu, off, size, write, val, kick);
}

static uint64_t reg_read(bool redist, unsigned vcpu, uint32_t off, unsigned size)
{
	uint64_t val = 0xdeadbeefdeadbeefull;
	uint32_t kick = 0xffffffff;

	if (!access(redist, vcpu, off, size, false, &val, &kick))
		fail_msg("%s read of 0x%x (size %u) refused", redist ? "GICR" : "GICD", off, size);
	assert_int_equal(kick, 0);
	return val;
}

static uint32_t reg_write(bool redist, unsigned vcpu, uint32_t off, unsigned size, uint64_t val)
{
	uint32_t kick = 0xffffffff;

	if (!access(redist, vcpu, off, size, true, &val, &kick))
		fail_msg("%s write of 0x%x (size %u) refused", redist ? "GICR" : "GICD", off, size);
	return kick;
}

/* Distributor and redistributor reads and writes that must be accepted;
 * writes return the kick mask. */
#define dr(...)		reg_read(false, __VA_ARGS__)
#define dw(...)		reg_write(false, __VA_ARGS__)
#define rr(...)		reg_read(true, __VA_ARGS__)
#define rw(...)		reg_write(true, __VA_ARGS__)

/* Whether an access is accepted at all. */
static bool dist_ok(unsigned vcpu, uint32_t off, unsigned size, bool write, uint64_t *val)
{
	uint32_t kick;

	return access(false, vcpu, off, size, write, val, &kick);
}

static bool redist_ok(unsigned vcpu, uint32_t off, unsigned size, bool write, uint64_t *val)
{
	uint32_t kick;

	return access(true, vcpu, off, size, write, val, &kick);
}

static struct virq *irq(unsigned vcpu, unsigned intid)
{
	struct virq *q = vgic_irq(&g, vcpu, intid);

	assert_non_null(q);
	return q;
}

static void fold(unsigned vcpu, unsigned intid, unsigned source, bool pending, bool active)
{
	struct vgic_lr lr = { .intid = (uint16_t)intid, .source = (uint8_t)source,
			      .pending = pending, .active = active };

	vgic_fold(&g, vcpu, &lr);
}

static void assert_lr(const struct vgic_lr *lr, unsigned intid, bool pending, bool active)
{
	if (lr->intid != intid || lr->pending != pending || lr->active != active)
		fail_msg("LR: INTID %u %s%s, expected INTID %u %s%s", lr->intid,
			 lr->pending ? "P" : "-", lr->active ? "A" : "-", intid,
			 pending ? "P" : "-", active ? "A" : "-");
}

static const uint64_t mpidr2[] = { 0x0, 0x1 };

/* ---- identification and type registers ----------------------------------- */

static void test_v2_ids(void **state)
{
	uint64_t val;

	(void)state;
	vgic_init(&g, 2, 4, 64, NULL);
	assert_int_equal(dr(0, 0x004, 4), 0x62);	/* ITLinesNumber 2, CPUNumber 3 */
	assert_int_equal(dr(0, 0x008, 4), 0x4d00043b);
	assert_int_equal(dr(0, 0x000, 4), 0);
	assert_int_equal(dr(0, 0xfe8, 4), 0x2b);	/* PIDR2.ArchRev 2 */
	assert_int_equal(dr(0, 0xfe0, 4) | dr(0, 0xfe4, 4) << 8, 0xb04d);	/* PIDR0-1 */
	assert_int_equal(dr(0, 0xfd0, 4), 0x04);
	assert_int_equal(dr(0, 0xff0, 4) | dr(0, 0xff4, 4) << 8 | dr(0, 0xff8, 4) << 16 |
			 dr(0, 0xffc, 4) << 24, 0xb105f00d);	/* CIDR0-3 */
	assert_int_equal(dr(0, 0x084, 4), 0);		/* SPIs reset to Group 0 */
	/* GICv3-only locations are not there. */
	assert_false(dist_ok(0, 0x00c, 4, false, &val));
	assert_false(dist_ok(0, 0xffe8, 4, false, &val));
	assert_false(dist_ok(0, IROUTER(32), 8, false, &val));
	assert_false(redist_ok(0, 0xffe8, 4, false, &val));
	assert_int_equal(vgic_sgi1r(&g, 0, 0xffff | 1ull << 24), 0);
	/* SPI counts round down to whole registers and stop at the maximum. */
	vgic_init(&g, 2, 1, 70, NULL);
	assert_int_equal(g.nspis, 64);
	vgic_init(&g, 2, 9, 1000, NULL);
	assert_int_equal(g.nspis, VGIC_MAX_SPIS);
	assert_int_equal(g.nvcpus, VGIC_MAX_VCPUS);
	assert_int_equal(dr(0, 0x004, 4) & 0x1f, (VGIC_MAX_SPIS + 32) / 32 - 1);
}

static void test_v3_ids(void **state)
{
	uint64_t typer;

	(void)state;
	vgic_init(&g, 3, 2, 32, mpidr2);
	assert_int_equal(dr(0, 0x000, 4), 0x50);	/* ARE, DS; RWP 0 */
	assert_int_equal(dw(0, 0x000, 4, 0x13), 0);	/* what Linux writes */
	assert_int_equal(dr(0, 0x000, 4), 0x53);
	assert_int_equal(dw(0, 0x000, 4, 0xffffffff), 0);
	assert_int_equal(dr(0, 0x000, 4), 0x53);	/* RWP and the rest stay 0 */
	typer = dr(0, 0x004, 4);
	assert_int_equal(typer & 0x1f, 1);		/* 64 INTIDs */
	assert_int_equal(((typer >> 19) & 0x1f) + 1, 10);
	assert_true(typer & (1u << 26));		/* RSS */
	assert_false(typer & (1u << 17));		/* no LPIs */
	assert_false(typer & (1u << 16));		/* no MBIs */
	assert_false(typer & (1u << 8));		/* no extended SPIs */
	assert_int_equal(dr(0, 0x008, 4), 0x4d00043b);
	assert_int_equal(dr(0, 0x00c, 4), 0);		/* TYPER2 */
	assert_int_equal(dr(0, 0x010, 4), 0);		/* STATUSR */
	assert_int_equal(dr(0, 0xffe8, 4), 0x3b);	/* PIDR2.ArchRev 3 */
	assert_int_equal(dr(0, 0xffd0, 4), 0x44);
	assert_int_equal(dr(0, 0x084, 4), 0xffffffff); /* SPIs reset to Group 1 */
}

/* With ARE == 1 the GICD registers of SGIs and PPIs are RAZ/WI. */
static void test_v3_dist_private_raz_wi(void **state)
{
	uint64_t val;

	(void)state;
	vgic_init(&g, 3, 2, 32, mpidr2);
	dw(0, 0x000, 4, 0x13);
	assert_int_equal(dw(0, 0x100, 4, 0xffffffff), 0);
	assert_int_equal(dr(0, 0x100, 4), 0);
	assert_false(irq(0, 0)->enabled);
	dw(0, 0x200, 4, 0xffffffff);
	assert_false(irq(0, 20)->pending_latch);
	dw(0, 0x400, 4, 0x11223344);
	assert_int_equal(dr(0, 0x400, 4), 0);
	assert_int_equal(irq(0, 0)->priority, 0);
	assert_int_equal(dr(0, 0xc00, 4), 0);
	assert_int_equal(dr(0, 0x080, 4), 0);
	/* The GICv2-only registers are RES0 too. */
	dw(0, 0x820, 4, 0x01010101);
	assert_int_equal(dr(0, 0x820, 4), 0);
	assert_int_equal(dw(0, 0xf00, 4, 0x00ff0001), 0);
	assert_int_equal(irq(1, 1)->sgi_sources, 0);
	assert_int_equal(dr(0, 0xf20, 4), 0);
	/* IROUTER of a private INTID is reserved. */
	assert_false(dist_ok(0, IROUTER(16), 8, false, &val));
}

/* ---- per-interrupt registers --------------------------------------------- */

static void test_enable_pending_active(void **state)
{
	(void)state;
	vgic_init(&g, 2, 2, 64, NULL);
	dw(0, 0x104, 4, 0x5);
	assert_int_equal(dr(0, 0x104, 4), 0x5);
	assert_int_equal(dr(0, 0x184, 4), 0x5);
	assert_true(irq(0, 34)->enabled);
	dw(0, 0x184, 4, 0x1);
	assert_int_equal(dr(0, 0x104, 4), 0x4);

	dw(0, 0x204, 4, 0x3);
	assert_int_equal(dr(0, 0x204, 4), 0x3);
	assert_int_equal(dr(0, 0x284, 4), 0x3);
	dw(0, 0x284, 4, 0x1);
	assert_int_equal(dr(0, 0x204, 4), 0x2);
	/* A level interrupt stays pending while its line is high. */
	vgic_set_level(&g, 0, 35, true);
	dw(0, 0x284, 4, 1u << 3);
	assert_int_equal(dr(0, 0x204, 4), 0xa);
	vgic_set_level(&g, 0, 35, false);
	assert_int_equal(dr(0, 0x204, 4), 0x2);

	dw(0, 0x304, 4, 0x1);
	assert_int_equal(dr(0, 0x304, 4), 0x1);
	assert_int_equal(dr(0, 0x384, 4), 0x1);
	dw(0, 0x384, 4, 0x1);
	assert_int_equal(dr(0, 0x304, 4), 0);

	dw(0, 0x084, 4, 0xf0);
	assert_int_equal(dr(0, 0x084, 4), 0xf0);
	assert_true(irq(0, 36)->group1);
	dw(0, 0x084, 4, 0x0);
	assert_false(irq(0, 36)->group1);

	/* GICv2: SGI and PPI registers are banked per accessing vCPU. */
	dw(1, 0x100, 4, 1u << 16);
	assert_int_equal(dr(0, 0x100, 4), 0);
	assert_int_equal(dr(1, 0x100, 4), 1u << 16);
	/* GICv2 SGI pending bits are set through SPENDSGIR only. */
	dw(0, 0x200, 4, 0x1);
	assert_int_equal(dr(0, 0x200, 4), 0);
	/* SPIs past nspis read as zero and ignore writes. */
	dw(0, 0x10c, 4, 0xffffffff);
	assert_int_equal(dr(0, 0x10c, 4), 0);
}

static void test_priority_bytes(void **state)
{
	(void)state;
	vgic_init(&g, 2, 2, 64, NULL);
	dw(0, 0x400 + 33, 1, 0xa0);
	assert_int_equal(dr(0, 0x420, 4), 0xa000);
	dw(0, 0x424, 4, 0x11223344);
	assert_int_equal(dr(0, 0x424, 1), 0x44);
	assert_int_equal(dr(0, 0x425, 1), 0x33);
	assert_int_equal(dr(0, 0x427, 1), 0x11);
	assert_int_equal(irq(0, 36)->priority, 0x44);
	assert_int_equal(irq(0, 39)->priority, 0x11);
	dw(1, 0x410, 1, 0x80);				/* PPI 16 of vCPU 1 */
	assert_int_equal(dr(0, 0x410, 1), 0);
	assert_int_equal(dr(1, 0x410, 1), 0x80);

	vgic_init(&g, 3, 2, 32, mpidr2);
	rw(0, FRAME(1) + SGI_BASE + 0x41f, 1, 0xf0);	/* PPI 31 of vCPU 1 */
	assert_int_equal(irq(1, 31)->priority, 0xf0);
	assert_int_equal(irq(0, 31)->priority, 0);
	assert_int_equal(rr(1, FRAME(1) + SGI_BASE + 0x41c, 4), 0xf0000000);
}

static void test_itargetsr(void **state)
{
	uint64_t val = 0;
	struct vgic_lr lr[4];

	(void)state;
	vgic_init(&g, 2, 4, 64, NULL);
	/* SGI/PPI bytes read as the reader's own bit and ignore writes. */
	assert_int_equal(dr(2, 0x800, 4), 0x04040404);
	assert_int_equal(dr(2, 0x81c, 4), 0x04040404);
	assert_int_equal(dr(0, 0x803, 1), 0x01);
	dw(0, 0x800, 4, 0x0f0f0f0f);
	assert_int_equal(dr(0, 0x800, 4), 0x01010101);

	/* An SPI with no target is never delivered. */
	assert_int_equal(dr(0, 0x828, 1), 0);
	assert_int_equal(irq(0, 40)->target, VGIC_TARGET_NONE);
	assert_int_equal(dw(0, 0x000, 4, 1), 0);
	assert_int_equal(dw(0, 0x104, 4, 1u << 8), 0);
	assert_int_equal(vgic_inject_edge(&g, 0, 40), 0);
	for (unsigned v = 0; v < 4; v++)
		assert_false(vgic_deliverable(&g, v));

	/* The lowest set bit wins; the new target is kicked. */
	assert_int_equal(dw(0, 0x828, 1, 0x0c), 1u << 2);
	assert_int_equal(irq(0, 40)->target, 2);
	assert_int_equal(dr(0, 0x828, 1), 0x0c);
	assert_true(vgic_deliverable(&g, 2));
	/* Bits of CPUs that do not exist are not kept. */
	assert_int_equal(dw(0, 0x828, 1, 0xf0), 0);
	assert_int_equal(dr(0, 0x828, 1), 0);
	assert_int_equal(irq(0, 40)->target, VGIC_TARGET_NONE);
	/* A word sets four SPIs. */
	assert_int_equal(dw(0, 0x828, 4, 0x08040201), 1u << 0);
	assert_int_equal(irq(0, 41)->target, 1);
	assert_int_equal(irq(0, 42)->target, 2);
	assert_int_equal(irq(0, 43)->target, 3);
	/* Moving an SPI held in a list register kicks the holder too. */
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_int_equal(dw(0, 0x828, 1, 0x02), (1u << 0) | (1u << 1));
	assert_true(dist_ok(0, 0x828, 1, false, &val));
	assert_int_equal(val, 0x02);

	/* One CPU: every SPI targets it. */
	vgic_init(&g, 2, 1, 32, NULL);
	assert_int_equal(dr(0, 0x820, 4), 0x01010101);
	dw(0, 0x820, 4, 0);
	assert_int_equal(dr(0, 0x820, 4), 0x01010101);
	assert_int_equal(irq(0, 32)->target, 0);
}

static void test_irouter(void **state)
{
	static const uint64_t mpidr[] = { 0x0, 0x1, 0x100, 0x100000000ull };

	(void)state;
	vgic_init(&g, 3, 4, 64, mpidr);
	assert_int_equal(irq(0, 40)->target, 0);	/* IROUTER resets to 0.0.0.0 */
	dw(0, 0x000, 4, 0x13);
	assert_int_equal(dw(0, 0x104, 4, 1u << 8), 0);
	assert_int_equal(dw(0, 0x204, 4, 1u << 8), 1u << 0);

	assert_int_equal(dw(0, IROUTER(40), 8, 0x100), 1u << 2);
	assert_int_equal(irq(0, 40)->target, 2);
	assert_int_equal(dr(0, IROUTER(40), 8), 0x100);
	/* 32-bit halves: Aff3.Aff2.Aff1.Aff0 = 1.0.1.0 matches nobody. */
	assert_int_equal(dw(0, IROUTER(40) + 4, 4, 1), 0);
	assert_int_equal(irq(0, 40)->target, VGIC_TARGET_NONE);
	assert_false(vgic_deliverable(&g, 2));
	assert_int_equal(dw(0, IROUTER(40), 4, 0), 1u << 3);
	assert_int_equal(irq(0, 40)->target, 3);
	assert_int_equal(dr(0, IROUTER(40), 4), 0);
	assert_int_equal(dr(0, IROUTER(40) + 4, 4), 1);

	/* RES0 bits are not kept; IRM = 1 picks the lowest awake vCPU. */
	dw(0, IROUTER(40), 8, ~0ull);
	assert_int_equal(dr(0, IROUTER(40), 8), 0xff80ffffffull);
	assert_int_equal(irq(0, 40)->target, 0);	/* all asleep: vCPU 0 */
	rw(0, FRAME(2) + 0x14, 4, 0);
	assert_int_equal(dw(0, IROUTER(40), 8, 1ull << 31), 1u << 2);
	assert_int_equal(irq(0, 40)->target, 2);

	/* SPIs past nspis: RAZ/WI. */
	dw(0, IROUTER(100), 8, 0x1);
	assert_int_equal(dr(0, IROUTER(100), 8), 0);
	assert_int_equal(dr(0, IROUTER(1019), 8), 0);
}

static void test_icfgr(void **state)
{
	uint32_t v;

	(void)state;
	vgic_init(&g, 2, 2, 64, NULL);
	assert_int_equal(dr(0, 0xc00, 4), 0xaaaaaaaa);	/* SGIs: edge, fixed */
	dw(0, 0xc00, 4, 0);
	assert_int_equal(dr(0, 0xc00, 4), 0xaaaaaaaa);
	assert_int_equal(dr(0, 0xc04, 4), 0);		/* PPIs: level */
	dw(0, 0xc04, 4, 2u << (2 * (27 - 16)));		/* PPI 27 edge, vCPU 0 only */
	assert_true(irq(0, 27)->edge);
	assert_false(irq(1, 27)->edge);
	/* Linux's gic_configure_irq(): read, modify bit 2n+1, write, read back. */
	v = (uint32_t)dr(0, 0xc08, 4) | 2u << (2 * 1);
	dw(0, 0xc08, 4, v);
	assert_int_equal(dr(0, 0xc08, 4), v);
	assert_true(irq(0, 33)->edge);
	dw(0, 0xc08, 4, 0);
	assert_false(irq(0, 33)->edge);
	dw(0, 0xc08, 4, 0x55555555);			/* bits 2n are reserved */
	assert_int_equal(dr(0, 0xc08, 4), 0);

	vgic_init(&g, 3, 2, 32, mpidr2);
	assert_int_equal(rr(0, SGI_BASE + 0xc00, 4), 0xaaaaaaaa);
	rw(0, FRAME(1) + SGI_BASE + 0xc04, 4, 0x80000000);
	assert_true(irq(1, 31)->edge);
	assert_false(irq(0, 31)->edge);
	assert_int_equal(rr(0, FRAME(1) + SGI_BASE + 0xc04, 4), 0x80000000);
}

/* ---- SGIs ----------------------------------------------------------------- */

static void test_v2_sgir(void **state)
{
	(void)state;
	vgic_init(&g, 2, 4, 32, NULL);
	dw(0, 0x000, 4, 1);
	for (unsigned v = 0; v < 4; v++)
		dw(v, 0x100, 4, 0xffff);

	/* Filter 0: the target list. */
	assert_int_equal(dw(0, 0xf00, 4, 0x06u << 16 | 3), 0x6);
	assert_int_equal(irq(1, 3)->sgi_sources, 0x1);
	assert_int_equal(irq(2, 3)->sgi_sources, 0x1);
	assert_int_equal(irq(0, 3)->sgi_sources, 0);
	assert_int_equal(irq(3, 3)->sgi_sources, 0);
	/* Filter 1: everyone but the sender. */
	assert_int_equal(dw(1, 0xf00, 4, 1u << 24 | 0xffu << 16 | 3), 0xd);
	assert_int_equal(irq(0, 3)->sgi_sources, 0x2);
	assert_int_equal(irq(1, 3)->sgi_sources, 0x1);
	assert_int_equal(irq(2, 3)->sgi_sources, 0x3);
	assert_int_equal(irq(3, 3)->sgi_sources, 0x2);
	/* Filter 2: the sender only. */
	assert_int_equal(dw(3, 0xf00, 4, 2u << 24 | 0xffu << 16 | 5), 0x8);
	assert_int_equal(irq(3, 5)->sgi_sources, 0x8);
	/* Filter 3 is reserved; CPUs that do not exist are dropped. */
	assert_int_equal(dw(0, 0xf00, 4, 3u << 24 | 0xffu << 16 | 7), 0);
	assert_int_equal(dw(0, 0xf00, 4, 0xf0u << 16 | 7), 0);
	for (unsigned v = 0; v < 4; v++)
		assert_int_equal(irq(v, 7)->sgi_sources, 0);
	assert_int_equal(dr(0, 0xf00, 4), 0);		/* write-only */

	/* SPENDSGIR/CPENDSGIR: a byte per SGI of the reader, a bit per source. */
	assert_int_equal(dr(2, 0xf20, 4), 0x03000000);
	assert_int_equal(dr(2, 0xf13, 1), 0x03);
	assert_int_equal(dr(2, 0x200, 4), 1u << 3);
	dw(2, 0xf13, 1, 0x1);
	assert_int_equal(irq(2, 3)->sgi_sources, 0x2);
	assert_int_equal(dw(2, 0xf20, 4, 0x0fu << 8), 1u << 2);
	assert_int_equal(irq(2, 1)->sgi_sources, 0x0f);
	dw(2, 0xf22, 1, 0xf0);
	assert_int_equal(irq(2, 2)->sgi_sources, 0);

	/* A disabled SGI goes pending without a kick. */
	dw(1, 0x180, 4, 1u << 4);
	assert_int_equal(dw(0, 0xf00, 4, 0x02u << 16 | 4), 0);
	assert_int_equal(irq(1, 4)->sgi_sources, 0x1);
}

static void test_v2_sgi_sources_in_lrs(void **state)
{
	struct vgic_lr lr[4];

	(void)state;
	vgic_init(&g, 2, 4, 32, NULL);
	dw(0, 0x000, 4, 1);
	dw(2, 0x100, 4, 1u << 3);
	dw(0, 0xf00, 4, 0x04u << 16 | 3);
	dw(1, 0xf00, 4, 0x04u << 16 | 3);
	assert_int_equal(irq(2, 3)->sgi_sources, 0x3);

	/* One source per list register, the lowest first. */
	assert_int_equal(vgic_collect(&g, 2, lr, 4), 1);
	assert_lr(&lr[0], 3, true, false);
	assert_int_equal(lr[0].source, 0);
	assert_true(lr[0].eoi_maint);		/* source 1 still waits */
	assert_false(lr[0].group1);
	assert_int_equal(irq(2, 3)->sgi_sources, 0x2);
	assert_false(vgic_deliverable(&g, 2));
	assert_int_equal(vgic_collect(&g, 2, lr, 4), 0);

	/* Taken: active from source 0.  It keeps its source; 1 waits. */
	fold(2, 3, 0, false, true);
	assert_int_equal(irq(2, 3)->active_source, 0);
	assert_int_equal(vgic_collect(&g, 2, lr, 4), 1);
	assert_lr(&lr[0], 3, false, true);
	assert_int_equal(lr[0].source, 0);
	assert_true(lr[0].eoi_maint);

	/* Deactivated: source 1 now. */
	fold(2, 3, 0, false, false);
	assert_int_equal(vgic_collect(&g, 2, lr, 4), 1);
	assert_lr(&lr[0], 3, true, false);
	assert_int_equal(lr[0].source, 1);
	assert_false(lr[0].eoi_maint);
	assert_int_equal(irq(2, 3)->sgi_sources, 0);

	/* Not taken: the source bit comes back. */
	fold(2, 3, 1, true, false);
	assert_int_equal(irq(2, 3)->sgi_sources, 0x2);
	assert_false(irq(2, 3)->in_lr);

	/* Active from source 2 and pending again from source 2: one LR. */
	vgic_collect(&g, 2, lr, 4);
	fold(2, 3, 1, false, false);
	dw(2, 0xf23, 1, 0x4);
	vgic_collect(&g, 2, lr, 4);
	fold(2, 3, 2, false, true);
	dw(2, 0xf23, 1, 0x4);
	assert_int_equal(vgic_collect(&g, 2, lr, 4), 1);
	assert_lr(&lr[0], 3, true, true);
	assert_int_equal(lr[0].source, 2);
	assert_false(lr[0].eoi_maint);
}

static void test_v3_sgi1r(void **state)
{
	static const uint64_t mpidr[] = {
		0x000, 0x001, 0x100, 0x101, 0x0100000011ull,	/* Aff3 1, Aff0 17 */
	};
	uint64_t sgi5 = 5ull << 24;

	(void)state;
	vgic_init(&g, 3, 5, 32, mpidr);
	dw(0, 0x000, 4, 0x13);
	for (unsigned v = 0; v < 5; v++)
		rw(0, FRAME(v) + SGI_BASE + 0x100, 4, 0xffff);

	/* Aff1 = 1, target list bit 1: MPIDR 0.0.1.1. */
	assert_int_equal(vgic_sgi1r(&g, 0, 1ull << 16 | sgi5 | 0x2), 1u << 3);
	assert_true(irq(3, 5)->pending_latch);
	assert_false(irq(1, 5)->pending_latch);
	/* Aff1 = 0, bits 0 and 1. */
	assert_int_equal(vgic_sgi1r(&g, 0, sgi5 | 0x3), 0x3);
	/* IRM: everyone but the sender. */
	assert_int_equal(vgic_sgi1r(&g, 2, 1ull << 40 | sgi5), 0x1b);
	assert_false(irq(2, 5)->pending_latch);
	/* Aff3 = 1, RS = 1 (Aff0 16-31), bit 1: Aff0 17. */
	assert_int_equal(vgic_sgi1r(&g, 0, 1ull << 48 | 1ull << 44 | sgi5 | 0x2), 1u << 4);
	assert_true(irq(4, 5)->pending_latch);
	/* RS = 0 does not reach Aff0 17; Aff2 matches nobody. */
	assert_int_equal(vgic_sgi1r(&g, 0, 1ull << 48 | sgi5 | 0x2), 0);
	assert_int_equal(vgic_sgi1r(&g, 0, 1ull << 32 | sgi5 | 0xffff), 0);
	/* The INTID field: SGI 15. */
	assert_int_equal(vgic_sgi1r(&g, 0, 15ull << 24 | 0x2), 1u << 1);
	assert_true(irq(1, 15)->pending_latch);
	/* Group 1 disabled: pending, no kick. */
	dw(0, 0x000, 4, 0);
	assert_int_equal(vgic_sgi1r(&g, 0, 7ull << 24 | 0x2), 0);
	assert_true(irq(1, 7)->pending_latch);
	assert_int_equal(rr(0, FRAME(1) + SGI_BASE + 0x200, 4), 1u << 15 | 1u << 7 | 1u << 5);
	assert_int_equal(vgic_sgi1r(&g, 5, sgi5 | 0x1), 0);	/* no such sender */
}

/* ---- redistributor -------------------------------------------------------- */

static void test_redist_frames(void **state)
{
	static const uint64_t mpidr[] = { 0x0, 0x1, 0x0100020304ull };
	uint64_t val;

	(void)state;
	vgic_init(&g, 3, 3, 32, mpidr);
	for (unsigned f = 0; f < 3; f++) {
		assert_int_equal(rr(0, FRAME(f) + 0xffe8, 4), 0x3b);
		assert_int_equal(rr(0, FRAME(f) + 0x0000, 4), 0);	/* CTLR: RWP 0 */
		assert_int_equal(rr(0, FRAME(f) + 0x0004, 4), 0x4d00043b);
	}
	/* TYPER: affinity 63:32, Processor_Number 23:8, Last (bit 4) on the
	 * last frame only; no PLPIS/VLPIS. */
	assert_int_equal(rr(0, FRAME(0) + 8, 8), 0);
	assert_int_equal(rr(0, FRAME(1) + 8, 8), 0x0000000100000100ull);
	assert_int_equal(rr(1, FRAME(2) + 8, 8), 0x0102030400000210ull);
	assert_int_equal(rr(2, FRAME(2) + 8, 4), 0x210);
	assert_int_equal(rr(2, FRAME(2) + 12, 4), 0x01020304);

	/* WAKER: asleep at reset; ChildrenAsleep follows ProcessorSleep. */
	assert_int_equal(rr(1, FRAME(1) + 0x14, 4), 0x6);
	rw(1, FRAME(1) + 0x14, 4, 0);
	assert_int_equal(rr(1, FRAME(1) + 0x14, 4), 0);
	assert_int_equal(rr(1, FRAME(0) + 0x14, 4), 0x6);
	rw(1, FRAME(1) + 0x14, 4, 0x2);
	assert_int_equal(rr(1, FRAME(1) + 0x14, 4), 0x6);

	/* SGI_base: the frame's vCPU, whoever accesses it. */
	assert_int_equal(rr(0, FRAME(1) + SGI_BASE + 0x080, 4), 0xffffffff);
	rw(0, FRAME(1) + SGI_BASE + 0x100, 4, 1u << 20);
	assert_true(irq(1, 20)->enabled);
	assert_false(irq(0, 20)->enabled);
	assert_int_equal(rr(2, FRAME(1) + SGI_BASE + 0x180, 4), 1u << 20);
	rw(0, FRAME(1) + SGI_BASE + 0x180, 4, 1u << 20);
	assert_false(irq(1, 20)->enabled);
	rw(0, FRAME(0) + SGI_BASE + 0x200, 4, 1u << 2);	/* SGI pending via ISPENDR0 */
	assert_true(irq(0, 2)->pending_latch);
	assert_int_equal(rr(0, SGI_BASE + 0x280, 4), 1u << 2);
	rw(0, SGI_BASE + 0x280, 4, 1u << 2);
	assert_false(irq(0, 2)->pending_latch);
	rw(0, SGI_BASE + 0x300, 4, 1u << 30);
	assert_true(irq(0, 30)->active);
	rw(0, SGI_BASE + 0x380, 4, 1u << 30);
	assert_false(irq(0, 30)->active);
	rw(0, SGI_BASE + 0xd00, 4, 0xffffffff);		/* IGRPMODR0: RAZ/WI */
	assert_int_equal(rr(0, SGI_BASE + 0xd00, 4), 0);
	assert_int_equal(rr(0, SGI_BASE + 0xe00, 4), 0);
	/* SGI_base holds INTIDs 0-31 only. */
	assert_false(redist_ok(0, SGI_BASE + 0x104, 4, false, &val));
	assert_false(redist_ok(0, SGI_BASE + 0x420, 4, false, &val));

	/* No LPIs, nothing past the last frame, no byte enables. */
	assert_false(redist_ok(0, 0x70, 8, false, &val));
	assert_false(redist_ok(0, FRAME(3), 4, false, &val));
	assert_false(redist_ok(0, FRAME(3) + 0xffe8, 4, false, &val));
	assert_false(redist_ok(0, SGI_BASE + 0x100, 1, false, &val));
	assert_false(redist_ok(3, 0xffe8, 4, false, &val));
}

/* ---- list registers -------------------------------------------------------- */

/* One vCPU, GICv3, both groups on; intid enabled at prio, made pending. */
static void pend(unsigned intid, uint8_t prio)
{
	struct virq *q = irq(0, intid);

	q->enabled = true;
	q->priority = prio;
	q->pending_latch = true;
}

static void test_collect_order(void **state)
{
	static const unsigned want[] = { 35, 20, 33, 40, 1 };
	struct vgic_lr lr[8];

	(void)state;
	vgic_init(&g, 3, 1, 64, NULL);
	dw(0, 0x000, 4, 0x13);
	pend(40, 0x80);
	pend(35, 0x40);
	pend(33, 0x80);
	pend(1, 0xa0);
	irq(0, 20)->enabled = true;
	irq(0, 20)->priority = 0x80;
	vgic_set_level(&g, 0, 20, true);

	assert_int_equal(vgic_collect(&g, 0, lr, 8), 5);
	for (unsigned i = 0; i < 5; i++)
		assert_lr(&lr[i], want[i], true, false);
	assert_int_equal(lr[0].priority, 0x40);
	assert_true(lr[0].group1);

	/* Truncated: the best two, the rest stays deliverable. */
	for (unsigned i = 0; i < 5; i++)
		fold(0, want[i], 0, true, false);
	assert_int_equal(vgic_collect(&g, 0, lr, 2), 2);
	assert_lr(&lr[0], 35, true, false);
	assert_lr(&lr[1], 20, true, false);
	assert_true(vgic_deliverable(&g, 0));
	assert_int_equal(vgic_collect(&g, 0, lr, 2), 2);
	assert_lr(&lr[0], 33, true, false);
	assert_lr(&lr[1], 40, true, false);
	assert_int_equal(vgic_collect(&g, 0, lr, 2), 1);
	assert_lr(&lr[0], 1, true, false);
	assert_false(vgic_deliverable(&g, 0));
	assert_int_equal(vgic_collect(&g, 0, lr, 2), 0);
	assert_int_equal(vgic_collect(&g, 0, lr, 0), 0);
}

static void test_collect_exclusions(void **state)
{
	struct vgic_lr lr[8];

	(void)state;
	vgic_init(&g, 3, 2, 32, mpidr2);
	dw(0, 0x000, 4, 0x2);				/* Group 1 only */
	irq(0, 32)->pending_latch = true;		/* pending, disabled */
	pend(33, 0);
	dw(0, 0x084, 4, 0xfffffffd);			/* 33 in Group 0 */
	pend(34, 0);
	dw(0, IROUTER(34), 8, 0x1);			/* 34 to vCPU 1 */
	irq(0, 36)->active = true;			/* active, disabled */
	irq(0, 36)->pending_latch = true;

	assert_int_equal(vgic_collect(&g, 0, lr, 8), 1);
	assert_lr(&lr[0], 36, false, true);
	assert_false(vgic_deliverable(&g, 0));
	assert_true(vgic_deliverable(&g, 1));

	/* Enabling Group 0 kicks vCPU 0 for SPI 33. */
	assert_int_equal(dw(0, 0x000, 4, 0x3), 0x3);
	assert_int_equal(vgic_collect(&g, 0, lr, 8), 1);
	assert_lr(&lr[0], 33, true, false);
	assert_false(lr[0].group1);
	/* Held in list registers: not offered twice. */
	assert_int_equal(vgic_collect(&g, 0, lr, 8), 0);
	assert_int_equal(vgic_collect(&g, 1, lr, 8), 1);
	assert_lr(&lr[0], 34, true, false);
	assert_int_equal(vgic_collect(&g, 1, lr, 8), 0);
	assert_int_equal(vgic_collect(&g, 2, lr, 8), 0);
}

static void test_fold_edge(void **state)
{
	struct vgic_lr lr[4];

	(void)state;
	vgic_init(&g, 3, 1, 32, NULL);
	dw(0, 0x000, 4, 0x13);
	dw(0, 0xc08, 4, 2u << (2 * 8));			/* SPI 40 edge */
	dw(0, 0x104, 4, 1u << 8);
	assert_true(irq(0, 40)->edge);
	assert_int_equal(vgic_inject_edge(&g, 0, 40), 1);

	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 40, true, false);
	assert_false(lr[0].eoi_maint);
	assert_false(irq(0, 40)->pending_latch);	/* moved into the LR */
	assert_false(vgic_deliverable(&g, 0));

	/* A new edge while in the LR latches again (and kicks). */
	assert_int_equal(vgic_inject_edge(&g, 0, 40), 1);
	assert_true(irq(0, 40)->pending_latch);
	fold(0, 40, 0, false, true);
	assert_true(irq(0, 40)->active);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 40, true, true);
	assert_false(irq(0, 40)->pending_latch);

	/* Pending not taken goes back into the latch. */
	fold(0, 40, 0, true, false);
	assert_true(irq(0, 40)->pending_latch);
	assert_false(irq(0, 40)->active);
	assert_false(irq(0, 40)->in_lr);
	assert_int_equal(dr(0, 0x204, 4), 1u << 8);

	/* Edges on the line: rising only. */
	vgic_init(&g, 3, 1, 32, NULL);
	dw(0, 0xc08, 4, 2u << (2 * 8));
	vgic_set_level(&g, 0, 40, true);
	assert_true(irq(0, 40)->pending_latch);
	irq(0, 40)->pending_latch = false;
	vgic_set_level(&g, 0, 40, true);
	vgic_set_level(&g, 0, 40, false);
	assert_false(irq(0, 40)->pending_latch);
}

static void test_fold_level(void **state)
{
	struct vgic_lr lr[4];

	(void)state;
	vgic_init(&g, 3, 1, 32, NULL);
	dw(0, 0x000, 4, 0x13);
	dw(0, 0x104, 4, 0xff);

	/* Line high: pending; acknowledged with the line high: P+A. */
	assert_int_equal(vgic_set_level(&g, 0, 33, true), 1);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 33, true, false);
	assert_true(lr[0].eoi_maint);
	fold(0, 33, 0, false, true);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 33, true, true);
	/* Line lowered, guest EOIs: nothing left. */
	vgic_set_level(&g, 0, 33, false);
	fold(0, 33, 0, true, false);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 0);

	/* ISPENDR on a level interrupt: consumed once acknowledged. */
	dw(0, 0x204, 4, 1u << 2);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 34, true, false);
	assert_true(irq(0, 34)->pending_latch);
	fold(0, 34, 0, false, true);
	assert_false(irq(0, 34)->pending_latch);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 34, false, true);
	fold(0, 34, 0, false, false);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 0);

	/* Active while disabled: the latch was never handed out, so kept. */
	dw(0, 0x184, 4, 1u << 3);
	dw(0, 0x204, 4, 1u << 3);
	dw(0, 0x304, 4, 1u << 3);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 35, false, true);
	fold(0, 35, 0, false, false);
	assert_true(irq(0, 35)->pending_latch);
	assert_int_equal(dr(0, 0x204, 4), 1u << 3);

	/* Hardware-linked level: no EOI maintenance; the line is consumed. */
	irq(0, 36)->hw = true;
	irq(0, 36)->hw_intid = 70;
	vgic_set_level(&g, 0, 36, true);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 36, true, false);
	assert_true(lr[0].hw);
	assert_int_equal(lr[0].hw_intid, 70);
	assert_false(lr[0].eoi_maint);
	fold(0, 36, 0, false, true);
	assert_false(irq(0, 36)->line_level);
	assert_true(irq(0, 36)->active);
	/* Raised again while active: not pending+active in a hw LR. */
	vgic_set_level(&g, 0, 36, true);
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 36, false, true);
	fold(0, 36, 0, false, false);			/* guest deactivated */
	assert_true(irq(0, 36)->line_level);		/* not handed out: kept */
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	assert_lr(&lr[0], 36, true, false);
}

static void test_deliverable_kicks(void **state)
{
	(void)state;
	vgic_init(&g, 3, 2, 64, mpidr2);
	dw(0, IROUTER(50), 8, 0x1);
	dw(0, 0x104, 4, 1u << 18);
	assert_int_equal(vgic_set_level(&g, 0, 50, true), 0);	/* groups off */
	assert_false(vgic_deliverable(&g, 1));
	assert_int_equal(dw(0, 0x000, 4, 0x2), 1u << 1);
	assert_true(vgic_deliverable(&g, 1));
	assert_false(vgic_deliverable(&g, 0));
	assert_int_equal(dw(0, 0x184, 4, 1u << 18), 0);
	assert_false(vgic_deliverable(&g, 1));
	assert_int_equal(dw(0, 0x104, 4, 1u << 18), 1u << 1);
	assert_int_equal(dw(0, 0x432, 1, 0x10), 1u << 1);	/* priority change */
	assert_int_equal(vgic_set_level(&g, 0, 50, true), 0);	/* no new edge */

	/* PPIs: per vCPU. */
	rw(0, SGI_BASE + 0x100, 4, 1u << 20);
	assert_int_equal(vgic_set_level(&g, 0, 20, true), 1u << 0);
	assert_int_equal(vgic_set_level(&g, 1, 20, true), 0);	/* vCPU 1's: disabled */

	/* Ignored: SGIs, INTIDs out of range, vCPUs that do not exist. */
	assert_int_equal(vgic_inject_edge(&g, 0, 3), 0);
	assert_int_equal(vgic_set_level(&g, 0, 3, true), 0);
	assert_int_equal(vgic_inject_edge(&g, 0, 96), 0);
	assert_int_equal(vgic_set_level(&g, 2, 20, true), 0);
	assert_null(vgic_irq(&g, 2, 20));
	assert_null(vgic_irq(&g, 0, 96));
	assert_non_null(vgic_irq(&g, 7, 95));
	assert_false(vgic_deliverable(&g, 2));
	assert_int_equal(vgic_collect(&g, 2, NULL, 4), 0);
}

/* An SPI moved to another vCPU while in a list register: whoever folds it
 * back kicks the new target, which could not take it before (in_lr) and
 * would otherwise not look again. */
static void test_fold_kicks_new_target(void **state)
{
	struct vgic_lr lr[4];
	struct vgic_lr held;

	(void)state;
	vgic_init(&g, 3, 2, 64, mpidr2);
	dw(0, 0x000, 4, 0x12);
	dw(0, 0x104, 4, 1u << 8);			/* SPI 40 enabled, to vCPU 0 */
	dw(0, 0x204, 4, 1u << 8);			/* and pending */
	assert_int_equal(vgic_collect(&g, 0, lr, 4), 1);
	held = lr[0];
	assert_int_equal(dw(1, IROUTER(40), 8, 0x1), (1u << 0) | (1u << 1));
	assert_int_equal(vgic_collect(&g, 1, lr, 4), 0);	/* still vCPU 0's LR */
	assert_false(vgic_deliverable(&g, 1));
	assert_int_equal(vgic_fold(&g, 0, &held), 1u << 1);
	assert_true(vgic_deliverable(&g, 1));
	assert_int_equal(vgic_collect(&g, 1, lr, 4), 1);
	assert_lr(&lr[0], 40, true, false);
	/* Folding where it still belongs kicks nobody. */
	assert_int_equal(vgic_fold(&g, 1, &lr[0]), 0);
}

static void test_access_checks(void **state)
{
	uint64_t val;
	uint32_t kick = 0xffffffff;

	(void)state;
	vgic_init(&g, 2, 4, 64, NULL);
	val = 0x1234;
	assert_false(dist_ok(0, 0x400, 2, false, &val));	/* halfword */
	assert_false(dist_ok(0, 0x401, 4, false, &val));	/* misaligned */
	assert_false(dist_ok(0, 0x100, 8, false, &val));	/* 64-bit on 32-bit */
	assert_false(dist_ok(0, 0x100, 1, false, &val));	/* byte on a bit register */
	assert_false(dist_ok(0, 0x100, 3, false, &val));
	assert_false(dist_ok(4, 0x100, 4, false, &val));	/* no such vCPU */
	assert_false(dist_ok(0, 0x10000, 4, false, &val));
	val = 0x1234;
	assert_false(vgic_dist_access(&g, 0, 0x040, 4, false, &val, &kick));
	assert_int_equal(val, 0);				/* RAZ */
	assert_int_equal(kick, 0);
	assert_false(vgic_dist_access(&g, 0, 0xd00, 4, true, &val, &kick));
	val = 0;
	assert_true(dist_ok(0, 0xe00, 4, false, &val));		/* NSACR: RAZ/WI */
	/* Writes are truncated to the access size. */
	dw(0, 0x404, 1, 0x1ff);
	assert_int_equal(dr(0, 0x404, 4), 0xff);
}

/* ---- Linux's probe sequences, end to end ---------------------------------- */

/* irq-gic.c: gic_init_bases(), gic_dist_init(), gic_cpu_init(). */
static void test_linux_v2_probe(void **state)
{
	struct vgic_lr lr[4];
	unsigned lines;
	uint32_t mask = 0, cpumask;

	(void)state;
	vgic_init(&g, 2, 2, 64, NULL);
	lines = ((dr(0, 0x004, 4) & 0x1f) + 1) * 32;
	assert_int_equal(lines, 96);
	dw(0, 0x000, 4, 0);
	for (unsigned i = 0; i < 32 && !mask; i += 4) {
		mask = (uint32_t)dr(0, 0x800 + i, 4);
		mask |= mask >> 16;
		mask |= mask >> 8;
	}
	assert_int_equal(mask & 0xff, 0x01);
	cpumask = (mask & 0xff) * 0x01010101u;
	for (unsigned i = 32; i < lines; i += 4)
		dw(0, 0x800 + i, 4, cpumask);
	for (unsigned i = 32; i < lines; i += 16)
		dw(0, 0xc00 + i / 4, 4, 0);
	for (unsigned i = 32; i < lines; i += 4)
		dw(0, 0x400 + i, 4, 0xa0a0a0a0);
	for (unsigned i = 32; i < lines; i += 32) {
		dw(0, 0x380 + i / 8, 4, 0xffffffff);
		dw(0, 0x180 + i / 8, 4, 0xffffffff);
	}
	dw(0, 0x000, 4, 1);
	for (unsigned v = 0; v < 2; v++) {
		assert_int_equal(dr(v, 0x800, 4) & 0xff, 1u << v);
		dw(v, 0x380, 4, 0xffffffff);
		dw(v, 0x180, 4, 0xffff0000);
		dw(v, 0x100, 4, 0x0000ffff);
		for (unsigned i = 0; i < 32; i += 4)
			dw(v, 0x400 + i, 4, 0xa0a0a0a0);
	}
	assert_int_equal(irq(0, 95)->target, 0);

	/* An edge SPI moved to CPU 1 (writeb), unmasked, fired. */
	dw(0, 0xc08, 4, (uint32_t)dr(0, 0xc08, 4) | 2u << (2 * 8));
	dw(0, 0x828, 1, 0x02);
	dw(0, 0x104, 4, 1u << 8);
	assert_int_equal(vgic_inject_edge(&g, 0, 40), 1u << 1);
	assert_int_equal(vgic_collect(&g, 1, lr, 4), 1);
	assert_lr(&lr[0], 40, true, false);
	assert_int_equal(lr[0].priority, 0xa0);
	assert_false(lr[0].group1);

	/* An IPI from CPU 0 to CPU 1. */
	assert_int_equal(dw(0, 0xf00, 4, 0x02u << 16 | 1), 1u << 1);
	assert_int_equal(vgic_collect(&g, 1, lr, 4), 1);
	assert_lr(&lr[0], 1, true, false);
	assert_int_equal(lr[0].source, 0);
}

/* irq-gic-v3.c: gic_of_init() to gic_cpu_init() on each CPU. */
static void test_linux_v3_probe(void **state)
{
	static const uint64_t mpidr[] = { 0x80000000, 0x80000001, 0x80000100 };
	struct vgic_lr lr[4];
	unsigned lines;
	uint32_t typer;

	(void)state;
	vgic_init(&g, 3, 3, 64, mpidr);
	assert_int_equal(dr(0, 0xffe8, 4) & 0xf0, 0x30);
	typer = (uint32_t)dr(0, 0x004, 4);
	lines = ((typer & 0x1f) + 1) * 32;
	assert_int_equal(lines, 96);
	dr(0, 0x008, 4);
	dr(0, 0x00c, 4);
	dw(0, 0x000, 4, 0);
	assert_int_equal(dr(0, 0x000, 4) & 0x80000000u, 0);
	for (unsigned i = 32; i < lines; i += 32)
		dw(0, 0x080 + i / 8, 4, 0xffffffff);
	for (unsigned i = 32; i < lines; i += 16)
		dw(0, 0xc00 + i / 4, 4, 0);
	for (unsigned i = 32; i < lines; i += 4)
		dw(0, 0x400 + i, 4, 0xa0a0a0a0);
	for (unsigned i = 32; i < lines; i += 32) {
		dw(0, 0x380 + i / 8, 4, 0xffffffff);
		dw(0, 0x180 + i / 8, 4, 0xffffffff);
	}
	dw(0, 0x000, 4, 0x13);
	assert_int_equal(dr(0, 0x000, 4) & 0x80000000u, 0);
	for (unsigned i = 32; i < lines; i++)
		dw(0, IROUTER(i), 8, 0);

	for (unsigned cpu = 0; cpu < 3; cpu++) {
		uint64_t aff = (mpidr[cpu] & 0xff0000) | (mpidr[cpu] & 0xffff);
		uint32_t ptr = 0, rd = 0xffffffff, waker;
		uint64_t t;

		assert_int_equal(rr(cpu, 0xffe8, 4) & 0xf0, 0x30);
		do {
			t = rr(cpu, ptr + 8, 8);
			assert_false(t & 0x3);		/* no PLPIS/VLPIS */
			if ((t >> 32) == aff && rd == 0xffffffff)
				rd = ptr;
			ptr += VGIC_REDIST_FRAME_SIZE;
		} while (!(t & 0x10));
		assert_int_equal(ptr, FRAME(3));
		assert_int_equal(rd, FRAME(cpu));
		waker = (uint32_t)rr(cpu, rd + 0x14, 4) & ~0x2u;
		rw(cpu, rd + 0x14, 4, waker);
		assert_int_equal(rr(cpu, rd + 0x14, 4) & 0x4, 0);
		rw(cpu, rd + SGI_BASE + 0x080, 4, 0xffffffff);
		rw(cpu, rd + SGI_BASE + 0x380, 4, 0xffffffff);
		rw(cpu, rd + SGI_BASE + 0x180, 4, 0xffff0000);
		rw(cpu, rd + SGI_BASE + 0x100, 4, 0x0000ffff);
		for (unsigned i = 0; i < 32; i += 4)
			rw(cpu, rd + SGI_BASE + 0x400 + i, 4, 0xa0a0a0a0);
		assert_int_equal(rr(cpu, rd, 4) & 0x8, 0);	/* GICR_CTLR.RWP */
	}

	/* An IPI from CPU 0 to CPU 2 (cluster 0.0.1, target list bit 0). */
	assert_int_equal(vgic_sgi1r(&g, 0, 1ull << 16 | 1ull << 24 | 0x1), 1u << 2);
	assert_int_equal(vgic_collect(&g, 2, lr, 4), 1);
	assert_lr(&lr[0], 1, true, false);
	assert_true(lr[0].group1);
	assert_int_equal(lr[0].priority, 0xa0);

	/* An edge SPI routed to CPU 1 by gic_set_affinity(), unmasked, fired. */
	dw(0, 0xc08, 4, (uint32_t)dr(0, 0xc08, 4) | 2u << (2 * 8));
	assert_int_equal(dr(0, 0x104, 4) & (1u << 8), 0);
	dw(0, IROUTER(40), 8, 0x1);
	dw(0, 0x104, 4, 1u << 8);
	assert_int_equal(vgic_inject_edge(&g, 0, 40), 1u << 1);
	assert_int_equal(vgic_collect(&g, 1, lr, 4), 1);
	assert_lr(&lr[0], 40, true, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_ids),
		cmocka_unit_test(test_v3_ids),
		cmocka_unit_test(test_v3_dist_private_raz_wi),
		cmocka_unit_test(test_enable_pending_active),
		cmocka_unit_test(test_priority_bytes),
		cmocka_unit_test(test_itargetsr),
		cmocka_unit_test(test_irouter),
		cmocka_unit_test(test_icfgr),
		cmocka_unit_test(test_v2_sgir),
		cmocka_unit_test(test_v2_sgi_sources_in_lrs),
		cmocka_unit_test(test_v3_sgi1r),
		cmocka_unit_test(test_redist_frames),
		cmocka_unit_test(test_collect_order),
		cmocka_unit_test(test_collect_exclusions),
		cmocka_unit_test(test_fold_edge),
		cmocka_unit_test(test_fold_level),
		cmocka_unit_test(test_deliverable_kicks),
		cmocka_unit_test(test_fold_kicks_new_target),
		cmocka_unit_test(test_access_checks),
		cmocka_unit_test(test_linux_v2_probe),
		cmocka_unit_test(test_linux_v3_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
