// SPDX-License-Identifier: MIT
/*
 * A bare-metal guest for the boot tests: marks its memory, checks the mark
 * is gone (a reset reloads the VM from its images into cleared memory),
 * and asks for PSCI SYSTEM_RESET.  It never stops by itself: the test
 * counts restarts and ends QEMU.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#define MARK		0x5245534554UL	/* "RESET" */

static volatile uint64_t mark;	/* .bss: zero at every boot */

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

static void system_reset(void)
{
	register uint64_t x0 __asm__("x0") = 0x84000009;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

int main(void)
{
	puts_(mark == MARK ? "reset-guest: memory kept across the reset\n"
			   : "reset-guest: fresh boot\n");
	mark = MARK;
	system_reset();
	puts_("reset-guest: still running after SYSTEM_RESET\n");
	return 0;
}
