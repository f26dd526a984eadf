/* SPDX-License-Identifier: MIT */
/* System register accessors and the EL2 register fields the kernel uses
 * (Arm ARM DDI0487, chapter D19 "AArch64 System Register Descriptions"). */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <mv/types.h>

#define read_sysreg(r) ({						\
	uint64_t __v;							\
	__asm__ volatile("mrs %0, " #r : "=r"(__v));			\
	__v;								\
})

#define write_sysreg(v, r) do {						\
	uint64_t __v = (uint64_t)(v);					\
	__asm__ volatile("msr " #r ", %0" : : "r"(__v));		\
} while (0)

#define isb()		__asm__ volatile("isb" ::: "memory")
#define dsb(opt)	__asm__ volatile("dsb " #opt ::: "memory")

/* SCTLR_EL2 (non-VHE layout) */
#define SCTLR_EL2_M		BIT(0)
#define SCTLR_EL2_C		BIT(2)
#define SCTLR_EL2_SA		BIT(3)
#define SCTLR_EL2_I		BIT(12)
#define SCTLR_EL2_RES1		0x30c50830UL

/* TCR_EL2 (non-VHE layout) */
#define TCR_EL2_RES1		(BIT(31) | BIT(23))
#define TCR_T0SZ(bits)		(64UL - (bits))
#define TCR_IRGN0_WBWA		(1UL << 8)
#define TCR_ORGN0_WBWA		(1UL << 10)
#define TCR_SH0_INNER		(3UL << 12)
#define TCR_TG0_4K		(0UL << 14)
#define TCR_EL2_PS_SHIFT	16

/* MAIR attribute indices */
#define MAIR_IDX_NORMAL		0
#define MAIR_IDX_DEVICE		1
#define MAIR_EL2_VALUE		(0xffUL | (0x04UL << 8))	/* WBWA, nGnRE */

/* HCR_EL2: EL1 is AArch64; physical FIQ, IRQ and SError are taken to EL2
 * (otherwise, while at EL2, they would target EL1 and never be taken). */
#define HCR_EL2_RW		BIT(31)
#define HCR_EL2_HOST		(HCR_EL2_RW | BIT(3) | BIT(4) | BIT(5))

/* CPTR_EL2 (non-VHE): RES1 bits 13:12, 9, 7:0; TZ (bit 8) traps SVE and
 * TSM (bit 12) SME, whose state the switch does not save; TAM (bit 30)
 * traps the activity monitors.  TFP (bit 10) traps FP/SIMD, EL2's own
 * accesses included: set while the running vCPU's FP/SIMD state is not in
 * the registers (fpsimd.c), clear at boot and while it is. */
#define CPTR_EL2_VALUE		(0x33ffUL | BIT(30))
#define CPTR_EL2_TFP		BIT(10)

/* ID_AA64MMFR0_EL1 */
#define ID_AA64MMFR0_PARANGE_MASK 0xfUL

/* MPIDR affinity fields Aff3 (39:32), Aff2..Aff0 (23:0). */
#define MPIDR_AFF_MASK		0xff00ffffffUL

/* ESR_ELx (D19.2.37) */
#define ESR_EC_SHIFT		26
#define ESR_EC_MASK		0x3fUL
#define ESR_IL			BIT(25)

/* MDCR_EL2: trap the debug registers (TDRA, TDOSA, TDA) and the PMU (TPM,
 * TPMCR) from EL1/EL0; HPMN (4:0) keeps PMCR_EL0.N for EL2. */
#define MDCR_EL2_TRAP_ALL	(BIT(11) | BIT(10) | BIT(9) | BIT(6) | BIT(5))
#define ESR_EC_FP		0x07UL	/* FP/SIMD access trapped */
#define ESR_EC_HVC64		0x16UL
#define ESR_EC_DABT_LOW		0x24UL	/* data abort from a lower EL */
#define ESR_ISS_MASK		0x1ffffffUL

#endif
