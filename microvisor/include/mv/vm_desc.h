/* SPDX-License-Identifier: MIT */
/* A VM as the system description describes it (docs/system-description.md,
 * "VM nodes").  Strings point into the description blob. */
#ifndef MV_VM_DESC_H
#define MV_VM_DESC_H

#include <mv/types.h>

#define MV_MAX_VMS		5	/* the console cell and 4 more */
#define MV_MAX_VCPUS		8
#define VM_DEFAULT_PRIORITY	100
#define VM_MAX_DEVICES		4

/* The guest-physical layout every VM sees (QEMU virt's, so a kernel that
 * boots there boots here): devices below 1 GiB, RAM from 1 GiB up. */
#define GUEST_GICD_BASE		0x08000000UL
#define GUEST_GICC_BASE		0x08010000UL	/* GICv2 CPU interface */
#define GUEST_GICR_BASE		0x080a0000UL	/* GICv3 redistributors */
#define GUEST_UART_BASE		0x09000000UL
#define GUEST_UART_SPI		1		/* INTID 33 */
#define GUEST_MAX_SPI		63		/* the vGIC's 64 SPIs */
#define GUEST_DEVICE_END	0x40000000UL
#define GUEST_RAM_ALIGN		(2UL << 20)

struct vm_desc {
	const char *name;
	bool cell;			/* a native component, not a guest OS */
	bool service;			/* does not keep the machine on */
	unsigned nvcpus;
	bool pinned;			/* "cpus" given */
	uint8_t cpus[MV_MAX_VCPUS];	/* physical CPU of each vCPU */
	unsigned priority;
	paddr_t mem_base;		/* guest-physical */
	uint64_t mem_size;
	const char *kernel;		/* image paths, as written */
	const char *initrd;
	const char *bootargs;
	bool raw;			/* "load-offset" given: not a Linux Image */
	uint64_t load_offset;		/* raw images: from mem_base */
	uint64_t entry_offset;
	unsigned ndevices;		/* host devices passed through */
	const char *devices[VM_MAX_DEVICES];	/* their host DT paths */
};

/* Parse and validate one node of /domains; on error one line in err:
 * "/domains/NAME: property: message". */
int vm_desc_parse(const void *fdt, int node, struct vm_desc *d, char *err,
		  size_t errlen);

#endif
