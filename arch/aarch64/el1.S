/* SPDX-License-Identifier: MIT */
/*
 * The EL1 system registers a vCPU switch saves and loads, in the order of
 * arch/vcpu.h's SYS_* (static_asserts in vcpu.c), two at a time: the 17
 * switched every time, and the MMU's 7, switched only for a vCPU that
 * has written one of them (vcpu.c).
 */
	.text

/* el1_save(sys): sys[0..16]. */
	.global	el1_save
el1_save:
	mrs	x1, cpacr_el1
	mrs	x2, esr_el1
	stp	x1, x2, [x0, #8 * 0]
	mrs	x1, afsr0_el1
	mrs	x2, afsr1_el1
	stp	x1, x2, [x0, #8 * 2]
	mrs	x1, far_el1
	mrs	x2, vbar_el1
	stp	x1, x2, [x0, #8 * 4]
	mrs	x1, cntkctl_el1
	mrs	x2, par_el1
	stp	x1, x2, [x0, #8 * 6]
	mrs	x1, tpidr_el1
	mrs	x2, tpidr_el0
	stp	x1, x2, [x0, #8 * 8]
	mrs	x1, tpidrro_el0
	mrs	x2, sp_el0
	stp	x1, x2, [x0, #8 * 10]
	mrs	x1, sp_el1
	mrs	x2, elr_el1
	stp	x1, x2, [x0, #8 * 12]
	mrs	x1, spsr_el1
	mrs	x2, csselr_el1
	stp	x1, x2, [x0, #8 * 14]
	mrs	x1, mdscr_el1
	str	x1, [x0, #8 * 16]
	ret

/* el1_load(sys): sys[0..16]. */
	.global	el1_load
el1_load:
	ldp	x1, x2, [x0, #8 * 0]
	msr	cpacr_el1, x1
	msr	esr_el1, x2
	ldp	x1, x2, [x0, #8 * 2]
	msr	afsr0_el1, x1
	msr	afsr1_el1, x2
	ldp	x1, x2, [x0, #8 * 4]
	msr	far_el1, x1
	msr	vbar_el1, x2
	ldp	x1, x2, [x0, #8 * 6]
	msr	cntkctl_el1, x1
	msr	par_el1, x2
	ldp	x1, x2, [x0, #8 * 8]
	msr	tpidr_el1, x1
	msr	tpidr_el0, x2
	ldp	x1, x2, [x0, #8 * 10]
	msr	tpidrro_el0, x1
	msr	sp_el0, x2
	ldp	x1, x2, [x0, #8 * 12]
	msr	sp_el1, x1
	msr	elr_el1, x2
	ldp	x1, x2, [x0, #8 * 14]
	msr	spsr_el1, x1
	msr	csselr_el1, x2
	ldr	x1, [x0, #8 * 16]
	msr	mdscr_el1, x1
	ret

/* el1_save_mmu(mmu): the MMU's seven into mmu[0..6] (sys + SYS_SCTLR_EL1). */
	.global	el1_save_mmu
el1_save_mmu:
	mrs	x1, sctlr_el1
	mrs	x2, ttbr0_el1
	stp	x1, x2, [x0, #8 * 0]
	mrs	x1, ttbr1_el1
	mrs	x2, tcr_el1
	stp	x1, x2, [x0, #8 * 2]
	mrs	x1, mair_el1
	mrs	x2, amair_el1
	stp	x1, x2, [x0, #8 * 4]
	mrs	x1, contextidr_el1
	str	x1, [x0, #8 * 6]
	ret

/* el1_load_mmu(mmu): the MMU's seven from mmu[0..6]; TCR_EL1 only when it
 * changes (QEMU drops its whole TLB on any TCR_EL1 write). */
	.global	el1_load_mmu
el1_load_mmu:
	ldp	x1, x2, [x0, #8 * 0]
	msr	sctlr_el1, x1
	msr	ttbr0_el1, x2
	ldp	x1, x2, [x0, #8 * 2]
	msr	ttbr1_el1, x1
	mrs	x3, tcr_el1
	cmp	x2, x3
	b.eq	1f
	msr	tcr_el1, x2
1:	ldp	x1, x2, [x0, #8 * 4]
	msr	mair_el1, x1
	msr	amair_el1, x2
	ldr	x1, [x0, #8 * 6]
	msr	contextidr_el1, x1
	ret
