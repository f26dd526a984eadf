/* SPDX-License-Identifier: MIT */
/* The architectural state of a vCPU while it is not running: everything a
 * switch saves and restores. */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <arch/frame.h>
#include <stdbool.h>
#include <stdint.h>

#define VGIC_MAX_LRS	16

/* EL1 system registers switched with the vCPU: the first group on every
 * switch, the MMU's (from SYS_SCTLR_EL1 on) only for a vCPU that has
 * written one of them (el1_mmu; vcpu.c, "MMU registers, lazily"). */
enum {
	SYS_CPACR_EL1, SYS_ESR_EL1, SYS_AFSR0_EL1, SYS_AFSR1_EL1, SYS_FAR_EL1,
	SYS_VBAR_EL1, SYS_CNTKCTL_EL1, SYS_PAR_EL1, SYS_TPIDR_EL1, SYS_TPIDR_EL0,
	SYS_TPIDRRO_EL0, SYS_SP_EL0, SYS_SP_EL1, SYS_ELR_EL1, SYS_SPSR_EL1,
	SYS_CSSELR_EL1, SYS_MDSCR_EL1,
	SYS_SCTLR_EL1, SYS_TTBR0_EL1, SYS_TTBR1_EL1, SYS_TCR_EL1, SYS_MAIR_EL1,
	SYS_AMAIR_EL1, SYS_CONTEXTIDR_EL1,
	NR_SYSREGS
};

/* FP/SIMD registers, as fpsimd.S saves them; switched lazily (fpsimd.c). */
struct fpsimd_state {
	uint64_t q[64];			/* q0-q31 */
	uint64_t fpsr, fpcr;
};

struct arch_vcpu {
	struct trap_frame regs;		/* x0-x30, pc (elr), pstate (spsr) */
	uint64_t sys[NR_SYSREGS];
	uint64_t vmpidr;
	uint64_t cptr;			/* CPTR_EL2 to run it with (fpsimd.c) */
	struct fpsimd_state fp;		/* valid unless its CPU owns it */
	uint64_t cntv_ctl, cntv_cval;
	/* Virtual CPU interface. */
	uint64_t lr[VGIC_MAX_LRS];
	uint64_t vmcr, apr;
	bool el1_mmu;			/* its MMU registers are its own (it wrote
					 * one); else they hold their reset values */
	bool vtimer_active;		/* physical PPI 27 active (HW-linked) */
	bool vtimer_fired;		/* PPI 27 taken since loaded: it may be
					 * active (else it is not: no GIC access
					 * needed to save it) */
};

#endif
