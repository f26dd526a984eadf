/* SPDX-License-Identifier: MIT */
/*
 * Regions, physical interrupts and virtual interrupts: the kernel objects
 * behind the capabilities of the domains' "caps" nodes
 * (docs/system-description.md).  Each is made once at boot from the
 * system description, in bounded static tables; shared memory comes from
 * the RAM the description asks for, never from a heap.
 */
#ifndef MV_OBJECTS_H
#define MV_OBJECTS_H

#include <mv/platform.h>
#include <mv/system.h>
#include <mv/vm.h>

/* Physical memory that can be mapped into spaces: a host device's
 * registers or zeroed shared RAM. */
struct region {
	paddr_t pa;
	uint64_t size;
	bool device;
};

/* A physical SPI delivered to one cell.  While fired it stays active in
 * the GIC (so a level interrupt does not fire again) until the holder's
 * MV_HC_IRQ_ACK. */
struct irq_object {
	unsigned intid;
	struct vm *holder;
	bool fired;		/* under holder->lock */
};

/* The right to raise one virtual interrupt (an INTID) in one VM. */
struct virq_object {
	struct vm *vm;
	unsigned intid;
};

/* Another domain's memory, mapped into the holder's space at address. */
struct space_object {
	struct vm *vm;
	uint64_t address;
};

/* Make the objects of sys and install the capabilities: regions mapped
 * into their holders' spaces, interrupts routed to their holders' CPUs.
 * The domains exist already.  One error line, then MV_E_INVAL. */
int objects_create(const struct system *sys, const struct platform *plat, const void *host_fdt);

/* A physical SPI fired that no VM's device owns: if an irq object has it,
 * note it and wake the holder (the SPI stays active); false if none. */
bool irq_object_fire(unsigned intid);

/* Hypercalls (docs/abi.md). */
int64_t irq_object_ack(struct vm *vm, uint64_t slot);

/* vm restarts: the interrupts of its irq capabilities that fired and were
 * not acknowledged are deactivated, so they can fire for the new run.
 * Caller holds vm->lock. */
void objects_domain_reset(const struct vm *vm);
int64_t virq_object_raise(struct vm *vm, uint64_t slot);

/* MV_HC_SPACE_INFO (docs/abi.md): x as the hypercall's registers. */
int64_t space_hc_info(struct vm *vm, uint64_t *x);

/* The console cell's calls (docs/abi.md, "Console"): x as the hypercall's
 * registers. */
int64_t console_hc_attach(struct vm *vm, uint64_t *x);
int64_t console_hc_domain(struct vm *vm, uint64_t *x);

#endif
