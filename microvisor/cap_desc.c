// SPDX-License-Identifier: MIT
/*
 * Objects beyond channels in the system description
 * (docs/system-description.md, "Regions, interrupts and capabilities"):
 * /regions (host device registers or shared memory), /irqs (host
 * devices' interrupts), and each domain's "caps" node, whose children
 * give the domain capabilities to them (and to raise a VM's virtual
 * interrupts, to map another domain's memory, to control another
 * domain's vCPU), each in a slot.  Runs on the host at build time and in the
 * kernel at boot.
 */
#include <libfdt.h>
#include <string.h>

#include <abi/microvisor.h>
#include <mv/errno.h>
#include <mv/print.h>
#include <mv/system.h>

#define REGION_MAX_SIZE		(1ULL << 30)
#define GUEST_IPA_END		(1ULL << 39)
#define SPACE_ALIGN		(2ULL << 20)	/* a space is mapped with 2 MiB blocks */
#define GUEST_MAX_SPI		63
/* Every VM's own device windows, whatever its GIC version and vCPU count:
 * the distributor, GICv2 CPU interface or GICv3 redistributors (8 at
 * most), and the PL011. */
#define GUEST_GIC_WINDOW_END	0x08200000UL

static const char *const region_props[] = {
	"compatible", "device", "size", "phandle", "linux,phandle",
};
static const char *const irq_props[] = {
	"compatible", "device", "index", "phandle", "linux,phandle",
};
static const char *const cap_props[] = {
	"region", "irq", "virq", "console", "space", "vcpu", "slot", "address", "rights",
};

static void set_path(struct desc_node *c, const char *parent, const char *name)
{
	snprintf(c->path, sizeof(c->path), "%s/%s", parent, name);
}

static int no_children(struct desc_node *c)
{
	int sub = fdt_first_subnode(c->fdt, c->node);

	if (sub < 0)
		return MV_OK;
	snprintf(c->err, c->errlen, "%s/%s: unknown node", c->path, fdt_get_name(c->fdt, sub, NULL));
	return MV_E_INVAL;
}

static int known_props(struct desc_node *c, const char *const *known, size_t n)
{
	const char *name = desc_unknown_property(c->fdt, c->node, known, n);

	return name ? desc_bad(c, name, "unknown property") : no_children(c);
}

static int get_u64(struct desc_node *c, const char *prop, uint64_t *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, prop, &len);

	if (!p)
		return desc_bad(c, prop, "missing");
	if (len != 8)
		return desc_bad(c, prop, "must be <hi lo> (a 64-bit value), not %d bytes", len);
	*v = (uint64_t)fdt32_ld(p) << 32 | fdt32_ld(p + 1);
	return MV_OK;
}

/* A host device tree path (quoted in messages and looked up at boot). */
static int get_host_path(struct desc_node *c, const char *prop, const char **out, bool required)
{
	int len;
	const char *p = fdt_getprop(c->fdt, c->node, prop, &len);

	if (!p)
		return required ? desc_bad(c, prop, "missing (a host device tree path)") : MV_OK;
	if (len < 2 || p[len - 1] || strlen(p) != (size_t)len - 1)
		return desc_bad(c, prop, "must be one host device tree path");
	for (const char *q = p; *q; q++)
		if (!desc_path_char_ok(*q))
			return desc_bad(c, prop, "byte 0x%02x is not a device tree path character",
				   (unsigned)(unsigned char)*q);
	if (p[0] != '/')
		return desc_bad(c, prop, "\"%s\" is not an absolute path in the host device tree", p);
	*out = p;
	return MV_OK;
}

static int check_compatible(struct desc_node *c, const char *compat)
{
	if (fdt_node_check_compatible(c->fdt, c->node, compat))
		return desc_bad(c, "compatible", "must be \"%s\"", compat);
	return MV_OK;
}

static int parse_region(struct desc_node *c, struct region_desc *r)
{
	int rc;

	if ((rc = check_compatible(c, "microvisor,region")) ||
	    (rc = known_props(c, region_props, ARRAY_SIZE(region_props))) ||
	    (rc = get_host_path(c, "device", &r->device, false)) ||
	    (rc = get_u64(c, "size", &r->size)))
		return rc;
	if (!r->size || !IS_ALIGNED(r->size, PAGE_SIZE) || r->size > REGION_MAX_SIZE)
		return desc_bad(c, "size", "0x%llx must be a multiple of 4 KiB, 4 KiB to 1 GiB",
			   (unsigned long long)r->size);
	return MV_OK;
}

