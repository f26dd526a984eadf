// SPDX-License-Identifier: MIT
/*
 * The host DTB, read with libfdt (Devicetree Specification v0.4; bindings:
 * Linux Documentation/devicetree/bindings/{arm/psci,timer/arm,arch_timer,
 * interrupt-controller/arm,gic,arm,gic-v3,serial/pl011}.yaml).
 *
 * Every failure names the node (and the property) at fault, because a
 * person reading a boot log has nothing else to go on.
 */
#include <libfdt.h>
#include <string.h>

#include <mv/errno.h>
#include <mv/platform.h>
#include <mv/print.h>

#define GIC_SPI		0
#define GIC_PPI		1
#define GIC_PPI_BASE	16
#define GIC_SPI_BASE	32

struct parse {
	const void *fdt;
	struct platform *p;
	char *err;
	size_t errlen;
};

/* Write "<node path>: <message>" (just the message when node < 0) to the
 * error buffer; returns MV_E_INVAL. */
__attribute__((format(printf, 3, 4)))
static int fail(struct parse *ps, int node, const char *fmt, ...)
{
	char path[96] = "";
	size_t n = 0;

	if (node >= 0 && fdt_get_path(ps->fdt, node, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "(node at offset %d)", node);
	if (node >= 0)
		n = (size_t)snprintf(ps->err, ps->errlen, "%s: ", path);
	if (n < ps->errlen) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
		va_end(ap);
	}
	return MV_E_INVAL;
}

static uint64_t read_cells(const fdt32_t *cell, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_ld(cell++);
	return v;
}

static bool is_disabled(const void *fdt, int node)
{
	const char *s = fdt_getprop(fdt, node, "status", NULL);

	return s && strcmp(s, "okay") && strcmp(s, "ok");
}

/* Translate a bus address of a child of `bus` up to the root through each
 * parent's "ranges" (an empty "ranges" is the identity). */
static int translate(struct parse *ps, int node, int bus, uint64_t *addr)
{
	while (bus > 0) {
		int parent = fdt_parent_offset(ps->fdt, bus);
		int len, cac, pac, sc, entry;
		const fdt32_t *r = fdt_getprop(ps->fdt, bus, "ranges", &len);

		if (!r)
			return fail(ps, node, "reg: parent bus has no \"ranges\": address cannot reach the CPU");
		cac = fdt_address_cells(ps->fdt, bus);
		sc = fdt_size_cells(ps->fdt, bus);
		pac = fdt_address_cells(ps->fdt, parent);
		entry = (cac + pac + sc) * 4;
		if (len == 0)
			goto next;
		if (cac < 0 || pac < 0 || sc < 0 || entry == 0 || len % entry)
			return fail(ps, bus, "ranges: malformed");
		for (; len >= entry; len -= entry, r += cac + pac + sc) {
			uint64_t child = read_cells(r, cac);
			uint64_t size = read_cells(r + cac + pac, sc);

			if (*addr >= child && *addr - child < size) {
				*addr = *addr - child + read_cells(r + cac, pac);
				goto next;
			}
		}
		return fail(ps, node, "reg: address 0x%llx is outside the parent's \"ranges\"",
			    (unsigned long long)*addr);
next:
		bus = parent;
	}
	return MV_OK;
}

/* Entry `index` of node's "reg", as a CPU physical range.  *count (if not
 * NULL) receives the number of entries. */
static int get_reg(struct parse *ps, int node, int index, struct mem_range *out,
		   int *count)
{
	int parent = fdt_parent_offset(ps->fdt, node);
	int ac = fdt_address_cells(ps->fdt, parent);
	int sc = fdt_size_cells(ps->fdt, parent);
	int len, entry;
	const fdt32_t *reg = fdt_getprop(ps->fdt, node, "reg", &len);

	if (!reg)
		return fail(ps, node, "reg: missing");
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return fail(ps, parent, "#address-cells/#size-cells: unsupported (%d/%d)", ac, sc);
	entry = (ac + sc) * 4;
	if (len % entry)
		return fail(ps, node, "reg: length %d is not a multiple of %d (#address-cells %d, #size-cells %d)",
			    len, entry, ac, sc);
	if (count)
		*count = len / entry;
	if (index >= len / entry)
		return fail(ps, node, "reg: has %d entries, need at least %d",
			    len / entry, index + 1);
	reg += index * (ac + sc);
	out->base = read_cells(reg, ac);
	out->size = read_cells(reg + ac, sc);
	return translate(ps, node, parent, &out->base);
}

