// SPDX-License-Identifier: MIT
/* Translation table walker (see pgtable.h). */
#include <arch/sysreg.h>
#include <mv/errno.h>

#include "pgtable.h"

static unsigned level_shift(unsigned level)
{
	return 39 - 9 * level;
}

static uint64_t *next_table(uint64_t pte)
{
	return (uint64_t *)(uintptr_t)(pte & PTE_ADDR_MASK);
}

static int map_level(uint64_t *table, unsigned level, uint64_t va, uint64_t end,
		     paddr_t pa, uint64_t attrs, pgtable_alloc_fn alloc)
{
	uint64_t block = 1UL << level_shift(level);

	while (va < end) {
		uint64_t *pte = &table[(va >> level_shift(level)) % PTES_PER_TABLE];
		uint64_t next = MIN(ALIGN_DOWN(va, block) + block, end);
		bool whole = IS_ALIGNED(va, block) && IS_ALIGNED(pa, block) &&
			     next - va == block;
		int err = MV_OK;

		if (*pte & PTE_VALID) {
			if (level < 3 && (*pte & PTE_TABLE))
				err = map_level(next_table(*pte), level + 1, va, next,
						pa, attrs, alloc);
			/* else: a block or page is already there; keep it. */
		} else if (level == 3) {
			*pte = pa | attrs | PTE_VALID | PTE_TABLE;
		} else if (whole && level >= 1) {
			*pte = pa | attrs | PTE_VALID;
		} else {
			uint64_t *sub = alloc();

			if (!sub)
				return MV_E_NOMEM;
			err = map_level(sub, level + 1, va, next, pa, attrs, alloc);
			/* The new table's entries are visible before the table. */
			dsb(ishst);
			*pte = (paddr_t)(uintptr_t)sub | PTE_VALID | PTE_TABLE;
		}
		if (err)
			return err;
		pa += next - va;
		va = next;
	}
	return MV_OK;
}

int pgtable_map(uint64_t *root, unsigned start_level, uint64_t va, paddr_t pa,
		uint64_t size, uint64_t attrs, pgtable_alloc_fn alloc)
{
	int err;

	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE) || size == 0 || va + size < va)
		return MV_E_INVAL;
	if ((va + size - 1) >> (level_shift(start_level) + 9))
		return MV_E_RANGE;
	err = map_level(root, start_level, va, va + size, pa, attrs, alloc);
	dsb(ishst);
	isb();
	return err;
}

uint64_t pgtable_lookup(const uint64_t *root, unsigned start_level,
			uint64_t va, unsigned *level)
{
	const uint64_t *table = root;

	for (unsigned l = start_level; l <= 3; l++) {
		uint64_t pte = table[(va >> level_shift(l)) % PTES_PER_TABLE];

		if (!(pte & PTE_VALID))
			return 0;
		if (l == 3 || !(pte & PTE_TABLE)) {
			*level = l;
			return pte;
		}
		table = next_table(pte);
	}
	return 0;
}