static int parse_irq(struct desc_node *c, struct irq_desc *q)
{
	int rc;

	if ((rc = check_compatible(c, "microvisor,irq")) ||
	    (rc = known_props(c, irq_props, ARRAY_SIZE(irq_props))) ||
	    (rc = get_host_path(c, "device", &q->device, true)) ||
	    (rc = desc_get_u32(c, "index", &q->index, false)))
		return rc;
	if (q->index > 3)
		return desc_bad(c, "index", "%u is out of range (0 to 3)", q->index);
	return MV_OK;
}

/* /regions or /irqs: each child one object. */
static int parse_objects(const void *fdt, struct system *s, const char *parent,
			 char *err, size_t errlen)
{
	struct desc_node c = { .fdt = fdt, .err = err, .errlen = errlen };
	int node = fdt_path_offset(fdt, parent), sub;
	const char *unknown;
	bool regions = !strcmp(parent, "/regions");

	if (node < 0)
		return MV_OK;
	c.node = node;
	snprintf(c.path, sizeof(c.path), "%s", parent);
	if ((unknown = desc_unknown_property(fdt, node, NULL, 0)))
		return desc_bad(&c, unknown, "unknown property");
	fdt_for_each_subnode(sub, fdt, node) {
		const char *name = fdt_get_name(fdt, sub, NULL);
		int rc;

		c.node = sub;
		set_path(&c, parent, name);
		if (regions) {
			if (s->nregions == MV_MAX_REGIONS) {
				snprintf(err, errlen, "/regions: more than %d regions", MV_MAX_REGIONS);
				return MV_E_INVAL;
			}
			memset(&s->region[s->nregions], 0, sizeof(s->region[0]));
			s->region[s->nregions].name = name;
			rc = parse_region(&c, &s->region[s->nregions]);
			s->nregions += !rc;
		} else {
			if (s->nirqs == MV_MAX_IRQS) {
				snprintf(err, errlen, "/irqs: more than %d interrupts", MV_MAX_IRQS);
				return MV_E_INVAL;
			}
			memset(&s->irq[s->nirqs], 0, sizeof(s->irq[0]));
			s->irq[s->nirqs].name = name;
			rc = parse_irq(&c, &s->irq[s->nirqs]);
			s->nirqs += !rc;
		}
		if (rc)
			return rc;
	}
	return MV_OK;
}

const char *desc_slot_user(const struct system *s, unsigned dom, unsigned slot,
			   char *buf, size_t len)
{
	for (unsigned i = 0; i < s->ncaps; i++) {
		if (s->cap[i].holder == dom && s->cap[i].slot == slot) {
			snprintf(buf, len, "/domains/%s/caps/%s", s->vm[dom].name, s->cap[i].name);
			return buf;
		}
	}
	for (unsigned i = 0; i < s->nchannels; i++) {
		const struct channel_desc *o = &s->channel[i];

		if ((o->from == dom && o->from_slot == slot) || (o->to == dom && o->to_slot == slot)) {
			snprintf(buf, len, "/channels/%s", o->name);
			return buf;
		}
	}
	for (unsigned i = 0; i < s->nfaults; i++) {
		const struct fault_desc *o = &s->fault[i];

		if (o->server == dom && o->server_slot == slot) {
			snprintf(buf, len, "/domains/%s/%s", s->vm[o->client].name, o->name);
			return buf;
		}
	}
	return NULL;
}

/* What the node a capability names is, as the capability's message says
 * it: its kind and, for objects, its index. */
enum object_kind { OBJ_NONE, OBJ_REGION, OBJ_IRQ, OBJ_VM, OBJ_CELL, OBJ_CHANNEL, OBJ_DOMAIN };
static const char *const kind_names[] = {
	"(none)", "a region", "an interrupt (irq)", "a VM", "a cell", "a channel",
	"a domain (a VM or a cell)",
};

static enum object_kind classify(const void *fdt, const struct system *s, int node,
				 unsigned *index)
{
	int parent = fdt_parent_offset(fdt, node);
	const char *name = fdt_get_name(fdt, node, NULL);

	if (parent < 0 || !name)
		return OBJ_NONE;
	if (parent == fdt_path_offset(fdt, "/regions")) {
		for (unsigned i = 0; i < s->nregions; i++)
			if (!strcmp(s->region[i].name, name))
				return *index = i, OBJ_REGION;
	} else if (parent == fdt_path_offset(fdt, "/irqs")) {
		for (unsigned i = 0; i < s->nirqs; i++)
			if (!strcmp(s->irq[i].name, name))
				return *index = i, OBJ_IRQ;
	} else if (parent == fdt_path_offset(fdt, "/domains")) {
		for (unsigned i = 0; i < s->ndomains; i++)
			if (!strcmp(s->vm[i].name, name))
				return *index = i, s->vm[i].cell ? OBJ_CELL : OBJ_VM;
	} else if (parent == fdt_path_offset(fdt, "/channels")) {
		return OBJ_CHANNEL;
	}
	return OBJ_NONE;
}

/* The object a capability property names by phandle (its first cell);
 * with arg_name, a number follows (into *arg).  OBJ_DOMAIN wants a VM or
 * a cell. */
static int resolve(struct desc_node *c, const struct system *s, const char *prop,
		   enum object_kind want, const char *arg_name, unsigned *index, unsigned *arg)
{
	int len, target;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, prop, &len);
	enum object_kind kind;
	char path[96];

	if (len != (arg_name ? 8 : 4))
		return arg_name ? desc_bad(c, prop, "must be <&label %s> (a phandle and a number), not %d bytes",
					   arg_name, len)
				: desc_bad(c, prop, "must be <&label> (one phandle), not %d bytes", len);
	target = fdt_node_offset_by_phandle(c->fdt, fdt32_ld(p));
	if (target < 0)
		return desc_bad(c, prop, "no node has phandle 0x%x", fdt32_ld(p));
	if (arg_name)
		*arg = fdt32_ld(p + 1);
	kind = classify(c->fdt, s, target, index);
	if (kind == want || (want == OBJ_DOMAIN && (kind == OBJ_VM || kind == OBJ_CELL)))
		return MV_OK;
	if (fdt_get_path(c->fdt, target, path, sizeof(path)))
		snprintf(path, sizeof(path), "(a node)");
	if (kind == OBJ_NONE)
		return desc_bad(c, prop, "%s is not %s", path, kind_names[want]);
	return desc_bad(c, prop, "%s is %s, not %s", path, kind_names[kind], kind_names[want]);
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

uint64_t desc_cap_map_size(const struct system *s, const struct cap_desc *c)
{
	if (c->type == CAP_DESC_REGION)
		return s->region[c->object].size;
	if (c->type == CAP_DESC_SPACE)
		return s->vm[c->object].mem_size;
	return 0;
}

/* Where a region or space capability maps its memory in the holder's
 * space: aligned (4 KiB; a space 2 MiB), inside the guest-physical space,
 * clear of the domain's RAM, its own devices and its other mappings. */
static int check_map_place(struct desc_node *c, const struct system *s, const struct cap_desc *d)
{
	const struct vm_desc *h = &s->vm[d->holder];
	uint64_t size = desc_cap_map_size(s, d), a = d->address;

	if (d->type == CAP_DESC_SPACE && !IS_ALIGNED(a, SPACE_ALIGN))
		return desc_bad(c, "address", "0x%llx is not 2 MiB aligned (a space is mapped with 2 MiB blocks)",
				(unsigned long long)a);
	if (!IS_ALIGNED(a, PAGE_SIZE))
		return desc_bad(c, "address", "0x%llx is not 4 KiB aligned", (unsigned long long)a);
	if (a + size < a || a + size > GUEST_IPA_END)
		return desc_bad(c, "address", "0x%llx-0x%llx ends beyond the 512 GiB guest-physical space",
			   (unsigned long long)a, (unsigned long long)(a + size - 1));
	if (overlaps(a, size, h->mem_base, h->mem_size))
		return desc_bad(c, "address", "0x%llx-0x%llx overlaps the domain's memory",
			   (unsigned long long)a, (unsigned long long)(a + size - 1));
	if (overlaps(a, size, GUEST_GICD_BASE, GUEST_GIC_WINDOW_END - GUEST_GICD_BASE) ||
	    overlaps(a, size, GUEST_UART_BASE, GUEST_UART_SIZE))
		return desc_bad(c, "address", "0x%llx-0x%llx overlaps the domain's GIC or PL011",
			   (unsigned long long)a, (unsigned long long)(a + size - 1));
	for (unsigned i = 0; i < s->ncaps; i++) {
		const struct cap_desc *o = &s->cap[i];

		if (o->holder == d->holder && desc_cap_map_size(s, o) &&
		    overlaps(a, size, o->address, desc_cap_map_size(s, o)))
			return desc_bad(c, "address", "0x%llx-0x%llx overlaps /domains/%s/caps/%s",
				   (unsigned long long)a, (unsigned long long)(a + size - 1),
				   h->name, o->name);
	}
	return MV_OK;
}

