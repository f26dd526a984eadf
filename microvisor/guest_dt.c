// SPDX-License-Identifier: MIT
/*
 * Guest device trees, written with libfdt's sequential-write API.  The
 * bindings are Linux's (arm/psci, timer/arm,arch_timer,
 * interrupt-controller/arm,gic{,-v3}, serial/pl011): an unmodified kernel
 * finds everything with its own drivers.
 */
#include <libfdt.h>
#include <string.h>

#include <mv/errno.h>
#include <mv/guest_dt.h>
#include <mv/print.h>

#define PHANDLE_GIC	1
#define PHANDLE_CLK	2
#define GIC_PPI		1
#define IRQ_LEVEL_HIGH	4
#define IRQ_EDGE_RISING	1

static int prop_u64_pair(void *fdt, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

static int add_cpus(void *fdt, const struct vm *vm)
{
	int err = fdt_begin_node(fdt, "cpus");

	err = err ?: fdt_property_u32(fdt, "#address-cells", 1);
	err = err ?: fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned i = 0; i < vm->nvcpus && !err; i++) {
		char name[16];

		snprintf(name, sizeof(name), "cpu@%u", i);
		err = fdt_begin_node(fdt, name);
		err = err ?: fdt_property_string(fdt, "device_type", "cpu");
		err = err ?: fdt_property_string(fdt, "compatible", "arm,armv8");
		err = err ?: fdt_property_u32(fdt, "reg", i);
		err = err ?: fdt_property_string(fdt, "enable-method", "psci");
		err = err ?: fdt_end_node(fdt);
	}
	return err ?: fdt_end_node(fdt);
}

static int add_gic(void *fdt, const struct vm *vm, unsigned version)
{
	char name[32];
	int err;

	snprintf(name, sizeof(name), "intc@%lx", GUEST_GICD_BASE);
	err = fdt_begin_node(fdt, name);
	if (version == 3) {
		fdt64_t reg[4] = {
			cpu_to_fdt64(GUEST_GICD_BASE), cpu_to_fdt64(VGIC_DIST_SIZE),
			cpu_to_fdt64(GUEST_GICR_BASE),
			cpu_to_fdt64((uint64_t)vm->nvcpus * VGIC_REDIST_FRAME_SIZE),
		};

		err = err ?: fdt_property_string(fdt, "compatible", "arm,gic-v3");
		err = err ?: fdt_property_u32(fdt, "#redistributor-regions", 1);
		err = err ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	} else {
		fdt64_t reg[4] = {
			cpu_to_fdt64(GUEST_GICD_BASE), cpu_to_fdt64(0x1000),
			cpu_to_fdt64(GUEST_GICC_BASE), cpu_to_fdt64(0x2000),
		};

		err = err ?: fdt_property_string(fdt, "compatible", "arm,cortex-a15-gic");
		err = err ?: fdt_property(fdt, "reg", reg, sizeof(reg));
	}
	err = err ?: fdt_property(fdt, "interrupt-controller", NULL, 0);
	err = err ?: fdt_property_u32(fdt, "#interrupt-cells", 3);
	err = err ?: fdt_property_u32(fdt, "phandle", PHANDLE_GIC);
	return err ?: fdt_end_node(fdt);
}

static int add_timer(void *fdt, const struct vm *vm, unsigned version)
{
	/* Secure, non-secure, virtual and hypervisor PPIs (13, 14, 11, 10):
	 * the guest uses the virtual one. GICv2 flags carry a CPU mask. */
	uint32_t flags = IRQ_LEVEL_HIGH;
	fdt32_t irq[12];
	static const uint32_t ppi[4] = { 13, 14, 11, 10 };
	int err;

	if (version == 2)
		flags |= ((1U << vm->nvcpus) - 1) << 8;
	for (int i = 0; i < 4; i++) {
		irq[3 * i] = cpu_to_fdt32(GIC_PPI);
		irq[3 * i + 1] = cpu_to_fdt32(ppi[i]);
		irq[3 * i + 2] = cpu_to_fdt32(flags);
	}
	err = fdt_begin_node(fdt, "timer");
	err = err ?: fdt_property_string(fdt, "compatible", "arm,armv8-timer");
	err = err ?: fdt_property(fdt, "interrupts", irq, sizeof(irq));
	err = err ?: fdt_property(fdt, "always-on", NULL, 0);
	return err ?: fdt_end_node(fdt);
}

