/* SPDX-License-Identifier: MIT */
/* The system description: the compiled .dts packed into the image, naming
 * the domains to create.  See docs/system-description.md. */
#ifndef MV_SYSTEM_H
#define MV_SYSTEM_H

#include <stdarg.h>

#include <mv/types.h>
#include <mv/vm_desc.h>

#define MV_MAX_CHANNELS		16
#define MV_MAX_REGIONS		8	/* children of /regions */
#define MV_MAX_IRQS		8	/* children of /irqs */
#define MV_MAX_CAPS		32	/* the caps nodes' capabilities, all domains */

/* A channel of the description: sender and receiver by domain index. */
struct channel_desc {
	const char *name;
	unsigned from, to;		/* domain indexes */
	unsigned from_slot, to_slot;
	uint64_t badge;
	unsigned depth;
	unsigned to_virq;		/* VM receivers: SPI number (INTID - 32), 0 = none */
	unsigned from_virq;		/* VM senders: SPI raised when a full queue has room, 0 = none */
};

/* A region of the description: host device registers or shared memory. */
struct region_desc {
	const char *name;
	const char *device;		/* host DT path, or NULL: shared memory */
	uint64_t size;			/* bytes, a multiple of the page size */
};

/* A physical interrupt of the description: a host device's SPI. */
struct irq_desc {
	const char *name;
	const char *device;		/* host DT path */
	unsigned index;			/* which of its interrupts */
};

enum cap_desc_type {
	CAP_DESC_REGION, CAP_DESC_IRQ, CAP_DESC_VIRQ, CAP_DESC_CONSOLE, CAP_DESC_SPACE, CAP_DESC_VCPU,
};

/* A capability of a domain's "caps" node (channels have their own). */
struct cap_desc {
	const char *name;		/* the node's name */
	enum cap_desc_type type;
	unsigned holder;		/* domain index */
	unsigned slot;
	unsigned object;		/* region or irq index; virq, space, vcpu: the
					 * target's domain index; console: none */
	uint64_t address;		/* region, space: guest-physical address in the holder */
	bool writable;			/* region, space: "rw" (else read-only); vcpu:
					 * "rw", control (else read only) */
	unsigned virq;			/* virq: the SPI (INTID - 32) raised in the VM */
	unsigned vcpu;			/* vcpu: its index in the target */
};

/*
 * A child node of a domain handing its faults to a cell: a window of its
 * guest-physical space ("microvisor,window": accesses there become
 * messages) or its supervisor ("microvisor,supervisor": crash reports).
 */
#define VM_MAX_WINDOWS		4	/* per domain, besides its UART's */
#define GUEST_UART_SIZE		0x1000UL
/* Each domain: its windows, its UART's (served by the console cell), a supervisor. */
#define MV_MAX_FAULT_DESCS	(MV_MAX_VMS * (VM_MAX_WINDOWS + 2))

struct fault_desc {
	const char *name;		/* the node's name */
	bool supervisor;		/* crash reports, not a window */
	unsigned client;		/* domain index whose faults these are */
	unsigned server;		/* domain index of the cell that answers */
	unsigned server_slot;		/* where the server gets the capability */
	uint64_t badge;			/* what the server sees on each message */
	paddr_t base;			/* windows: guest-physical, page aligned */
	uint64_t size;
	unsigned spi;			/* the client's SPI its server drives (the UART's), 0: none */
	bool virtio;			/* "virtio-mmio": a virtio,mmio node in the guest DT */
};

struct system {
	char name[48];			/* /model */
	unsigned ndomains;		/* children of /domains */
	struct vm_desc vm[MV_MAX_VMS];	/* ndomains of them: VMs and cells */
	unsigned nchannels;
	struct channel_desc channel[MV_MAX_CHANNELS];
	unsigned nregions, nirqs, ncaps;
	struct region_desc region[MV_MAX_REGIONS];
	struct irq_desc irq[MV_MAX_IRQS];
	struct cap_desc cap[MV_MAX_CAPS];
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

/* Write "node: prop: message" (or "node: message" without prop) to err;
 * returns MV_E_INVAL.  The one shape of every description error. */
int desc_verror(char *err, size_t errlen, const char *node, const char *prop,
		const char *fmt, va_list ap);

/* A description node being checked: where its errors go, named by path. */
struct desc_node {
	const void *fdt;
	int node;
	char path[256];			/* the node's, for messages */
	char *err;
	size_t errlen;
};

/* desc_verror for node n; returns MV_E_INVAL. */
__attribute__((format(printf, 3, 4)))
int desc_bad(struct desc_node *n, const char *prop, const char *fmt, ...);

/* A one-cell property into *v: "missing" if absent and required (absent
 * and optional leaves *v), an error if it is not exactly one cell. */
int desc_get_u32(struct desc_node *n, const char *prop, unsigned *v, bool required);

/* Whether ch may stand in a device tree path (dtc's node name characters
 * and '/'): checked before a path is quoted in a message. */
bool desc_path_char_ok(char ch);

/* /regions, /irqs and every domain's "caps" node (system.c calls it once
 * the domains are known, before the channels). */
int cap_desc_parse(const void *fdt, struct system *s, char *err, size_t errlen);

/* The capability in slot of domain dom, as "/domains/D/caps/N" or
 * "/channels/C", or NULL when the slot is free (so far). */
const char *desc_slot_user(const struct system *s, unsigned dom, unsigned slot,
			   char *buf, size_t len);

/* How many bytes of the holder's space capability c maps: a region's
 * size, a space's target memory, 0 for the rest. */
uint64_t desc_cap_map_size(const struct system *s, const struct cap_desc *c);

/* The cell holding the console capability (the console cell), or -1:
 * the microvisor keeps the console. */
int desc_console_holder(const struct system *s);

/* The /channels node (system.c calls it once the domains are known). */
int channel_desc_parse(const void *fdt, int node, struct system *s, char *err, size_t errlen);

/* The windows and supervisors: child nodes of the /domains node's
 * children (system.c calls it once the domains and channels are known). */
int fault_desc_parse(const void *fdt, int domains, struct system *s, char *err, size_t errlen);

#endif