/* "rights": "r" or "rw" (the default) into d->writable. */
static int get_rights(struct desc_node *c, struct cap_desc *d)
{
	int len;
	const char *rights = fdt_getprop(c->fdt, c->node, "rights", &len);

	d->writable = true;
	if (rights && (len == 2 && !strcmp(rights, "r")))
		d->writable = false;
	else if (rights && !(len == 3 && !strcmp(rights, "rw")))
		return desc_bad(c, "rights", "must be \"r\" or \"rw\"");
	return MV_OK;
}

/* A space or vcpu capability's target: a domain other than the holder,
 * and the holder a cell. */
static int check_domain_target(struct desc_node *c, const struct system *s,
			       const struct cap_desc *d, const char *prop)
{
	if (!s->vm[d->holder].cell)
		return desc_bad(c, prop, "only cells hold %s capabilities", prop);
	if (d->object == d->holder)
		return desc_bad(c, prop, "/domains/%s is the holder itself", s->vm[d->holder].name);
	return MV_OK;
}

static int parse_cap(struct desc_node *c, struct system *s, struct cap_desc *d)
{
	static const char *const kinds[] = { "region", "irq", "virq", "console", "space", "vcpu" };
	unsigned given = 0;
	char who[96];
	int rc, len;

	if ((rc = known_props(c, cap_props, ARRAY_SIZE(cap_props))))
		return rc;
	for (unsigned k = 0; k < ARRAY_SIZE(kinds); k++) {
		if (!fdt_getprop(c->fdt, c->node, kinds[k], NULL))
			continue;
		if (given++)
			return desc_bad(c, kinds[k], "a capability names one object (one of region, irq, virq, console, space, vcpu)");
		d->type = (enum cap_desc_type)k;
	}
	if (!given)
		return desc_bad(c, NULL, "names no object (give one of region, irq, virq, console, space, vcpu)");
	if ((rc = desc_get_u32(c, "slot", &d->slot, true)))
		return rc;
	if (d->slot >= MV_CSPACE_SLOTS)
		return desc_bad(c, "slot", "slot %u is beyond the %d a domain has", d->slot, MV_CSPACE_SLOTS);
	if (desc_slot_user(s, d->holder, d->slot, who, sizeof(who)))
		return desc_bad(c, "slot", "slot %u of %s is already taken by %s", d->slot,
			   s->vm[d->holder].name, who);
	if (d->type != CAP_DESC_REGION && d->type != CAP_DESC_SPACE &&
	    fdt_getprop(c->fdt, c->node, "address", NULL))
		return desc_bad(c, "address", "only for region and space capabilities");
	if (d->type != CAP_DESC_REGION && d->type != CAP_DESC_SPACE && d->type != CAP_DESC_VCPU &&
	    fdt_getprop(c->fdt, c->node, "rights", NULL))
		return desc_bad(c, "rights", "only for region, space and vcpu capabilities");
	switch (d->type) {
	case CAP_DESC_REGION:
		if ((rc = resolve(c, s, "region", OBJ_REGION, NULL, &d->object, NULL)) ||
		    (rc = get_u64(c, "address", &d->address)) ||
		    (rc = get_rights(c, d)))
			return rc;
		return check_map_place(c, s, d);
	case CAP_DESC_SPACE:
		if ((rc = resolve(c, s, "space", OBJ_DOMAIN, NULL, &d->object, NULL)) ||
		    (rc = check_domain_target(c, s, d, "space")) ||
		    (rc = get_u64(c, "address", &d->address)) ||
		    (rc = get_rights(c, d)))
			return rc;
		return check_map_place(c, s, d);
	case CAP_DESC_VCPU:
		if ((rc = resolve(c, s, "vcpu", OBJ_DOMAIN, "index", &d->object, &d->vcpu)) ||
		    (rc = check_domain_target(c, s, d, "vcpu")) ||
		    (rc = get_rights(c, d)))
			return rc;
		if (d->vcpu >= s->vm[d->object].nvcpus)
			return desc_bad(c, "vcpu", "/domains/%s has no vCPU %u (it has %u: 0 to %u)",
					s->vm[d->object].name, d->vcpu, s->vm[d->object].nvcpus,
					s->vm[d->object].nvcpus - 1);
		return MV_OK;
	case CAP_DESC_IRQ:
		if ((rc = resolve(c, s, "irq", OBJ_IRQ, NULL, &d->object, NULL)))
			return rc;
		if (!s->vm[d->holder].cell)
			return desc_bad(c, "irq", "only cells hold irq capabilities (a VM gets a device's interrupts with devices)");
		for (unsigned i = 0; i < s->ncaps; i++)
			if (s->cap[i].type == CAP_DESC_IRQ && s->cap[i].object == d->object)
				return desc_bad(c, "irq", "/irqs/%s is already held by /domains/%s/caps/%s (an interrupt has one holder)",
					   s->irq[d->object].name, s->vm[s->cap[i].holder].name,
					   s->cap[i].name);
		return MV_OK;
	case CAP_DESC_VIRQ:
		if ((rc = resolve(c, s, "virq", OBJ_VM, "spi", &d->object, &d->virq)))
			return rc;
		if (d->virq < 2 || d->virq > GUEST_MAX_SPI)
			return desc_bad(c, "virq", "SPI %u is out of range (2 to %d; 1 is the UART's)",
				   d->virq, GUEST_MAX_SPI);
		return MV_OK;
	case CAP_DESC_CONSOLE:
		if (fdt_getprop(c->fdt, c->node, "console", &len) && len)
			return desc_bad(c, "console", "must be empty (it names the console, not an object)");
		if (!s->vm[d->holder].cell)
			return desc_bad(c, "console", "only a cell holds the console capability");
		for (unsigned i = 0; i < s->ncaps; i++)
			if (s->cap[i].type == CAP_DESC_CONSOLE)
				return desc_bad(c, "console", "already held by /domains/%s/caps/%s (a system has one console cell)",
					   s->vm[s->cap[i].holder].name, s->cap[i].name);
		return MV_OK;
	}
	return MV_OK;
}

