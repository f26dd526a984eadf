/* SPDX-License-Identifier: MIT */
/*
 * Capabilities: each domain has a capability space of MV_CSPACE_SLOTS
 * slots; a capability names an object, the rights held on it and a badge
 * (a value the object's other end sees, to tell holders apart).  Every
 * hypercall names its objects by slot: there are no global IDs.
 */
#ifndef MV_CAP_H
#define MV_CAP_H

#include <abi/microvisor.h>
#include <mv/types.h>

enum cap_type {
	CAP_NONE = 0,
	CAP_CHANNEL,
	CAP_REGION,		/* object: struct region (mapped at boot) */
	CAP_IRQ,		/* object: struct irq_object */
	CAP_VIRQ,		/* object: struct virq_object */
	CAP_FAULT,		/* a fault port (mv/fault.h): receive and reply */
	CAP_CONSOLE,		/* the console (the console cell's); no object */
	CAP_SPACE,		/* object: struct vm, its memory mapped at boot */
	CAP_VCPU,		/* object: struct vcpu, of another domain */
};

struct cap {
	enum cap_type type;
	uint32_t rights;	/* MV_RIGHT_* */
	uint64_t badge;
	void *object;
};

struct cspace {
	struct cap slot[MV_CSPACE_SLOTS];
};

/*
 * Decode: the object in slot of type with every right in rights, or an
 * ABI error (MV_ERR_SLOT, MV_ERR_TYPE, MV_ERR_RIGHTS, checked in that
 * order, so each cause has its own code).
 */
int cap_lookup(const struct cspace *cs, uint64_t slot, enum cap_type type,
	       uint32_t rights, const struct cap **out);

/* Install a capability (boot-time composition); MV_ERR_SLOT when the slot
 * is out of range or taken. */
int cap_install(struct cspace *cs, unsigned slot, enum cap_type type,
		uint32_t rights, uint64_t badge, void *object);

#endif
