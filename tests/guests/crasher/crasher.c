// SPDX-License-Identifier: MIT
/*
 * A bare-metal guest that crashes (tests/dts/crash-report.dts): it points
 * its exception vectors at unmapped memory, then reads an unmapped
 * address.  The external abort it gets cannot be taken, since fetching its
 * vector faults too: the microvisor reports the crash to the VM's
 * supervisor cell.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)

void sync_handler(uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
}

static void puts_(const char *s)
{
	for (; *s; s++) {
		while (UART[6] & UART_FR_TXFF)
			;
		UART[0] = (uint32_t)*s;
	}
}

int main(void)
{
	puts_("crasher: exception vectors at unmapped 0x30000000, reading unmapped 0x20000000\n");
	__asm__ volatile("msr vbar_el1, %0\n\tisb" : : "r"(0x30000000UL));
	(void)*(volatile uint64_t *)0x20000000UL;
	puts_("crasher: still running after the crash\n");
	return 0;
}
