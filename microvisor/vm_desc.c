// SPDX-License-Identifier: MIT
/* VM nodes of the system description (docs/system-description.md).  Runs
 * on the host at build time and in the kernel at boot. */
#include <libfdt.h>
#include <string.h>

#include <mv/errno.h>
#include <mv/print.h>
#include <mv/system.h>
#include <mv/vm_desc.h>

static const char *const vm_props[] = {
	"compatible", "vcpus", "cpus", "priority", "memory", "kernel", "initrd",
	"bootargs", "load-offset", "entry-offset", "devices", "service",
	"phandle", "linux,phandle",	/* dtc's, when a capability names the domain */
};

struct ctx {
	const void *fdt;
	int node;
	char *err;
	size_t errlen;
	const char *name;
};

__attribute__((format(printf, 3, 4)))
static int bad(struct ctx *c, const char *prop, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(c->err, c->errlen, "/domains/%s: %s%s", c->name,
				    prop ? prop : "", prop ? ": " : "");

	if (n < c->errlen) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return MV_E_INVAL;
}

static uint64_t be64_at(const fdt32_t *p)
{
	return (uint64_t)fdt32_ld(p) << 32 | fdt32_ld(p + 1);
}

/* A u32 property; *v keeps its default when absent. */
static int get_u32(struct ctx *c, const char *prop, unsigned *v, unsigned min, unsigned max)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, prop, &len);

	if (!p)
		return MV_OK;
	if (len != 4)
		return bad(c, prop, "must be one 32-bit cell, not %d bytes", len);
	*v = fdt32_ld(p);
	if (*v < min || *v > max)
		return bad(c, prop, "%u is out of range (%u to %u)", *v, min, max);
	return MV_OK;
}

static int get_u64(struct ctx *c, const char *prop, uint64_t *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, prop, &len);

	if (!p)
		return MV_OK;
	if (len != 8)
		return bad(c, prop, "must be <hi lo> (a 64-bit value), not %d bytes", len);
	*v = be64_at(p);
	return MV_OK;
}

static int get_string(struct ctx *c, const char *prop, const char **s, bool required)
{
	int len;
	const char *p = fdt_getprop(c->fdt, c->node, prop, &len);

	if (!p) {
		if (required)
			return bad(c, prop, "missing");
		return MV_OK;
	}
	if (len < 2 || p[len - 1] != '\0' || strlen(p) != (size_t)len - 1)
		return bad(c, prop, "must be one non-empty string");
	*s = p;
	return MV_OK;
}

/* Child nodes (windows, supervisor) are fault_desc.c's, once every
 * domain is known. */
static int check_known(struct ctx *c)
{
	const char *name = desc_unknown_property(c->fdt, c->node, vm_props, ARRAY_SIZE(vm_props));

	return name ? bad(c, name, "unknown property") : MV_OK;
}

static int parse_memory(struct ctx *c, struct vm_desc *d)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, "memory", &len);

	if (!p)
		return bad(c, "memory", "missing");
	if (len != 16)
		return bad(c, "memory", "must be <base-hi base-lo size-hi size-lo> (guest-physical), not %d bytes",
			   len);
	d->mem_base = be64_at(p);
	d->mem_size = be64_at(p + 2);
	if (!d->mem_size)
		return bad(c, "memory", "size is zero");
	if (!IS_ALIGNED(d->mem_base | d->mem_size, GUEST_RAM_ALIGN))
		return bad(c, "memory", "base 0x%llx and size 0x%llx must be 2 MiB aligned",
			   (unsigned long long)d->mem_base, (unsigned long long)d->mem_size);
	if (d->mem_base < GUEST_DEVICE_END)
		return bad(c, "memory", "base 0x%llx overlaps the guest device window (below 0x%lx)",
			   (unsigned long long)d->mem_base, GUEST_DEVICE_END);
	if (d->mem_base + d->mem_size < d->mem_base || d->mem_base + d->mem_size > (1ULL << 39))
		return bad(c, "memory", "base 0x%llx and size 0x%llx end beyond the 512 GiB guest-physical space",
			   (unsigned long long)d->mem_base, (unsigned long long)d->mem_size);
	return MV_OK;
}