static int add_uart(void *fdt)
{
	static const char clock_names[] = "uartclk\0apb_pclk";
	fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(GUEST_UART_SPI),
			   cpu_to_fdt32(IRQ_LEVEL_HIGH) };
	fdt32_t clocks[2] = { cpu_to_fdt32(PHANDLE_CLK), cpu_to_fdt32(PHANDLE_CLK) };
	static const char compat[] = "arm,pl011\0arm,primecell";
	int err = fdt_begin_node(fdt, "apb-pclk");

	err = err ?: fdt_property_string(fdt, "compatible", "fixed-clock");
	err = err ?: fdt_property_u32(fdt, "#clock-cells", 0);
	err = err ?: fdt_property_u32(fdt, "clock-frequency", 24000000);
	err = err ?: fdt_property_u32(fdt, "phandle", PHANDLE_CLK);
	err = err ?: fdt_end_node(fdt);
	err = err ?: fdt_begin_node(fdt, "pl011@9000000");
	err = err ?: fdt_property(fdt, "compatible", compat, sizeof(compat));
	err = err ?: prop_u64_pair(fdt, "reg", GUEST_UART_BASE, 0x1000);
	err = err ?: fdt_property(fdt, "interrupts", irq, sizeof(irq));
	err = err ?: fdt_property(fdt, "clocks", clocks, sizeof(clocks));
	err = err ?: fdt_property(fdt, "clock-names", clock_names, sizeof(clock_names));
	return err ?: fdt_end_node(fdt);
}

/* A host device's node, as it is, except: its interrupts go to the
 * guest's GIC (the root's interrupt-parent) and its clocks become the
 * guest's fixed clock; phandles of the host mean nothing here. */
static int add_device(void *fdt, const void *host, int node)
{
	int prop, err = fdt_begin_node(fdt, fdt_get_name(host, node, NULL));

	fdt_for_each_property_offset(prop, host, node) {
		const char *name;
		int len;
		const void *val = fdt_getprop_by_offset(host, prop, &name, &len);

		if (err || !val)
			break;
		if (!strcmp(name, "phandle") || !strcmp(name, "linux,phandle") ||
		    !strcmp(name, "interrupt-parent"))
			continue;
		if (!strcmp(name, "clocks")) {
			fdt32_t clk[8];
			int n = MIN(len / 4, 8);

			for (int i = 0; i < n; i++)
				clk[i] = cpu_to_fdt32(PHANDLE_CLK);
			err = fdt_property(fdt, name, clk, n * 4);
			continue;
		}
		err = fdt_property(fdt, name, val, len);
	}
	return err ?: fdt_end_node(fdt);
}

/* The VM's virtio-mmio windows (a "virtio-mmio" window of the description,
 * served by a cell): Linux's virtio,mmio binding, the window's range and
 * its level-sensitive SPI.  DMA is coherent: the server reads and writes
 * the guest's memory through a space capability, not a bus. */
static int add_virtio(void *fdt, const struct vm *vm, const struct system *sys)
{
	int err = 0;

	for (unsigned i = 0; sys && i < sys->nfaults && !err; i++) {
		const struct fault_desc *d = &sys->fault[i];
		fdt32_t irq[3] = { cpu_to_fdt32(0), cpu_to_fdt32(d->spi), cpu_to_fdt32(IRQ_LEVEL_HIGH) };
		char name[32];

		if (d->client != vm->id || d->supervisor || !d->virtio)
			continue;
		snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)d->base);
		err = fdt_begin_node(fdt, name);
		err = err ?: fdt_property_string(fdt, "compatible", "virtio,mmio");
		err = err ?: prop_u64_pair(fdt, "reg", d->base, d->size);
		err = err ?: fdt_property(fdt, "interrupts", irq, sizeof(irq));
		err = err ?: fdt_property(fdt, "dma-coherent", NULL, 0);
		err = err ?: fdt_end_node(fdt);
	}
	return err;
}

/* One node for a capability of the VM: "<kind>@<slot>", reg = the slot,
 * label = the name in the description. */
static int begin_cap_node(void *fdt, const char *kind, unsigned slot, const char *label)
{
	char name[32];
	int err;

	snprintf(name, sizeof(name), "%s@%u", kind, slot);
	err = fdt_begin_node(fdt, name);
	snprintf(name, sizeof(name), "microvisor,%s", kind);
	err = err ?: fdt_property_string(fdt, "compatible", name);
	err = err ?: fdt_property_u32(fdt, "reg", slot);
	return err ?: fdt_property_string(fdt, "label", label);
}

/*
 * /hypervisor: the capabilities the VM holds, one child each, for a
 * paravirtual driver to probe (docs/abi.md, "Guest device tree"): channel
 * ends with their direction, peer and interrupt, regions with where they
 * are mapped, and virtual interrupts it may raise in other VMs.
 */
