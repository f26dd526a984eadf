// SPDX-License-Identifier: MIT
/*
 * Regions, physical interrupts and virtual interrupts (mv/objects.h): made
 * at boot from /regions, /irqs and the domains' "caps" nodes, and the two
 * hypercalls that use them.  Each hypercall decodes its slot first (slot,
 * type, rights: one error each) and then acts.
 */
#include <string.h>

#include <mv/arch.h>
#include <mv/console.h>
#include <mv/errno.h>
#include <mv/frame.h>
#include <mv/hypercall.h>
#include <mv/objects.h>
#include <mv/print.h>
#include <mv/vmm.h>

static struct region regions[MV_MAX_REGIONS];
static struct irq_object irqs[MV_MAX_IRQS];
static unsigned nirqs;
static struct virq_object virqs[MV_MAX_CAPS];
static struct space_object spaces[MV_MAX_CAPS];

static bool overlaps(paddr_t a, uint64_t asize, paddr_t b, uint64_t bsize)
{
	return asize && bsize && a < b + bsize && b < a + asize;
}

/* Whether the console cell holds every capability to the region or irq
 * object (and there is one): only it may have the console's UART. */
static bool console_cell_has(const struct system *sys, enum cap_desc_type type, unsigned object)
{
	int holder = desc_console_holder(sys);
	bool held = false;

	for (unsigned i = 0; i < sys->ncaps; i++) {
		if (sys->cap[i].type != type || sys->cap[i].object != object)
			continue;
		if ((int)sys->cap[i].holder != holder)
			return false;
		held = true;
	}
	return held && holder >= 0;
}

static int region_create(const struct system *sys, unsigned idx, struct region *r,
			 const struct platform *plat, const void *host_fdt)
{
	const struct region_desc *d = &sys->region[idx];
	struct platform_device dev;
	const char *why;
	char err[160];

	r->size = d->size;
	if (!d->device) {
		if (frame_alloc(d->size / PAGE_SIZE, 1, &r->pa)) {
			printk("system: error: /regions/%s: size: not enough free RAM\n", d->name);
			return MV_E_INVAL;
		}
		memset((void *)(uintptr_t)r->pa, 0, d->size);
		arch_sync_for_guest(r->pa, d->size);
		printk("system: region %s: %llu KiB of shared memory at 0x%lx\n", d->name,
		       (unsigned long long)(d->size >> 10), r->pa);
		return MV_OK;
	}
	if (platform_device(host_fdt, d->device, &dev, err, sizeof(err))) {
		printk("system: error: /regions/%s: device: %s\n", d->name, err);
		return MV_E_INVAL;
	}
	if ((why = platform_device_reserved(host_fdt, plat, &dev))) {
		printk("system: error: /regions/%s: device: %s is %s\n", d->name, d->device, why);
		return MV_E_INVAL;
	}
	if (!IS_ALIGNED(dev.reg.base, PAGE_SIZE) || d->size > ALIGN_UP(dev.reg.size, PAGE_SIZE)) {
		printk("system: error: /regions/%s: size: 0x%llx is more than %s's registers (0x%lx bytes at 0x%lx)\n",
		       d->name, (unsigned long long)d->size, d->device, dev.reg.size, dev.reg.base);
		return MV_E_INVAL;
	}
	if (overlaps(dev.reg.base, d->size, plat->uart.base, plat->uart.size) &&
	    !console_cell_has(sys, CAP_DESC_REGION, idx)) {
		printk("system: error: /regions/%s: device: %s is the microvisor's console: only the console cell may hold it\n",
		       d->name, d->device);
		return MV_E_INVAL;
	}
	if (overlaps(dev.reg.base, d->size, plat->gic.dist.base, plat->gic.dist.size) ||
	    overlaps(dev.reg.base, d->size, plat->gic.redist.base, plat->gic.redist.size) ||
	    overlaps(dev.reg.base, d->size, plat->gic.cpu.base, plat->gic.cpu.size) ||
	    overlaps(dev.reg.base, d->size, plat->gic.hyp.base, plat->gic.hyp.size)) {
		printk("system: error: /regions/%s: device: %s is the microvisor's own console or GIC\n",
		       d->name, d->device);
		return MV_E_INVAL;
	}
	r->pa = dev.reg.base;
	r->device = true;
	printk("system: region %s: %s registers 0x%lx-0x%llx\n", d->name, d->device, r->pa,
	       (unsigned long long)(r->pa + d->size - 1));
	return MV_OK;
}