static int parse_cpus(struct ctx *c, struct vm_desc *d)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, "cpus", &len);

	if (!p)
		return MV_OK;
	if (len % 4)
		return bad(c, "cpus", "must be 32-bit cells (one physical CPU per vCPU), not %d bytes", len);
	if (len != (int)d->nvcpus * 4)
		return bad(c, "cpus", "has %d CPU%s for %u vCPU%s (one physical CPU per vCPU)",
			   len / 4, len == 4 ? "" : "s", d->nvcpus, d->nvcpus == 1 ? "" : "s");
	for (unsigned i = 0; i < d->nvcpus; i++) {
		uint32_t cpu = fdt32_ld(p + i);

		if (cpu >= MV_MAX_CPUS)
			return bad(c, "cpus", "CPU %u is out of range (0 to %u)", cpu, MV_MAX_CPUS - 1);
		d->cpus[i] = (uint8_t)cpu;
	}
	d->pinned = true;
	return MV_OK;
}

/* "devices": host DT paths, one string each. */
static int parse_devices(struct ctx *c, struct vm_desc *d)
{
	int len;
	const char *p = fdt_getprop(c->fdt, c->node, "devices", &len);
	const char *end;

	if (!p)
		return MV_OK;
	end = p + len;
	if (len < 2 || p[len - 1] != '\0')
		return bad(c, "devices", "must be a list of host device tree paths");
	for (; p < end; p += strlen(p) + 1) {
		for (const char *q = p; *q; q++)
			if (!desc_path_char_ok(*q))
				return bad(c, "devices", "entry %u has byte 0x%02x, not a device tree path character",
					   d->ndevices + 1, (unsigned)(unsigned char)*q);
		if (p[0] != '/')
			return bad(c, "devices", "\"%s\" is not an absolute path in the host device tree", p);
		if (d->ndevices == VM_MAX_DEVICES)
			return bad(c, "devices", "more than %d devices", VM_MAX_DEVICES);
		d->devices[d->ndevices++] = p;
	}
	return MV_OK;
}

int vm_desc_parse(const void *fdt, int node, struct vm_desc *d, char *err, size_t errlen)
{
	struct ctx c = { fdt, node, err, errlen, fdt_get_name(fdt, node, NULL) };
	int rc;

	memset(d, 0, sizeof(*d));
	d->name = c.name;
	d->nvcpus = 1;
	d->priority = VM_DEFAULT_PRIORITY;
	d->cell = !fdt_node_check_compatible(fdt, node, "microvisor,cell");
	if (!d->cell && fdt_node_check_compatible(fdt, node, "microvisor,vm"))
		return bad(&c, "compatible", "must be \"microvisor,vm\" or \"microvisor,cell\"");
	d->service = fdt_getprop(fdt, node, "service", NULL) != NULL;
	if ((rc = check_known(&c)) || (rc = get_u32(&c, "vcpus", &d->nvcpus, 1, MV_MAX_VCPUS)) ||
	    (rc = parse_cpus(&c, d)) || (rc = get_u32(&c, "priority", &d->priority, 0, 255)) ||
	    (rc = parse_memory(&c, d)) || (rc = get_string(&c, "kernel", &d->kernel, true)) ||
	    (rc = get_string(&c, "initrd", &d->initrd, false)) ||
	    (rc = get_string(&c, "bootargs", &d->bootargs, false)) ||
	    (rc = get_u64(&c, "load-offset", &d->load_offset)) ||
	    (rc = get_u64(&c, "entry-offset", &d->entry_offset)) ||
	    (rc = parse_devices(&c, d)))
		return rc;
	d->raw = fdt_getprop(fdt, node, "load-offset", NULL) != NULL;
	if (d->cell && !d->raw)
		return bad(&c, "load-offset", "missing: a cell is a raw image (guests/native)");
	if (!d->raw && fdt_getprop(fdt, node, "entry-offset", NULL))
		return bad(&c, "entry-offset", "only for raw images (give load-offset too)");
	if (d->raw && !fdt_getprop(fdt, node, "entry-offset", NULL))
		d->entry_offset = d->load_offset;
	if (d->raw && d->load_offset >= d->mem_size)
		return bad(&c, "load-offset", "0x%llx is beyond memory (size 0x%llx)",
			   (unsigned long long)d->load_offset, (unsigned long long)d->mem_size);
	if (d->raw && d->entry_offset >= d->mem_size)
		return bad(&c, "entry-offset", "0x%llx is beyond memory (size 0x%llx)",
			   (unsigned long long)d->entry_offset, (unsigned long long)d->mem_size);
	return MV_OK;
}
