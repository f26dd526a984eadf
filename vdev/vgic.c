// SPDX-License-Identifier: MIT
/*
 * The virtual GIC distributor (GICv2 and GICv3) and GICv3 redistributor:
 * guest MMIO on a pure state machine, and the hand-over of interrupts to
 * and from the list registers (vgic.h says who calls what).
 *
 * GICv2: IHI0048B.b ch. 4 (programmers' model): §4.1.2 register map, §4.3
 * distributor registers (GICD_CTLR §4.3.1 ... GICD_SPENDSGIRn §4.3.17),
 * §4.3.15 GICD_SGIR; §5.3 the GICV/GICH list registers this feeds.
 * GICv3: IHI0069 ch. 12 (GICD_* and GICR_* register descriptions), with
 * one Security state (GICD_CTLR.DS == 1) and affinity routing always on
 * (GICD_CTLR.ARE == 1): the GICD registers of SGIs and PPIs are RAZ/WI and
 * those live in each vCPU's redistributor (RD_base + SGI_base frames).
 * No LPIs, no ITS, no extended SPI/PPI ranges, no MBIs.
 *
 * Everything here is reachable from the guest: no access can fail other
 * than by returning false (the caller logs it; RAZ/WI).
 */
#include <string.h>

#include <mv/types.h>

#include "vgic.h"

static_assert(VGIC_MAX_VCPUS <= 8,
	      "GICv2 target and SGI source masks are one byte per interrupt");
static_assert(VGIC_TARGET_NONE >= VGIC_MAX_VCPUS, "VGIC_TARGET_NONE names no vCPU");
static_assert(VGIC_MAX_SPIS % 32 == 0 && VGIC_NR_PRIVATE + VGIC_MAX_SPIS <= 1020,
	      "SPIs come in groups of 32 and stop below the special INTIDs");

#define VCPU_BIT(v)		((uint32_t)1 << (v))
#define NR_SGIS			16
#define NR_IDS			1020	/* INTIDs 1020-1023 are special */

/* GICD_CTLR: GICv2 §4.3.1 (no Security Extensions); GICv3 with DS == 1. */
#define CTLR_EN_GRP0		(1u << 0)
#define CTLR_EN_GRP1		(1u << 1)
#define CTLR_ARE		(1u << 4)
#define CTLR_DS			(1u << 6)

/* GICD_TYPER */
#define TYPER_CPUS_SHIFT	5
#define TYPER_IDBITS_SHIFT	19
#define TYPER_A3V		(1u << 24)
#define TYPER_RSS		(1u << 26)

/* GICD_IIDR/GICR_IIDR: Arm's JEP106 code, product 'M' (no Linux quirk
 * table matches it; HIP07's matches an all-zero IIDR). */
#define IIDR_VALUE		(0x4du << 24 | 0x43b)

/* GICD_SGIR (GICv2 §4.3.15) */
#define SGIR_FILTER_SHIFT	24
#define SGIR_TARGETS_SHIFT	16
#define SGIR_INTID_MASK		0xfu

/* GICD_IROUTER and MPIDR share the affinity layout: Aff3 39:32, Aff2
 * 23:16, Aff1 15:8, Aff0 7:0. */
#define AFF_MASK		0xff00ffffffull
#define IROUTER_IRM		(1ull << 31)
#define IROUTER_MASK		(AFF_MASK | IROUTER_IRM)
#define IROUTER_BASE		0x6000	/* GICD_IROUTER<n> at 0x6000 + 8n */

/* ICC_SGI1R_EL1 (IHI0069 ch. 12, ICC_SGI1R_EL1) */
#define SGI1R_TARGETS_MASK	0xffffull
#define SGI1R_AFF1_SHIFT	16
#define SGI1R_INTID_SHIFT	24
#define SGI1R_AFF2_SHIFT	32
#define SGI1R_IRM		(1ull << 40)
#define SGI1R_RS_SHIFT		44
#define SGI1R_AFF3_SHIFT	48

/* GICR_TYPER, GICR_WAKER */
#define GICR_TYPER_LAST		(1ull << 4)
#define GICR_TYPER_PROC_SHIFT	8
#define GICR_TYPER_AFF_SHIFT	32
#define WAKER_PROCESSOR_SLEEP	(1u << 1)
#define WAKER_CHILDREN_ASLEEP	(1u << 2)

#define SGI_BASE		0x10000	/* SGI_base frame within a GICR frame */

/* Which accesses a register takes: the bits are the sizes themselves. */
#define SZ_B			1u
#define SZ_W			4u
#define SZ_D			8u

#define V2			(1u << 2)
#define V3			(1u << 3)

/* The bit-per-interrupt registers (IGROUPR .. ICACTIVER) */
enum bitreg { BR_GROUP, BR_SENABLE, BR_CENABLE, BR_SPEND, BR_CPEND, BR_SACTIVE, BR_CACTIVE };

