/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vector table (Arm ARM DDI0487 D1.10.2): four groups of four
 * 128-byte entries: current EL with SP_EL0, current EL with SP_ELx, lower EL
 * in AArch64, lower EL in AArch32.
 *
 * From a guest (lower EL, AArch64): the registers go straight into the
 * running vCPU's own save area (vcpu->arch.regs), whose address is kept in
 * the word just above the stack pointer while a guest runs; guest_trap()
 * returns the save area of the vCPU to resume (another one after a
 * switch), so a switch copies no registers.  Every other entry saves a
 * struct trap_frame on the stack and calls trap_el2(frame, index); if that
 * returns, the frame is restored and the exception returns.
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

.macro	guest_vector index
	.balign	128
.Lvector\index:
	stp	x0, x1, [sp, #-16]!
	ldr	x0, [sp, #16]		/* the running vCPU's save area */
	mov	x1, #\index
	b	guest_entry
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
	guest_vector 8
	guest_vector 9
	guest_vector 10
	guest_vector 11
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

/* x0 = the running vCPU's save area, x1 = the vector index; the guest's
 * x0 and x1 are at sp, the save area's address at sp + 16. */
guest_entry:
	stp	x2, x3, [x0, #16 * 1]
	stp	x4, x5, [x0, #16 * 2]
	stp	x6, x7, [x0, #16 * 3]
	stp	x8, x9, [x0, #16 * 4]
	stp	x10, x11, [x0, #16 * 5]
	stp	x12, x13, [x0, #16 * 6]
	stp	x14, x15, [x0, #16 * 7]
	stp	x16, x17, [x0, #16 * 8]
	stp	x18, x19, [x0, #16 * 9]
	stp	x20, x21, [x0, #16 * 10]
	stp	x22, x23, [x0, #16 * 11]
	stp	x24, x25, [x0, #16 * 12]
	stp	x26, x27, [x0, #16 * 13]
	stp	x28, x29, [x0, #16 * 14]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #FRAME_X0]
	str	x30, [x0, #FRAME_X0 + 30 * 8]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #FRAME_ELR]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #FRAME_ESR]
	bl	guest_trap
/* x0 = the save area of the vCPU to resume, sp where the guest left it. */
guest_resume:
	str	x0, [sp]
	ldp	x2, x3, [x0, #FRAME_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x0, #16 * 1]
	ldp	x4, x5, [x0, #16 * 2]
	ldp	x6, x7, [x0, #16 * 3]
	ldp	x8, x9, [x0, #16 * 4]
	ldp	x10, x11, [x0, #16 * 5]
	ldp	x12, x13, [x0, #16 * 6]
	ldp	x14, x15, [x0, #16 * 7]
	ldp	x16, x17, [x0, #16 * 8]
	ldp	x18, x19, [x0, #16 * 9]
	ldp	x20, x21, [x0, #16 * 10]
	ldp	x22, x23, [x0, #16 * 11]
	ldp	x24, x25, [x0, #16 * 12]
	ldp	x26, x27, [x0, #16 * 13]
	ldp	x28, x29, [x0, #16 * 14]
	ldr	x30, [x0, #FRAME_X0 + 30 * 8]
	ldp	x0, x1, [x0, #FRAME_X0]
	eret

/* guest_start(regs): enter the first vCPU of this CPU from its save area,
 * reserving the word above the stack pointer that the guest vectors read
 * (this stack below it is the trap stack from now on). */
	.global	guest_start
guest_start:
	sub	sp, sp, #16
	b	guest_resume
