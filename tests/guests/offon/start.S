/* SPDX-License-Identifier: MIT */
/* PSCI test guest: vCPU 0 enters at _start; the others at secondary_entry
 * (PSCI CPU_ON) with x0 = their number.  Each has its own stack. */
	.section .text.start, "ax"
	.global	_start
_start:
	mov	x0, #0
	bl	set_stack
	bl	main
1:	wfi
	b	1b

	.global	secondary_entry
secondary_entry:
	mov	x19, x0
	bl	set_stack
	mov	x0, x19
	bl	secondary_main
2:	wfi
	b	2b

/* sp = stacks + (x0 + 1) * 4096 */
set_stack:
	adrp	x1, stacks
	add	x1, x1, :lo12:stacks
	add	x2, x0, #1
	lsl	x2, x2, #12
	add	sp, x1, x2
	ret

	.bss
	.balign	16
stacks:
	.space	4096 * 4
