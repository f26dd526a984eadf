// SPDX-License-Identifier: MIT
/*
 * VMs: creation from the system description, loading their images, the
 * emulated device windows (vGIC distributor/redistributors), PSCI power
 * state, stop and reset.  Their PL011 is a window served by the console
 * cell (fault.c).
 *
 * Everything a guest can do here ends in an error code, an injected fault
 * or a stopped VM, logged once: never a hypervisor crash.
 */
#include <libfdt.h>
#include <string.h>

#include <mv/arch.h>
#include <mv/console.h>
#include <mv/errno.h>
#include <mv/fault.h>
#include <mv/frame.h>
#include <mv/channel.h>
#include <mv/guest_dt.h>
#include <mv/hypercall.h>
#include <mv/objects.h>
#include <mv/package.h>
#include <mv/percpu.h>
#include <mv/print.h>
#include <mv/sched.h>
#include <mv/vmm.h>

#define ARM64_IMAGE_MAGIC	0x644d5241U	/* "ARM\x64" at offset 56 */
#define VTIMER_INTID		27

struct vm vms[MV_MAX_VMS];
unsigned nvms;
static unsigned vms_running;
unsigned vm_resets_requested;	/* VMs with reset_requested set */
static struct spinlock vms_lock = SPINLOCK_INIT;
static unsigned gic_ver;
static const void *host_fdt;
static const struct system *system_desc;	/* for the guest DTBs' channel nodes */
static struct vm *spi_owner[1020];
static struct channel channels[MV_MAX_CHANNELS];
static struct channel_end channel_ends[MV_MAX_CHANNELS];
static struct channel_end channel_senders[MV_MAX_CHANNELS];	/* from-virq */

struct image {
	const uint8_t *data;
	uint64_t size;
};

static void *guest_ptr(struct vm *vm, uint64_t ipa)
{
	return (void *)(uintptr_t)(vm->ram + (ipa - vm->desc->mem_base));
}

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64_at(const uint8_t *p)
{
	return le32_at(p) | (uint64_t)le32_at(p + 4) << 32;
}

static int vm_error(struct vm *vm, const char *what)
{
	printk("%s: error: %s\n", vm->name, what);
	return MV_E_INVAL;
}

/*
 * Lay out and copy the images (Linux arm64 boot protocol, booting.rst):
 * the Image at RAM base + text_offset, the DTB in the last 2 MiB, the
 * initrd just below it.  Raw images go where load-offset says.
 */
static int vm_load(struct vm *vm)
{
	const struct vm_desc *d = vm->desc;
	uint64_t top = d->mem_base + d->mem_size, dtb_ipa = top - GUEST_RAM_ALIGN;
	uint64_t initrd_ipa = 0, kernel_end;
	struct image k, rd = { NULL, 0 };
	int err;

	if (package_find(d->kernel, (const void **)&k.data, &k.size))
		return vm_error(vm, "kernel image is not in the package (rebuild the image)");
	if (d->initrd && package_find(d->initrd, (const void **)&rd.data, &rd.size))
		return vm_error(vm, "initrd is not in the package (rebuild the image)");
	if (d->raw) {
		vm->entry = d->mem_base + d->entry_offset;
		kernel_end = d->mem_base + d->load_offset + k.size;
		if (kernel_end > dtb_ipa)
			return vm_error(vm, "kernel does not fit below the DTB in the last 2 MiB of memory");
		memcpy(guest_ptr(vm, d->mem_base + d->load_offset), k.data, k.size);
		arch_sync_for_guest((paddr_t)(uintptr_t)guest_ptr(vm, d->mem_base + d->load_offset), k.size);
	} else {
		uint64_t text_offset, image_size;

		if (k.size < 64 || le32_at(k.data + 56) != ARM64_IMAGE_MAGIC)
			return vm_error(vm, "kernel is not an arm64 Image (no \"ARM\\x64\" magic); for a raw binary give load-offset");
		text_offset = le64_at(k.data + 8);
		image_size = le64_at(k.data + 16);
		vm->entry = d->mem_base + text_offset;
		kernel_end = vm->entry + MAX(image_size, k.size);
		if (kernel_end > dtb_ipa)
			return vm_error(vm, "kernel does not fit in memory");
		memcpy(guest_ptr(vm, vm->entry), k.data, k.size);
		arch_sync_for_guest((paddr_t)(uintptr_t)guest_ptr(vm, vm->entry), k.size);
	}
	if (rd.size) {
		initrd_ipa = ALIGN_DOWN(dtb_ipa - rd.size, PAGE_SIZE);
		if (initrd_ipa < ALIGN_UP(kernel_end, GUEST_RAM_ALIGN))
			return vm_error(vm, "initrd does not fit between the kernel and the DTB");
		memcpy(guest_ptr(vm, initrd_ipa), rd.data, rd.size);
		arch_sync_for_guest((paddr_t)(uintptr_t)guest_ptr(vm, initrd_ipa), rd.size);
	}
	err = guest_dt_build(vm, system_desc, gic_ver, host_fdt, guest_ptr(vm, dtb_ipa), GUEST_DT_MAX,
			     initrd_ipa, rd.size);
	if (err)
		return vm_error(vm, "guest device tree does not fit in 64 KiB");
	arch_sync_for_guest((paddr_t)(uintptr_t)guest_ptr(vm, dtb_ipa), GUEST_DT_MAX);
	vm->dtb_ipa = dtb_ipa;
	return MV_OK;
}

