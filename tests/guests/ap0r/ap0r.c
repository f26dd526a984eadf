// SPDX-License-Identifier: MIT
// Hostile-guest test (attacker, GICv3): make SGI 1 a Group 0 interrupt,
// acknowledge it through ICC_IAR0_EL1 and never EOI it.  ICH_AP0R0_EL2 is
// not switched, so the active priority stays on the physical CPU for
// whichever VM runs next there.
#include <stdint.h>
#define UART	((volatile uint32_t *)0x09000000UL)
#define GICD	((volatile uint32_t *)0x08000000UL)
#define SGIB	((volatile uint32_t *)(0x080a0000UL + 0x10000))
static void puts_(const char *s) { while (*s) UART[0] = (uint32_t)*s++; }
void sync_handler(uint64_t esr, uint64_t far) { (void)esr; (void)far; }
int main(void)
{
	uint64_t iar = 1023;

	GICD[0] = 3;			/* EnableGrp0 | EnableGrp1 */
	SGIB[0x080 / 4] = 0;		/* IGROUPR0: all Group 0 */
	SGIB[0x400 / 4] = 0;		/* IPRIORITYR0: SGI 0-3 priority 0 */
	SGIB[0x100 / 4] = 1u << 1;	/* ISENABLER0: SGI 1 */
	__asm__ volatile("msr S3_0_C4_C6_0, %0" :: "r"(0xffUL));		/* ICC_PMR_EL1 */
	__asm__ volatile("msr S3_0_C12_C12_6, %0; isb" :: "r"(1UL));	/* ICC_IGRPEN0_EL1 */
	SGIB[0x200 / 4] = 1u << 1;	/* ISPENDR0: SGI 1 */
	for (int i = 0; i < 1000000 && iar != 1; i++)
		__asm__ volatile("mrs %0, S3_0_C12_C8_0" : "=r"(iar));	/* ICC_IAR0_EL1 */
	puts_(iar == 1 ? "ap0r: SGI 1 acknowledged as Group 0, never EOIed\n"
		       : "ap0r: could not acknowledge\n");
	for (;;)
		__asm__ volatile("" ::: "memory");
}
