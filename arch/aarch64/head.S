/* SPDX-License-Identifier: MIT */
/*
 * Entry points.  The image starts with the 64-byte arm64 Linux Image header
 * (Linux Documentation/arch/arm64/booting.rst), so QEMU -kernel and U-Boot
 * booti load it.  The boot CPU enters primary_entry at EL2 with the MMU off
 * and x0 = physical address of the host DTB; secondaries enter
 * secondary_entry from PSCI CPU_ON with x0 = their logical CPU number.
 *
 * The kernel is linked position independent at 0 and relocates itself, so
 * it runs wherever the loader put it; the EL2 map is an identity map.
 */
#include <mv/config.h>

#define R_AARCH64_RELATIVE	1027
#define CURRENTEL_EL2		(2 << 2)

	.section .text.head, "ax"
	.global _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	_image_size		/* image_size, .bss included */
	.quad	0xa			/* flags: LE, 4K pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

	.text
primary_entry:
	msr	daifset, #0xf
	mov	x19, x0			/* host DTB */
	adr	x20, _start		/* where we were loaded */

	/* Apply R_AARCH64_RELATIVE relocations: *(base + off) = base + addend. */
	adrp	x1, __rela_start
	add	x1, x1, :lo12:__rela_start
	adrp	x2, __rela_end
	add	x2, x2, :lo12:__rela_end
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16	/* r_offset, r_info */
	ldr	x5, [x1], #8		/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x5, x5, x20
	str	x5, [x20, x3]
	b	1b
2:
	/* Clear .bss (8-byte aligned by the linker script). */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
3:	cmp	x1, x2
	b.hs	4f
	str	xzr, [x1], #8
	b	3b
4:
	mov	x0, #0
	bl	set_stack
	mrs	x0, CurrentEL
	cmp	x0, #CURRENTEL_EL2
	b.ne	5f
	msr	tpidr_el2, xzr
	mov	x0, x19
	bl	boot_main		/* does not return */
	b	park

	/* Not at EL2 (QEMU without virtualization=on): say so and stop. */
5:	lsr	x0, x0, #2
	bl	boot_wrong_el		/* does not return */
park:
	wfe
	b	park

	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	mov	x19, x0
	bl	set_stack
	msr	tpidr_el2, x19
	mov	x0, x19
	bl	secondary_main		/* does not return */
	b	park

/* sp = top of the stack of logical CPU x0.  Clobbers x0-x2. */
set_stack:
	adrp	x1, cpu_stacks
	add	x1, x1, :lo12:cpu_stacks
	add	x2, x0, #1
	mov	x0, #MV_STACK_SIZE
	madd	x1, x2, x0, x1
	mov	sp, x1
	ret

	.bss
	.balign	4096
	.global cpu_stacks
cpu_stacks:
	.space	MV_MAX_CPUS * MV_STACK_SIZE