static void vm_reset_state(struct vm *vm)
{
	uint64_t mpidr[MV_MAX_VCPUS];

	for (unsigned i = 0; i < vm->nvcpus; i++) {
		mpidr[i] = i;
		vm->vcpu[i].state = VCPU_OFF;
		vm->vcpu[i].timer_deadline = 0;
		vm->vcpu[i].suspended = false;	/* a restart runs whatever was suspended */
		channel_wait_end(&vm->vcpu[i].recv_wait);	/* a receive it blocked in */
	}
	vgic_init(&vm->vgic, gic_ver, vm->nvcpus, 64, mpidr);
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct virq *t = vgic_irq(&vm->vgic, i, VTIMER_INTID);

		t->hw = true;
		t->hw_intid = VTIMER_INTID;
	}
	for (unsigned d = 0; d < vm->ndevices; d++) {
		for (unsigned i = 0; i < vm->device[d].nirqs; i++) {
			struct virq *q = vgic_irq(&vm->vgic, 0, vm->device[d].intid[i]);

			if (q) {
				q->hw = true;
				q->hw_intid = (uint16_t)vm->device[d].intid[i];
			}
		}
	}
	fault_vm_reset(vm);
	fault_client_reset(vm);
	vm->logged = 0;
	vm->notified = false;
	vm->stopped = false;
	vm->reset_requested = false;
}

static void vm_start(struct vm *vm)
{
	arch_vcpu_reset(&vm->vcpu[0], vm->entry, vm->dtb_ipa);
	sched_wake(&vm->vcpu[0]);
}

static bool overlaps(paddr_t a, uint64_t asize, paddr_t b, uint64_t bsize)
{
	return asize && bsize && a < b + bsize && b < a + asize;
}

/* Guest RAM, placed so that stage 2 can map it with the largest blocks:
 * when the guest-physical RAM starts on a gigabyte and spans at least one,
 * the host copy starts on a gigabyte too (if free RAM allows), so stage 2
 * maps it with 1 GiB blocks and a TLB miss costs one stage-2 lookup per
 * stage-1 level instead of two.  Otherwise the 2 MiB alignment every VM's
 * RAM has. */
static bool guest_ram_alloc(const struct vm_desc *d, paddr_t *pa)
{
	const uint64_t gib = 1UL << 30;
	uint64_t npages = d->mem_size / PAGE_SIZE;

	if (IS_ALIGNED(d->mem_base, gib) && d->mem_size >= gib &&
	    frame_alloc(npages, gib / PAGE_SIZE, pa) == MV_OK)
		return true;
	return frame_alloc(npages, GUEST_RAM_ALIGN / PAGE_SIZE, pa) == MV_OK;
}

/* A host device for this VM: registers mapped at the same guest-physical
 * address, its SPIs linked to virtual ones with the HW bit. */
