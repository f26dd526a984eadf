/* SPDX-License-Identifier: MIT */
/* The device tree a VM boots with, generated from its description, so the
 * guest is told exactly the memory, CPUs and devices it has. */
#ifndef MV_GUEST_DT_H
#define MV_GUEST_DT_H

#include <mv/system.h>
#include <mv/vm.h>

#define GUEST_DT_MAX	(64 * 1024)

/* Write the DTB for vm into buf; initrd_size 0 = none.  Passed-through
 * devices' nodes are copied from host_fdt; /hypervisor lists the
 * capabilities sys gives the VM (channel ends, regions, virqs).  Returns MV_OK or
 * MV_E_NOMEM when buf is too small. */
int guest_dt_build(const struct vm *vm, const struct system *sys, unsigned gic_version,
		   const void *host_fdt,
		   void *buf, size_t size, uint64_t initrd_ipa, uint64_t initrd_size);

#endif
