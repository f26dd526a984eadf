// SPDX-License-Identifier: MIT
// Hostile-guest test: SVE is not trapped at EL2 (CPTR_EL2.TZ == 0) although
// the ID registers hide it, and the vCPU switch does not save P0-P15/FFR/
// ZCR_EL1.  Two VMs on one physical CPU each keep their own pattern in P0
// and watch it: the other VM's pattern shows up after a switch.
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

void sync_handler(uint64_t esr, uint64_t far)
{
	puts_("svepred: EL1 sync exception ESR ");
	puthex(esr);
	puts_("\n");
	(void)far;
}

static uint8_t buf[256] __attribute__((aligned(16)));

int main(void)
{
	uint64_t cpacr, pfr0, now, mine, seen;

	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	puts_("svepred: ID_AA64PFR0_EL1.SVE = ");
	puthex((pfr0 >> 32) & 0xf);
	puts_(" (hidden), enabling CPACR_EL1.ZEN anyway\n");
	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	cpacr |= 3UL << 16 | 3UL << 20;
	__asm__ volatile("msr cpacr_el1, %0; isb" :: "r"(cpacr));
	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(now));
	mine = (now * 2654435761u) & 0x5555;	/* P0 of a 128-bit VL: 16 bits */
	if (!mine)
		mine = 0x1111;
	buf[0] = (uint8_t)mine;
	buf[1] = (uint8_t)(mine >> 8);
	__asm__ volatile(".arch armv8.2-a+sve\n\tldr p0, [%0]" :: "r"(buf) : "memory");
	puts_("svepred: wrote P0 = ");
	puthex(mine);
	puts_("\n");
	for (unsigned long i = 0;; i++) {
		__asm__ volatile(".arch armv8.2-a+sve\n\tstr p0, [%0]" :: "r"(buf) : "memory");
		seen = buf[0] | (uint64_t)buf[1] << 8;
		if (seen != mine) {
			puts_("svepred: P0 CHANGED under me: ");
			puthex(seen);
			puts_(" (the other VM's value) after ");
			puthex(i);
			puts_(" iterations\n");
			register uint64_t x0 __asm__("x0") = 0x84000008;
			__asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
		}
	}
	return 0;
}
