// SPDX-License-Identifier: MIT
/* The packed system description (docs/system-description.md).  The same
 * code runs on the host, so a description is rejected at build time with
 * the message it would get at boot. */
#include <libfdt.h>
#include <string.h>

#include <mv/errno.h>
#include <mv/print.h>
#include <mv/system.h>

#define SYSTEM_COMPATIBLE	"microvisor,system"

static const char *const root_props[] = { "compatible", "model", "#address-cells", "#size-cells" };
static const char *const chosen_props[] = { "microvisor,early-uart", "microvisor,selftest" };
static const char *const selftests[] = { "el2-crash" };

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

/* Reject properties the binding does not define: a typo must not be
 * silently ignored. */
const char *desc_unknown_property(const void *fdt, int node,
				  const char *const *known, size_t n)
{
	int prop;

	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name;

		if (fdt_getprop_by_offset(fdt, prop, &name, NULL) && !in_list(name, known, n))
			return name;
	}
	return NULL;
}

int desc_verror(char *err, size_t errlen, const char *node, const char *prop,
		const char *fmt, va_list ap)
{
	size_t n = (size_t)snprintf(err, errlen, "%s: %s%s", node, prop ? prop : "",
				    prop ? ": " : "");

	if (n < errlen)
		vsnprintf(err + n, errlen - n, fmt, ap);
	return MV_E_INVAL;
}

int desc_bad(struct desc_node *n, const char *prop, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	desc_verror(n->err, n->errlen, n->path, prop, fmt, ap);
	va_end(ap);
	return MV_E_INVAL;
}

int desc_get_u32(struct desc_node *n, const char *prop, unsigned *v, bool required)
{
	int len;
	const fdt32_t *p = fdt_getprop(n->fdt, n->node, prop, &len);

	if (!p)
		return required ? desc_bad(n, prop, "missing") : MV_OK;
	if (len != 4)
		return desc_bad(n, prop, "must be one 32-bit cell, not %d bytes", len);
	*v = fdt32_ld(p);
	return MV_OK;
}

bool desc_path_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || (ch && strchr(",._+*#?@-/", ch));
}

static int check_props(const void *fdt, int node, const char *path,
		       const char *const *known, size_t n, char *err, size_t errlen)
{
	const char *name = desc_unknown_property(fdt, node, known, n);

	if (!name)
		return MV_OK;
	snprintf(err, errlen, "%s: %s: unknown property", path, name);
	return MV_E_INVAL;
}

/*
 * libfdt 1.6's fdt_next_tag() takes a property's length as a signed step:
 * for -12 to -9 it lands back on the same tag, and every walker, starting
 * with fdt_check_full(), loops forever.  So walk the structure block once
 * first (version 17: fdt_check_header() has checked that the block lies
 * inside the blob) and reject a property running past its end.  Anything
 * else wrong is left to fdt_check_full(), which walks the same way.  Reads
 * bytewise: this runs with the MMU off too.
 */
static int check_prop_lengths(const void *fdt)
{
	const uint8_t *s = (const uint8_t *)fdt + fdt_off_dt_struct(fdt);
	uint64_t size = fdt_size_dt_struct(fdt), off = 0;

	while (off + 4 <= size) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(s + off));

		off += 4;
		if (tag == FDT_BEGIN_NODE) {
			while (off < size && s[off])
				off++;
			off = (off + 4) & ~3ULL;	/* the NUL, then align */
		} else if (tag == FDT_PROP) {
			uint32_t len;

			if (off + 8 > size)
				break;
			len = fdt32_ld((const fdt32_t *)(s + off));
			if (len > size - off - 8)
				return -FDT_ERR_BADSTRUCTURE;
			off = (off + 8 + len + 3) & ~3ULL;
		} else if (tag != FDT_END_NODE && tag != FDT_NOP) {
			break;	/* FDT_END, or garbage */
		}
	}
	return 0;
}

/* The characters dtc accepts in node and property names.  Names reach
 * error messages and log prefixes, so a blob with any other byte in one
 * (which dtc cannot have produced) is rejected as corrupt. */
static bool name_char_ok(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || (ch && strchr(",._+*#?@-", ch));
}

static int check_name(const char *name, const char *what, char *err, size_t errlen)
{
	if (!*name) {
		snprintf(err, errlen, "corrupt system description: empty %s name", what);
		return MV_E_INVAL;
	}
	for (const char *p = name; *p; p++) {
		if (!name_char_ok(*p)) {
			snprintf(err, errlen, "corrupt system description: %s name with byte 0x%02x",
				 what, (unsigned)(unsigned char)*p);
			return MV_E_INVAL;
		}
	}
	return MV_OK;
}