static bool intid_taken(unsigned intid)
{
	for (unsigned i = 0; i < nvms; i++)
		for (unsigned d = 0; d < vms[i].ndevices; d++)
			for (unsigned k = 0; k < vms[i].device[d].nirqs; k++)
				if (vms[i].device[d].intid[k] == intid)
					return true;
	for (unsigned i = 0; i < nirqs; i++)
		if (irqs[i].intid == intid)
			return true;
	return false;
}

static int irq_create(const struct system *sys, unsigned idx, struct irq_object *q,
		      const struct platform *plat, const void *host_fdt)
{
	const struct irq_desc *d = &sys->irq[idx];
	struct platform_device dev;
	char err[160];

	if (platform_device(host_fdt, d->device, &dev, err, sizeof(err))) {
		printk("system: error: /irqs/%s: device: %s\n", d->name, err);
		return MV_E_INVAL;
	}
	if (!dev.nirqs) {
		printk("system: error: /irqs/%s: device: %s is not an interrupt source (it has no interrupts)\n",
		       d->name, d->device);
		return MV_E_INVAL;
	}
	if (d->index >= dev.nirqs) {
		printk("system: error: /irqs/%s: index: %s has %u interrupt%s, no interrupt %u\n",
		       d->name, d->device, dev.nirqs, dev.nirqs == 1 ? "" : "s", d->index);
		return MV_E_INVAL;
	}
	q->intid = dev.intid[d->index];
	if (q->intid == plat->uart_intid && !console_cell_has(sys, CAP_DESC_IRQ, idx)) {
		printk("system: error: /irqs/%s: device: %s is the microvisor's console: only the console cell may hold its interrupt\n",
		       d->name, d->device);
		return MV_E_INVAL;
	}
	if (q->intid >= 1020 || intid_taken(q->intid)) {
		printk("system: error: /irqs/%s: device: interrupt %u of %s is already taken\n",
		       d->name, q->intid, d->device);
		return MV_E_INVAL;
	}
	return MV_OK;
}

/* The place of a region or space capability's mapping in its holder is
 * checked by the description's validator, but for the holder's devices,
 * which are known only at boot. */
static int check_devices(const struct cap_desc *c, const struct vm *vm, uint64_t size)
{
	for (unsigned d = 0; d < vm->ndevices; d++) {
		if (overlaps(c->address, size, vm->device[d].reg.base, vm->device[d].reg.size)) {
			printk("system: error: /domains/%s/caps/%s: address: overlaps the device %s\n",
			       vm->name, c->name, vm->desc->devices[d]);
			return MV_E_INVAL;
		}
	}
	return MV_OK;
}

/* A region capability: the region mapped into the holder's space. */
static int map_region(const struct system *sys, const struct cap_desc *c, struct vm *vm)
{
	const struct region *r = &regions[c->object];

	if (check_devices(c, vm, r->size))
		return MV_E_INVAL;
	if (arch_vm_map_region(vm, c->address, r->pa, r->size, r->device, c->writable)) {
		printk("system: error: /domains/%s/caps/%s: cannot map the region (out of memory)\n",
		       vm->name, c->name);
		return MV_E_INVAL;
	}
	printk("%s: slot %u: region %s at 0x%llx (%s)\n", vm->name, c->slot,
	       sys->region[c->object].name, (unsigned long long)c->address,
	       c->writable ? "rw" : "r");
	return MV_OK;
}

/* A space capability: the target's RAM mapped into the holder's space.
 * The RAM is the target's for good (a reset clears and reloads the same
 * frames; nothing frees them), so the mapping never outlives it. */
static int map_space(const struct cap_desc *c, struct vm *vm, struct space_object *sp)
{
	const struct vm *t = &vms[c->object];

	if (check_devices(c, vm, t->desc->mem_size))
		return MV_E_INVAL;
	if (arch_vm_map_region(vm, c->address, t->ram, t->desc->mem_size, false, c->writable)) {
		printk("system: error: /domains/%s/caps/%s: cannot map the space (out of memory)\n",
		       vm->name, c->name);
		return MV_E_INVAL;
	}
	sp->vm = &vms[c->object];
	sp->address = c->address;
	printk("%s: slot %u: space of %s (0x%lx-0x%lx) at 0x%llx (%s)\n", vm->name, c->slot,
	       t->name, t->desc->mem_base, t->desc->mem_base + t->desc->mem_size - 1,
	       (unsigned long long)c->address, c->writable ? "rw" : "r");
	return MV_OK;
}

