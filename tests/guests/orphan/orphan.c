// SPDX-License-Identifier: MIT
/*
 * A bare-metal guest whose window's server crashes (tests/dts/
 * crash-report.dts): the cell "badsrv" stops instead of answering its
 * first read; the microvisor reports the orphaned access to the VM's
 * supervisor, which answers with an external abort.  A second read
 * (the server is gone now) is reported and aborted the same way.  The
 * guest checks both aborts and powers off: it outlives its server.
 */
#include <stdint.h>

#define UART		((volatile uint32_t *)0x09000000UL)
#define UART_FR_TXFF	(1U << 5)
#define WINDOW		((volatile uint64_t *)0x0a000000UL)

static volatile unsigned aborts;
static volatile uint64_t abort_far;

void sync_handler(uint64_t esr, uint64_t far)
{
	if ((esr >> 26) == 0x25 && (esr & 0x3f) == 0x10)
		aborts++;
	abort_far = far;
}

static void puts_(const char *s)
{
	for (; *s; s++) {
		while (UART[6] & UART_FR_TXFF)
			;
		UART[0] = (uint32_t)*s;
	}
}

static void system_off(void)
{
	register uint64_t x0 __asm__("x0") = 0x84000008;

	__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

int main(void)
{
	puts_("orphan: reading my window at 0x0a000000\n");
	(void)WINDOW[0];
	puts_(aborts == 1 && abort_far == 0x0a000000 ? "orphan: PASS first read ended in an external abort\n"
						     : "orphan: FAIL first read did not abort\n");
	(void)WINDOW[1];
	puts_(aborts == 2 && abort_far == 0x0a000008 ? "orphan: PASS second read ended in an external abort\n"
						     : "orphan: FAIL second read did not abort\n");
	system_off();
	puts_("orphan: still running after SYSTEM_OFF\n");
	return 0;
}
