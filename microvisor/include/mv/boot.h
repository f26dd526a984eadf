/* SPDX-License-Identifier: MIT */
/* Where the architecture's boot code hands over to the generic kernel. */
#ifndef MV_BOOT_H
#define MV_BOOT_H

#include <mv/types.h>

/* Boot CPU, MMU and caches on, the image and the DTB mapped.  image is the
 * physical range the loaded image occupies, .bss included. */
__attribute__((noreturn)) void mv_main(paddr_t dtb, struct mem_range image);

/* A secondary CPU started by arch_cpu_start(), MMU on. */
__attribute__((noreturn)) void mv_secondary_main(unsigned id);

#endif
