// SPDX-License-Identifier: MIT
/*
 * Physical interrupts at EL2: the kick SGI, the EL2 physical timer
 * (scheduler slices and sleeping vCPUs' timer deadlines), the virtual timer
 * (handed to the running guest through a HW-linked list register, so only
 * its priority is dropped here), and the maintenance interrupt.
 */
#include <arch/sysreg.h>
#include <mv/arch.h>
#include <mv/console.h>
#include <mv/print.h>
#include <mv/sched.h>
#include <mv/vmm.h>

#include "gic.h"
#include "stage2.h"
#include "vcpu_internal.h"

#define PPI_MAINTENANCE	25
#define PPI_HYP_TIMER	26
#define PPI_VTIMER	27

void irq_handle(void)
{
	for (;;) {
		uint32_t intid = gic_ack();

		if (intid >= 1020)
			return;
		gic_priority_drop(intid);
		switch (intid) {
		case PPI_VTIMER:
			/* Deactivated by the guest's EOI (HW bit); vcpu.c samples the
			 * timer's line before the next entry, and must refill:
			 * the guest may have taken the last one already. */
			vcpu_vtimer_fired();
			continue;
		case PPI_HYP_TIMER:
			write_sysreg(0, cnthp_ctl_el2);
			sched_timer_expired(arch_cpu_id(), arch_counter());
			break;
		case PPI_MAINTENANCE:
			vgic_maintenance();
			break;
		case SGI_KICK:
			console_kick();
			break;
		default:
			if (vm_device_irq(intid))
				continue;	/* deactivated by the guest (HW bit) */
			printk("irq: cpu%u: unexpected interrupt %u\n", arch_cpu_id(), intid);
			break;
		}
		gic_deactivate(intid);
	}
}

void arch_kick_cpu(unsigned cpu)
{
	gic_send_sgi(cpu, SGI_KICK);
}

unsigned arch_gic_version(void)
{
	return gic_version();
}

int arch_vm_init(struct vm *vm)
{
	int err = stage2_create(&vm->s2_root);

	if (err)
		return err;
	vm->vttbr = (uint64_t)(uintptr_t)vm->s2_root | (uint64_t)(vm->id + 1) << VTTBR_VMID_SHIFT;
	if (gic_version() == 2 && !vm->cell)	/* cells have no GIC (vcpu.c) */
		err = stage2_map(vm->s2_root, GUEST_GICC_BASE, gic_vcpu_interface(), 0x2000, true);
	return err;
}

int arch_vm_map(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size, bool device)
{
	return stage2_map(vm->s2_root, ipa, pa, size, device);
}

int arch_vm_map_region(struct vm *vm, uint64_t ipa, paddr_t pa, uint64_t size, bool device,
		       bool writable)
{
	return stage2_map_perm(vm->s2_root, ipa, pa, size, device, writable);
}

void arch_spi_deactivate(unsigned intid)
{
	gic_spi_deactivate(intid);
}

void arch_route_spi(unsigned intid, unsigned cpu)
{
	gic_enable_spi(intid, cpu);
}

/* Clean and invalidate [pa, pa + size) to the point of coherency, then the
 * instruction caches: a guest starts with its MMU and caches off and must
 * see what EL2 wrote through its cacheable map (Linux booting.rst). */
void arch_sync_for_guest(paddr_t pa, uint64_t size)
{
	uint64_t line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);

	for (uint64_t a = ALIGN_DOWN(pa, line); a < pa + size; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	dsb(ish);
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}

void arch_vm_flush_tlb(struct vm *vm)
{
	stage2_flush(vm->vttbr);
}

/* Every CPU that will run vCPUs: its GIC interface and EL2 registers. */
int arch_cpu_init_virt(unsigned cpu)
{
	int err = gic_init_cpu(cpu);

	if (err)
		return err;
	vcpu_init_cpu();
	gic_enable_ppi(PPI_MAINTENANCE);
	gic_enable_ppi(PPI_HYP_TIMER);
	gic_enable_ppi(PPI_VTIMER);
	return 0;
}

int arch_virt_init(const struct platform *p)
{
	return gic_init(p);
}
