// SPDX-License-Identifier: MIT
/* Capability spaces (see mv/cap.h). */
#include <mv/cap.h>

int cap_lookup(const struct cspace *cs, uint64_t slot, enum cap_type type,
	       uint32_t rights, const struct cap **out)
{
	const struct cap *c;

	if (slot >= MV_CSPACE_SLOTS || cs->slot[slot].type == CAP_NONE)
		return MV_ERR_SLOT;
	c = &cs->slot[slot];
	if (c->type != type)
		return MV_ERR_TYPE;
	if ((c->rights & rights) != rights)
		return MV_ERR_RIGHTS;
	*out = c;
	return MV_OK;
}

int cap_install(struct cspace *cs, unsigned slot, enum cap_type type,
		uint32_t rights, uint64_t badge, void *object)
{
	struct cap *c;

	if (slot >= MV_CSPACE_SLOTS || cs->slot[slot].type != CAP_NONE || type == CAP_NONE)
		return MV_ERR_SLOT;
	c = &cs->slot[slot];
	c->type = type;
	c->rights = rights;
	c->badge = badge;
	c->object = object;
	return MV_OK;
}