/* Every node name (but the root's, which is empty) and property name. */
static int check_names(const void *fdt, char *err, size_t errlen)
{
	int node, depth = 0;

	/* fdt_next_node() stops with depth -1 past the root's end. */
	for (node = 0; node >= 0 && depth >= 0; node = fdt_next_node(fdt, node, &depth)) {
		const char *name = fdt_get_name(fdt, node, NULL);
		int prop, rc;

		if (!name) {
			snprintf(err, errlen, "corrupt system description: unreadable node name");
			return MV_E_INVAL;
		}
		if (node && (rc = check_name(name, "node", err, errlen)))
			return rc;
		fdt_for_each_property_offset(prop, fdt, node) {
			if (!fdt_getprop_by_offset(fdt, prop, &name, NULL) || !name) {
				snprintf(err, errlen, "corrupt system description: unreadable property name");
				return MV_E_INVAL;
			}
			if ((rc = check_name(name, "property", err, errlen)))
				return rc;
		}
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND) {
		snprintf(err, errlen, "corrupt system description: %s", fdt_strerror(node));
		return MV_E_INVAL;
	}
	return MV_OK;
}

static int parse_chosen(const void *fdt, struct system *s, char *err, size_t errlen)
{
	int node = fdt_path_offset(fdt, "/chosen");
	const fdt32_t *uart;
	const char *test;
	int len, rc, sub;

	if (node < 0)
		return MV_OK;
	rc = check_props(fdt, node, "/chosen", chosen_props, ARRAY_SIZE(chosen_props), err, errlen);
	if (rc)
		return rc;
	sub = fdt_first_subnode(fdt, node);
	if (sub >= 0) {
		snprintf(err, errlen, "/chosen/%s: unknown node", fdt_get_name(fdt, sub, NULL));
		return MV_E_INVAL;
	}
	uart = fdt_getprop(fdt, node, "microvisor,early-uart", &len);
	if (uart) {
		if (len != 8) {
			snprintf(err, errlen, "/chosen: microvisor,early-uart: must be <hi lo> (a 64-bit physical address), not %d bytes", len);
			return MV_E_INVAL;
		}
		s->early_uart.base = (uint64_t)fdt32_ld(uart) << 32 | fdt32_ld(uart + 1);
		s->early_uart.size = PAGE_SIZE;
	}
	test = fdt_getprop(fdt, node, "microvisor,selftest", &len);
	if (test) {
		if (len < 1 || test[len - 1] || !in_list(test, selftests, ARRAY_SIZE(selftests))) {
			snprintf(err, errlen, "/chosen: microvisor,selftest: unknown test (known: el2-crash)");
			return MV_E_INVAL;
		}
		snprintf(s->selftest, sizeof(s->selftest), "%s", test);
	}
	return MV_OK;
}

/*
 * The SPIs a VM is given each have one source: a channel's to-virq (in its
 * receiver) or from-virq (in its sender), a cell's virq capability, or a
 * window's interrupt (its server's).  Use k of them, counting channels'
 * two ends, then the capabilities, then the windows: its VM, SPI and
 * property, and with node its node's path; false if use k names no SPI.
 */
static bool spi_use(const struct system *s, unsigned k, unsigned *vm, unsigned *spi,
		    const char **prop, char *node, size_t len)
{
	if (k < 2 * s->nchannels) {
		const struct channel_desc *c = &s->channel[k / 2];

		*vm = k % 2 ? c->from : c->to;
		*spi = k % 2 ? c->from_virq : c->to_virq;
		*prop = k % 2 ? "from-virq" : "to-virq";
		if (node)
			snprintf(node, len, "/channels/%s", c->name);
		return *spi != 0;
	}
	k -= 2 * s->nchannels;
	if (k < s->ncaps) {
		const struct cap_desc *c = &s->cap[k];

		*vm = c->object;
		*spi = c->virq;
		*prop = "virq";
		if (node)
			snprintf(node, len, "/domains/%s/caps/%s", s->vm[c->holder].name, c->name);
		return c->type == CAP_DESC_VIRQ;
	}
	k -= s->ncaps;
	*vm = s->fault[k].client;
	*spi = s->fault[k].spi;
	*prop = "interrupt";
	if (node)
		snprintf(node, len, "/domains/%s/%s", s->vm[*vm].name, s->fault[k].name);
	return !s->fault[k].supervisor && *spi != GUEST_UART_SPI && *spi != 0;
}

