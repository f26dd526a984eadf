/* SPDX-License-Identifier: MIT */
/*
 * The virtual GIC's distributor and redistributor model (GICv2: IHI0048B;
 * GICv3: IHI0069).  Pure state machine: no system registers, no locking
 * (the caller holds the VM's vGIC lock), builds on the host for unit tests.
 *
 * The list-register side (arch/aarch64/vgic_lr*.c) asks this model which
 * interrupts to put in a vCPU's list registers (vgic_collect) and gives back
 * what the hardware did with them (vgic_fold).
 */
#ifndef VDEV_VGIC_H
#define VDEV_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#define VGIC_MAX_VCPUS		8
#define VGIC_NR_PRIVATE		32	/* SGIs 0-15, PPIs 16-31 */
#define VGIC_MAX_SPIS		256	/* INTIDs 32..287 */
#define VGIC_DIST_SIZE		0x10000
#define VGIC_REDIST_FRAME_SIZE	0x20000	/* RD_base + SGI_base, per vCPU */
#define VGIC_TARGET_NONE	0xff	/* virq.target: routed to no vCPU */

struct virq {
	uint16_t intid;
	uint8_t priority;	/* GICD_IPRIORITYR byte as written */
	uint8_t target;		/* vCPU the interrupt is delivered to, or
				 * VGIC_TARGET_NONE (SPI routed nowhere) */
	uint8_t targets_v2;	/* GICv2 GICD_ITARGETSR byte (SPIs) */
	uint64_t route_v3;	/* GICv3 GICD_IROUTER (SPIs) */
	bool enabled;
	bool group1;
	bool edge;		/* configured edge-triggered */
	bool pending_latch;	/* edge seen, or set through ISPENDR */
	bool line_level;	/* level-sensitive input line high */
	bool active;
	bool hw;		/* linked to physical INTID hw_intid */
	uint16_t hw_intid;
	bool in_lr;		/* held in a list register of `target` (as it
				 * was at vgic_collect: an SPI moved since is
				 * kicked back to its holder to be folded) */
	bool lr_pending;	/* vgic_collect gave that list register the
				 * pending state (level: consumed on fold) */
	uint8_t sgi_sources;	/* GICv2 SGIs: source vCPUs pending */
	uint8_t active_source;	/* GICv2 SGIs: source of the active one */
};

struct vgic_cpu {
	struct virq priv[VGIC_NR_PRIVATE];
	bool asleep;		/* GICv3 GICR_WAKER.ProcessorSleep */
};

struct vgic {
	unsigned version;	/* 2 or 3 */
	unsigned nvcpus;
	unsigned nspis;		/* a multiple of 32 */
	uint32_t ctlr;		/* GICD_CTLR */
	uint64_t mpidr[VGIC_MAX_VCPUS];	/* each vCPU's affinity (guest DT) */
	struct vgic_cpu cpu[VGIC_MAX_VCPUS];
	struct virq spi[VGIC_MAX_SPIS];
};

/* One list register's worth, as the LR side needs it. */
struct vgic_lr {
	uint16_t intid;
	uint8_t priority;
	uint8_t source;		/* GICv2 SGIs: the source vCPU */
	bool pending;
	bool active;
	bool group1;
	bool hw;
	uint16_t hw_intid;
	bool eoi_maint;		/* ask for an EOI maintenance IRQ: level and
				 * not hw, or a GICv2 SGI with more sources
				 * still pending in the model */
};

void vgic_init(struct vgic *g, unsigned version, unsigned nvcpus,
	       unsigned nspis, const uint64_t *mpidr);

/* The state of intid as seen by vcpu (private interrupts are per vCPU);
 * NULL when out of range. */
struct virq *vgic_irq(struct vgic *g, unsigned vcpu, unsigned intid);

/*
 * Guest MMIO.  offset is from the GICD frame (dist) or from the start of
 * the whole redistributor region (redist: frame = offset / 0x20000, one per
 * vCPU, in vCPU order); size is 1, 2, 4 or 8.  Reads return *value.
 * Returns false for an access the architecture does not define (the caller
 * logs it once; it is treated as RAZ/WI).  *kick receives a bitmask of the
 * vCPUs that may now have a deliverable interrupt.
 */
bool vgic_dist_access(struct vgic *g, unsigned vcpu, uint32_t offset,
		      unsigned size, bool write, uint64_t *value, uint32_t *kick);
bool vgic_redist_access(struct vgic *g, unsigned vcpu, uint32_t offset,
			unsigned size, bool write, uint64_t *value, uint32_t *kick);

/* GICv3: the guest wrote ICC_SGI1R_EL1 (trapped); returns the kick mask. */
uint32_t vgic_sgi1r(struct vgic *g, unsigned vcpu, uint64_t value);

/* A device raises or lowers a line (vcpu names the target for PPIs);
 * vgic_inject_edge latches an edge.  Both return the kick mask; SGIs and
 * INTIDs out of range are ignored (0). */
uint32_t vgic_set_level(struct vgic *g, unsigned vcpu, unsigned intid, bool level);
uint32_t vgic_inject_edge(struct vgic *g, unsigned vcpu, unsigned intid);

/*
 * Up to max interrupts for vcpu's list registers, highest priority first:
 * pending-and-enabled (group enabled in GICD_CTLR) or active interrupts
 * targeted at vcpu and not already in a list register.  Marks them in_lr
 * and moves their edge/SGI pending state into the entry.  An active hw
 * interrupt's entry is never also pending (its new pending state waits in
 * the model until the guest deactivates it).
 */
unsigned vgic_collect(struct vgic *g, unsigned vcpu, struct vgic_lr *out, unsigned max);

/* Whether vcpu has a deliverable interrupt not in a list register. */
bool vgic_deliverable(const struct vgic *g, unsigned vcpu);

/* Give back a list register read on exit (pending/active as the hardware
 * left them); clears in_lr.  A level interrupt whose list register was given
 * the pending state and comes back without it has been acknowledged: its
 * ISPENDR latch is cleared and, if hw, line_level too (the physical line
 * re-asserts through the host when it is still high).  Returns the kick
 * mask: the new target of an SPI moved away while it was in the list
 * register (it could not take it until now). */
uint32_t vgic_fold(struct vgic *g, unsigned vcpu, const struct vgic_lr *lr);

#endif
