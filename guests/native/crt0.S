/* SPDX-License-Identifier: MIT */
/* Cell start-up: stack, exception vectors (every exception is reported by
 * mv_exception and ends the cell), then mv_start (main, then exit). */
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
	bl	mv_start
1:	wfi
	b	1b

	.balign	2048
vectors:
	.rept	16
	.balign	128
	mrs	x0, esr_el1
	mrs	x1, far_el1
	mrs	x2, elr_el1
	bl	mv_exception
	.endr

	.bss
	.balign	16
	.space	16384
stack_top:
