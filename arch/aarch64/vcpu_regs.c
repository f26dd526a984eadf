// SPDX-License-Identifier: MIT
/*
 * A vCPU's registers by their ABI numbers (MV_VCPU_REG_*,
 * MV_HC_VCPU_REGS), for a vCPU that is not loaded on any CPU: its general
 * registers are in arch.regs, its EL1 system registers in arch.sys.
 * Builds on the host for the unit tests.
 *
 * A write must not let the vCPU leave EL1 upwards: PSTATE takes only the
 * flags, the interrupt masks, PAN, UAO, DIT and SSBS, and an AArch64 EL0t,
 * EL1t or EL1h mode (the eret to it is then an ordinary return to EL1 or
 * EL0; an illegal return, with IL set, would fault at EL2).
 */
#include <mv/vmm.h>

#define PSTATE_NZCV		(0xfUL << 28)
#define PSTATE_DAIF		(0xfUL << 6)
#define PSTATE_PAN_UAO_DIT	(0x7UL << 22)
#define PSTATE_SSBS		(1UL << 12)
#define PSTATE_M		0x1fUL		/* M[4] = 1 is AArch32 */
#define PSTATE_M_EL0T		0x0UL
#define PSTATE_M_EL1T		0x4UL
#define PSTATE_M_EL1H		0x5UL

bool arch_vcpu_pstate_ok(uint64_t pstate)
{
	uint64_t m = pstate & PSTATE_M;

	if (pstate & ~(PSTATE_NZCV | PSTATE_DAIF | PSTATE_PAN_UAO_DIT | PSTATE_SSBS | PSTATE_M))
		return false;
	return m == PSTATE_M_EL0T || m == PSTATE_M_EL1T || m == PSTATE_M_EL1H;
}

/* Where register reg lives, or NULL. */
static uint64_t *reg_slot(struct arch_vcpu *a, unsigned reg)
{
	static const unsigned sys[] = {
		[MV_VCPU_REG_SP_EL0 - MV_VCPU_REG_SP_EL0] = SYS_SP_EL0,
		[MV_VCPU_REG_SP_EL1 - MV_VCPU_REG_SP_EL0] = SYS_SP_EL1,
		[MV_VCPU_REG_ESR_EL1 - MV_VCPU_REG_SP_EL0] = SYS_ESR_EL1,
		[MV_VCPU_REG_FAR_EL1 - MV_VCPU_REG_SP_EL0] = SYS_FAR_EL1,
		[MV_VCPU_REG_ELR_EL1 - MV_VCPU_REG_SP_EL0] = SYS_ELR_EL1,
		[MV_VCPU_REG_SPSR_EL1 - MV_VCPU_REG_SP_EL0] = SYS_SPSR_EL1,
		[MV_VCPU_REG_VBAR_EL1 - MV_VCPU_REG_SP_EL0] = SYS_VBAR_EL1,
		[MV_VCPU_REG_SCTLR_EL1 - MV_VCPU_REG_SP_EL0] = SYS_SCTLR_EL1,
		[MV_VCPU_REG_TTBR0_EL1 - MV_VCPU_REG_SP_EL0] = SYS_TTBR0_EL1,
		[MV_VCPU_REG_TTBR1_EL1 - MV_VCPU_REG_SP_EL0] = SYS_TTBR1_EL1,
		[MV_VCPU_REG_TCR_EL1 - MV_VCPU_REG_SP_EL0] = SYS_TCR_EL1,
	};

	if (reg <= 30)
		return &a->regs.x[reg];
	if (reg == MV_VCPU_REG_PC)
		return &a->regs.elr;
	if (reg == MV_VCPU_REG_PSTATE)
		return &a->regs.spsr;
	if (reg >= MV_VCPU_NREGS)
		return NULL;
	return &a->sys[sys[reg - MV_VCPU_REG_SP_EL0]];
}

int arch_vcpu_reg_read(struct vcpu *v, unsigned reg, uint64_t *value)
{
	const uint64_t *p = reg_slot(&v->arch, reg);

	if (!p)
		return MV_ERR_INVAL;
	*value = *p;
	return MV_OK;
}

int arch_vcpu_reg_write(struct vcpu *v, unsigned reg, uint64_t value)
{
	uint64_t *p = reg_slot(&v->arch, reg);

	if (!p || reg >= MV_VCPU_NWRITABLE ||
	    (reg == MV_VCPU_REG_PSTATE && !arch_vcpu_pstate_ok(value)))
		return MV_ERR_INVAL;
	*p = value;
	if (p >= &v->arch.sys[SYS_SCTLR_EL1] && p < &v->arch.sys[NR_SYSREGS])
		v->arch.el1_mmu = true;	/* switched from now on (vcpu.c) */
	return MV_OK;
}