/* One "interrupts" entry (3 cells, GIC binding) as an INTID. */
static unsigned gic_intid(const fdt32_t *cell)
{
	uint32_t type = fdt32_ld(cell), num = fdt32_ld(cell + 1);

	return num + (type == GIC_PPI ? GIC_PPI_BASE : GIC_SPI_BASE);
}

static int parse_uart(struct parse *ps)
{
	const fdt32_t *irq;
	int irqlen;
	int chosen = fdt_path_offset(ps->fdt, "/chosen");
	const char *path = chosen >= 0 ? fdt_getprop(ps->fdt, chosen, "stdout-path", NULL) : NULL;
	int node;

	if (path) {
		const char *colon = strchr(path, ':');
		int len = colon ? (int)(colon - path) : (int)strlen(path);

		node = fdt_path_offset_namelen(ps->fdt, path, len);
		if (node < 0) {
			/* print.c has no "%.*s": copy the path without options. */
			char name[64];
			size_t n = MIN((size_t)len, sizeof(name) - 1);

			memcpy(name, path, n);
			name[n] = '\0';
			return fail(ps, chosen, "stdout-path: \"%s\" names no node", name);
		}
	} else {
		node = fdt_node_offset_by_compatible(ps->fdt, -1, "arm,pl011");
		if (node < 0)
			return fail(ps, -1, "no console: /chosen/stdout-path is missing and no node is compatible with \"arm,pl011\"");
	}
	if (fdt_node_check_compatible(ps->fdt, node, "arm,pl011"))
		return fail(ps, node, "compatible: the console is not \"arm,pl011\", the one UART supported");
	if (fdt_get_path(ps->fdt, node, ps->p->uart_path, sizeof(ps->p->uart_path)) < 0)
		ps->p->uart_path[0] = '\0';
	irq = fdt_getprop(ps->fdt, node, "interrupts", &irqlen);
	if (irq && irqlen == 12 && fdt32_ld(irq) == GIC_SPI)
		ps->p->uart_intid = gic_intid(irq);
	return get_reg(ps, node, 0, &ps->p->uart, NULL);
}

static int parse_memory(struct parse *ps)
{
	struct platform *p = ps->p;
	int node = -1;

	while ((node = fdt_node_offset_by_prop_value(ps->fdt, node, "device_type",
						     "memory", sizeof("memory"))) >= 0) {
		int count = 0;

		if (is_disabled(ps->fdt, node))
			continue;
		for (int i = 0; i == 0 || i < count; i++) {
			struct mem_range r;
			int err = get_reg(ps, node, i, &r, &count);

			if (err)
				return err;
			if (r.size == 0)
				continue;
			if (p->nmem == MV_MAX_MEM_BANKS)
				return fail(ps, node, "reg: more than %d memory banks", MV_MAX_MEM_BANKS);
			p->mem[p->nmem++] = r;
		}
	}
	if (p->nmem == 0)
		return fail(ps, -1, "no memory: no node with device_type = \"memory\" and a non-empty reg");
	return MV_OK;
}

static int add_reserved(struct parse *ps, int node, uint64_t base, uint64_t size)
{
	if (ps->p->nreserved == MV_MAX_RESERVED)
		return fail(ps, node, "more than %d reserved memory ranges", MV_MAX_RESERVED);
	ps->p->reserved[ps->p->nreserved].base = base;
	ps->p->reserved[ps->p->nreserved++].size = size;
	return MV_OK;
}