/* Who is looking at which interrupts. */
struct view {
	struct vgic *g;
	unsigned vcpu;		/* the accessing vCPU */
	unsigned owner;		/* whose SGIs/PPIs: the accessor, or the GICR frame's vCPU */
	bool redist;		/* a GICR SGI_base frame: private INTIDs only */
};

struct reg;
typedef uint32_t reg_fn(const struct view *v, const struct reg *r, uint32_t off,
			unsigned size, bool write, uint64_t *val);

struct reg {
	uint32_t base;
	uint32_t len;
	uint8_t sizes;		/* SZ_* allowed */
	uint8_t versions;	/* V2 | V3 */
	uint8_t arg;
	reg_fn *fn;
};

/* ---- interrupt state ----------------------------------------------------- */

static bool is_v2_sgi(const struct vgic *g, const struct virq *q)
{
	return g->version == 2 && q->intid < NR_SGIS;
}

static bool irq_pending(const struct vgic *g, const struct virq *q)
{
	if (is_v2_sgi(g, q))
		return q->sgi_sources != 0;
	return q->pending_latch || (!q->edge && q->line_level);
}

static bool group_enabled(const struct vgic *g, const struct virq *q)
{
	return g->ctlr & (q->group1 ? CTLR_EN_GRP1 : CTLR_EN_GRP0);
}

/* Pending, enabled, group enabled and routed somewhere (in_lr aside). */
static bool irq_signalled(const struct vgic *g, const struct virq *q)
{
	return q->target != VGIC_TARGET_NONE && q->enabled && group_enabled(g, q) &&
	       irq_pending(g, q);
}

/* The vCPU to kick after q changed.  An interrupt already in a list register
 * is kicked too: its owner folds it and picks up the new state. */
static uint32_t irq_kick(const struct vgic *g, const struct virq *q)
{
	return irq_signalled(g, q) ? VCPU_BIT(q->target) : 0;
}

static uint32_t irq_retarget(const struct vgic *g, struct virq *q, uint8_t target)
{
	uint32_t kick = 0;

	/* The old target holds it in a list register: make it give it back. */
	if (q->in_lr && q->target != target && q->target != VGIC_TARGET_NONE)
		kick = VCPU_BIT(q->target);
	q->target = target;
	return kick | irq_kick(g, q);
}

/* The lowest set bit of a non-zero mask (32 for none). */
static unsigned lowest_bit(uint32_t mask)
{
	unsigned n = 0;

	while (n < 32 && !(mask & 1)) {
		mask >>= 1;
		n++;
	}
	return n;
}

static uint32_t vcpu_mask(const struct vgic *g)
{
	return VCPU_BIT(g->nvcpus) - 1;
}

/* GICv2 §4.3.12: the lowest-numbered CPU of the target list. */
static uint8_t v2_target(const struct vgic *g, uint8_t targets)
{
	if (g->nvcpus == 1)
		return 0;	/* uniprocessor: everything targets the one CPU */
	return targets ? (uint8_t)lowest_bit(targets) : VGIC_TARGET_NONE;
}

/*
 * GICv3 GICD_IROUTER: the vCPU with that affinity, or with
 * Interrupt_Routing_Mode == 1 ("any participating PE") the lowest-numbered
 * vCPU whose redistributor is awake (GICR_WAKER), vCPU 0 if none is.  The
 * choice is made when IROUTER is written and does not follow later WAKER
 * changes.
 */
static uint8_t v3_target(const struct vgic *g, uint64_t route)
{
	if (route & IROUTER_IRM) {
		for (unsigned v = 0; v < g->nvcpus; v++)
			if (!g->cpu[v].asleep)
				return (uint8_t)v;
		return 0;
	}
	for (unsigned v = 0; v < g->nvcpus; v++)
		if ((g->mpidr[v] & AFF_MASK) == (route & AFF_MASK))
			return (uint8_t)v;
	return VGIC_TARGET_NONE;
}

/* The interrupt a register bit or byte names, NULL for RAZ/WI. */
static struct virq *view_irq(const struct view *v, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE) {
		if (!v->redist && v->g->version == 3)
			return NULL;	/* ARE == 1: in the redistributor */
		return &v->g->cpu[v->owner].priv[intid];
	}
	if (v->redist)
		return NULL;
	return vgic_irq(v->g, v->owner, intid);
}

/* ---- bit-per-interrupt registers ----------------------------------------- */

static bool bit_read(const struct vgic *g, const struct virq *q, unsigned which)
{
	switch (which) {
	case BR_GROUP:
		return q->group1;
	case BR_SENABLE:
	case BR_CENABLE:
		return q->enabled;
	case BR_SPEND:
	case BR_CPEND:
		return irq_pending(g, q);
	default:
		return q->active;
	}
}

