// SPDX-License-Identifier: MIT
// Hostile-guest test: debug and PMU registers are neither trapped (MDCR_EL2
// never written) nor switched.  Two VMs on one physical CPU each keep a
// value in DBGBVR0_EL1 and PMEVTYPER0_EL0 and watch them.
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
	puts_("dbgleak: EL1 sync exception ESR ");
	puthex(esr);
	puts_("\n");
	(void)far;
}

int main(void)
{
	uint64_t now, bvr, ev, sb, se;

	__asm__ volatile("mrs %0, cntvct_el0" : "=r"(now));
	bvr = ((now * 2654435761u) & 0xfffffff) << 4;
	ev = (now * 40503u) & 0x3ff;
	__asm__ volatile("msr dbgbvr0_el1, %0; msr pmevtyper0_el0, %1; isb" :: "r"(bvr), "r"(ev));
	puts_("dbgleak: wrote DBGBVR0_EL1 ");
	puthex(bvr);
	puts_(" PMEVTYPER0_EL0 ");
	puthex(ev);
	puts_("\n");
	for (unsigned long i = 0;; i++) {
		__asm__ volatile("mrs %0, dbgbvr0_el1; mrs %1, pmevtyper0_el0" : "=r"(sb), "=r"(se));
		if (sb != bvr || (se & 0x3ff) != ev) {
			puts_("dbgleak: CHANGED under me: DBGBVR0_EL1 ");
			puthex(sb);
			puts_(" PMEVTYPER0_EL0 ");
			puthex(se);
			puts_("\n");
			register uint64_t x0 __asm__("x0") = 0x84000008;
			__asm__ volatile("hvc #0" : "+r"(x0) :: "memory");
		}
	}
	return 0;
}
