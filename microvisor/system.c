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
static int check_props(const void *fdt, int node, const char *path,
		       const char *const *known, size_t n, char *err, size_t errlen)
{
	int prop;

	fdt_for_each_property_offset(prop, fdt, node) {
		const char *name;

		if (!fdt_getprop_by_offset(fdt, prop, &name, NULL))
			continue;
		if (!in_list(name, known, n)) {
			snprintf(err, errlen, "%s: %s: unknown property", path, name);
			return MV_E_INVAL;
		}
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

int system_parse(const void *fdt, struct system *s, char *err, size_t errlen)
{
	const char *model;
	int node, sub, rc;

	memset(s, 0, sizeof(*s));
	rc = fdt_check_header(fdt);
	if (rc == 0)
		rc = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (rc) {
		snprintf(err, errlen, "corrupt system description: %s", fdt_strerror(rc));
		return MV_E_INVAL;
	}
	if (fdt_node_check_compatible(fdt, 0, SYSTEM_COMPATIBLE)) {
		snprintf(err, errlen, "/: compatible: must be \"%s\"", SYSTEM_COMPATIBLE);
		return MV_E_INVAL;
	}
	rc = check_props(fdt, 0, "/", root_props, ARRAY_SIZE(root_props), err, errlen);
	if (rc)
		return rc;
	fdt_for_each_subnode(sub, fdt, 0) {
		const char *name = fdt_get_name(fdt, sub, NULL);

		if (strcmp(name, "chosen") && strcmp(name, "domains")) {
			snprintf(err, errlen, "/%s: unknown node", name);
			return MV_E_INVAL;
		}
	}
	model = fdt_getprop(fdt, 0, "model", NULL);
	snprintf(s->name, sizeof(s->name), "%s", model ? model : "(unnamed)");
	rc = parse_chosen(fdt, s, err, errlen);
	if (rc)
		return rc;
	node = fdt_path_offset(fdt, "/domains");
	if (node < 0)
		return MV_OK;
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
	return MV_OK;
}