static int vm_add_device(struct vm *vm, const char *path, const struct platform *plat)
{
	struct platform_device *dev = &vm->device[vm->ndevices];
	uint64_t redist = (uint64_t)vm->nvcpus * VGIC_REDIST_FRAME_SIZE;
	const char *why;
	char err[160];
	int rc = platform_device(host_fdt, path, dev, err, sizeof(err));

	if (rc) {
		printk("%s: error: devices: %s\n", vm->name, err);
		return rc;
	}
	if (dev->reg.base + dev->reg.size > GUEST_DEVICE_END ||
	    overlaps(dev->reg.base, dev->reg.size, GUEST_GICD_BASE, VGIC_DIST_SIZE) ||
	    overlaps(dev->reg.base, dev->reg.size, gic_ver == 3 ? GUEST_GICR_BASE : GUEST_GICC_BASE,
		     gic_ver == 3 ? redist : 0x2000) ||
	    overlaps(dev->reg.base, dev->reg.size, GUEST_UART_BASE, GUEST_UART_SIZE)) {
		printk("%s: error: devices: %s: registers 0x%lx-0x%lx collide with the VM's own devices or RAM\n",
		       vm->name, path, dev->reg.base, dev->reg.base + dev->reg.size - 1);
		return MV_E_INVAL;
	}
	if ((why = platform_device_reserved(host_fdt, plat, dev))) {
		printk("%s: error: devices: %s is %s\n", vm->name, path, why);
		return MV_E_INVAL;
	}
	if (overlaps(dev->reg.base, dev->reg.size, plat->uart.base, plat->uart.size) ||
	    overlaps(dev->reg.base, dev->reg.size, plat->gic.dist.base, plat->gic.dist.size) ||
	    overlaps(dev->reg.base, dev->reg.size, plat->gic.redist.base, plat->gic.redist.size)) {
		printk("%s: error: devices: %s is the microvisor's own console or GIC\n", vm->name, path);
		return MV_E_INVAL;
	}
	for (unsigned i = 0; i < dev->nirqs; i++) {
		if (dev->intid[i] >= ARRAY_SIZE(spi_owner) || dev->intid[i] >= 32 + 64 ||
		    spi_owner[dev->intid[i]] || dev->intid[i] == plat->uart_intid) {
			printk("%s: error: devices: %s: interrupt %u is already taken or out of range\n",
			       vm->name, path, dev->intid[i]);
			return MV_E_INVAL;
		}
	}
	rc = arch_vm_map(vm, dev->reg.base, dev->reg.base, ALIGN_UP(dev->reg.size, PAGE_SIZE), true);
	if (rc)
		return vm_error(vm, "devices: cannot map the registers (out of memory)");
	for (unsigned i = 0; i < dev->nirqs; i++)
		spi_owner[dev->intid[i]] = vm;
	vm->ndevices++;
	printk("%s: device %s: registers 0x%lx, %u interrupt%s\n", vm->name, path,
	       dev->reg.base, dev->nirqs, dev->nirqs == 1 ? "" : "s");
	return MV_OK;
}

static int vm_create(struct vm *vm, const struct vm_desc *d, unsigned id, unsigned ncpus,
		     const struct platform *plat)
{
	int err;

	vm->desc = d;
	vm->name = d->name;
	vm->id = id;
	vm->nvcpus = d->nvcpus;
	vm->cell = d->cell;
	for (unsigned i = 0; i < d->nvcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];

		v->vm = vm;
		v->id = i;
		v->pcpu = d->pinned ? d->cpus[i] : i % ncpus;
		v->prio = d->priority;
		if (v->pcpu >= ncpus)
			return vm_error(vm, "cpus: names a physical CPU that is not online");
	}
	if (!guest_ram_alloc(d, &vm->ram))
		return vm_error(vm, "memory: not enough free RAM for the guest");
	err = arch_vm_init(vm);
	err = err ?: arch_vm_map(vm, d->mem_base, vm->ram, d->mem_size, false);
	if (err)
		return vm_error(vm, "cannot build its stage-2 tables (out of memory)");
	for (unsigned i = 0; i < d->ndevices; i++)
		if ((err = vm_add_device(vm, d->devices[i], plat)))
			return err;
	vm_reset_state(vm);
	if ((err = vm_load(vm)))
		return err;
	printk("%s: %s created: %u vCPU%s, %lu MiB at 0x%lx (host 0x%lx), entry 0x%lx\n",
	       vm->name, d->cell ? (d->service ? "service cell" : "cell") : "VM", vm->nvcpus, vm->nvcpus == 1 ? "" : "s", d->mem_size >> 20,
	       d->mem_base, vm->ram, vm->entry);
	return MV_OK;
}