/* One bit written as 1 (or, for IGROUPR, any value). */
static void bit_write(const struct vgic *g, struct virq *q, unsigned which, bool one)
{
	switch (which) {
	case BR_GROUP:
		q->group1 = one;
		break;
	case BR_SENABLE:
		q->enabled = true;
		break;
	case BR_CENABLE:
		q->enabled = false;
		break;
	case BR_SPEND:
	case BR_CPEND:
		/* GICv2 SGI pending state is per source: GICD_[SC]PENDSGIR. */
		if (!is_v2_sgi(g, q))
			q->pending_latch = which == BR_SPEND;
		break;
	case BR_SACTIVE:
		q->active = true;
		break;
	default:
		q->active = false;
		break;
	}
}

/* IGROUPR, IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER (GICv2 §4.3.4-§4.3.10). */
static uint32_t reg_bits(const struct view *v, const struct reg *r, uint32_t off,
			 unsigned size, bool write, uint64_t *val)
{
	unsigned first = off * 8;
	uint32_t kick = 0;

	(void)size;
	for (unsigned i = 0; i < 32; i++) {
		struct virq *q = view_irq(v, first + i);
		bool one = (*val >> i) & 1;

		if (!q)
			continue;
		if (!write) {
			*val |= (uint64_t)bit_read(v->g, q, r->arg) << i;
		} else if (one || r->arg == BR_GROUP) {
			bit_write(v->g, q, r->arg, one);
			kick |= irq_kick(v->g, q);
		}
	}
	return kick;
}

/* ---- byte-per-interrupt and other per-interrupt registers ---------------- */

/* GICD_IPRIORITYRn (§4.3.11), GICR_IPRIORITYRn: one byte each. */
static uint32_t reg_priority(const struct view *v, const struct reg *r, uint32_t off,
			     unsigned size, bool write, uint64_t *val)
{
	uint32_t kick = 0;

	(void)r;
	for (unsigned i = 0; i < size; i++) {
		struct virq *q = view_irq(v, off + i);

		if (!q)
			continue;
		if (write) {
			q->priority = (uint8_t)(*val >> (8 * i));
			kick |= irq_kick(v->g, q);
		} else {
			*val |= (uint64_t)q->priority << (8 * i);
		}
	}
	return kick;
}

/* GICD_ITARGETSRn (§4.3.12): SGI/PPI bytes read as the reader's own bit;
 * RAZ/WI in GICv3 (ARE == 1). */
static uint32_t reg_targets(const struct view *v, const struct reg *r, uint32_t off,
			    unsigned size, bool write, uint64_t *val)
{
	struct vgic *g = v->g;
	uint32_t kick = 0;

	(void)r;
	if (g->version != 2)
		return 0;
	for (unsigned i = 0; i < size; i++) {
		struct virq *q = view_irq(v, off + i);
		uint8_t byte = (uint8_t)(*val >> (8 * i));

		if (!q)
			continue;
		if (q->intid < VGIC_NR_PRIVATE) {
			if (!write)
				*val |= (uint64_t)VCPU_BIT(v->vcpu) << (8 * i);
		} else if (!write) {
			*val |= (uint64_t)q->targets_v2 << (8 * i);
		} else if (g->nvcpus > 1) {
			q->targets_v2 = byte & (uint8_t)vcpu_mask(g);
			kick |= irq_retarget(g, q, v2_target(g, q->targets_v2));
		}
	}
	return kick;
}

/* GICD_ICFGRn (§4.3.13): bit 2n+1 is edge; SGIs are edge, read-only. */
static uint32_t reg_config(const struct view *v, const struct reg *r, uint32_t off,
			   unsigned size, bool write, uint64_t *val)
{
	unsigned first = off * 4;

	(void)r;
	(void)size;
	for (unsigned i = 0; i < 16; i++) {
		struct virq *q = view_irq(v, first + i);

		if (!q)
			continue;
		if (!write)
			*val |= (uint64_t)q->edge << (2 * i + 1);
		else if (q->intid >= NR_SGIS)
			q->edge = (*val >> (2 * i + 1)) & 1;
	}
	return 0;
}

/* GICv3 GICD_IROUTER<n>: 64-bit, or either 32-bit half. */
static uint32_t reg_irouter(const struct view *v, const struct reg *r, uint32_t off,
			    unsigned size, bool write, uint64_t *val)
{
	struct virq *q = view_irq(v, (unsigned)((r->base - IROUTER_BASE + off) / 8));
	unsigned shift = (off % 8) * 8;
	uint64_t mask = size == 8 ? ~0ull : 0xffffffffull << shift;

	if (!q)
		return 0;
	if (!write) {
		*val = (q->route_v3 & mask) >> shift;
		return 0;
	}
	q->route_v3 = ((q->route_v3 & ~mask) | ((*val << shift) & mask)) & IROUTER_MASK;
	return irq_retarget(v->g, q, v3_target(v->g, q->route_v3));
}

/* ---- GICv2 SGIs ---------------------------------------------------------- */