static int parse_reserved(struct parse *ps)
{
	int n = fdt_num_mem_rsv(ps->fdt);
	int parent = fdt_path_offset(ps->fdt, "/reserved-memory");
	int node, err;

	for (int i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(ps->fdt, i, &base, &size) == 0 && size &&
		    (err = add_reserved(ps, 0, base, size)))
			return err;
	}
	if (parent < 0)
		return MV_OK;
	fdt_for_each_subnode(node, ps->fdt, parent) {
		struct mem_range r;

		/* Dynamically placed reservations have no reg: nothing to skip. */
		if (!fdt_getprop(ps->fdt, node, "reg", NULL) || is_disabled(ps->fdt, node))
			continue;
		if ((err = get_reg(ps, node, 0, &r, NULL)) ||
		    (err = add_reserved(ps, node, r.base, r.size)))
			return err;
	}
	return MV_OK;
}

static int parse_cpus(struct parse *ps)
{
	struct platform *p = ps->p;
	int cpus = fdt_path_offset(ps->fdt, "/cpus");
	int node, ac;

	if (cpus < 0)
		return fail(ps, -1, "/cpus: node missing");
	ac = fdt_address_cells(ps->fdt, cpus);
	if (ac < 1 || ac > 2)
		return fail(ps, cpus, "#address-cells: must be 1 or 2, not %d", ac);
	fdt_for_each_subnode(node, ps->fdt, cpus) {
		const char *type = fdt_getprop(ps->fdt, node, "device_type", NULL);
		const char *method;
		const fdt32_t *reg;
		int len;

		if (!type || strcmp(type, "cpu") || is_disabled(ps->fdt, node))
			continue;
		reg = fdt_getprop(ps->fdt, node, "reg", &len);
		if (!reg || len != ac * 4)
			return fail(ps, node, "reg: must be %d cell(s) holding the MPIDR affinity", ac);
		method = fdt_getprop(ps->fdt, node, "enable-method", NULL);
		if (method && strcmp(method, "psci"))
			return fail(ps, node, "enable-method: \"%s\" is not supported (need \"psci\")", method);
		if (p->ncpus == MV_MAX_CPUS) {
			p->ncpus_ignored++;
			continue;
		}
		p->cpu_mpidr[p->ncpus++] = read_cells(reg, ac);
	}
	if (p->ncpus == 0)
		return fail(ps, cpus, "no cpu nodes (device_type = \"cpu\")");
	return MV_OK;
}

static const char *const gic_compat[] = {
	"arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic",
	"arm,cortex-a9-gic", "arm,cortex-a7-gic",
};

static int gic_node(struct parse *ps)
{
	const fdt32_t *ph = fdt_getprop(ps->fdt, 0, "interrupt-parent", NULL);
	int node;

	if (ph) {
		node = fdt_node_offset_by_phandle(ps->fdt, fdt32_ld(ph));
		if (node < 0)
			return fail(ps, 0, "interrupt-parent: phandle 0x%x names no node", fdt32_ld(ph));
		return node;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(gic_compat); i++) {
		node = fdt_node_offset_by_compatible(ps->fdt, -1, gic_compat[i]);
		if (node >= 0)
			return node;
	}
	return fail(ps, -1, "no interrupt controller: no interrupt-parent and no node compatible with \"arm,gic-v3\" or \"arm,gic-400\"");
}


