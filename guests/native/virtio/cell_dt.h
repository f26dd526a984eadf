/* SPDX-License-Identifier: MIT */
/*
 * A cell's own device tree (its address is in x0 at entry: mv_boot_dt):
 * /chosen's bootargs and initrd, /memory's reg.  Shared by the virtio
 * cells (guests/cells/virtio-blk, guests/cells/vswitch).
 */
#ifndef CELL_DT_H
#define CELL_DT_H

#include <mv_runtime.h>

struct dtinfo {
	const volatile char *bootargs;
	uint64_t initrd_start, initrd_end;
	uint64_t mem_base, mem_size;
};

/* Parse the flattened tree at dt: 0, or -1 if it is not one. */
int dt_parse(uint64_t dt, struct dtinfo *o);

/* A big-endian 32-bit word at an aligned place. */
uint32_t be32(const volatile uint8_t *p);

/* Strings in the tree: equal; a starts with b. */
bool str_eq(const volatile char *a, const char *b);
bool str_prefix(const volatile char *a, const char *b);

#endif