static uint32_t sgi_raise_v2(struct vgic *g, unsigned target, unsigned intid, unsigned source)
{
	struct virq *q = &g->cpu[target].priv[intid];

	q->sgi_sources |= (uint8_t)VCPU_BIT(source);
	return irq_kick(g, q);
}

/* GICD_SGIR (§4.3.15): TargetListFilter 0 = the list, 1 = all but me,
 * 2 = me only, 3 = reserved (ignored).  NSATT has no meaning without the
 * Security Extensions. */
static uint32_t sgi_send_v2(struct vgic *g, unsigned vcpu, uint32_t sgir)
{
	unsigned intid = sgir & SGIR_INTID_MASK;
	uint32_t targets, kick = 0;

	switch ((sgir >> SGIR_FILTER_SHIFT) & 3) {
	case 0:
		targets = (sgir >> SGIR_TARGETS_SHIFT) & 0xff;
		break;
	case 1:
		targets = ~VCPU_BIT(vcpu);
		break;
	case 2:
		targets = VCPU_BIT(vcpu);
		break;
	default:
		return 0;
	}
	targets &= vcpu_mask(g);
	for (unsigned t = 0; t < g->nvcpus; t++)
		if (targets & VCPU_BIT(t))
			kick |= sgi_raise_v2(g, t, intid, vcpu);
	return kick;
}

/* Write-only: reads as 0.  RAZ/WI in GICv3. */
static uint32_t reg_sgir(const struct view *v, const struct reg *r, uint32_t off,
			 unsigned size, bool write, uint64_t *val)
{
	(void)r, (void)off, (void)size;
	if (!write) {
		*val = 0;
		return 0;
	}
	return v->g->version == 2 ? sgi_send_v2(v->g, v->vcpu, (uint32_t)*val) : 0;
}

/* GICD_CPENDSGIRn / GICD_SPENDSGIRn (§4.3.16, §4.3.17): a byte per SGI of
 * the reader, a bit per source.  RAZ/WI in GICv3. */
static uint32_t reg_sgi_pend(const struct view *v, const struct reg *r, uint32_t off,
			     unsigned size, bool write, uint64_t *val)
{
	struct vgic *g = v->g;
	uint32_t kick = 0;

	if (g->version != 2)
		return 0;
	for (unsigned i = 0; i < size; i++) {
		struct virq *q = &g->cpu[v->vcpu].priv[off + i];
		uint8_t byte = (uint8_t)(*val >> (8 * i)) & (uint8_t)vcpu_mask(g);

		if (!write) {
			*val |= (uint64_t)q->sgi_sources << (8 * i);
		} else if (r->arg) {
			q->sgi_sources |= byte;
			kick |= irq_kick(g, q);
		} else {
			q->sgi_sources &= (uint8_t)~byte;
		}
	}
	return kick;
}

/* ---- whole-distributor and identification registers --------------------- */

static uint32_t dist_kick_all(const struct vgic *g)
{
	uint32_t kick = 0;

	for (unsigned v = 0; v < g->nvcpus; v++)
		if (vgic_deliverable(g, v))
			kick |= VCPU_BIT(v);
	return kick;
}

/* GICD_CTLR: EnableGrp0/EnableGrp1; GICv3 adds ARE and DS, both RAO/WI,
 * and RWP reads 0 (writes take effect at once). */
static uint32_t reg_ctlr(const struct view *v, const struct reg *r, uint32_t off,
			 unsigned size, bool write, uint64_t *val)
{
	struct vgic *g = v->g;

	(void)r, (void)off, (void)size;
	if (!write) {
		*val = g->ctlr | (g->version == 3 ? CTLR_ARE | CTLR_DS : 0);
		return 0;
	}
	g->ctlr = (uint32_t)*val & (CTLR_EN_GRP0 | CTLR_EN_GRP1);
	return dist_kick_all(g);
}

/* GICD_TYPER: ITLinesNumber; GICv2 CPUNumber; GICv3 IDbits (no LPIs: 10
 * bits), Aff3 and Range Selector support for SGIs.  SecurityExtn reads 0. */
static uint32_t dist_typer(const struct vgic *g)
{
	uint32_t lines = (VGIC_NR_PRIVATE + g->nspis) / 32 - 1;

	if (g->version == 2)
		return lines | (g->nvcpus - 1) << TYPER_CPUS_SHIFT;
	return lines | 9u << TYPER_IDBITS_SHIFT | TYPER_A3V | TYPER_RSS;
}

/* Read-only registers of a word; the arg says which. */
enum { RO_TYPER, RO_IIDR, RO_ZERO };

static uint32_t reg_ro(const struct view *v, const struct reg *r, uint32_t off,
		       unsigned size, bool write, uint64_t *val)
{
	(void)off, (void)size;
	if (write)
		return 0;
	if (r->arg == RO_TYPER)
		*val = dist_typer(v->g);
	else if (r->arg == RO_IIDR)
		*val = IIDR_VALUE;
	return 0;
}

