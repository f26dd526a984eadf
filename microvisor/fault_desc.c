// SPDX-License-Identifier: MIT
/*
 * Windows and supervisors of the system description
 * (docs/system-description.md, "Windows and supervisors"): child nodes of
 * a domain that hand its faults to a cell.  A window is a range of the
 * domain's guest-physical space whose accesses the cell answers; a
 * supervisor is the cell told when the domain crashes.  Runs on the host
 * at build time and in the kernel at boot, after the domains and channels.
 */
#include <libfdt.h>
#include <string.h>

#include <abi/microvisor.h>
#include <mv/errno.h>
#include <mv/print.h>
#include <mv/system.h>
#include <vgic.h>

#define WINDOW_COMPATIBLE	"microvisor,window"
#define SUPERVISOR_COMPATIBLE	"microvisor,supervisor"

static const char *const window_props[] = { "compatible", "reg", "server", "server-slot", "badge",
					     "interrupt", "virtio-mmio" };
static const char *const supervisor_props[] = { "compatible", "server", "server-slot", "badge" };

/* The node being checked, and the names its messages use. */
struct fctx {
	struct desc_node n;	/* path: /domains/DOMAIN/NAME */
	const char *domain;	/* the client's name */
	const char *name;	/* this node's */
};

/* "server": the name of a cell other than the client. */
static int get_server(struct fctx *c, const struct system *s, unsigned client, unsigned *out)
{
	int len;
	const char *name = fdt_getprop(c->n.fdt, c->n.node, "server", &len);

	if (!name)
		return desc_bad(&c->n, "server", "missing (the name of a cell)");
	if (len < 2 || name[len - 1] || strlen(name) != (size_t)len - 1)
		return desc_bad(&c->n, "server", "must be one domain name");
	for (const char *p = name; *p; p++)
		if (*p < 0x20 || *p > 0x7e)	/* it is printed in errors and logs */
			return desc_bad(&c->n, "server", "must be one domain name");
	for (unsigned i = 0; i < s->ndomains; i++) {
		if (strcmp(s->vm[i].name, name))
			continue;
		if (i == client)
			return desc_bad(&c->n, "server", "a domain cannot answer its own faults");
		if (!s->vm[i].cell)
			return desc_bad(&c->n, "server", "\"%s\" is a VM: only a cell answers faults", name);
		*out = i;
		return MV_OK;
	}
	return desc_bad(&c->n, "server", "no domain \"%s\" in /domains", name);
}