static int install_cap(const struct system *sys, unsigned i)
{
	const struct cap_desc *c = &sys->cap[i];
	struct vm *vm = &vms[c->holder];
	int rc = MV_OK;

	switch (c->type) {
	case CAP_DESC_REGION:
		rc = map_region(sys, c, vm);
		rc = rc ?: cap_install(&vm->cspace, c->slot, CAP_REGION,
				       MV_RIGHT_READ | (c->writable ? MV_RIGHT_WRITE : 0), 0,
				       &regions[c->object]);
		break;
	case CAP_DESC_IRQ:
		irqs[c->object].holder = vm;
		rc = cap_install(&vm->cspace, c->slot, CAP_IRQ, MV_RIGHT_ACK, 0, &irqs[c->object]);
		arch_route_spi(irqs[c->object].intid, vm->vcpu[0].pcpu);
		printk("%s: slot %u: interrupt %s (INTID %u)\n", vm->name, c->slot,
		       sys->irq[c->object].name, irqs[c->object].intid);
		break;
	case CAP_DESC_VIRQ: {
		const struct vm *t = &vms[c->object];

		/* Raising a device's hardware-linked interrupt would have the
		 * guest deactivate the physical one on its EOI. */
		for (unsigned d = 0; d < t->ndevices; d++)
			for (unsigned k = 0; k < t->device[d].nirqs; k++)
				if (t->device[d].intid[k] == 32 + c->virq) {
					printk("system: error: /domains/%s/caps/%s: virq: SPI %u of %s is its device %s's interrupt\n",
					       vm->name, c->name, c->virq, t->name, t->desc->devices[d]);
					return MV_E_INVAL;
				}
		virqs[i].vm = &vms[c->object];
		virqs[i].intid = 32 + c->virq;
		rc = cap_install(&vm->cspace, c->slot, CAP_VIRQ, MV_RIGHT_RAISE, 0, &virqs[i]);
		printk("%s: slot %u: raises SPI %u in %s\n", vm->name, c->slot, c->virq,
		       vms[c->object].name);
		break;
	}
	case CAP_DESC_CONSOLE:
		rc = cap_install(&vm->cspace, c->slot, CAP_CONSOLE, MV_RIGHT_CONSOLE, 0, NULL);
		printk("%s: slot %u: the console (the console cell)\n", vm->name, c->slot);
		break;
	case CAP_DESC_SPACE:
		rc = map_space(c, vm, &spaces[i]);
		rc = rc ?: cap_install(&vm->cspace, c->slot, CAP_SPACE,
				       MV_RIGHT_READ | (c->writable ? MV_RIGHT_WRITE : 0), 0, &spaces[i]);
		break;
	case CAP_DESC_VCPU:
		rc = cap_install(&vm->cspace, c->slot, CAP_VCPU,
				 MV_RIGHT_READ | (c->writable ? MV_RIGHT_CONTROL : 0), 0,
				 &vms[c->object].vcpu[c->vcpu]);
		printk("%s: slot %u: vcpu%u of %s (%s)\n", vm->name, c->slot, c->vcpu,
		       vms[c->object].name, c->writable ? "read, control" : "read");
		break;
	}
	if (rc == MV_ERR_SLOT) {
		printk("system: error: /domains/%s/caps/%s: slot: taken twice\n", vm->name, c->name);
		return MV_E_INVAL;
	}
	return rc;
}

int objects_create(const struct system *sys, const struct platform *plat, const void *host_fdt)
{
	int rc;

	for (unsigned i = 0; i < sys->nregions; i++)
		if ((rc = region_create(sys, i, &regions[i], plat, host_fdt)))
			return rc;
	for (unsigned i = 0; i < sys->nirqs; i++, nirqs++)
		if ((rc = irq_create(sys, i, &irqs[i], plat, host_fdt)))
			return rc;
	for (unsigned i = 0; i < sys->ncaps; i++)
		if ((rc = install_cap(sys, i)))
			return rc;
	return MV_OK;
}

bool irq_object_fire(unsigned intid)
{
	for (unsigned i = 0; i < nirqs; i++) {
		struct irq_object *q = &irqs[i];

		if (q->intid != intid || !q->holder)
			continue;
		spin_lock(&q->holder->lock);
		q->fired = true;
		spin_unlock(&q->holder->lock);
		domain_notify(q->holder, 0);
		return true;
	}
	return false;
}