/*
 * PIDR4-7, PIDR0-3, CIDR0-3 (GICv2 §4.3.18-§4.3.19 are IMPLEMENTATION
 * DEFINED; IHI0069 ch. 12 GICD_PIDR2/GICR_PIDR2).  Only PIDR2.ArchRev
 * (bits 7:4, 2 or 3) is architected, and Linux probes it.  Part number
 * 0x04d, JEP106 Arm (0x3b, continuation 4), PIDR4.SIZE 64 KiB for GICv3.
 */
static uint32_t reg_id(const struct view *v, const struct reg *r, uint32_t off,
		       unsigned size, bool write, uint64_t *val)
{
	static const uint8_t id[12] = {
		0x04, 0, 0, 0, 0x4d, 0xb0, 0x0b, 0, 0x0d, 0xf0, 0x05, 0xb1,
	};
	unsigned i = off / 4;

	(void)r, (void)size;
	if (write)
		return 0;
	*val = id[i];
	if (i == 0 && v->g->version == 3)
		*val |= 0x40;
	if (i == 6)
		*val |= v->g->version << 4;
	return 0;
}

static uint32_t reg_raz_wi(const struct view *v, const struct reg *r, uint32_t off,
			   unsigned size, bool write, uint64_t *val)
{
	(void)v, (void)r, (void)off, (void)size, (void)write, (void)val;
	return 0;
}

/* ---- redistributor RD_base registers ------------------------------------- */

/* GICR_TYPER: Affinity_Value, Processor_Number, Last on the last frame;
 * no LPIs, 16 PPIs. */
static uint64_t redist_typer(const struct vgic *g, unsigned frame)
{
	uint64_t m = g->mpidr[frame];
	uint64_t aff = (m >> 32 & 0xff) << 24 | (m & 0xffffff);
	uint64_t typer = aff << GICR_TYPER_AFF_SHIFT | (uint64_t)frame << GICR_TYPER_PROC_SHIFT;

	if (frame == g->nvcpus - 1)
		typer |= GICR_TYPER_LAST;
	return typer;
}

static uint32_t reg_gicr_typer(const struct view *v, const struct reg *r, uint32_t off,
			       unsigned size, bool write, uint64_t *val)
{
	(void)r;
	if (!write)
		*val = size == 8 ? redist_typer(v->g, v->owner)
				 : (redist_typer(v->g, v->owner) >> (off * 8)) & 0xffffffff;
	return 0;
}

/* GICR_WAKER: ProcessorSleep is kept; ChildrenAsleep follows it at once. */
static uint32_t reg_waker(const struct view *v, const struct reg *r, uint32_t off,
			  unsigned size, bool write, uint64_t *val)
{
	struct vgic_cpu *c = &v->g->cpu[v->owner];

	(void)r, (void)off, (void)size;
	if (write)
		c->asleep = *val & WAKER_PROCESSOR_SLEEP;
	else
		*val = c->asleep ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
	return 0;
}

/* ---- register maps ------------------------------------------------------- */

#define REG(b, l, s, ver, f, a)	{ .base = (b), .len = (l), .sizes = (s), \
				  .versions = (ver), .fn = (f), .arg = (a) }

/* GICv2 §4.1.2 Table 4-1; IHI0069 ch. 12 GICD register map. */
static const struct reg dist_regs[] = {
	REG(0x0000, 4, SZ_W, V2 | V3, reg_ctlr, 0),
	REG(0x0004, 4, SZ_W, V2 | V3, reg_ro, RO_TYPER),
	REG(0x0008, 4, SZ_W, V2 | V3, reg_ro, RO_IIDR),
	REG(0x000c, 4, SZ_W, V3, reg_ro, RO_ZERO),		/* TYPER2 */
	REG(0x0010, 4, SZ_W, V3, reg_raz_wi, 0),		/* STATUSR */
	REG(0x0080, 0x80, SZ_W, V2 | V3, reg_bits, BR_GROUP),
	REG(0x0100, 0x80, SZ_W, V2 | V3, reg_bits, BR_SENABLE),
	REG(0x0180, 0x80, SZ_W, V2 | V3, reg_bits, BR_CENABLE),
	REG(0x0200, 0x80, SZ_W, V2 | V3, reg_bits, BR_SPEND),
	REG(0x0280, 0x80, SZ_W, V2 | V3, reg_bits, BR_CPEND),
	REG(0x0300, 0x80, SZ_W, V2 | V3, reg_bits, BR_SACTIVE),
	REG(0x0380, 0x80, SZ_W, V2 | V3, reg_bits, BR_CACTIVE),
	REG(0x0400, NR_IDS, SZ_B | SZ_W, V2 | V3, reg_priority, 0),
	REG(0x0800, NR_IDS, SZ_B | SZ_W, V2 | V3, reg_targets, 0),
	REG(0x0c00, 0x100, SZ_W, V2 | V3, reg_config, 0),
	REG(0x0d00, 0x80, SZ_W, V3, reg_raz_wi, 0),		/* IGRPMODR, DS == 1 */
	REG(0x0e00, 0x100, SZ_W, V2 | V3, reg_raz_wi, 0),	/* NSACR */
	REG(0x0f00, 4, SZ_W, V2 | V3, reg_sgir, 0),
	REG(0x0f10, 0x10, SZ_B | SZ_W, V2 | V3, reg_sgi_pend, 0),
	REG(0x0f20, 0x10, SZ_B | SZ_W, V2 | V3, reg_sgi_pend, 1),
	REG(0x0fd0, 0x30, SZ_W, V2, reg_id, 0),
	REG(IROUTER_BASE + 8 * 32, (NR_IDS - 32) * 8, SZ_W | SZ_D, V3, reg_irouter, 0),
	REG(0xffd0, 0x30, SZ_W, V3, reg_id, 0),
};

