/* SPDX-License-Identifier: MIT */
/* Limits of the kernel's static tables.  Plain #defines: also included from
 * assembly. */
#ifndef MV_CONFIG_H
#define MV_CONFIG_H

#define MV_VERSION		"0.1.0"
#define MV_MAX_CPUS		8
#define MV_MAX_MEM_BANKS	8
#define MV_MAX_RESERVED		16
#define MV_STACK_SIZE		16384	/* per CPU, in .bss */

#endif
