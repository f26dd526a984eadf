// SPDX-License-Identifier: MIT
/*
 * Physical GIC driver for EL2: GICv2 (IHI0048B: GICD, GICC, GICH MMIO) and
 * GICv3 (IHI0069: GICD, GICR MMIO, ICC_* and ICH_* system registers).
 * All interrupts are Group 1 (Group 0 on a GICv2 without security), the CPU
 * interface runs with EOImode = 1 so that priority drop and deactivation are
 * separate: a physical interrupt handed to a guest through a list register
 * with the HW bit is deactivated by the guest's own EOI.
 */
#include <arch/sysreg.h>
#include <mv/arch.h>
#include <mv/errno.h>
#include <mv/print.h>

#include "gic.h"

/* Distributor (both versions) */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ITARGETSR		0x0800
#define GICD_SGIR		0x0f00
#define GICD_IROUTER		0x6000
#define GICD_CTLR_V3		(BIT(0) | BIT(1) | BIT(4))	/* Grp0, Grp1, ARE */
#define GICD_CTLR_RWP		BIT(31)

/* GICv3 redistributor */
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	BIT(1)
#define GICR_WAKER_ASLEEP	BIT(2)
#define GICR_TYPER_LAST		BIT(4)
#define GICR_FRAME		0x20000
#define GICR_SGI		0x10000

/* GICv2 CPU interface and hypervisor interface */
#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_DIR		0x1000
#define GICC_CTLR_V2		(BIT(0) | BIT(1) | BIT(9) | BIT(10))	/* Grp0/1, EOImode */
#define GICH_HCR		0x000
#define GICH_VTR		0x004
#define GICH_VMCR		0x008
#define GICH_APR		0x0f0
#define GICH_LR			0x100

#define IRQ_PRIORITY		0xa0

static unsigned version;
static volatile uint8_t *gicd, *gicc, *gich, *gicr_region;
static paddr_t gicv_pa;
static volatile uint8_t *gicr[MV_MAX_CPUS];	/* each CPU's RD_base */
static uint8_t cpu_mask_v2[MV_MAX_CPUS];	/* GICv2 CPU interface numbers */
static uint64_t cpu_mpidr[MV_MAX_CPUS];

static inline uint32_t rd32(volatile uint8_t *base, uint32_t off)
{
	return *(volatile uint32_t *)(base + off);
}

static inline void wr32(volatile uint8_t *base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(base + off) = v;
}

static inline uint64_t rd64(volatile uint8_t *base, uint32_t off)
{
	return *(volatile uint64_t *)(base + off);
}

static int map(const struct mem_range *r, volatile uint8_t **out)
{
	int err = arch_map(r->base, r->size, ARCH_MEM_DEVICE);

	*out = (volatile uint8_t *)(uintptr_t)r->base;
	return err;
}

int gic_init(const struct platform *p)
{
	unsigned lines;
	int err;

	version = p->gic.version;
	for (unsigned i = 0; i < p->ncpus; i++)
		cpu_mpidr[i] = p->cpu_mpidr[i];
	if ((err = map(&p->gic.dist, &gicd)))
		return err;
	if (version == 3) {
		if ((err = map(&p->gic.redist, &gicr_region)))
			return err;
	} else {
		if (!p->gic.hyp.size || !p->gic.vcpu.size)
			return MV_E_NOENT;
		if ((err = map(&p->gic.cpu, &gicc)) || (err = map(&p->gic.hyp, &gich)))
			return err;
		gicv_pa = p->gic.vcpu.base;
	}
	wr32(gicd, GICD_CTLR, 0);
	lines = ((rd32(gicd, GICD_TYPER) & 0x1f) + 1) * 32;
	for (unsigned i = 32; i < lines; i += 32) {
		wr32(gicd, GICD_ICENABLER + i / 8, ~0U);
		wr32(gicd, GICD_ICACTIVER + i / 8, ~0U);
		wr32(gicd, GICD_IGROUPR + i / 8, version == 3 ? ~0U : 0);
	}
	for (unsigned i = 32; i < lines; i += 4)
		wr32(gicd, GICD_IPRIORITYR + i, IRQ_PRIORITY * 0x01010101U);
	if (version == 3) {
		wr32(gicd, GICD_CTLR, GICD_CTLR_V3);
		while (rd32(gicd, GICD_CTLR) & GICD_CTLR_RWP)
			;
	} else {
		wr32(gicd, GICD_CTLR, 1);
	}
	return MV_OK;
}

