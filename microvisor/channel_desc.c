// SPDX-License-Identifier: MIT
/* The /channels node of the system description (docs/system-description.md,
 * "Channels"): each child connects a sender's capability slot to a
 * receiver's.  Runs on the host at build time and in the kernel at boot. */
#include <libfdt.h>
#include <string.h>

#include <abi/microvisor.h>
#include <mv/channel.h>
#include <mv/errno.h>
#include <mv/print.h>
#include <mv/system.h>

#define CHANNEL_DEFAULT_DEPTH	16

static const char *const channel_props[] = {
	"compatible", "from", "from-slot", "to", "to-slot", "badge", "depth", "to-virq", "from-virq",
	"phandle", "linux,phandle",
};

struct cctx {
	const void *fdt;
	int node;
	const char *name;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int bad(struct cctx *c, const char *prop, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(c->err, c->errlen, "/channels/%s: %s: ", c->name, prop);

	if (n < c->errlen) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	return MV_E_INVAL;
}

static int domain_index(struct cctx *c, const struct system *s, const char *prop, unsigned *out)
{
	int len;
	const char *name = fdt_getprop(c->fdt, c->node, prop, &len);

	if (!name)
		return bad(c, prop, "missing (the name of a domain)");
	if (len < 2 || name[len - 1] || strlen(name) != (size_t)len - 1)
		return bad(c, prop, "must be one domain name");
	for (const char *p = name; *p; p++)
		if (*p < 0x20 || *p > 0x7e)	/* it is printed in errors and logs */
			return bad(c, prop, "must be one domain name");
	for (unsigned i = 0; i < s->ndomains; i++) {
		if (!strcmp(s->vm[i].name, name)) {
			*out = i;
			return MV_OK;
		}
	}
	/* An endpoint is a domain: say so when the name is another object's. */
	for (unsigned i = 0; i < s->nregions; i++)
		if (!strcmp(s->region[i].name, name))
			return bad(c, prop, "\"%s\" is a region (/regions/%s), not a domain", name, name);
	for (unsigned i = 0; i < s->nirqs; i++)
		if (!strcmp(s->irq[i].name, name))
			return bad(c, prop, "\"%s\" is an interrupt (/irqs/%s), not a domain", name, name);
	return bad(c, prop, "no domain \"%s\" in /domains", name);
}

static int get_u32(struct cctx *c, const char *prop, unsigned *v, bool required)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, c->node, prop, &len);

	if (!p)
		return required ? bad(c, prop, "missing") : MV_OK;
	if (len != 4)
		return bad(c, prop, "must be one cell");
	*v = fdt32_ld(p);
	return MV_OK;
}

/* A slot may hold one capability: no two channel ends, or a channel end
 * and another capability (cap_desc.c), in the same slot. */
static int slot_free(struct cctx *c, const struct system *s, const char *prop,
		     unsigned dom, unsigned slot)
{
	char who[96];

	if (slot >= MV_CSPACE_SLOTS)
		return bad(c, prop, "slot %u is beyond the %d a domain has", slot, MV_CSPACE_SLOTS);
	if (desc_slot_user(s, dom, slot, who, sizeof(who)))
		return bad(c, prop, "slot %u of %s is already taken by %s", slot, s->vm[dom].name, who);
	return MV_OK;
}

static int check_known(struct cctx *c)
{
	const char *name = desc_unknown_property(c->fdt, c->node, channel_props,
						 ARRAY_SIZE(channel_props));

	return name ? bad(c, name, "unknown property") : MV_OK;
}

static int parse_one(struct cctx *c, struct system *s, struct channel_desc *d)
{
	int rc;

	memset(d, 0, sizeof(*d));
	d->name = c->name;
	d->depth = CHANNEL_DEFAULT_DEPTH;
	if (fdt_node_check_compatible(c->fdt, c->node, "microvisor,channel"))
		return bad(c, "compatible", "must be \"microvisor,channel\"");
	if ((rc = check_known(c)) || (rc = domain_index(c, s, "from", &d->from)) ||
	    (rc = domain_index(c, s, "to", &d->to)) ||
	    (rc = get_u32(c, "from-slot", &d->from_slot, true)) ||
	    (rc = get_u32(c, "to-slot", &d->to_slot, true)) ||
	    (rc = get_u32(c, "depth", &d->depth, false)) ||
	    (rc = get_u32(c, "to-virq", &d->to_virq, false)) ||
	    (rc = get_u32(c, "from-virq", &d->from_virq, false)))
		return rc;
	if (fdt_getprop(c->fdt, c->node, "badge", NULL)) {
		unsigned badge;

		if ((rc = get_u32(c, "badge", &badge, true)))
			return rc;
		d->badge = badge;
	}
	if (d->from == d->to)
		return bad(c, "to", "a channel connects two different domains");
	if (d->depth < 1 || d->depth > CHANNEL_MAX_DEPTH)
		return bad(c, "depth", "%u is out of range (1 to %d)", d->depth, CHANNEL_MAX_DEPTH);
	if (d->to_virq && s->vm[d->to].cell)
		return bad(c, "to-virq", "only for VM receivers (a cell waits with MV_HC_WAIT)");
	if (d->to_virq && (d->to_virq < 2 || d->to_virq > GUEST_MAX_SPI))
		return bad(c, "to-virq", "SPI %u is out of range (2 to %d; 1 is the UART's)",
			   d->to_virq, GUEST_MAX_SPI);
	if (d->from_virq && s->vm[d->from].cell)
		return bad(c, "from-virq", "only for VM senders");
	if (d->from_virq && (d->from_virq < 2 || d->from_virq > GUEST_MAX_SPI))
		return bad(c, "from-virq", "SPI %u is out of range (2 to %d; 1 is the UART's)",
			   d->from_virq, GUEST_MAX_SPI);
	if ((rc = slot_free(c, s, "from-slot", d->from, d->from_slot)))
		return rc;
	return slot_free(c, s, "to-slot", d->to, d->to_slot);
}

int channel_desc_parse(const void *fdt, int node, struct system *s, char *err, size_t errlen)
{
	int sub;

	fdt_for_each_subnode(sub, fdt, node) {
		struct cctx c = { fdt, sub, fdt_get_name(fdt, sub, NULL), err, errlen };
		int rc;

		if (s->nchannels == MV_MAX_CHANNELS) {
			snprintf(err, errlen, "/channels: more than %d channels", MV_MAX_CHANNELS);
			return MV_E_INVAL;
		}
		rc = parse_one(&c, s, &s->channel[s->nchannels]);
		if (rc)
			return rc;
		s->nchannels++;
	}
	return MV_OK;
}
