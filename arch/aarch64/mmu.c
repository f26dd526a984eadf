// SPDX-License-Identifier: MIT
/*
 * The EL2 identity map: stage 1 of the EL2 translation regime, 4 KiB granule,
 * 48-bit VA, four levels (Arm ARM DDI0487 D8.2 "Translation table
 * descriptor formats").  Blocks are used wherever alignment allows.
 *
 * Entries are only ever added, never rewritten: a mapping that already
 * exists is kept.  That is why no break-before-make sequence is needed and
 * why the early map (made with the MMU off) can grow into the full map.
 */
#include <arch/sysreg.h>
#include <mv/arch.h>
#include <mv/errno.h>
#include <mv/frame.h>
#include <string.h>

#include "pgtable.h"

#define PTE_ATTRIDX(i)	((uint64_t)(i) << 2)
#define PTE_AP_RO	BIT(7)		/* AP[2]: read-only */
#define PTE_SH_INNER	(3UL << 8)
#define VA_BITS		48
#define EARLY_TABLES	24		/* static tables before the allocator */

static uint64_t early_tables[EARLY_TABLES][PTES_PER_TABLE]
	__attribute__((aligned(PAGE_SIZE)));
static unsigned early_used;
static uint64_t *root;

/* Values every CPU loads before turning its MMU on. */
static struct {
	uint64_t mair, tcr, ttbr;
} mmu_regs;

extern char __text_start[], __rodata_start[], __data_start[], _end[];

static uint64_t *table_alloc(void)
{
	paddr_t pa;

	if (early_used < EARLY_TABLES)
		return early_tables[early_used++];
	if (frame_alloc(1, 1, &pa) != MV_OK)
		return NULL;
	memset((void *)pa, 0, PAGE_SIZE);
	return (uint64_t *)pa;
}

static int map_attrs(paddr_t pa, uint64_t size, uint64_t attrs)
{
	paddr_t start = ALIGN_DOWN(pa, PAGE_SIZE);
	paddr_t end = ALIGN_UP(pa + size, PAGE_SIZE);

	if (end <= start)
		return MV_E_RANGE;
	return pgtable_map(root, 0, start, start, end - start, attrs, table_alloc);
}

int arch_map(paddr_t pa, uint64_t size, enum arch_mem_type type)
{
	uint64_t attrs = PTE_AF | PTE_XN;

	if (type == ARCH_MEM_NORMAL)
		attrs |= PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER;
	else
		attrs |= PTE_ATTRIDX(MAIR_IDX_DEVICE);
	return map_attrs(pa, size, attrs);
}

/* Invalidate [start, end) from the data caches to the point of coherency:
 * what the MMU-off code wrote went straight to memory, and no stale line
 * may shadow it once the caches are on. */
static void dcache_inval(uintptr_t start, uintptr_t end)
{
	uint64_t ctr = read_sysreg(ctr_el0);
	uintptr_t line = 4UL << ((ctr >> 16) & 0xf);

	for (start = ALIGN_DOWN(start, line); start < end; start += line)
		__asm__ volatile("dc ivac, %0" : : "r"(start) : "memory");
	dsb(sy);
}

static void mmu_enable_this_cpu(void)
{
	write_sysreg(mmu_regs.mair, mair_el2);
	write_sysreg(mmu_regs.tcr, tcr_el2);
	write_sysreg(mmu_regs.ttbr, ttbr0_el2);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(SCTLR_EL2_RES1 | SCTLR_EL2_M | SCTLR_EL2_C | SCTLR_EL2_SA |
		     SCTLR_EL2_I, sctlr_el2);
	isb();
}

/*
 * Called by the boot CPU with the MMU off (code built -mstrict-align, so
 * nothing here makes an unaligned access).  Maps the image with W^X
 * permissions and the DTB, then turns on the MMU and caches.
 */
int mmu_init_early(paddr_t dtb, uint64_t dtb_size)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;
	uint64_t normal = PTE_AF | PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER;
	paddr_t text = (paddr_t)__text_start, rodata = (paddr_t)__rodata_start;
	paddr_t data = (paddr_t)__data_start, end = (paddr_t)_end;
	int err;

	root = table_alloc();
	err = map_attrs(text, rodata - text, normal | PTE_AP_RO);
	if (!err)
		err = map_attrs(rodata, data - rodata, normal | PTE_AP_RO | PTE_XN);
	if (!err)
		err = map_attrs(data, end - data, normal | PTE_XN);
	if (!err)
		err = map_attrs(dtb, dtb_size, normal | PTE_AP_RO | PTE_XN);
	if (err)
		return err;

	mmu_regs.mair = MAIR_EL2_VALUE;
	mmu_regs.tcr = TCR_EL2_RES1 | TCR_T0SZ(VA_BITS) | TCR_IRGN0_WBWA |
		       TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
		       (MIN(parange, 5UL) << TCR_EL2_PS_SHIFT);
	mmu_regs.ttbr = (uint64_t)root;
	dcache_inval(data, end);
	mmu_enable_this_cpu();
	return MV_OK;
}

/* A secondary CPU, MMU off: load the boot CPU's registers.  The boot CPU
 * wrote mmu_regs with its caches on; it cleans them before CPU_ON. */
void mmu_init_secondary(void)
{
	mmu_enable_this_cpu();
}

void mmu_publish(void)
{
	uintptr_t p = (uintptr_t)&mmu_regs;

	__asm__ volatile("dc cvac, %0" : : "r"(p) : "memory");
	dsb(sy);
}
