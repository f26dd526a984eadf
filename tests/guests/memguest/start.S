/* SPDX-License-Identifier: MIT */
/* memguest's start-up: vCPU 0 at _start (x0 = DTB) runs main; vCPU 1,
 * started by PSCI CPU_ON at secondary_entry, counts in MB_COUNTER between
 * spin_start and spin_end forever, for the supervisor cell to suspend,
 * inspect and redirect.  The EL1 vectors are tests/guests/lib/start.S's. */
#define MB_COUNTER	0x40300028	/* mailbox word 5 (memguest.c) */

	.section .text.start, "ax"
	.global	_start
_start:
	adrp	x1, stack0_top
	add	x1, x1, :lo12:stack0_top
	mov	sp, x1
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	isb
	bl	main
1:	wfi
	b	1b

	.global	secondary_entry
secondary_entry:
	adrp	x1, stack1_top
	add	x1, x1, :lo12:stack1_top
	mov	sp, x1
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	isb
	movz	x19, #(MB_COUNTER & 0xffff)
	movk	x19, #(MB_COUNTER >> 16), lsl #16
	.global	spin_start
spin_start:
	ldr	x2, [x19]
	add	x2, x2, #1
	str	x2, [x19]
	b	spin_start
	.global	spin_end
spin_end:

	.balign	2048
vectors:
	.rept	4			/* current EL with SP_EL0 */
	.balign	128
	b	.
	.endr
	.balign	128			/* current EL with SP_ELx: synchronous */
	stp	x29, x30, [sp, #-16]!
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el1
	mrs	x1, far_el1
	bl	sync_handler
	mrs	x0, elr_el1
	add	x0, x0, #4
	msr	elr_el1, x0
	ldp	x0, x1, [sp], #16
	ldp	x29, x30, [sp], #16
	eret
	.rept	11
	.balign	128
	b	.
	.endr

	.bss
	.balign	16
	.space	8192
stack0_top:
	.space	8192
stack1_top:
