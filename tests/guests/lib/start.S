/* SPDX-License-Identifier: MIT */
/* Start-up shared by the bare-metal test guests: entry (x0 = DTB), stack,
 * and an EL1 vector table whose synchronous entry calls
 * sync_handler(esr, far) and skips the faulting instruction. */
	.section .text.start, "ax"
	.global	_start
_start:
	adrp	x1, stack_top
	add	x1, x1, :lo12:stack_top
	mov	sp, x1
	adrp	x1, vectors
	add	x1, x1, :lo12:vectors
	msr	vbar_el1, x1
	isb
	bl	main
1:	wfi
	b	1b

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
	.space	16384
stack_top:
