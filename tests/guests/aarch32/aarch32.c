// SPDX-License-Identifier: MIT
// Hostile-guest test: AArch32 EL0 loads from an unmapped IPA; the
// hypervisor injects an external abort.  Which EL1 vector is taken?
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)

static void puts_(const char *s)
{
	while (*s)
		UART[0] = (uint32_t)*s++;
}
static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		UART[0] = "0123456789abcdef"[(v >> i) & 0xf];
}

void sync_handler(uint64_t esr, uint64_t far) { (void)esr; (void)far; }

void report(uint64_t off)
{
	uint64_t esr, spsr, elr;

	__asm__ volatile("mrs %0, esr_el1; mrs %1, spsr_el1; mrs %2, elr_el1"
			 : "=r"(esr), "=r"(spsr), "=r"(elr));
	puts_("aarch32: EL1 vector offset ");
	puthex(off);
	puts_(off == 0x600 ? " (lower EL AArch32: right)" : " (WRONG: AArch32 EL0 must use 0x600)");
	puts_(" ESR ");
	puthex(esr);
	puts_(" SPSR ");
	puthex(spsr);
	puts_(" ELR ");
	puthex(elr);
	puts_("\n");
	register uint64_t x0 __asm__("x0") = 0x84000008;
	__asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
}

__asm__(
"	.balign 2048\n"
"vt:\n"
"	.irp off, 0x000,0x080,0x100,0x180,0x200,0x280,0x300,0x380,0x400,0x480,0x500,0x580,0x600,0x680,0x700,0x780\n"
"	.balign 128\n"
"	ldr x1, =stk_top\n mov sp, x1\n"
"	mov x0, #\\off\n"
"	bl report\n"
"	b .\n"
"	.ltorg\n"
"	.endr\n"
"	.bss\n .balign 16\n .space 4096\nstk_top:\n .text\n");

static uint32_t a32_code[4] __attribute__((aligned(16))) = {
	0xe3a01202,	/* mov r1, #0x20000000 */
	0xe5912000,	/* ldr r2, [r1] */
	0xeafffffe,	/* b . */
};
extern char vt[];

int main(void)
{
	puts_("aarch32: entering AArch32 EL0, which reads unmapped IPA 0x20000000\n");
	__asm__ volatile("msr vbar_el1, %0; isb" :: "r"(vt));
	__asm__ volatile("msr spsr_el1, %0\n\tmsr elr_el1, %1\n\tisb\n\teret"
			 :: "r"(0x10UL), "r"((uint64_t)(uintptr_t)a32_code) : "memory");
	return 0;
}