static int parse_gic(struct parse *ps)
{
	struct platform *p = ps->p;
	int node = gic_node(ps), nreg, len, first_opt, err;
	const fdt32_t *cells, *irq;

	if (node < 0)
		return node;
	if (!fdt_node_check_compatible(ps->fdt, node, "arm,gic-v3")) {
		p->gic.version = 3;
	} else if (!fdt_node_check_compatible(ps->fdt, node, "arm,gic-400") ||
		   !fdt_node_check_compatible(ps->fdt, node, "arm,cortex-a15-gic") ||
		   !fdt_node_check_compatible(ps->fdt, node, "arm,cortex-a9-gic") ||
		   !fdt_node_check_compatible(ps->fdt, node, "arm,cortex-a7-gic")) {
		p->gic.version = 2;
	} else {
		return fail(ps, node, "compatible: not a supported GIC (arm,gic-v3, arm,gic-400, arm,cortex-a15-gic)");
	}
	if (!fdt_getprop(ps->fdt, node, "interrupt-controller", NULL))
		return fail(ps, node, "interrupt-controller: missing");
	cells = fdt_getprop(ps->fdt, node, "#interrupt-cells", &len);
	if (!cells || len != 4 || fdt32_ld(cells) != 3)
		return fail(ps, node, "#interrupt-cells: must be <3>");
	if ((err = get_reg(ps, node, 0, &p->gic.dist, &nreg)))
		return err;
	if (p->gic.version == 3) {
		cells = fdt_getprop(ps->fdt, node, "#redistributor-regions", &len);
		p->gic.nredist_regions = cells && len == 4 ? fdt32_ld(cells) : 1;
		if (p->gic.nredist_regions < 1)
			return fail(ps, node, "#redistributor-regions: must be at least 1");
		if ((err = get_reg(ps, node, 1, &p->gic.redist, NULL)))
			return err;
		/* nreg >= 2 here; compare before first_opt can overflow. */
		if (p->gic.nredist_regions > (unsigned)nreg - 1)
			return fail(ps, node, "reg: has %d entries, need %llu (distributor and %u redistributor regions)",
				    nreg, 1ULL + p->gic.nredist_regions, p->gic.nredist_regions);
		first_opt = 1 + (int)p->gic.nredist_regions;
	} else {
		first_opt = 1;
	}
	/* GICC (required on v2), then GICH and GICV. */
	if (nreg > first_opt && (err = get_reg(ps, node, first_opt, &p->gic.cpu, NULL)))
		return err;
	if (p->gic.version == 2 && nreg < 2)
		return fail(ps, node, "reg: has %d entries, need at least 2 (distributor, CPU interface)", nreg);
	if (nreg > first_opt + 1 && (err = get_reg(ps, node, first_opt + 1, &p->gic.hyp, NULL)))
		return err;
	if (nreg > first_opt + 2 && (err = get_reg(ps, node, first_opt + 2, &p->gic.vcpu, NULL)))
		return err;
	irq = fdt_getprop(ps->fdt, node, "interrupts", &len);
	if (irq && len >= 12)
		p->gic.maint_irq = gic_intid(irq);
	return MV_OK;
}

static int parse_timer(struct parse *ps)
{
	struct platform *p = ps->p;
	int node = fdt_node_offset_by_compatible(ps->fdt, -1, "arm,armv8-timer");
	const fdt32_t *irq;
	unsigned intid[4];
	int len;

	if (node < 0)
		node = fdt_node_offset_by_compatible(ps->fdt, -1, "arm,armv7-timer");
	if (node < 0)
		return fail(ps, -1, "timer: node missing (no node compatible with \"arm,armv8-timer\")");
	irq = fdt_getprop(ps->fdt, node, "interrupts", &len);
	if (!irq)
		return fail(ps, node, "interrupts: missing");
	if (len % 12 || len / 12 < 4)
		return fail(ps, node, "interrupts: has %d bytes, need 4 entries of 3 cells (secure, non-secure, virtual, hypervisor)", len);
	for (int i = 0; i < 4; i++) {
		if (fdt32_ld(irq + 3 * i) != GIC_PPI)
			return fail(ps, node, "interrupts: entry %d is not a PPI", i);
		intid[i] = gic_intid(irq + 3 * i);
	}
	p->timer.sec_phys = intid[0];
	p->timer.phys = intid[1];
	p->timer.virt = intid[2];
	p->timer.hyp_phys = intid[3];
	return MV_OK;
}

