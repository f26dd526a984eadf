/* SPDX-License-Identifier: MIT */
/* The physical GIC (v2 or v3) as the hypervisor drives it, and the virtual
 * CPU interface's list registers (GICH / ICH_*). */
#ifndef ARCH_GIC_H
#define ARCH_GIC_H

#include <mv/platform.h>
#include <mv/types.h>

#define GIC_SPURIOUS		1023
#define SGI_KICK		1	/* "look at your run queue / vGIC" */

int gic_init(const struct platform *p);		/* boot CPU: distributor */
int gic_init_cpu(unsigned cpu);			/* every CPU: its interface */
unsigned gic_version(void);

uint32_t gic_ack(void);				/* IAR: INTID, or 1023 */
void gic_priority_drop(uint32_t intid);		/* EOIR (EOImode = 1) */
void gic_deactivate(uint32_t intid);		/* DIR */
void gic_enable_ppi(unsigned intid);
/* Route an SPI to a CPU and enable it. */
void gic_enable_spi(unsigned intid, unsigned cpu);
/* Clear an SPI's active state in the distributor (any CPU may). */
void gic_spi_deactivate(unsigned intid);
void gic_send_sgi(unsigned cpu, unsigned intid);
/* The calling CPU's active state of a PPI (the virtual timer's, which the
 * guest deactivates through the HW bit), saved and restored per vCPU. */
bool gic_ppi_active(unsigned intid);
void gic_set_ppi_active(unsigned intid, bool active);

/* Virtual CPU interface. */
unsigned gich_nr_lrs(void);
uint64_t gich_read_lr(unsigned i);
void gich_write_lr(unsigned i, uint64_t v);
uint64_t gich_read_vmcr(void);
void gich_write_vmcr(uint64_t v);
uint64_t gich_read_apr(void);
void gich_write_apr(uint64_t v);
void gich_write_hcr(uint64_t v);
paddr_t gic_vcpu_interface(void);		/* GICv2 GICV base, for stage 2 */

#define GICH_HCR_EN		BIT(0)
#define GICH_HCR_UIE		BIT(1)
/* GICv3 only: EL1 accesses to the CPU interface's common, group 0 and
 * group 1 registers trapped (ICH_HCR_EL2.TC, TALL0, TALL1). */
#define ICH_HCR_TRAP_ALL	(BIT(10) | BIT(11) | BIT(12))

#endif