/* Channels: the object, a send capability in the sender's slot (with the
 * badge), a receive capability in the receiver's. */
static int channels_create(const struct system *sys)
{
	for (unsigned i = 0; i < sys->nchannels; i++) {
		const struct channel_desc *c = &sys->channel[i];
		struct vm *from = &vms[c->from], *to = &vms[c->to];

		channel_ends[i].vm = to;
		channel_ends[i].virq = c->to_virq ? 32 + c->to_virq : 0;
		channel_init(&channels[i], c->depth, channel_notify, &channel_ends[i]);
		if (to->nvcpus == 1 && !c->to_virq && to != from)
			channels[i].handoff_cpu = to->vcpu[0].pcpu;
		/* A way back shares the first way's lock: a call that sends
		 * on one and receives on the other takes one lock. */
		for (unsigned j = 0; j < i; j++)
			if (sys->channel[j].from == c->to && sys->channel[j].to == c->from) {
				channel_share_lock(&channels[i], &channels[j]);
				break;
			}
		if (c->from_virq) {
			channel_senders[i].vm = from;
			channel_senders[i].virq = 32 + c->from_virq;
			channels[i].room = channel_room;
			channels[i].room_ctx = &channel_senders[i];
		}
		if (cap_install(&from->cspace, c->from_slot, CAP_CHANNEL, MV_RIGHT_SEND,
				c->badge, &channels[i]) ||
		    cap_install(&to->cspace, c->to_slot, CAP_CHANNEL, MV_RIGHT_RECV, 0,
				&channels[i])) {
			printk("system: error: /channels/%s: a slot is taken twice\n", c->name);
			return MV_E_INVAL;
		}
		printk("system: channel %s: %s slot %u -> %s slot %u, depth %u\n", c->name,
		       from->name, c->from_slot, to->name, c->to_slot, c->depth);
	}
	return MV_OK;
}

int vm_create_all(const struct system *sys, const struct platform *plat,
		  const void *fdt, unsigned ncpus)
{
	gic_ver = arch_gic_version();
	host_fdt = fdt;
	system_desc = sys;
	for (unsigned i = 0; i < sys->ndomains; i++) {
		int err = vm_create(&vms[nvms], &sys->vm[i], nvms, ncpus, plat);

		if (err)
			return err;
		nvms++;
	}
	if (channels_create(sys) || objects_create(sys, plat, fdt) || fault_create_all(sys))
		return MV_E_INVAL;
	for (unsigned i = 0; i < nvms; i++)
		vms_running += !vms[i].desc->service;
	for (unsigned i = 0; i < nvms; i++) {
		for (unsigned d = 0; d < vms[i].ndevices; d++)
			for (unsigned k = 0; k < vms[i].device[d].nirqs; k++)
				arch_route_spi(vms[i].device[d].intid[k], vms[i].vcpu[0].pcpu);
		vm_start(&vms[i]);
	}
	return MV_OK;
}

bool vm_device_irq(unsigned intid)
{
	struct vm *vm = intid < ARRAY_SIZE(spi_owner) ? spi_owner[intid] : NULL;

	if (!vm)
		return irq_object_fire(intid);	/* a cell's, or nobody's */
	spin_lock(&vm->lock);
	vm_kick_mask(vm, vgic_set_level(&vm->vgic, 0, intid, true));
	spin_unlock(&vm->lock);
	return true;
}

bool vm_log_once(struct vm *vm, uint32_t kind)
{
	return !(__atomic_fetch_or(&vm->logged, kind, __ATOMIC_RELAXED) & kind);
}