/* A slot holds one capability: not a channel end's, not another window's. */
static int slot_free(struct fctx *c, const struct system *s, unsigned dom, unsigned slot)
{
	if (slot >= MV_CSPACE_SLOTS)
		return desc_bad(&c->n, "server-slot", "slot %u is beyond the %d a domain has", slot, MV_CSPACE_SLOTS);
	char who[96];

	if (desc_slot_user(s, dom, slot, who, sizeof(who)))
		return desc_bad(&c->n, "server-slot", "slot %u of %s is already taken by %s",
			   slot, s->vm[dom].name, who);
	return MV_OK;
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

/* "reg": page aligned, in the guest device window, clear of the devices
 * the microvisor emulates for the domain, of its other windows and of the
 * memory its region and space capabilities map (an access there would
 * reach that memory, never the window's server). */
static int get_reg(struct fctx *c, const struct system *s, const struct vm_desc *vm,
		   struct fault_desc *d)
{
	const struct { const char *what; uint64_t base, size; } emulated[] = {
		{ "GIC distributor", GUEST_GICD_BASE, VGIC_DIST_SIZE },
		{ "GICv2 CPU interface", GUEST_GICC_BASE, 0x2000 },
		{ "GICv3 redistributors", GUEST_GICR_BASE, (uint64_t)vm->nvcpus * VGIC_REDIST_FRAME_SIZE },
		{ "PL011 UART", GUEST_UART_BASE, GUEST_UART_SIZE },
	};
	int len;
	const fdt32_t *p = fdt_getprop(c->n.fdt, c->n.node, "reg", &len);
	uint64_t end;

	if (!p)
		return desc_bad(&c->n, "reg", "missing");
	if (len != 16)
		return desc_bad(&c->n, "reg", "must be <base-hi base-lo size-hi size-lo> (guest-physical), not %d bytes",
			   len);
	d->base = (uint64_t)fdt32_ld(p) << 32 | fdt32_ld(p + 1);
	d->size = (uint64_t)fdt32_ld(p + 2) << 32 | fdt32_ld(p + 3);
	end = d->base + d->size - 1;
	if (!d->size)
		return desc_bad(&c->n, "reg", "size is zero");
	if (!IS_ALIGNED(d->base | d->size, PAGE_SIZE))
		return desc_bad(&c->n, "reg", "base 0x%llx and size 0x%llx must be 4 KiB aligned",
			   (unsigned long long)d->base, (unsigned long long)d->size);
	if (end < d->base || end >= GUEST_DEVICE_END)
		return desc_bad(&c->n, "reg", "window 0x%llx-0x%llx must lie below 0x%lx (guest RAM starts there)",
			   (unsigned long long)d->base, (unsigned long long)end, GUEST_DEVICE_END);
	for (size_t i = 0; i < ARRAY_SIZE(emulated); i++)
		if (overlaps(d->base, d->size, emulated[i].base, emulated[i].size))
			return desc_bad(&c->n, "reg", "window 0x%llx-0x%llx overlaps the %s (0x%llx-0x%llx)",
				   (unsigned long long)d->base, (unsigned long long)end, emulated[i].what,
				   (unsigned long long)emulated[i].base,
				   (unsigned long long)(emulated[i].base + emulated[i].size - 1));
	for (unsigned i = 0; i < s->nfaults; i++) {
		const struct fault_desc *o = &s->fault[i];

		if (o->client == d->client && !o->supervisor && overlaps(d->base, d->size, o->base, o->size))
			return desc_bad(&c->n, "reg", "window 0x%llx-0x%llx overlaps /domains/%s/%s",
				   (unsigned long long)d->base, (unsigned long long)end, c->domain, o->name);
	}
	for (unsigned i = 0; i < s->ncaps; i++) {
		const struct cap_desc *o = &s->cap[i];
		uint64_t size = desc_cap_map_size(s, o);

		if (o->holder == d->client && size && overlaps(d->base, d->size, o->address, size))
			return desc_bad(&c->n, "reg", "window 0x%llx-0x%llx overlaps /domains/%s/caps/%s",
				   (unsigned long long)d->base, (unsigned long long)end, c->domain, o->name);
	}
	return MV_OK;
}

/* "virtio-mmio" (empty): the window is a virtio-mmio device (its server
 * implements the transport), described to the guest as a "virtio,mmio"
 * node with the window's reg and interrupt, which it therefore needs. */
static int get_virtio(struct fctx *c, struct fault_desc *d)
{
	int len;

	if (!fdt_getprop(c->n.fdt, c->n.node, "virtio-mmio", &len))
		return MV_OK;
	if (len)
		return desc_bad(&c->n, "virtio-mmio", "must be empty (it is a flag), not %d bytes", len);
	if (!d->spi)
		return desc_bad(&c->n, "virtio-mmio", "a virtio-mmio window needs an interrupt (the SPI its driver takes)");
	d->virtio = true;
	return MV_OK;
}

/* One child node of domain client: a window or a supervisor. */
static int parse_one(struct fctx *c, struct system *s, unsigned client, unsigned *nwindows,
		     bool *supervised)
{
	struct fault_desc *d = &s->fault[s->nfaults];
	const char *unknown;
	int sub, rc;

	memset(d, 0, sizeof(*d));
	d->name = c->name;
	d->client = client;
	if (!fdt_getprop(c->n.fdt, c->n.node, "compatible", NULL)) {
		/* Named like the system's other unknown nodes ("/chosen/x"). */
		snprintf(c->n.err, c->n.errlen, "%s: unknown node", c->n.path);
		return MV_E_INVAL;
	}
	d->supervisor = !fdt_node_check_compatible(c->n.fdt, c->n.node, SUPERVISOR_COMPATIBLE);
	if (!d->supervisor && fdt_node_check_compatible(c->n.fdt, c->n.node, WINDOW_COMPATIBLE))
		return desc_bad(&c->n, "compatible", "must be \"%s\" or \"%s\"", WINDOW_COMPATIBLE,
			   SUPERVISOR_COMPATIBLE);
	unknown = d->supervisor ?
		desc_unknown_property(c->n.fdt, c->n.node, supervisor_props, ARRAY_SIZE(supervisor_props)) :
		desc_unknown_property(c->n.fdt, c->n.node, window_props, ARRAY_SIZE(window_props));
	if (unknown)
		return desc_bad(&c->n, unknown, "unknown property");
	sub = fdt_first_subnode(c->n.fdt, c->n.node);
	if (sub >= 0) {
		snprintf(c->n.err, c->n.errlen, "%s/%s: unknown node", c->n.path,
			 fdt_get_name(c->n.fdt, sub, NULL));
		return MV_E_INVAL;
	}
	if (d->supervisor && *supervised)
		return desc_bad(&c->n, NULL, "a domain has one supervisor at most");
	if (!d->supervisor && *nwindows == VM_MAX_WINDOWS)
		return desc_bad(&c->n, NULL, "a domain has %d windows at most", VM_MAX_WINDOWS);
	if (s->nfaults == MV_MAX_FAULT_DESCS)
		return desc_bad(&c->n, NULL, "more than %d windows and supervisors", MV_MAX_FAULT_DESCS);
	if ((!d->supervisor && (rc = get_reg(c, s, &s->vm[client], d))) ||
	    (rc = get_server(c, s, client, &d->server)) ||
	    (rc = desc_get_u32(&c->n, "server-slot", &d->server_slot, true)) ||
	    (rc = slot_free(c, s, d->server, d->server_slot)))
		return rc;
	if (fdt_getprop(c->n.fdt, c->n.node, "badge", NULL)) {
		unsigned badge;

		if ((rc = desc_get_u32(&c->n, "badge", &badge, true)))
			return rc;
		d->badge = badge;
	}
	if (!d->supervisor && fdt_getprop(c->n.fdt, c->n.node, "interrupt", NULL)) {
		if ((rc = desc_get_u32(&c->n, "interrupt", &d->spi, true)))
			return rc;
		if (d->spi < 2 || d->spi > GUEST_MAX_SPI)
			return desc_bad(&c->n, "interrupt", "SPI %u is out of range (2 to %d; 1 is the UART's)",
					d->spi, GUEST_MAX_SPI);
	}
	if (!d->supervisor && (rc = get_virtio(c, d)))
		return rc;
	if (d->supervisor)
		*supervised = true;
	else
		(*nwindows)++;
	s->nfaults++;
	return MV_OK;
}

/*
 * Every domain's PL011 is a window served by the console cell: domain i's
 * in the cell's slot MV_CONSOLE_UART_SLOT(i), badge i, driving the
 * UART's SPI.  A system with domains must have a console cell.
 */
static int uart_windows(struct system *s, char *err, size_t errlen)
{
	int holder = desc_console_holder(s);
	char who[96];

	if (!s->ndomains)
		return MV_OK;
	if (holder < 0) {
		snprintf(err, errlen, "/domains/%s: its PL011 needs the console cell, which serves every domain's UART: none holds the console capability (include dts/qemu-virt/console-cell.dtsi)",
			 s->vm[0].name);
		return MV_E_INVAL;
	}
	for (unsigned i = 0; i < s->ndomains; i++) {
		struct fault_desc *d = &s->fault[s->nfaults];
		unsigned slot = MV_CONSOLE_UART_SLOT(i);

		if ((int)i == holder)
			continue;
		if (desc_slot_user(s, (unsigned)holder, slot, who, sizeof(who))) {
			snprintf(err, errlen, "%s: slot %u of the console cell %s serves the UART of %s (slots %u-%u are the domains' UARTs)",
				 who, slot, s->vm[holder].name, s->vm[i].name, MV_CONSOLE_UART_SLOT(0),
				 MV_CONSOLE_UART_SLOT(MV_MAX_VMS - 1));
			return MV_E_INVAL;
		}
		memset(d, 0, sizeof(*d));
		d->name = "uart";
		d->client = i;
		d->server = (unsigned)holder;
		d->server_slot = slot;
		d->badge = i;
		d->base = GUEST_UART_BASE;
		d->size = GUEST_UART_SIZE;
		d->spi = GUEST_UART_SPI;
		s->nfaults++;
	}
	return MV_OK;
}

int fault_desc_parse(const void *fdt, int domains, struct system *s, char *err, size_t errlen)
{
	unsigned client = 0;
	int node;

	fdt_for_each_subnode(node, fdt, domains) {
		unsigned nwindows = 0;
		bool supervised = false;
		int sub;

		fdt_for_each_subnode(sub, fdt, node) {
			if (!strcmp(fdt_get_name(fdt, sub, NULL), "caps"))
				continue;	/* cap_desc.c */
			struct fctx c = { { .fdt = fdt, .node = sub, .err = err, .errlen = errlen },
					  s->vm[client].name, fdt_get_name(fdt, sub, NULL) };
			int rc;

			snprintf(c.n.path, sizeof(c.n.path), "/domains/%s/%s", c.domain, c.name);
			rc = parse_one(&c, s, client, &nwindows, &supervised);

			if (rc)
				return rc;
		}
		client++;
	}
	return uart_windows(s, err, errlen);
}