int desc_console_holder(const struct system *s)
{
	for (unsigned i = 0; i < s->ncaps; i++)
		if (s->cap[i].type == CAP_DESC_CONSOLE)
			return (int)s->cap[i].holder;
	return -1;
}

static int parse_caps(const void *fdt, int domains, struct system *s, unsigned dom,
		      char *err, size_t errlen)
{
	struct desc_node c = { .fdt = fdt, .err = err, .errlen = errlen };
	int node = fdt_subnode_offset(fdt, domains, s->vm[dom].name), sub;
	const char *unknown;

	if (node >= 0)
		node = fdt_subnode_offset(fdt, node, "caps");
	if (node < 0)
		return MV_OK;
	c.node = node;
	snprintf(c.path, sizeof(c.path), "/domains/%s/caps", s->vm[dom].name);
	if ((unknown = desc_unknown_property(fdt, node, NULL, 0)))
		return desc_bad(&c, unknown, "unknown property");
	fdt_for_each_subnode(sub, fdt, node) {
		struct cap_desc *d = &s->cap[s->ncaps];
		const char *name = fdt_get_name(fdt, sub, NULL);
		int rc;

		c.node = sub;
		snprintf(c.path, sizeof(c.path), "/domains/%s/caps/%s", s->vm[dom].name, name);
		if (s->ncaps == MV_MAX_CAPS)
			return desc_bad(&c, NULL, "more than %d capabilities in the system", MV_MAX_CAPS);
		memset(d, 0, sizeof(*d));
		d->name = name;
		d->holder = dom;
		if ((rc = parse_cap(&c, s, d)))
			return rc;
		s->ncaps++;
	}
	return MV_OK;
}

int cap_desc_parse(const void *fdt, struct system *s, char *err, size_t errlen)
{
	int domains = fdt_path_offset(fdt, "/domains"), rc;

	if ((rc = parse_objects(fdt, s, "/regions", err, errlen)) ||
	    (rc = parse_objects(fdt, s, "/irqs", err, errlen)))
		return rc;
	for (unsigned i = 0; domains >= 0 && i < s->ndomains; i++)
		if ((rc = parse_caps(fdt, domains, s, i, err, errlen)))
			return rc;
	return MV_OK;
}