/* Caller holds vm->lock (or is the only CPU that can touch v). */
static void kick_locked(struct vcpu *v)
{
	v->vgic_dirty = true;
	/* Pairs with vgic_flush's fence: either its CPU sees the news, or we
	 * see it running and kick it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (v->state == VCPU_BLOCKED)
		sched_wake(v);
	else if (v->state == VCPU_RUNNABLE && v->running && v->pcpu != arch_cpu_id())
		arch_kick_cpu(v->pcpu);
}

/* Caller holds vm->lock. */
void vm_kick_mask(struct vm *vm, uint32_t mask)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (mask & BIT(i))
			kick_locked(&vm->vcpu[i]);
}

void vm_vcpu_kick(struct vcpu *v)
{
	spin_lock(&v->vm->lock);
	kick_locked(v);
	spin_unlock(&v->vm->lock);
}

static void log_bad_register(struct vcpu *v, uint64_t ipa, unsigned size, bool write)
{
	if (vm_log_once(v->vm, VM_LOG_BAD_MMIO))
		printk("%s: vcpu%u: %s of %u bytes at device offset 0x%lx is not a register: ignored\n",
		       v->vm->name, v->id, write ? "write" : "read", size, ipa);
}

bool vm_mmio(struct vcpu *v, uint64_t ipa, unsigned size, bool write, uint64_t *value)
{
	struct vm *vm = v->vm;
	uint32_t kick = 0;
	bool ok;

	spin_lock(&vm->lock);
	if (ipa >= GUEST_GICD_BASE && ipa < GUEST_GICD_BASE + VGIC_DIST_SIZE) {
		ok = vgic_dist_access(&vm->vgic, v->id, (uint32_t)(ipa - GUEST_GICD_BASE),
				      size, write, value, &kick);
	} else if (gic_ver == 3 && ipa >= GUEST_GICR_BASE &&
		   ipa < GUEST_GICR_BASE + (uint64_t)vm->nvcpus * VGIC_REDIST_FRAME_SIZE) {
		ok = vgic_redist_access(&vm->vgic, v->id, (uint32_t)(ipa - GUEST_GICR_BASE),
					size, write, value, &kick);
	} else {
		spin_unlock(&vm->lock);
		return false;
	}
	if (!ok)
		log_bad_register(v, ipa, size, write);
	if (!ok && !write)
		*value = 0;
	vm_kick_mask(vm, kick);
	spin_unlock(&vm->lock);
	return true;
}

bool vm_vcpu_wfi(struct vcpu *v, bool timer_pending, uint64_t timer_deadline)
{
	struct vm *vm = v->vm;
	bool blocked = false;

	spin_lock(&vm->lock);
	if (!timer_pending && !vgic_deliverable(&vm->vgic, v->id) &&
	    v->state == VCPU_RUNNABLE) {
		v->state = VCPU_BLOCKED;
		v->timer_deadline = timer_deadline;
		sched_block(v);
		blocked = true;
	}
	spin_unlock(&vm->lock);
	if (blocked)
		fault_client_idle(vm);
	return blocked;
}

static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	return (mpidr & ~0xffUL) == 0 && mpidr < vm->nvcpus ? &vm->vcpu[mpidr] : NULL;
}

int64_t vm_psci_cpu_on(struct vcpu *v, uint64_t target, uint64_t entry, uint64_t ctx)
{
	struct vm *vm = v->vm;
	struct vcpu *t = vcpu_by_mpidr(vm, target);
	int64_t rc = 0;

	if (!t)
		return -2;	/* INVALID_PARAMETERS */
	if (entry < vm->desc->mem_base || entry >= vm->desc->mem_base + vm->desc->mem_size)
		return -9;	/* INVALID_ADDRESS */
	spin_lock(&vm->lock);
	/* Still loaded on its CPU after CPU_OFF: not off yet (its context is
	 * being saved there). */
	if (t->state != VCPU_OFF || __atomic_load_n(&t->running, __ATOMIC_ACQUIRE)) {
		rc = -4;	/* ALREADY_ON */
	} else {
		arch_vcpu_reset(t, entry, ctx);
		sched_wake(t);
	}
	spin_unlock(&vm->lock);
	return rc;
}