static int add_caps(void *fdt, const struct vm *vm, const struct system *sys)
{
	unsigned self = vm->id;
	int err = fdt_begin_node(fdt, "hypervisor");

	err = err ?: fdt_property_string(fdt, "compatible", "microvisor,hypervisor");
	err = err ?: fdt_property_u32(fdt, "#address-cells", 1);
	err = err ?: fdt_property_u32(fdt, "#size-cells", 0);
	for (unsigned i = 0; sys && i < sys->nchannels && !err; i++) {
		const struct channel_desc *c = &sys->channel[i];

		for (unsigned end = 0; end < 2 && !err; end++) {
			bool send = end == 0;

			if ((send ? c->from : c->to) != self)
				continue;
			err = begin_cap_node(fdt, "channel", send ? c->from_slot : c->to_slot, c->name);
			err = err ?: fdt_property_string(fdt, "microvisor,rights", send ? "send" : "receive");
			err = err ?: fdt_property_string(fdt, "microvisor,peer",
							 sys->vm[send ? c->to : c->from].name);
			if (send ? c->from_virq : c->to_virq) {
				fdt32_t irq[3] = { cpu_to_fdt32(0),
						   cpu_to_fdt32(send ? c->from_virq : c->to_virq),
						   cpu_to_fdt32(IRQ_EDGE_RISING) };

				err = err ?: fdt_property(fdt, "interrupts", irq, sizeof(irq));
			}
			err = err ?: fdt_end_node(fdt);
		}
	}
	for (unsigned i = 0; sys && i < sys->ncaps && !err; i++) {
		const struct cap_desc *c = &sys->cap[i];

		if (c->holder != self || (c->type != CAP_DESC_REGION && c->type != CAP_DESC_VIRQ))
			continue;	/* the other kinds are cells' only */
		if (c->type == CAP_DESC_REGION) {
			err = begin_cap_node(fdt, "region", c->slot, sys->region[c->object].name);
			err = err ?: prop_u64_pair(fdt, "microvisor,range", c->address,
						   sys->region[c->object].size);
			if (!c->writable)
				err = err ?: fdt_property(fdt, "read-only", NULL, 0);
		} else {
			err = begin_cap_node(fdt, "virq", c->slot, c->name);
			err = err ?: fdt_property_string(fdt, "microvisor,peer", sys->vm[c->object].name);
			err = err ?: fdt_property_u32(fdt, "microvisor,spi", c->virq);
		}
		err = err ?: fdt_end_node(fdt);
	}
	return err ?: fdt_end_node(fdt);
}

int guest_dt_build(const struct vm *vm, const struct system *sys, unsigned gic_version,
		   const void *host_fdt,
		   void *buf, size_t size, uint64_t initrd_ipa, uint64_t initrd_size)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	char memname[32];
	int err = fdt_create(buf, (int)size);

	err = err ?: fdt_finish_reservemap(buf);
	err = err ?: fdt_begin_node(buf, "");
	err = err ?: fdt_property_u32(buf, "#address-cells", 2);
	err = err ?: fdt_property_u32(buf, "#size-cells", 2);
	err = err ?: fdt_property_string(buf, "compatible", "microvisor,vm");
	err = err ?: fdt_property_string(buf, "model", vm->name);
	err = err ?: fdt_property_u32(buf, "interrupt-parent", PHANDLE_GIC);
	err = err ?: fdt_begin_node(buf, "chosen");
	if (vm->desc->bootargs)
		err = err ?: fdt_property_string(buf, "bootargs", vm->desc->bootargs);
	err = err ?: fdt_property_string(buf, "stdout-path", "/pl011@9000000");
	if (initrd_size) {
		err = err ?: fdt_property_u64(buf, "linux,initrd-start", initrd_ipa);
		err = err ?: fdt_property_u64(buf, "linux,initrd-end", initrd_ipa + initrd_size);
	}
	err = err ?: fdt_end_node(buf);
	snprintf(memname, sizeof(memname), "memory@%lx", vm->desc->mem_base);
	err = err ?: fdt_begin_node(buf, memname);
	err = err ?: fdt_property_string(buf, "device_type", "memory");
	err = err ?: prop_u64_pair(buf, "reg", vm->desc->mem_base, vm->desc->mem_size);
	err = err ?: fdt_end_node(buf);
	err = err ?: add_cpus(buf, vm);
	err = err ?: fdt_begin_node(buf, "psci");
	err = err ?: fdt_property(buf, "compatible", psci_compat, sizeof(psci_compat));
	err = err ?: fdt_property_string(buf, "method", "hvc");
	err = err ?: fdt_end_node(buf);
	err = err ?: add_gic(buf, vm, gic_version);
	err = err ?: add_timer(buf, vm, gic_version);
	err = err ?: add_uart(buf);
	for (unsigned i = 0; i < vm->ndevices && !err; i++)
		err = add_device(buf, host_fdt, vm->device[i].node);
	err = err ?: add_virtio(buf, vm, sys);
	err = err ?: add_caps(buf, vm, sys);
	err = err ?: fdt_end_node(buf);
	err = err ?: fdt_finish(buf);
	return err ? MV_E_NOMEM : MV_OK;
}
