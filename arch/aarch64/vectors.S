/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vector table (Arm ARM DDI0487 D1.10.2): four groups of four
 * 128-byte entries: current EL with SP_EL0, current EL with SP_ELx, lower EL
 * in AArch64, lower EL in AArch32.  Every entry saves a struct trap_frame on
 * the stack and calls trap_el2(frame, index); if that returns, the frame is
 * restored and the exception returns.
 */
#include <arch/frame.h>

.macro	vector index
	.balign	128
.Lvector\index:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #FRAME_X0]
	mov	x1, #\index
	b	trap_entry
	.if	. - .Lvector\index > 128
	.error	"vector entry overflows its 128 bytes"
	.endif
.endm

	.text
	.balign	2048
	.global	vector_table
vector_table:
	vector 0
	vector 1
	vector 2
	vector 3
	vector 4
	vector 5
	vector 6
	vector 7
	vector 8
	vector 9
	vector 10
	vector 11
	vector 12
	vector 13
	vector 14
	vector 15

/* x0 and x1 are saved; x1 holds the vector index. */
trap_entry:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	add	x2, sp, #FRAME_SIZE		/* sp before the exception */
	stp	x30, x2, [sp, #FRAME_X0 + 30 * 8]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #FRAME_ESR]
	mov	x0, sp
	bl	trap_el2
trap_return:
	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #FRAME_X0 + 30 * 8]
	add	sp, sp, #FRAME_SIZE
	eret

/* frame_return(frame): make frame the top of this CPU's trap stack and
 * return through it (used to enter the first vCPU). */
	.global	frame_return
frame_return:
	mov	sp, x0
	b	trap_return

/* frame_copy(dst, src): a vCPU's registers from one frame to another
 * (x0-x30, sp, elr, spsr; esr and far describe an exit, not the vCPU). */
	.if	FRAME_ESR != 272
	.error	"frame_copy copies the 272 bytes before FRAME_ESR"
	.endif
	.global	frame_copy
frame_copy:
	.irp	off, 0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256
	ldp	x2, x3, [x1, #\off]
	stp	x2, x3, [x0, #\off]
	.endr
	ret
