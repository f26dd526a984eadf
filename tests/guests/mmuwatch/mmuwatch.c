// SPDX-License-Identifier: MIT
// Hostile-guest test (with mmuset on the same CPU): never write an MMU
// register, and check for 1.5 s of counter time, while the scheduler
// switches to and from mmuset, that they keep their reset values: what
// mmuset wrote never reaches this vCPU (vcpu.c, "MMU registers, lazily").
#include <stdint.h>
#define UART	((volatile uint32_t *)0x09000000UL)
#define SCTLR_EL1_RES1	0x30d00800UL	/* what a vCPU starts with */
static void puts_(const char *s) { while (*s) UART[0] = (uint32_t)*s++; }
static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		UART[0] = (uint32_t)"0123456789abcdef"[(v >> i) & 15];
}
void sync_handler(uint64_t esr, uint64_t far) { (void)esr; (void)far; }

#define RD(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })

int main(void)
{
	uint64_t freq = RD(cntfrq_el0), start = RD(cntvct_el0), last = start, switches = 0;

	puts_("mmuwatch: reading the MMU registers\n");
	for (;;) {
		uint64_t now = RD(cntvct_el0);

		if (now - last > freq / 1000)
			switches++;
		last = now;
		if (RD(ttbr0_el1) || RD(ttbr1_el1) || RD(tcr_el1) || RD(mair_el1) ||
		    RD(contextidr_el1) || RD(sctlr_el1) != SCTLR_EL1_RES1) {
			puts_("mmuwatch: FAIL: another vCPU's MMU registers: TTBR0_EL1 ");
			puthex(RD(ttbr0_el1));
			puts_(" MAIR_EL1 ");
			puthex(RD(mair_el1));
			puts_("\n");
			break;
		}
		if (now - start > freq + freq / 2) {
			puts_(switches >= 10 ? "mmuwatch: PASS: reset values throughout\n"
					     : "mmuwatch: FAIL: hardly switched out\n");
			break;
		}
	}
	for (;;)
		__asm__ volatile("wfi");
}