/* The paths are written only for the message, once a clash is found. */
static int check_spis(const struct system *s, char *err, size_t errlen)
{
	unsigned n = 2 * s->nchannels + s->ncaps + s->nfaults;

	for (unsigned k = 0; k < n; k++) {
		unsigned vm, spi, vm2, spi2;
		const char *prop, *prop2;
		char node[128], other[128];

		if (!spi_use(s, k, &vm, &spi, &prop, NULL, 0))
			continue;
		for (unsigned j = 0; j < k; j++) {
			if (!spi_use(s, j, &vm2, &spi2, &prop2, NULL, 0) || vm2 != vm || spi2 != spi)
				continue;
			spi_use(s, k, &vm, &spi, &prop, node, sizeof(node));
			spi_use(s, j, &vm2, &spi2, &prop2, other, sizeof(other));
			snprintf(err, errlen, "%s: %s: SPI %u of %s is already %s's %s (each SPI has one source)",
				 node, prop, spi, s->vm[vm].name, other, prop2);
			return MV_E_INVAL;
		}
	}
	return MV_OK;
}

int system_parse(const void *fdt, struct system *s, char *err, size_t errlen)
{
	const char *model;
	int node, sub, rc, len;

	memset(s, 0, sizeof(*s));
	rc = fdt_check_header(fdt);
	/* dtc writes version 17.  Before 16, node names were full paths and
	 * libfdt 1.6's fdt_check_full() dereferences the NULL fdt_get_name()
	 * returns for one without a '/'; before 17 the header has no
	 * structure block size for check_prop_lengths(). */
	if (rc == 0 && fdt_version(fdt) < 17)
		rc = -FDT_ERR_BADVERSION;
	if (rc == 0)
		rc = check_prop_lengths(fdt);
	if (rc == 0)
		rc = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (rc) {
		snprintf(err, errlen, "corrupt system description: %s", fdt_strerror(rc));
		return MV_E_INVAL;
	}
	rc = check_names(fdt, err, errlen);
	if (rc)
		return rc;
	if (fdt_node_check_compatible(fdt, 0, SYSTEM_COMPATIBLE)) {
		snprintf(err, errlen, "/: compatible: must be \"%s\"", SYSTEM_COMPATIBLE);
		return MV_E_INVAL;
	}
	rc = check_props(fdt, 0, "/", root_props, ARRAY_SIZE(root_props), err, errlen);
	if (rc)
		return rc;
	fdt_for_each_subnode(sub, fdt, 0) {
		const char *name = fdt_get_name(fdt, sub, NULL);

		if (strcmp(name, "chosen") && strcmp(name, "domains") && strcmp(name, "channels") &&
		    strcmp(name, "regions") && strcmp(name, "irqs")) {
			snprintf(err, errlen, "/%s: unknown node", name);
			return MV_E_INVAL;
		}
	}
	model = fdt_getprop(fdt, 0, "model", &len);
	if (model && (len < 2 || model[len - 1] || strlen(model) != (size_t)len - 1)) {
		snprintf(err, errlen, "/: model: must be one non-empty string");
		return MV_E_INVAL;
	}
	snprintf(s->name, sizeof(s->name), "%s", model ? model : "(unnamed)");
	rc = parse_chosen(fdt, s, err, errlen);
	if (rc)
		return rc;
	node = fdt_path_offset(fdt, "/domains");
	if (node < 0)
		return MV_OK;
	rc = check_props(fdt, node, "/domains", NULL, 0, err, errlen);
	if (rc)
		return rc;
	fdt_for_each_subnode(sub, fdt, node) {
		if (s->ndomains == MV_MAX_VMS) {
			snprintf(err, errlen, "/domains: more than %d domains", MV_MAX_VMS);
			return MV_E_INVAL;
		}
		rc = vm_desc_parse(fdt, sub, &s->vm[s->ndomains], err, errlen);
		if (rc)
			return rc;
		s->ndomains++;
	}
	rc = cap_desc_parse(fdt, s, err, errlen);
	if (rc)
		return rc;
	sub = fdt_path_offset(fdt, "/channels");
	if (sub >= 0 && (rc = channel_desc_parse(fdt, sub, s, err, errlen)))
		return rc;
	rc = fault_desc_parse(fdt, node, s, err, errlen);
	return rc ? rc : check_spis(s, err, errlen);
}
