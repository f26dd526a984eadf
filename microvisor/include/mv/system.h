/* SPDX-License-Identifier: MIT */
/* The system description: the compiled .dts packed into the image, naming
 * the domains to create.  See docs/system-description.md. */
#ifndef MV_SYSTEM_H
#define MV_SYSTEM_H

#include <mv/types.h>
#include <mv/vm_desc.h>

struct system {
	char name[48];			/* /model */
	unsigned ndomains;		/* children of /domains */
	struct vm_desc vm[MV_MAX_VMS];	/* ndomains of them (VMs only, so far) */
	struct mem_range early_uart;	/* /chosen/microvisor,early-uart, or 0 */
	char selftest[32];		/* /chosen/microvisor,selftest, or "" */
};

/* Read the description; on error returns MV_E_INVAL with one line in err
 * naming the node and property. */
int system_parse(const void *fdt, struct system *s, char *err, size_t errlen);

#endif
