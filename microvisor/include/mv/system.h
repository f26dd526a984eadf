/* SPDX-License-Identifier: MIT */
/* The system description: the compiled .dts packed into the image, naming
 * the domains to create.  See docs/system-description.md. */
#ifndef MV_SYSTEM_H
#define MV_SYSTEM_H

#include <mv/types.h>
#include <mv/vm_desc.h>

#define MV_MAX_CHANNELS		16

/* A channel of the description: sender and receiver by domain index. */
struct channel_desc {
	const char *name;
	unsigned from, to;		/* domain indexes */
	unsigned from_slot, to_slot;
	uint64_t badge;
	unsigned depth;
	unsigned to_virq;		/* VM receivers: SPI number (INTID - 32), 0 = none */
};

/*
 * A child node of a domain handing its faults to a cell: a window of its
 * guest-physical space ("microvisor,window": accesses there become
 * messages) or its supervisor ("microvisor,supervisor": crash reports).
 */
#define VM_MAX_WINDOWS		4	/* per domain */
#define MV_MAX_FAULT_DESCS	(MV_MAX_VMS * (VM_MAX_WINDOWS + 1))

struct fault_desc {
	const char *name;		/* the node's name */
	bool supervisor;		/* crash reports, not a window */
	unsigned client;		/* domain index whose faults these are */
	unsigned server;		/* domain index of the cell that answers */
	unsigned server_slot;		/* where the server gets the capability */
	uint64_t badge;			/* what the server sees on each message */
	paddr_t base;			/* windows: guest-physical, page aligned */
	uint64_t size;
};

struct system {
	char name[48];			/* /model */
	unsigned ndomains;		/* children of /domains */
	struct vm_desc vm[MV_MAX_VMS];	/* ndomains of them: VMs and cells */
	unsigned nchannels;
	struct channel_desc channel[MV_MAX_CHANNELS];
	unsigned nfaults;
	struct fault_desc fault[MV_MAX_FAULT_DESCS];
	struct mem_range early_uart;	/* /chosen/microvisor,early-uart, or 0 */
	char selftest[32];		/* /chosen/microvisor,selftest, or "" */
};

/* Read the description; on error returns MV_E_INVAL with one line in err
 * naming the node and property. */
int system_parse(const void *fdt, struct system *s, char *err, size_t errlen);

/* The first property of node not named in known[0..n), or NULL: every
 * part of the description rejects properties its binding does not define,
 * so a typo is an error. */
const char *desc_unknown_property(const void *fdt, int node,
				  const char *const *known, size_t n);

/* The /channels node (system.c calls it once the domains are known). */
int channel_desc_parse(const void *fdt, int node, struct system *s, char *err, size_t errlen);

/* The windows and supervisors: child nodes of the /domains node's
 * children (system.c calls it once the domains and channels are known). */
int fault_desc_parse(const void *fdt, int domains, struct system *s, char *err, size_t errlen);

#endif
