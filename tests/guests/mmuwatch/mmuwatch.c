// SPDX-License-Identifier: MIT
// Hostile-guest test (with mmuset on the same CPU): never write an MMU
// register, and check for 1.5 s of counter time, while the scheduler
// switches to and from mmuset, that they keep their reset values: what
// mmuset wrote never reaches this vCPU (vcpu.c, "MMU registers, lazily").
#define GUEST_NAME "mmuwatch"
#include "../lib/guest.h"

#define SCTLR_EL1_RES1	0x30d00800UL	/* what a vCPU starts with */

static int reset_values(void)
{
	return !SYSREG(ttbr0_el1) && !SYSREG(ttbr1_el1) && !SYSREG(tcr_el1) &&
	       !SYSREG(mair_el1) && !SYSREG(contextidr_el1) && SYSREG(sctlr_el1) == SCTLR_EL1_RES1;
}

int main(void)
{
	int r;

	puts_("mmuwatch: reading the MMU registers\n");
	r = held_across_switches(reset_values);
	if (r < 0) {
		result(0, "another vCPU's MMU registers: MAIR_EL1", SYSREG(mair_el1));
		result(0, "another vCPU's MMU registers: TTBR0_EL1", SYSREG(ttbr0_el1));
	} else {
		result(r, r ? "reset values throughout" : "hardly switched out", 0);
	}
	for (;;)
		__asm__ volatile("wfi");
}