static int parse_psci(struct parse *ps)
{
	struct platform *p = ps->p;
	int node = fdt_node_offset_by_compatible(ps->fdt, -1, "arm,psci-0.2");
	const char *method;

	if (node < 0)
		node = fdt_node_offset_by_compatible(ps->fdt, -1, "arm,psci-1.0");
	if (node < 0) {
		node = fdt_node_offset_by_compatible(ps->fdt, -1, "arm,psci");
		if (node >= 0)
			return fail(ps, node, "compatible: PSCI 0.1 only; need \"arm,psci-0.2\" or later");
		return fail(ps, -1, "psci: node missing (no node compatible with \"arm,psci-0.2\" or \"arm,psci-1.0\")");
	}
	p->psci.v0_2 = true;
	method = fdt_getprop(ps->fdt, node, "method", NULL);
	if (!method)
		return fail(ps, node, "method: missing (need \"smc\")");
	if (!strcmp(method, "hvc"))
		return fail(ps, node, "method: \"hvc\" cannot reach firmware from EL2 (need \"smc\")");
	if (strcmp(method, "smc"))
		return fail(ps, node, "method: \"%s\" is not \"smc\"", method);
	p->psci.conduit = PSCI_CONDUIT_SMC;
	return MV_OK;
}

int platform_parse(const void *fdt, struct platform *p, char *err, size_t errlen)
{
	struct parse ps = { fdt, p, err, errlen };
	const char *model;
	int rc;

	memset(p, 0, sizeof(*p));
	if (errlen)
		err[0] = '\0';
	rc = fdt_check_header(fdt);
	if (rc == 0)
		rc = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (rc) {
		snprintf(err, errlen, "corrupt device tree: %s", fdt_strerror(rc));
		return MV_E_INVAL;
	}
	model = fdt_getprop(fdt, 0, "model", NULL);
	snprintf(p->model, sizeof(p->model), "%s", model ? model : "(no model)");
	if ((rc = parse_uart(&ps)) || (rc = parse_memory(&ps)) ||
	    (rc = parse_reserved(&ps)) || (rc = parse_cpus(&ps)) ||
	    (rc = parse_gic(&ps)) || (rc = parse_timer(&ps)) ||
	    (rc = parse_psci(&ps)))
		return rc;
	return MV_OK;
}

int platform_device(const void *fdt, const char *path, struct platform_device *d,
		    char *err, size_t errlen)
{
	struct platform scratch;
	struct parse ps = { fdt, &scratch, err, errlen };
	const fdt32_t *irq;
	int len, rc;

	memset(d, 0, sizeof(*d));
	d->node = fdt_path_offset(fdt, path);
	if (d->node < 0)
		return fail(&ps, -1, "%s: not in the host device tree", path);
	if ((rc = get_reg(&ps, d->node, 0, &d->reg, NULL)))
		return rc;
	irq = fdt_getprop(fdt, d->node, "interrupts", &len);
	if (irq && len % 12)
		return fail(&ps, d->node, "interrupts: not 3-cell GIC entries");
	for (int i = 0; irq && i < len / 12; i++) {
		if (fdt32_ld(irq + 3 * i) != GIC_SPI)
			return fail(&ps, d->node, "interrupts: entry %d is not an SPI", i);
		if (d->nirqs == PLATFORM_DEVICE_MAX_IRQS)
			return fail(&ps, d->node, "interrupts: more than %d", PLATFORM_DEVICE_MAX_IRQS);
		d->intid[d->nirqs++] = gic_intid(irq + 3 * i);
	}
	return MV_OK;
}

const char *platform_device_reserved(const void *fdt, const struct platform *p,
				    const struct platform_device *d)
{
	for (unsigned i = 0; i < p->nmem; i++)
		if (d->reg.size && d->reg.base < p->mem[i].base + p->mem[i].size &&
		    p->mem[i].base < d->reg.base + d->reg.size)
			return "RAM";
	for (int node = d->node; node >= 0; node = fdt_parent_offset(fdt, node))
		for (unsigned i = 0; i < ARRAY_SIZE(gic_compat); i++)
			if (!fdt_node_check_compatible(fdt, node, gic_compat[i]))
				return "part of the interrupt controller";
	return NULL;
}

uint64_t platform_mem_total(const struct platform *p)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < p->nmem; i++)
		total += p->mem[i].size;
	return total;
}
