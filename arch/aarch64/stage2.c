// SPDX-License-Identifier: MIT
/*
 * Stage-2 translation (Arm ARM DDI0487 D8.2, D8.5.4 "Stage 2 memory region
 * attributes"): 4 KiB granule, 39-bit IPA starting at level 1 (VTCR_EL2
 * T0SZ = 25, SL0 = 1), one VMID per space.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <mv/errno.h>
#include <mv/frame.h>

#include "pgtable.h"
#include "stage2.h"

#define S2_MEMATTR_NORMAL	(0xfUL << 2)	/* Outer/Inner Write-Back */
#define S2_MEMATTR_DEVICE	(0x1UL << 2)	/* Device-nGnRE */
#define S2_AP_RW		(3UL << 6)
#define S2_AP_RO		(1UL << 6)
#define S2_SH_INNER		(3UL << 8)
#define S2_START_LEVEL		1

#define VTCR_T0SZ		25
#define VTCR_SL0_L1		(1UL << 6)
#define VTCR_IRGN0_WBWA		(1UL << 8)
#define VTCR_ORGN0_WBWA		(1UL << 10)
#define VTCR_SH0_INNER		(3UL << 12)
#define VTCR_PS_SHIFT		16
#define VTCR_RES1		BIT(31)

static uint64_t *table_alloc(void)
{
	paddr_t pa;

	if (frame_alloc(1, 1, &pa) != MV_OK)
		return NULL;
	memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
	return (uint64_t *)(uintptr_t)pa;
}

void stage2_init_cpu(void)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	write_sysreg(VTCR_RES1 | VTCR_T0SZ | VTCR_SL0_L1 | VTCR_IRGN0_WBWA |
		     VTCR_ORGN0_WBWA | VTCR_SH0_INNER |
		     (MIN(parange, 5UL) << VTCR_PS_SHIFT), vtcr_el2);
	isb();
}

int stage2_create(uint64_t **root)
{
	*root = table_alloc();
	return *root ? MV_OK : MV_E_NOMEM;
}

int stage2_map(uint64_t *root, uint64_t ipa, paddr_t pa, uint64_t size, bool device)
{
	return stage2_map_perm(root, ipa, pa, size, device, true);
}

int stage2_map_perm(uint64_t *root, uint64_t ipa, paddr_t pa, uint64_t size, bool device,
		    bool writable)
{
	uint64_t attrs = PTE_AF | (writable ? S2_AP_RW : S2_AP_RO);

	attrs |= device ? S2_MEMATTR_DEVICE | PTE_XN : S2_MEMATTR_NORMAL | S2_SH_INNER;
	return pgtable_map(root, S2_START_LEVEL, ipa, pa, size, attrs, table_alloc);
}

bool stage2_translate(const uint64_t *root, uint64_t ipa, paddr_t *pa)
{
	unsigned level;
	uint64_t pte = pgtable_lookup(root, S2_START_LEVEL, ipa, &level);
	uint64_t span = 1UL << (39 - 9 * level);

	if (!pte)
		return false;
	*pa = (pte & PTE_ADDR_MASK & ~(span - 1)) | (ipa & (span - 1));
	return true;
}

/* Invalidate every stage-1 and stage-2 entry of the VMID in vttbr, on all
 * CPUs (the VM's vCPUs must not be running: the caller stopped them). */
void stage2_flush(uint64_t vttbr)
{
	uint64_t old = read_sysreg(vttbr_el2);

	write_sysreg(vttbr, vttbr_el2);
	isb();
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	write_sysreg(old, vttbr_el2);
	isb();
}
