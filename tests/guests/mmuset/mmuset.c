// SPDX-License-Identifier: MIT
// Hostile-guest test (with mmuwatch on the same CPU): write the MMU
// registers that HCR_EL2.TVM traps (the first write claims them, vcpu.c
// "MMU registers, lazily"), then check for 1.5 s of counter time, while
// the scheduler switches to and from mmuwatch, that they still hold what
// it wrote.  The MMU stays off, so the values change nothing here.
#define GUEST_NAME "mmuset"
#include "../lib/guest.h"

#define WR(r, v) __asm__ volatile("msr " #r ", %0; isb" :: "r"((uint64_t)(v)))

static uint64_t sctlr;

static int own_values(void)
{
	return SYSREG(ttbr0_el1) == 0x40123000UL && SYSREG(ttbr1_el1) == 0x40456000UL &&
	       SYSREG(tcr_el1) == 0x19UL && SYSREG(mair_el1) == 0xff44UL &&
	       SYSREG(contextidr_el1) == 0x77UL && SYSREG(sctlr_el1) == sctlr;
}

int main(void)
{
	int r;

	sctlr = SYSREG(sctlr_el1) | (1UL << 26);	/* UCI: EL0 only */
	WR(ttbr0_el1, 0x40123000UL);
	WR(ttbr1_el1, 0x40456000UL);
	WR(tcr_el1, 0x19UL);		/* T0SZ 25 */
	WR(mair_el1, 0xff44UL);
	WR(contextidr_el1, 0x77UL);
	WR(sctlr_el1, sctlr);
	puts_("mmuset: wrote TTBR0, TTBR1, TCR, MAIR, CONTEXTIDR, SCTLR\n");
	r = held_across_switches(own_values);
	if (r < 0)
		result(0, "its MMU registers changed: TTBR0_EL1", SYSREG(ttbr0_el1));
	else
		result(r, r ? "its own values kept across switches" : "hardly switched out", 0);
	for (;;)
		__asm__ volatile("wfi");
}
