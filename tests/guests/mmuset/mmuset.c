// SPDX-License-Identifier: MIT
// Hostile-guest test (with mmuwatch on the same CPU): write the MMU
// registers that HCR_EL2.TVM traps (the first write claims them, vcpu.c
// "MMU registers, lazily"), then check for 1.5 s of counter time, while
// the scheduler switches to and from mmuwatch, that they still hold what
// it wrote.  The MMU stays off, so the values change nothing here.
#include <stdint.h>
#define UART	((volatile uint32_t *)0x09000000UL)
static void puts_(const char *s) { while (*s) UART[0] = (uint32_t)*s++; }
static void puthex(uint64_t v)
{
	puts_("0x");
	for (int i = 60; i >= 0; i -= 4)
		UART[0] = (uint32_t)"0123456789abcdef"[(v >> i) & 15];
}
void sync_handler(uint64_t esr, uint64_t far) { (void)esr; (void)far; }

#define RD(r) ({ uint64_t v_; __asm__ volatile("mrs %0, " #r : "=r"(v_)); v_; })
#define WR(r, v) __asm__ volatile("msr " #r ", %0; isb" :: "r"((uint64_t)(v)))

int main(void)
{
	uint64_t freq = RD(cntfrq_el0), start = RD(cntvct_el0), last = start, switches = 0;
	uint64_t sctlr = RD(sctlr_el1) | (1UL << 26);	/* UCI: EL0 only */

	WR(ttbr0_el1, 0x40123000UL);
	WR(ttbr1_el1, 0x40456000UL);
	WR(tcr_el1, 0x19UL);		/* T0SZ 25 */
	WR(mair_el1, 0xff44UL);
	WR(contextidr_el1, 0x77UL);
	WR(sctlr_el1, sctlr);
	puts_("mmuset: wrote TTBR0, TTBR1, TCR, MAIR, CONTEXTIDR, SCTLR\n");
	for (;;) {
		uint64_t now = RD(cntvct_el0);

		if (now - last > freq / 1000)	/* away for more than 1 ms */
			switches++;
		last = now;
		if (RD(ttbr0_el1) != 0x40123000UL || RD(ttbr1_el1) != 0x40456000UL ||
		    RD(tcr_el1) != 0x19UL || RD(mair_el1) != 0xff44UL ||
		    RD(contextidr_el1) != 0x77UL || RD(sctlr_el1) != sctlr) {
			puts_("mmuset: FAIL: its MMU registers changed: TTBR0_EL1 ");
			puthex(RD(ttbr0_el1));
			puts_("\n");
			break;
		}
		if (now - start > freq + freq / 2) {
			puts_(switches >= 10 ? "mmuset: PASS: its own values kept across switches\n"
					     : "mmuset: FAIL: hardly switched out\n");
			break;
		}
	}
	for (;;)
		__asm__ volatile("wfi");
}