/* IHI0069 ch. 12 GICR register map: RD_base frame. */
static const struct reg rd_regs[] = {
	REG(0x0000, 4, SZ_W, V3, reg_raz_wi, 0),		/* CTLR: no LPIs, RWP 0 */
	REG(0x0004, 4, SZ_W, V3, reg_ro, RO_IIDR),
	REG(0x0008, 8, SZ_W | SZ_D, V3, reg_gicr_typer, 0),
	REG(0x0010, 4, SZ_W, V3, reg_raz_wi, 0),		/* STATUSR */
	REG(0x0014, 4, SZ_W, V3, reg_waker, 0),
	REG(0xffd0, 0x30, SZ_W, V3, reg_id, 0),
};

/* SGI_base frame: the GICD layout, for INTIDs 0-31 only. */
static const struct reg sgi_regs[] = {
	REG(0x0080, 4, SZ_W, V3, reg_bits, BR_GROUP),
	REG(0x0100, 4, SZ_W, V3, reg_bits, BR_SENABLE),
	REG(0x0180, 4, SZ_W, V3, reg_bits, BR_CENABLE),
	REG(0x0200, 4, SZ_W, V3, reg_bits, BR_SPEND),
	REG(0x0280, 4, SZ_W, V3, reg_bits, BR_CPEND),
	REG(0x0300, 4, SZ_W, V3, reg_bits, BR_SACTIVE),
	REG(0x0380, 4, SZ_W, V3, reg_bits, BR_CACTIVE),
	REG(0x0400, VGIC_NR_PRIVATE, SZ_B | SZ_W, V3, reg_priority, 0),
	REG(0x0c00, 8, SZ_W, V3, reg_config, 0),
	REG(0x0d00, 4, SZ_W, V3, reg_raz_wi, 0),		/* IGRPMODR0, DS == 1 */
	REG(0x0e00, 4, SZ_W, V3, reg_raz_wi, 0),		/* NSACR */
};

/* Find the register, check the access and run it.  *val is zero-extended
 * on reads and truncated to size on writes. */
static bool reg_access(const struct view *v, const struct reg *tab, size_t n, uint32_t offset,
		       unsigned size, bool write, uint64_t *val, uint32_t *kick)
{
	uint64_t data = write && size < 8 ? *val & ((1ull << (8 * size)) - 1) : 0;

	for (size_t i = 0; i < n; i++) {
		const struct reg *r = &tab[i];

		if (!(r->versions & (1u << v->g->version)) || offset < r->base ||
		    offset - r->base >= r->len)
			continue;
		if (!(r->sizes & size))
			return false;
		if (write && size == 8)
			data = *val;
		*kick = r->fn(v, r, offset - r->base, size, write, &data);
		if (!write)
			*val = data;
		return true;
	}
	return false;
}

static bool access_ok(const struct vgic *g, unsigned vcpu, uint32_t offset, unsigned size)
{
	return vcpu < g->nvcpus && (size == 1 || size == 4 || size == 8) && offset % size == 0;
}

/* ---- public -------------------------------------------------------------- */

static void irq_reset(struct vgic *g, struct virq *q, unsigned intid, unsigned owner)
{
	q->intid = (uint16_t)intid;
	q->edge = intid < NR_SGIS;	/* SGIs edge; PPIs and SPIs level */
	q->group1 = g->version == 3;	/* Linux's GICv3 driver uses Group 1 only */
	if (intid < VGIC_NR_PRIVATE) {
		q->target = (uint8_t)owner;
	} else if (g->version == 2) {
		q->targets_v2 = g->nvcpus == 1 ? 1 : 0;
		q->target = v2_target(g, q->targets_v2);
	} else {
		q->target = v3_target(g, 0);
	}
}