/* GICv3: find this CPU's redistributor frame by affinity and wake it. */
static int redist_init(unsigned cpu)
{
	uint64_t aff = cpu_mpidr[cpu];
	uint64_t want = (aff & 0xffffff) | ((aff >> 8) & 0xff000000);
	volatile uint8_t *rd = gicr_region, *sgi;

	for (;; rd += GICR_FRAME) {
		uint64_t typer = rd64(rd, GICR_TYPER);

		if ((typer >> 32) == want)
			break;
		if (typer & GICR_TYPER_LAST)
			return MV_E_NOENT;
	}
	gicr[cpu] = rd;
	wr32(rd, GICR_WAKER, rd32(rd, GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (rd32(rd, GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	sgi = rd + GICR_SGI;
	wr32(sgi, GICD_ICENABLER, ~0U);
	wr32(sgi, GICD_ICACTIVER, ~0U);
	wr32(sgi, GICD_IGROUPR, ~0U);
	for (unsigned i = 0; i < 32; i += 4)
		wr32(sgi, GICD_IPRIORITYR + i, IRQ_PRIORITY * 0x01010101U);
	return MV_OK;
}

int gic_init_cpu(unsigned cpu)
{
	if (version == 3) {
		int err = redist_init(cpu);

		if (err)
			return err;
		write_sysreg(0xf, icc_sre_el2);	/* SRE, DFB, DIB, Enable (EL1 too) */
		isb();
		write_sysreg(0xff, icc_pmr_el1);
		write_sysreg(BIT(1), icc_ctlr_el1);	/* EOImode: drop only */
		write_sysreg(1, icc_igrpen1_el1);
		isb();
	} else {
		cpu_mask_v2[cpu] = (uint8_t)rd32(gicd, GICD_ITARGETSR);
		wr32(gicd, GICD_ICENABLER, ~0U);
		wr32(gicd, GICD_IGROUPR, 0);
		for (unsigned i = 0; i < 32; i += 4)
			wr32(gicd, GICD_IPRIORITYR + i, IRQ_PRIORITY * 0x01010101U);
		wr32(gicc, GICC_PMR, 0xff);
		wr32(gicc, GICC_CTLR, GICC_CTLR_V2);
	}
	gich_write_hcr(GICH_HCR_EN);
	gic_enable_ppi(SGI_KICK);
	return MV_OK;
}

unsigned gic_version(void)
{
	return version;
}

uint32_t gic_ack(void)
{
	uint32_t v;

	if (version == 3) {
		v = (uint32_t)read_sysreg(icc_iar1_el1);
		__asm__ volatile("dsb sy" ::: "memory");
		return v & 0xffffff;
	}
	v = rd32(gicc, GICC_IAR);
	return v & 0x3ff;	/* SGI source CPU dropped: not used */
}

void gic_priority_drop(uint32_t intid)
{
	if (version == 3) {
		write_sysreg(intid, icc_eoir1_el1);
		isb();
	} else {
		wr32(gicc, GICC_EOIR, intid);
	}
}

void gic_deactivate(uint32_t intid)
{
	if (version == 3) {
		write_sysreg(intid, icc_dir_el1);
		isb();
	} else {
		wr32(gicc, GICC_DIR, intid);
	}
}

static volatile uint8_t *private_frame(void)
{
	return version == 3 ? gicr[arch_cpu_id()] + GICR_SGI : gicd;
}

void gic_enable_ppi(unsigned intid)
{
	wr32(private_frame(), GICD_ISENABLER, BIT(intid));
}

void gic_enable_spi(unsigned intid, unsigned cpu)
{
	if (version == 3) {
		uint64_t aff = cpu_mpidr[cpu];

		*(volatile uint64_t *)(gicd + GICD_IROUTER + 8 * intid) =
			(aff & 0xffffff) | ((aff >> 32) & 0xff) << 32;
	} else {
		*(volatile uint8_t *)(gicd + GICD_ITARGETSR + intid) = cpu_mask_v2[cpu];
	}
	wr32(gicd, GICD_ISENABLER + (intid / 32) * 4, BIT(intid % 32));
}

void gic_spi_deactivate(unsigned intid)
{
	wr32(gicd, GICD_ICACTIVER + (intid / 32) * 4, BIT(intid % 32));
}

bool gic_ppi_active(unsigned intid)
{
	return rd32(private_frame(), GICD_ISACTIVER) & BIT(intid);
}

void gic_set_ppi_active(unsigned intid, bool active)
{
	wr32(private_frame(), active ? GICD_ISACTIVER : GICD_ICACTIVER, BIT(intid));
}

void gic_send_sgi(unsigned cpu, unsigned intid)
{
	if (version == 3) {
		uint64_t aff = cpu_mpidr[cpu];
		uint64_t v = ((aff >> 32) & 0xff) << 48 | ((aff >> 16) & 0xff) << 32 |
			     (uint64_t)intid << 24 | ((aff >> 8) & 0xff) << 16 |
			     BIT(aff & 0xf);

		dsb(ishst);
		write_sysreg(v, icc_sgi1r_el1);
		isb();
	} else if (cpu == arch_cpu_id()) {
		/* TargetListFilter 0b10, "this CPU": a uniprocessor GIC reads
		 * its GICD_ITARGETSR as zero, so its mask would reach nobody. */
		dsb(ishst);
		wr32(gicd, GICD_SGIR, 2U << 24 | intid);
	} else {
		dsb(ishst);
		wr32(gicd, GICD_SGIR, (uint32_t)cpu_mask_v2[cpu] << 16 | intid);
	}
}

paddr_t gic_vcpu_interface(void)
{
	return gicv_pa;
}

/* ---- Virtual CPU interface: GICH (v2 MMIO) or ICH_* (v3 sysregs) ---- */

#define ICH_LR_CASE(n)							\
	case n:								\
		if (write)						\
			write_sysreg(v, ich_lr##n##_el2);		\
		else							\
			v = read_sysreg(ich_lr##n##_el2);		\
		break

static uint64_t ich_lr(unsigned i, bool write, uint64_t v)
{
	switch (i) {
	ICH_LR_CASE(0); ICH_LR_CASE(1); ICH_LR_CASE(2); ICH_LR_CASE(3);
	ICH_LR_CASE(4); ICH_LR_CASE(5); ICH_LR_CASE(6); ICH_LR_CASE(7);
	ICH_LR_CASE(8); ICH_LR_CASE(9); ICH_LR_CASE(10); ICH_LR_CASE(11);
	ICH_LR_CASE(12); ICH_LR_CASE(13); ICH_LR_CASE(14); ICH_LR_CASE(15);
	default:
		break;
	}
	return v;
}

unsigned gich_nr_lrs(void)
{
	uint64_t vtr = version == 3 ? read_sysreg(ich_vtr_el2) : rd32(gich, GICH_VTR);

	return (unsigned)(vtr & 0x1f) + 1;
}

uint64_t gich_read_lr(unsigned i)
{
	return version == 3 ? ich_lr(i, false, 0) : rd32(gich, GICH_LR + 4 * i);
}

void gich_write_lr(unsigned i, uint64_t v)
{
	if (version == 3)
		ich_lr(i, true, v);
	else
		wr32(gich, GICH_LR + 4 * i, (uint32_t)v);
}

uint64_t gich_read_vmcr(void)
{
	return version == 3 ? read_sysreg(ich_vmcr_el2) : rd32(gich, GICH_VMCR);
}

void gich_write_vmcr(uint64_t v)
{
	if (version == 3)
		write_sysreg(v, ich_vmcr_el2);
	else
		wr32(gich, GICH_VMCR, (uint32_t)v);
}

/* The first active-priority registers of both groups (GICv3: a guest can
 * make an interrupt Group 0; leaving its bits behind would mask the next
 * vCPU's interrupts).  One register per group covers 5 priority bits, what
 * QEMU and the list registers implement (ICH_VTR_EL2.PREbits = 4). */
uint64_t gich_read_apr(void)
{
	if (version == 3)
		return read_sysreg(ich_ap1r0_el2) | read_sysreg(ich_ap0r0_el2) << 32;
	return rd32(gich, GICH_APR);
}

void gich_write_apr(uint64_t v)
{
	if (version == 3) {
		write_sysreg(v & 0xffffffffUL, ich_ap1r0_el2);
		write_sysreg(v >> 32, ich_ap0r0_el2);
	} else {
		wr32(gich, GICH_APR, (uint32_t)v);
	}
}

void gich_write_hcr(uint64_t v)
{
	if (version == 3) {
		write_sysreg(v, ich_hcr_el2);
		isb();
	} else {
		wr32(gich, GICH_HCR, (uint32_t)v);
	}
}
