/* SPDX-License-Identifier: MIT */
/* The VMSAv8-64 translation table walker shared by the EL2 stage-1 map and
 * the stage-2 spaces (Arm ARM DDI0487 D8.3, 4 KiB granule). */
#ifndef ARCH_PGTABLE_H
#define ARCH_PGTABLE_H

#include <mv/types.h>

#define PTES_PER_TABLE	512
#define PTE_VALID	BIT(0)
#define PTE_TABLE	BIT(1)		/* table at L0-L2, page at L3 */
#define PTE_AF		BIT(10)
#define PTE_XN		BIT(54)
#define PTE_ADDR_MASK	0x0000fffffffff000UL

/* Returns a zeroed, page-aligned table, or NULL. */
typedef uint64_t *(*pgtable_alloc_fn)(void);

/*
 * Map [va, va + size) to [pa, pa + size) below root (a table at
 * start_level), using the largest blocks alignment allows.  Entries are
 * only added: a block or page that already exists is kept, so no live entry
 * is ever rewritten.
 */
int pgtable_map(uint64_t *root, unsigned start_level, uint64_t va, paddr_t pa,
		uint64_t size, uint64_t attrs, pgtable_alloc_fn alloc);

/* The descriptor that maps va, or 0; *level receives its level. */
uint64_t pgtable_lookup(const uint64_t *root, unsigned start_level,
			uint64_t va, unsigned *level);

#endif