int64_t irq_object_ack(struct vm *vm, uint64_t slot)
{
	const struct cap *c;
	struct irq_object *q;
	bool fired;
	int rc = cap_lookup(&vm->cspace, slot, CAP_IRQ, MV_RIGHT_ACK, &c);

	if (rc)
		return rc;
	q = c->object;
	spin_lock(&vm->lock);
	fired = q->fired;
	q->fired = false;
	spin_unlock(&vm->lock);
	if (!fired)
		return MV_ERR_EMPTY;
	arch_spi_deactivate(q->intid);
	return MV_OK;
}

void objects_domain_reset(const struct vm *vm)
{
	for (unsigned i = 0; i < nirqs; i++) {
		struct irq_object *q = &irqs[i];

		if (q->holder == vm && q->fired) {
			q->fired = false;
			arch_spi_deactivate(q->intid);
		}
	}
}

int64_t virq_object_raise(struct vm *vm, uint64_t slot)
{
	const struct cap *c;
	struct virq_object *r;
	int rc = cap_lookup(&vm->cspace, slot, CAP_VIRQ, MV_RIGHT_RAISE, &c);

	if (rc)
		return rc;
	r = c->object;
	spin_lock(&r->vm->lock);
	vm_kick_mask(r->vm, vgic_inject_edge(&r->vm->vgic, 0, r->intid));
	spin_unlock(&r->vm->lock);
	return MV_OK;
}

int64_t space_hc_info(struct vm *vm, uint64_t *x)
{
	const struct cap *c;
	const struct space_object *sp;
	int rc = cap_lookup(&vm->cspace, x[1], CAP_SPACE, MV_RIGHT_READ, &c);

	if (rc)
		return rc;
	sp = c->object;
	x[1] = sp->vm->desc->mem_base;
	x[2] = sp->vm->desc->mem_size;
	x[3] = sp->address;
	x[4] = (c->rights & MV_RIGHT_WRITE ? MV_SPACE_WRITABLE : 0) |
	       (__atomic_load_n(&sp->vm->stopped, __ATOMIC_RELAXED) ? MV_SPACE_STOPPED : 0);
	x[5] = __atomic_load_n(&sp->vm->restarts, __ATOMIC_RELAXED);
	x[6] = x[7] = 0;
	return MV_OK;
}

/* --- the console (docs/abi.md, "Console") --- */

int64_t console_hc_attach(struct vm *vm, uint64_t *x)
{
	const struct cap *c;
	uint64_t ipa = x[2], size = x[3];
	int rc = cap_lookup(&vm->cspace, x[1], CAP_CONSOLE, MV_RIGHT_CONSOLE, &c);

	if (rc)
		return rc;
	/* Inside the cell's own RAM, whole: the kernel writes there. */
	if (size < MV_CONSOLE_RING_MIN || size > MV_CONSOLE_RING_MAX || !IS_ALIGNED(ipa, 8) ||
	    ipa < vm->desc->mem_base || size > vm->desc->mem_size ||
	    ipa - vm->desc->mem_base > vm->desc->mem_size - size)
		return MV_ERR_INVAL;
	printk("console: %s has the console now (ring of %llu bytes at 0x%llx)\n", vm->name,
	       (unsigned long long)size, (unsigned long long)ipa);
	console_attach(vm, (struct mv_console_ring *)(uintptr_t)(vm->ram + (ipa - vm->desc->mem_base)),
		       (uint32_t)size);
	return MV_OK;
}

int64_t console_hc_domain(struct vm *vm, uint64_t *x)
{
	const struct cap *c;
	const struct vm *d;
	char name[32];
	int rc = cap_lookup(&vm->cspace, x[1], CAP_CONSOLE, MV_RIGHT_CONSOLE, &c);

	if (rc)
		return rc;
	if (x[2] >= nvms)
		return MV_ERR_INVAL;
	d = &vms[x[2]];
	memset(name, 0, sizeof(name));
	memcpy(name, d->name, strnlen(d->name, sizeof(name) - 1));
	x[1] = (d->desc->cell ? 0 : MV_CONSOLE_DOMAIN_VM) |
	       (__atomic_load_n(&d->stopped, __ATOMIC_RELAXED) ? 0 : MV_CONSOLE_DOMAIN_RUNNING);
	memcpy(&x[2], name, sizeof(name));
	return MV_OK;
}
