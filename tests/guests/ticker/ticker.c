// SPDX-License-Identifier: MIT
// Hostile-guest test helper (victim, GICv3): takes its virtual timer interrupt every
// ~10 ms through ICC_IAR1_EL1 and prints a line every 20 ticks.
#include <stdint.h>
#define UART	((volatile uint32_t *)0x09000000UL)
#define GICD	((volatile uint32_t *)0x08000000UL)
#define RD	((volatile uint32_t *)0x080a0000UL)
#define SGIB	((volatile uint32_t *)(0x080a0000UL + 0x10000))
static void puts_(const char *s) { while (*s) UART[0] = (uint32_t)*s++; }
static void putdec(uint64_t v)
{
	char b[24];
	int i = 0;
	do b[i++] = (char)('0' + v % 10); while (v /= 10);
	while (i) UART[0] = (uint32_t)b[--i];
}
void sync_handler(uint64_t esr, uint64_t far) { (void)esr; (void)far; }
int main(void)
{
	uint64_t freq, now, iar, ticks = 0, spins = 0;

	GICD[0] = 2;			/* EnableGrp1 */
	RD[0x14 / 4] = 0;		/* GICR_WAKER: awake */
	SGIB[0x400 / 4 + 27 / 4] = 0xa0u << (8 * (27 % 4));	/* priority 0xa0 */
	SGIB[0x100 / 4] = 1u << 27;	/* enable the vtimer PPI */
	__asm__ volatile("msr S3_0_C4_C6_0, %0" :: "r"(0xffUL));		/* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_7, %0; isb" :: "r"(1UL));	/* ICC_IGRPEN1_EL1 */
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	for (;;) {
		__asm__ volatile("mrs %0, cntvct_el0" : "=r"(now));
		__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
				 :: "r"(now + freq / 100), "r"(1UL));
		for (;;) {
			__asm__ volatile("wfi");
			__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(iar));	/* ICC_IAR1_EL1 */
			if (iar == 27)
				break;
			if (++spins % 20000 == 0)
				puts_("ticker: timer pending but no interrupt delivered\n");
		}
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" :: "r"(0UL));
		__asm__ volatile("msr S3_0_C12_C12_1, %0; isb" :: "r"(iar));	/* ICC_EOIR1_EL1 */
		if (++ticks % 20 == 0) {
			puts_("ticker: tick ");
			putdec(ticks);
			puts_("\n");
		}
	}
}