void vgic_init(struct vgic *g, unsigned version, unsigned nvcpus,
	       unsigned nspis, const uint64_t *mpidr)
{
	memset(g, 0, sizeof(*g));
	g->version = version == 2 ? 2 : 3;
	g->nvcpus = nvcpus < 1 ? 1 : MIN(nvcpus, (unsigned)VGIC_MAX_VCPUS);
	g->nspis = MIN(nspis, (unsigned)VGIC_MAX_SPIS) / 32 * 32;
	for (unsigned v = 0; v < g->nvcpus; v++) {
		g->mpidr[v] = mpidr ? mpidr[v] & AFF_MASK : v;
		g->cpu[v].asleep = true;	/* GICR_WAKER.ProcessorSleep resets to 1 */
	}
	for (unsigned v = 0; v < g->nvcpus; v++)
		for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++)
			irq_reset(g, &g->cpu[v].priv[i], i, v);
	for (unsigned i = 0; i < g->nspis; i++)
		irq_reset(g, &g->spi[i], VGIC_NR_PRIVATE + i, 0);
}

struct virq *vgic_irq(struct vgic *g, unsigned vcpu, unsigned intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return vcpu < g->nvcpus ? &g->cpu[vcpu].priv[intid] : NULL;
	if (intid - VGIC_NR_PRIVATE < g->nspis)
		return &g->spi[intid - VGIC_NR_PRIVATE];
	return NULL;
}

bool vgic_dist_access(struct vgic *g, unsigned vcpu, uint32_t offset,
		      unsigned size, bool write, uint64_t *value, uint32_t *kick)
{
	const struct view v = { .g = g, .vcpu = vcpu, .owner = vcpu };

	*kick = 0;
	if (!write)
		*value = 0;
	if (!access_ok(g, vcpu, offset, size) || offset >= VGIC_DIST_SIZE)
		return false;
	return reg_access(&v, dist_regs, ARRAY_SIZE(dist_regs), offset, size, write, value, kick);
}

bool vgic_redist_access(struct vgic *g, unsigned vcpu, uint32_t offset,
			unsigned size, bool write, uint64_t *value, uint32_t *kick)
{
	unsigned frame = offset / VGIC_REDIST_FRAME_SIZE;
	uint32_t off = offset % VGIC_REDIST_FRAME_SIZE;
	const struct view v = { .g = g, .vcpu = vcpu, .owner = frame, .redist = true };

	*kick = 0;
	if (!write)
		*value = 0;
	if (g->version != 3 || !access_ok(g, vcpu, offset, size) || frame >= g->nvcpus)
		return false;
	if (off < SGI_BASE)
		return reg_access(&v, rd_regs, ARRAY_SIZE(rd_regs), off, size, write, value, kick);
	return reg_access(&v, sgi_regs, ARRAY_SIZE(sgi_regs), off - SGI_BASE, size, write,
			  value, kick);
}

/* The vCPUs an ICC_SGI1R_EL1 value names, the sender aside for IRM == 1. */
static uint32_t sgi1r_targets(const struct vgic *g, unsigned vcpu, uint64_t value)
{
	uint64_t cluster = ((value >> SGI1R_AFF3_SHIFT) & 0xff) << 32 |
			   ((value >> SGI1R_AFF2_SHIFT) & 0xff) << 16 |
			   ((value >> SGI1R_AFF1_SHIFT) & 0xff) << 8;
	unsigned rs = (value >> SGI1R_RS_SHIFT) & 0xf;
	uint32_t targets = 0;

	if (value & SGI1R_IRM)
		return vcpu_mask(g) & ~VCPU_BIT(vcpu);
	for (unsigned v = 0; v < g->nvcpus; v++) {
		unsigned aff0 = g->mpidr[v] & 0xff;

		if ((g->mpidr[v] & (AFF_MASK & ~0xffull)) == cluster && aff0 / 16 == rs &&
		    (value & SGI1R_TARGETS_MASK & (1ull << (aff0 % 16))))
			targets |= VCPU_BIT(v);
	}
	return targets;
}

uint32_t vgic_sgi1r(struct vgic *g, unsigned vcpu, uint64_t value)
{
	unsigned intid = (value >> SGI1R_INTID_SHIFT) & 0xf;
	uint32_t targets, kick = 0;

	if (g->version != 3 || vcpu >= g->nvcpus)
		return 0;
	targets = sgi1r_targets(g, vcpu, value);
	for (unsigned t = 0; t < g->nvcpus; t++) {
		struct virq *q = &g->cpu[t].priv[intid];

		if (!(targets & VCPU_BIT(t)))
			continue;
		q->pending_latch = true;
		kick |= irq_kick(g, q);
	}
	return kick;
}

uint32_t vgic_set_level(struct vgic *g, unsigned vcpu, unsigned intid, bool level)
{
	struct virq *q = vgic_irq(g, vcpu, intid);
	bool rising;

	if (!q || intid < NR_SGIS)
		return 0;
	rising = level && !q->line_level;
	q->line_level = level;
	if (!rising)
		return 0;
	if (q->edge)
		q->pending_latch = true;
	return irq_kick(g, q);
}

