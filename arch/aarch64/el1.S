/* SPDX-License-Identifier: MIT */
/*
 * The EL1 system registers a vCPU switch saves and loads, in the order of
 * arch/vcpu.h's SYS_* (static_asserts in vcpu.c), two at a time.
 */
	.text

/* el1_save(sys): the 24 registers into sys[0..23]. */
	.global	el1_save
el1_save:
	mrs	x1, sctlr_el1
	mrs	x2, cpacr_el1
	stp	x1, x2, [x0, #8 * 0]
	mrs	x1, ttbr0_el1
	mrs	x2, ttbr1_el1
	stp	x1, x2, [x0, #8 * 2]
	mrs	x1, tcr_el1
	mrs	x2, esr_el1
	stp	x1, x2, [x0, #8 * 4]
	mrs	x1, afsr0_el1
	mrs	x2, afsr1_el1
	stp	x1, x2, [x0, #8 * 6]
	mrs	x1, far_el1
	mrs	x2, mair_el1
	stp	x1, x2, [x0, #8 * 8]
	mrs	x1, vbar_el1
	mrs	x2, contextidr_el1
	stp	x1, x2, [x0, #8 * 10]
	mrs	x1, amair_el1
	mrs	x2, cntkctl_el1
	stp	x1, x2, [x0, #8 * 12]
	mrs	x1, par_el1
	mrs	x2, tpidr_el1
	stp	x1, x2, [x0, #8 * 14]
	mrs	x1, tpidr_el0
	mrs	x2, tpidrro_el0
	stp	x1, x2, [x0, #8 * 16]
	mrs	x1, sp_el0
	mrs	x2, sp_el1
	stp	x1, x2, [x0, #8 * 18]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [x0, #8 * 20]
	mrs	x1, csselr_el1
	mrs	x2, mdscr_el1
	stp	x1, x2, [x0, #8 * 22]
	ret

/* el1_load(sys): the 24 registers from sys[0..23]; TCR_EL1 only when it
 * changes (QEMU drops its whole TLB on any TCR_EL1 write). */
	.global	el1_load
el1_load:
	ldp	x1, x2, [x0, #8 * 0]
	msr	sctlr_el1, x1
	msr	cpacr_el1, x2
	ldp	x1, x2, [x0, #8 * 2]
	msr	ttbr0_el1, x1
	msr	ttbr1_el1, x2
	ldp	x1, x2, [x0, #8 * 4]
	mrs	x3, tcr_el1
	cmp	x1, x3
	b.eq	1f
	msr	tcr_el1, x1
1:	msr	esr_el1, x2
	ldp	x1, x2, [x0, #8 * 6]
	msr	afsr0_el1, x1
	msr	afsr1_el1, x2
	ldp	x1, x2, [x0, #8 * 8]
	msr	far_el1, x1
	msr	mair_el1, x2
	ldp	x1, x2, [x0, #8 * 10]
	msr	vbar_el1, x1
	msr	contextidr_el1, x2
	ldp	x1, x2, [x0, #8 * 12]
	msr	amair_el1, x1
	msr	cntkctl_el1, x2
	ldp	x1, x2, [x0, #8 * 14]
	msr	par_el1, x1
	msr	tpidr_el1, x2
	ldp	x1, x2, [x0, #8 * 16]
	msr	tpidr_el0, x1
	msr	tpidrro_el0, x2
	ldp	x1, x2, [x0, #8 * 18]
	msr	sp_el0, x1
	msr	sp_el1, x2
	ldp	x1, x2, [x0, #8 * 20]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x1, x2, [x0, #8 * 22]
	msr	csselr_el1, x1
	msr	mdscr_el1, x2
	ret