int64_t vm_psci_affinity_info(struct vcpu *v, uint64_t target, uint64_t level)
{
	struct vcpu *t = vcpu_by_mpidr(v->vm, target);

	if (!t || level != 0)
		return -2;
	return t->state == VCPU_OFF && !__atomic_load_n(&t->running, __ATOMIC_ACQUIRE) ? 1 : 0;
}

void vm_psci_cpu_off(struct vcpu *v)
{
	spin_lock(&v->vm->lock);
	v->state = VCPU_OFF;
	spin_unlock(&v->vm->lock);
}

void vm_stop(struct vm *vm, const char *why)
{
	bool last;

	spin_lock(&vm->lock);
	if (vm->stopped) {
		spin_unlock(&vm->lock);
		return;
	}
	vm->stopped = true;
	for (unsigned i = 0; i < vm->nvcpus; i++)
		sched_stop_vcpu(&vm->vcpu[i]);
	spin_unlock(&vm->lock);
	fault_client_idle(vm);
	console_detach(vm);	/* if it is the console cell */
	printk("%s: stopped (%s)\n", vm->name, why);
	fault_server_stopped(vm);
	if (vm->desc->service)
		return;		/* service domains do not keep the machine on */
	spin_lock(&vms_lock);
	last = --vms_running == 0;
	spin_unlock(&vms_lock);
	if (last)
		console_poweroff();	/* after the console cell's next wait */
}

void vm_request_reset(struct vm *vm, const char *why)
{
	spin_lock(&vm->lock);
	if (!vm->reset_requested)
		__atomic_fetch_add(&vm_resets_requested, 1, __ATOMIC_RELEASE);
	vm->reset_requested = true;
	vm->stopped = true;	/* every vCPU leaves its CPU */
	for (unsigned i = 0; i < vm->nvcpus; i++)
		sched_kick_loaded(&vm->vcpu[i]);
	spin_unlock(&vm->lock);
	printk("%s: reset requested (%s)\n", vm->name, why);
}

/* A VM that asked for a reset is reloaded once none of its vCPUs is loaded
 * on any CPU; whichever CPU sees that first does it. */
bool vm_reset_pending(void)
{
	bool restarted = false;

	/* Every exit that switches asks: the common answer must be cheap. */
	if (!__atomic_load_n(&vm_resets_requested, __ATOMIC_ACQUIRE))
		return false;
	for (unsigned n = 0; n < nvms; n++) {
		struct vm *vm = &vms[n];
		bool busy = false;

		if (!__atomic_load_n(&vm->reset_requested, __ATOMIC_ACQUIRE))
			continue;
		spin_lock(&vm->lock);
		/* Under the run-queue locks: the SEND_RECV fastpath hands a
		 * CPU to a vCPU under that lock alone (sched_handoff_block). */
		for (unsigned i = 0; i < vm->nvcpus; i++)
			busy |= sched_vcpu_loaded(&vm->vcpu[i]);
		if (busy || !vm->reset_requested) {
			spin_unlock(&vm->lock);
			continue;
		}
		vm->reset_requested = false;
		__atomic_fetch_sub(&vm_resets_requested, 1, __ATOMIC_RELEASE);
		arch_vm_flush_tlb(vm);
		console_detach(vm);	/* its ring goes with its memory */
		fault_server_reset(vm);	/* and so do its windows' pages */
		__atomic_fetch_add(&vm->restarts, 1, __ATOMIC_RELAXED);	/* MV_HC_SPACE_INFO */
		memset(guest_ptr(vm, vm->desc->mem_base), 0, vm->desc->mem_size);
		arch_sync_for_guest(vm->ram, vm->desc->mem_size);
		vm_reset_state(vm);
		/* Interrupts the old run left active would never fire again. */
		for (unsigned d = 0; d < vm->ndevices; d++)
			for (unsigned k = 0; k < vm->device[d].nirqs; k++)
				arch_spi_deactivate(vm->device[d].intid[k]);
		objects_domain_reset(vm);
		if (vm_load(vm)) {
			spin_unlock(&vm->lock);
			vm->stopped = false;
			vm_stop(vm, "reset failed");
			continue;
		}
		spin_unlock(&vm->lock);
		printk("%s: restarted from its images\n", vm->name);
		vm_start(vm);
		restarted = true;
	}
	return restarted;
}
