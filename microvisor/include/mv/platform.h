/* SPDX-License-Identifier: MIT */
/* The platform as the host DTB describes it.  Nothing about the machine is
 * a constant in the code: memory, console UART, GIC, timer, PSCI and CPUs
 * all come from here. */
#ifndef MV_PLATFORM_H
#define MV_PLATFORM_H

#include <mv/types.h>

enum psci_conduit { PSCI_CONDUIT_SMC, PSCI_CONDUIT_HVC };

struct platform {
	char model[64];

	unsigned ncpus;			/* CPUs the kernel will use */
	unsigned ncpus_ignored;		/* present but beyond MV_MAX_CPUS */
	uint64_t cpu_mpidr[MV_MAX_CPUS];

	unsigned nmem;
	struct mem_range mem[MV_MAX_MEM_BANKS];
	unsigned nreserved;		/* /memreserve/ and /reserved-memory */
	struct mem_range reserved[MV_MAX_RESERVED];

	char uart_path[64];
	struct mem_range uart;		/* PL011 */
	unsigned uart_intid;		/* its SPI as an INTID, 0 if none given */

	struct {
		unsigned version;	/* 2 or 3 */
		struct mem_range dist;
		struct mem_range redist;	/* v3: first redistributor region */
		unsigned nredist_regions;	/* v3 */
		struct mem_range cpu;		/* GICC (v2; optional on v3) */
		struct mem_range hyp;		/* GICH (optional) */
		struct mem_range vcpu;		/* GICV (optional) */
		unsigned maint_irq;		/* INTID, 0 if absent */
	} gic;

	struct {
		/* INTIDs of the timer PPIs. */
		unsigned sec_phys, phys, virt, hyp_phys;
	} timer;

	struct {
		enum psci_conduit conduit;
		bool v0_2;		/* PSCI 0.2+ function IDs */
	} psci;
};

/*
 * Parse the host DTB.  On error returns a negative MV_E_* and writes one
 * line to err naming the node and property ("/timer: node missing ...").
 * Whatever could be parsed before the error stays in *p: the UART is parsed
 * first so the error can be printed on it.
 */
int platform_parse(const void *fdt, struct platform *p, char *err, size_t errlen);

/* A device of the host DTB handed to a VM: its registers and SPIs. */
#define PLATFORM_DEVICE_MAX_IRQS	4
struct platform_device {
	int node;			/* offset in the host DTB */
	struct mem_range reg;		/* its first reg entry */
	unsigned nirqs;
	unsigned intid[PLATFORM_DEVICE_MAX_IRQS];
};

/* Look up the device at path; only SPIs may be its interrupts.  On error
 * one line in err naming the node. */
int platform_device(const void *fdt, const char *path, struct platform_device *d,
		    char *err, size_t errlen);

/* Why no domain may have the device d: its registers are RAM (the
 * microvisor's and every domain's), or it is the interrupt controller or
 * inside it (a GICv3 ITS writes its tables anywhere in memory); NULL if
 * neither. */
const char *platform_device_reserved(const void *fdt, const struct platform *p,
				    const struct platform_device *d);

/* Total RAM in bytes. */
uint64_t platform_mem_total(const struct platform *p);

#endif