uint32_t vgic_inject_edge(struct vgic *g, unsigned vcpu, unsigned intid)
{
	struct virq *q = vgic_irq(g, vcpu, intid);

	if (!q || intid < NR_SGIS)
		return 0;
	q->pending_latch = true;
	return irq_kick(g, q);
}

/* ---- list registers ------------------------------------------------------ */

static bool lr_wanted(const struct vgic *g, const struct virq *q)
{
	return !q->in_lr && (q->active || (q->enabled && group_enabled(g, q) && irq_pending(g, q)));
}

/* Insert q into out[0..n), kept sorted by priority then INTID (callers
 * offer INTIDs in increasing order), at most max long; returns the new n. */
static unsigned lr_rank(struct vgic_lr *out, unsigned n, unsigned max, const struct virq *q)
{
	unsigned i = n;

	while (i > 0 && out[i - 1].priority > q->priority)
		i--;
	if (i >= max)
		return n;
	if (n == max)
		n--;	/* the last one drops off */
	for (unsigned j = n; j > i; j--)
		out[j] = out[j - 1];
	out[i] = (struct vgic_lr){ .intid = q->intid, .priority = q->priority };
	return n + 1;
}

/* GICv2 SGI: one source per list register (its CPUID field).  An active
 * SGI keeps its source; other sources wait for an EOI maintenance IRQ. */
static void lr_take_sgi(struct virq *q, struct vgic_lr *lr, bool pending)
{
	unsigned src = q->active ? q->active_source : lowest_bit(q->sgi_sources);

	lr->pending = pending && (q->sgi_sources & VCPU_BIT(src));
	if (lr->pending)
		q->sgi_sources &= (uint8_t)~VCPU_BIT(src);
	lr->source = (uint8_t)src;
	lr->eoi_maint = q->sgi_sources != 0;
}

static void lr_take(const struct vgic *g, struct virq *q, struct vgic_lr *lr)
{
	bool pending = q->enabled && group_enabled(g, q) && irq_pending(g, q);

	*lr = (struct vgic_lr){
		.intid = q->intid, .priority = q->priority, .active = q->active,
		.group1 = q->group1, .hw = q->hw, .hw_intid = q->hw_intid,
	};
	if (is_v2_sgi(g, q)) {
		lr_take_sgi(q, lr, pending);
	} else {
		/* A hw list register is never made pending+active: the
		 * physical interrupt is active until the guest deactivates
		 * it, so the new pending state waits here until then. */
		pending = pending && !(q->hw && q->active);
		lr->pending = pending;
		if (q->edge && pending)
			q->pending_latch = false;	/* moves into the LR */
		lr->eoi_maint = !q->edge && !q->hw;
	}
	q->lr_pending = lr->pending;
	q->in_lr = true;
}

unsigned vgic_collect(struct vgic *g, unsigned vcpu, struct vgic_lr *out, unsigned max)
{
	unsigned n = 0;

	if (vcpu >= g->nvcpus || max == 0)
		return 0;
	for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++)
		if (lr_wanted(g, &g->cpu[vcpu].priv[i]))
			n = lr_rank(out, n, max, &g->cpu[vcpu].priv[i]);
	for (unsigned i = 0; i < g->nspis; i++)
		if (g->spi[i].target == vcpu && lr_wanted(g, &g->spi[i]))
			n = lr_rank(out, n, max, &g->spi[i]);
	for (unsigned i = 0; i < n; i++)
		lr_take(g, vgic_irq(g, vcpu, out[i].intid), &out[i]);
	return n;
}

bool vgic_deliverable(const struct vgic *g, unsigned vcpu)
{
	if (vcpu >= g->nvcpus)
		return false;
	for (unsigned i = 0; i < VGIC_NR_PRIVATE; i++) {
		const struct virq *q = &g->cpu[vcpu].priv[i];

		if (!q->in_lr && irq_signalled(g, q))
			return true;
	}
	for (unsigned i = 0; i < g->nspis; i++) {
		const struct virq *q = &g->spi[i];

		if (q->target == vcpu && !q->in_lr && irq_signalled(g, q))
			return true;
	}
	return false;
}

uint32_t vgic_fold(struct vgic *g, unsigned vcpu, const struct vgic_lr *lr)
{
	struct virq *q = vgic_irq(g, vcpu, lr->intid);

	if (!q)
		return 0;
	q->active = lr->active;
	if (is_v2_sgi(g, q)) {
		if (lr->source < g->nvcpus && lr->pending)
			q->sgi_sources |= (uint8_t)VCPU_BIT(lr->source);
		if (lr->source < g->nvcpus && lr->active)
			q->active_source = lr->source;
	} else if (q->edge) {
		q->pending_latch |= lr->pending;
	} else if (q->lr_pending && !lr->pending) {
		q->pending_latch = false;
		if (q->hw)
			q->line_level = false;
	}
	q->lr_pending = false;
	q->in_lr = false;
	/* Moved to another vCPU while here: that one may take it now. */
	return q->target != vcpu ? irq_kick(g, q) : 0;
}
